using System.Collections.Immutable;
using System.Text.Json;
using Ssr2Ledger.Scope;

namespace Ssr2Ledger.Ledger;

public sealed record TopicArea(string TopicId, string Title, string Description, DateTimeOffset AgreedAt);

public sealed record AreaOfInterest(string AreaId, string Title, string TopicId, DateTimeOffset IdentifiedAt)
{
    public ScopeStatus Status { get; init; } = ScopeStatus.Proposed;
    public string? MergedInto { get; init; }
    public string? SubteamId { get; init; }
    public string? LastDecisionId { get; init; }
}

/// <summary>
/// What the state keeps of a scope decision: what the rules, the audit and the pages ask of it. Its words (rationale,
/// basis) stay in its entry, which the review's timeline holds (<see cref="ScopeDecisionRecord"/> puts them together):
/// a review of a million decisions held them all twice, and an import, which keeps no entries, held them for nothing.
/// </summary>
public sealed record ScopeDecisionFacts(string DecisionId, IReadOnlyList<string> AreaIds, string? MeetingId,
    DateTimeOffset DecidedAt, string? Supersedes, DecisionMethod Method)
{
    public string? SupersededBy { get; init; }
}

/// <summary>A scope decision as the API lists it: what the state keeps of it, with its words from its entry.</summary>
public sealed record ScopeDecisionRecord(string DecisionId, IReadOnlyList<string> AreaIds, string? MeetingId,
    DateTimeOffset DecidedAt, string? Supersedes, string Rationale, string Basis, DecisionMethod Method)
{
    public string? SupersededBy { get; init; }

    /// <summary>
    /// The state's decisions in the order they were taken, each with the words of the entry it was folded from: among the
    /// entries the state knew (corrected as it knew them), effective by <paramref name="asOf"/>, the last one the fold took.
    /// </summary>
    public static List<ScopeDecisionRecord> Of(ReviewState state, IReadOnlyList<LedgerEntry> known, DateTimeOffset asOf,
        JsonSerializerOptions json)
    {
        var words = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        foreach (var entry in ReviewFold.ApplyCorrections(known, json))
            if (entry.Event is ScopeDecided d && d.EffectiveAt <= asOf
                && (!words.TryGetValue(d.DecisionId, out var other) || (d.EffectiveAt, entry.Meta.Version).CompareTo((other.Event.EffectiveAt, other.Meta.Version)) > 0))
                words[d.DecisionId] = entry;
        return state.ScopeDecisions.Values.OrderBy(d => d.DecidedAt).ThenBy(d => d.DecisionId, StringComparer.Ordinal).Select(d =>
        {
            var said = (ScopeDecided)words[d.DecisionId].Event;
            return new ScopeDecisionRecord(d.DecisionId, d.AreaIds, d.MeetingId, d.DecidedAt, d.Supersedes, said.Rationale, said.Basis, d.Method)
                { SupersededBy = d.SupersededBy };
        }).ToList();
    }
}

public sealed record Subteam(string SubteamId, string Name, IReadOnlyList<string> Members, string? Rapporteur,
    DateTimeOffset FormedAt)
{
    public ImmutableList<string> AreaIds { get; init; } = [];
    public bool Active { get; init; } = true;
    public string? DissolvedReason { get; init; }
}

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, TopicArea> Topics { get; init; } = ImmutableDictionary<string, TopicArea>.Empty;
    public ImmutableDictionary<string, AreaOfInterest> Areas { get; init; } = ImmutableDictionary<string, AreaOfInterest>.Empty;
    public ImmutableDictionary<string, ScopeDecisionFacts> ScopeDecisions { get; init; } =
        ImmutableDictionary<string, ScopeDecisionFacts>.Empty;
    public ImmutableDictionary<string, Subteam> Subteams { get; init; } = ImmutableDictionary<string, Subteam>.Empty;

    internal ReviewState On(TopicAreaAgreed e) =>
        this with { Topics = Topics.SetItem(e.TopicId, new TopicArea(e.TopicId, e.Title, e.Description, e.EffectiveAt)) };

    internal ReviewState On(AreaOfInterestIdentified e) =>
        this with { Areas = Areas.SetItem(e.AreaId, new AreaOfInterest(e.AreaId, e.Title, e.TopicId, e.EffectiveAt)) };

    internal ReviewState On(ScopeDecided e)
    {
        var areas = Areas;
        // The ids the state already holds (its areas', meetings', decisions') are referred to, not held again per decision.
        var areaIds = new string[e.Changes.Count];
        for (var i = 0; i < areaIds.Length; i++)
            areaIds[i] = areas.TryGetValue(e.Changes[i].AreaId, out var known) ? known.AreaId : e.Changes[i].AreaId;
        foreach (var change in e.Changes)
        {
            if (!areas.TryGetValue(change.AreaId, out var area)) continue;
            areas = areas.SetItem(change.AreaId, area with
            {
                Status = change.To,
                MergedInto = change.To == ScopeStatus.Merged ? change.MergedInto : null,
                LastDecisionId = e.DecisionId,
            });
        }

        var meetingId = e.MeetingId is { } id && Meetings.TryGetValue(id, out var meeting) ? meeting.MeetingId : e.MeetingId;
        var supersedes = e.Supersedes is { } earlier && ScopeDecisions.TryGetValue(earlier, out var held) ? held.DecisionId : e.Supersedes;
        var decisions = ScopeDecisions.SetItem(e.DecisionId,
            new ScopeDecisionFacts(e.DecisionId, areaIds, meetingId, e.EffectiveAt, supersedes, e.Method));
        if (e.Supersedes is not null && decisions.TryGetValue(e.Supersedes, out var superseded))
            decisions = decisions.SetItem(e.Supersedes, superseded with { SupersededBy = e.DecisionId });

        return this with { Areas = areas, ScopeDecisions = decisions };
    }

    internal ReviewState On(SubteamFormed e) => this with
    {
        Subteams = Subteams.SetItem(e.SubteamId, new Subteam(e.SubteamId, e.Name, e.Members, e.Rapporteur, e.EffectiveAt)),
    };

    internal ReviewState On(AreasAssignedToSubteam e)
    {
        if (!Subteams.TryGetValue(e.SubteamId, out var subteam)) return this;
        var areas = Areas;
        var subteams = Subteams;
        foreach (var areaId in e.AreaIds)
        {
            if (!areas.TryGetValue(areaId, out var area)) continue;
            // An area belongs to one subteam at a time: reassigning moves it.
            if (area.SubteamId is { } previous && previous != e.SubteamId && subteams.TryGetValue(previous, out var old))
                subteams = subteams.SetItem(previous, old with { AreaIds = old.AreaIds.Remove(areaId) });
            areas = areas.SetItem(areaId, area with { SubteamId = e.SubteamId });
        }
        var assigned = subteams[e.SubteamId];
        subteams = subteams.SetItem(e.SubteamId, assigned with { AreaIds = assigned.AreaIds.AddRange(e.AreaIds.Except(assigned.AreaIds)) });
        return this with { Areas = areas, Subteams = subteams };
    }

    internal ReviewState On(SubteamDissolved e)
    {
        if (!Subteams.TryGetValue(e.SubteamId, out var subteam)) return this;
        // Its areas go back to the plenary.
        var areas = Areas;
        foreach (var areaId in subteam.AreaIds)
            if (areas.TryGetValue(areaId, out var area) && area.SubteamId == e.SubteamId)
                areas = areas.SetItem(areaId, area with { SubteamId = null });
        return this with
        {
            Areas = areas,
            Subteams = Subteams.SetItem(e.SubteamId, subteam with { Active = false, DissolvedReason = e.Reason }),
        };
    }
}
