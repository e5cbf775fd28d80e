using static Ssr2Ledger.Ledger.KebabCase;
using System.Collections.Immutable;
using System.Text.Json;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;

namespace Ssr2Ledger.Timeline;

/// <summary>
/// Turns the ledger into timeline lines: entries as corrected, in valid-time order, each said in plain English.
/// Bulk entries of one day (areas identified, recommendations drafted or adopted, the Board's actions under one
/// resolution) become one line. The one fold runs alongside, so a scope decision can say what it narrowed.
/// </summary>
public sealed class TimelineLines
{
    private readonly List<TimelineEntry> _entries = [];
    private readonly Dictionary<Guid, List<Erratum>> _errata;
    private ReviewState? _state;
    private string _phase = "";
    /// <summary>Bulk lines still gathering entries: of one day, one line a key, however they interleave.</summary>
    private readonly Dictionary<string, Bulk> _open = [];
    private DateOnly? _openDay;

    private TimelineLines(Dictionary<Guid, List<Erratum>> errata) => _errata = errata;

    public IReadOnlyList<TimelineEntry> Entries => _entries;
    public string? Name => _state?.Name;

    private sealed record Bulk(LedgerEntry First, string Phase, List<LedgerEntry> Items, Func<List<LedgerEntry>, (string Kind, string Title, string? Rationale)> Describe);

    public static TimelineLines From(IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json, Dictionary<Guid, List<Erratum>> errata)
    {
        var corrections = recorded.Where(e => e.Event is EntryCorrected).Select(e => (EntryCorrected)e.Event).ToList();
        var shown = recorded.Where(e => e.Event is not (EntryCorrected or EntryRetracted))
            .Select(e => corrections.Where(c => c.CorrectsEventId == e.Meta.EventId)
                .Aggregate(e, (x, c) => x with { Event = ReviewFold.Corrected(x.Event, c.Corrected, json) }))
            .OrderBy(e => e.Event.EffectiveAt).ThenBy(e => e.Meta.Version);

        var lines = new TimelineLines(errata);
        foreach (var entry in shown) lines.Add(entry);
        lines.Flush();
        // Bulk lines are written when their day closes: put every line back in valid-time order.
        var ordered = lines._entries.OrderBy(e => e.Date).ThenBy(e => e.Version).ToList();
        lines._entries.Clear();
        lines._entries.AddRange(ordered);
        return lines;
    }

    private bool IsRetracted(LedgerEntry e) => _errata.GetValueOrDefault(e.Meta.EventId)?.Any(x => x.Kind == "retraction") == true;

    private void Add(LedgerEntry entry)
    {
        var before = _state;
        var retracted = IsRetracted(entry);
        if (!retracted) _state = ReviewState.Fold(_state, entry.Event, entry.Meta);
        if (_state is null) return;
        if (entry.Event is ReviewChartered) _phase = $"Active from {entry.Event.EffectiveAt:d MMMM yyyy}";

        var day = DateOnly.FromDateTime(entry.Event.EffectiveAt.UtcDateTime);
        if (_openDay != day) Flush();
        _openDay = day;
        if (BulkOf(entry) is { } b)
        {
            if (!_open.TryGetValue(b.Key, out var bulk)) _open[b.Key] = bulk = new Bulk(entry, _phase, [], b.Describe);
            bulk.Items.Add(entry);
            return;
        }

        if (Describe(entry.Event, before, _state) is { } line) Emit(entry, [entry], line.Kind, line.Title, line.Rationale, line.Basis, line.Method, retracted);
        _phase = entry.Event switch
        {
            ReviewPaused when !retracted => $"Paused from {entry.Event.EffectiveAt:d MMMM yyyy}",
            ReviewResumed when !retracted => $"Active again from {entry.Event.EffectiveAt:d MMMM yyyy}",
            DeliveredToBoard { Deliverable: Deliverable.FinalReport } when !retracted => $"After the final report ({entry.Event.EffectiveAt:d MMMM yyyy})",
            _ => _phase,
        };
    }

    private void Flush()
    {
        foreach (var bulk in _open.Values)
        {
            var standing = bulk.Items.Where(i => !IsRetracted(i)).ToList();
            var (kind, title, rationale) = bulk.Describe(standing.Count > 0 ? standing : bulk.Items);
            Emit(bulk.First, bulk.Items, kind, title, rationale, null, null, standing.Count == 0, bulk.Phase);
        }
        _open.Clear();
    }

    private void Emit(LedgerEntry entry, List<LedgerEntry> items, string kind, string title, string? rationale, string? basis,
        string? method, bool retracted, string? phase = null)
    {
        var meeting = entry.Event.MeetingId is { } id ? _state?.Meetings.GetValueOrDefault(id) : null;
        _entries.Add(new TimelineEntry(entry.Event.EffectiveAt, entry.Event.MeetingId, meeting?.Title, kind, title, rationale, basis,
            method, entry.Event.Source, entry.Meta.RecordedAt, entry.Meta.RecordedBy, entry.Meta.EventId, entry.Meta.Version, retracted,
            items.SelectMany(i => _errata.GetValueOrDefault(i.Meta.EventId) ?? []).ToList(), phase ?? _phase));
    }

    private static (string Key, Func<List<LedgerEntry>, (string, string, string?)> Describe)? BulkOf(LedgerEntry entry)
    {
        var day = $"{entry.Event.MeetingId}";
        return entry.Event switch
        {
            AreaOfInterestIdentified => ($"areas/{day}", items => ("scope", "Scope: " + Count(items.Count, "area of interest", "areas of interest") + " identified",
                "Topics: " + string.Join("; ", items.Select(i => ((AreaOfInterestIdentified)i.Event).TopicId).GroupBy(t => t).Select(g => $"{g.Key} ({g.Count()})")))),
            RecommendationDrafted => ($"drafted/{day}", items => ("recommendation", items.Count == 1
                ? $"Recommendation drafted: {((RecommendationDrafted)items[0].Event).Title}"
                : Count(items.Count, "recommendation", "recommendations") + " drafted", null)),
            RecommendationAdopted => ($"adopted/{day}", items => ("recommendation", Count(items.Count, "recommendation", "recommendations") + " adopted",
                "Consensus: " + string.Join("; ", items.Select(i => ((RecommendationAdopted)i.Event).Consensus).Distinct()))),
            BoardActedOnRecommendation a => ($"board/{day}/{a.ResolutionId}", items => ("board",
                $"Board resolution {a.ResolutionId}: " + string.Join(", ", items.Select(i => ((BoardActedOnRecommendation)i.Event).Action)
                    .GroupBy(x => x).Select(g => $"{g.Count()} {Word(g.Key)}")), null)),
            _ => null,
        };
    }

    private static (string Kind, string Title, string? Rationale, string? Basis, string? Method)? Describe(ReviewEvent e, ReviewState? before, ReviewState after) => e switch
    {
        ReviewChartered c => ("review", $"Review chartered: {c.Name}", c.Mandate, null, null),
        ReviewPaused p => ("review", "Review paused", p.Reason, Resolution(p.ResolutionId), null),
        ReviewResumed r => ("review", "Review resumed", r.Reason, Resolution(r.ResolutionId), null),
        MeetingHeld h when after.Meetings.GetValueOrDefault(h.MeetingId!) is { } m =>
            ("meeting", $"Meeting held: {m.Title} ({Word(m.Format)}, {m.Location})",
                $"{Count(h.Attendees.Count, "member", "members")} attending, {Count(h.Observers, "observer", "observers")}", null, null),
        MeetingCancelled c when after.Meetings.GetValueOrDefault(c.MeetingId!) is { } m => ("meeting", $"Meeting cancelled: {m.Title}", c.Reason, null, null),
        StaffBriefingReceived b => ("meeting", $"Briefing from {b.By}: {b.Topic}", null, null, null),
        TopicAreaAgreed t => ("scope", $"Topic area agreed: {t.Title}", t.Description, null, null),
        ScopeDecided d => ("scope", ScopeTitle(d, before, after), d.Rationale, d.Basis, Word(d.Method)),
        SubteamFormed s => ("subteam", $"Subteam formed: {s.Name} ({Count(s.Members.Count, "member", "members")})", null, null, null),
        AreasAssignedToSubteam a => ("subteam", $"{Count(a.AreaIds.Count, "area", "areas")} assigned to subteam {Subteam(after, a.SubteamId)}", null, null, null),
        SubteamDissolved s => ("subteam", $"Subteam dissolved: {Subteam(after, s.SubteamId)}", s.Reason, null, null),
        TermsOfReferenceDrafted t => ("terms-of-reference", $"Terms of reference {t.Version} drafted: {t.Title}", t.Summary, null, null),
        TermsOfReferenceAmended t => ("terms-of-reference", $"Terms of reference amended: {t.Version} (from {t.BasedOn})", t.Rationale,
            string.Join("; ", t.Changes), null),
        TermsOfReferenceAdopted t => ("terms-of-reference", $"Terms of reference {t.Version} adopted", null, null, Word(t.Method)),
        WorkPlanAdopted w => ("terms-of-reference", $"Work plan {w.Version} adopted ({Count(w.Items.Count, "item", "items")})", null, null, null),
        BoardResolutionRecorded r => ("board", $"Board resolution {r.ResolutionId}: {r.Title}", r.Summary, r.Directive, null),
        DeliveredToBoard d => ("board", $"Delivered to the Board: {Word(d.Deliverable).Replace('-', ' ')}{(d.Version is null ? "" : $" {d.Version}")}",
            null, d.InResponseTo is null ? null : $"In response to Board resolution {d.InResponseTo}", null),
        RecommendationRevised r => ("recommendation", $"Recommendation {r.RecommendationId} revised", r.Rationale, null, null),
        RecommendationWithdrawn w => ("recommendation", $"Recommendation {w.RecommendationId} withdrawn", w.Reason, null, null),
        CommunityInputReceived c => ("community", $"Community input ({Word(c.Channel).Replace('-', ' ')}) from {c.From}", c.Summary, null, null),
        _ => null,
    };

    /// <summary>"Scope: 3 areas narrowed, 1 widened (decision d-7)", from the state before and after the decision.</summary>
    private static string ScopeTitle(ScopeDecided d, ReviewState? before, ReviewState after)
    {
        var areaIds = d.Changes.Select(c => c.AreaId).ToHashSet();
        var diff = ScopeDiff.Between(before, after with { Areas = after.Areas.Where(a => areaIds.Contains(a.Key)).ToImmutableDictionary() });
        var parts = new[]
        {
            (diff.Narrowed.Count, "narrowed"), (diff.Merged.Count, "merged"), (diff.Widened.Count, "put in scope"),
            (diff.Added.Count + diff.OtherChanges.Count, "otherwise changed"),
        }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}").ToList();
        var supersedes = d.Supersedes is null ? "" : $", superseding {d.Supersedes}";
        var summary = parts.Count switch
        {
            0 => $"{Count(d.Changes.Count, "area", "areas")} confirmed",
            1 when parts[0].StartsWith($"{d.Changes.Count} ", StringComparison.Ordinal) => $"{Count(d.Changes.Count, "area", "areas")}{parts[0][parts[0].IndexOf(' ')..]}",
            _ => $"{Count(d.Changes.Count, "area", "areas")}: {string.Join(", ", parts)}",
        };
        return $"Scope: {summary} (decision {d.DecisionId}{supersedes})";
    }

    private static string? Resolution(string? id) => id is null ? null : $"Board resolution {id}";
    private static string Subteam(ReviewState state, string id) => state.Subteams.GetValueOrDefault(id)?.Name ?? id;
    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
