using static Ssr2Ledger.Ledger.KebabCase;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Scope;

public static class ScopeRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<TopicAreaAgreed>("topics", "Agree a topic area", AgreeTopic, (s, e) => s.On(e),
            TimelineWording.LineOf<TopicAreaAgreed>((t, _, _) => new("scope", $"Topic area agreed: {t.Title}", t.Description))),
        // Areas identified on one day, at one meeting, make one line.
        EventKind.For<AreaOfInterestIdentified>("areas", "Identify an area of interest under a topic", Identify, (s, e) => s.On(e),
            TimelineWording.BulkOf<AreaOfInterestIdentified>(a => a.MeetingId ?? "", items => new("scope",
                "Scope: " + Say.Count(items.Count, "area of interest", "areas of interest") + " identified",
                "Topics: " + string.Join("; ", items.GroupBy(i => i.TopicId).Select(g => $"{g.Key} ({g.Count()})")))),
            (a, areaId) => a.AreaId == areaId ? "identified" : null),
        EventKind.For<ScopeDecided>("scope-decisions", "Record a scope decision about one or more areas", Decide, (s, e) => s.On(e),
            TimelineWording.LineOf<ScopeDecided>((d, before, after) =>
                new("scope", ScopeWording.Title(d, before, after), d.Rationale, d.Basis, Word(d.Method))),
            (d, areaId) => d.Changes.Any(c => c.AreaId == areaId) ? "decided"
                : d.Changes.Any(c => c.MergedInto == areaId) ? "merged-into-this" : null),
        EventKind.For<SubteamFormed>("subteams", "Form a subteam", Form, (s, e) => s.On(e),
            TimelineWording.LineOf<SubteamFormed>((f, _, _) =>
                new("subteam", $"Subteam formed: {f.Name} ({Say.Count(f.Members.Count, "member", "members")})"))),
        EventKind.For<AreasAssignedToSubteam>("subteam-assignments", "Assign areas of interest to a subteam", Assign, (s, e) => s.On(e),
            TimelineWording.LineOf<AreasAssignedToSubteam>((a, _, after) => new("subteam",
                $"{Say.Count(a.AreaIds.Count, "area", "areas")} assigned to subteam {ScopeWording.Subteam(after, a.SubteamId)}")),
            (a, areaId) => a.AreaIds.Contains(areaId) ? "assigned-to-subteam" : null),
        EventKind.For<SubteamDissolved>("subteam-dissolutions", "Dissolve a subteam", Dissolve, (s, e) => s.On(e),
            TimelineWording.LineOf<SubteamDissolved>((d, _, after) =>
                new("subteam", $"Subteam dissolved: {ScopeWording.Subteam(after, d.SubteamId)}", d.Reason))),
    ];

    public static IEnumerable<Refusal> AgreeTopic(ReviewState state, TopicAreaAgreed e) =>
        Checks.Unique(state.Topics, e.TopicId, "topicId", "Topic area");

    public static IEnumerable<Refusal> Identify(ReviewState state, AreaOfInterestIdentified e) =>
        Checks.Unique(state.Areas, e.AreaId, "areaId", "Area of interest")
            .Concat(Checks.Known(state.Topics, e.TopicId, "topicId", "Topic area"));

    public static IEnumerable<Refusal> Decide(ReviewState state, ScopeDecided e)
    {
        foreach (var r in Checks.Unique(state.ScopeDecisions, e.DecisionId, "decisionId", "Scope decision")) yield return r;
        foreach (var r in Checks.NotEmpty(e.Changes, "changes")) yield return r;
        foreach (var r in Checks.Distinct(e.Changes.Select(c => c.AreaId), "changes")) yield return r;
        foreach (var r in Checks.Known(state.ScopeDecisions, e.Supersedes, "supersedes", "Scope decision")) yield return r;

        for (var i = 0; i < e.Changes.Count; i++)
        {
            var change = e.Changes[i];
            var at = $"changes[{i}]";
            foreach (var r in Checks.Known(state.Areas, change.AreaId, $"{at}.areaId", "Area of interest")) yield return r;
            // A decision cannot act on an area before the area was identified.
            if (state.Areas.TryGetValue(change.AreaId, out var area) && area.IdentifiedAt > e.EffectiveAt)
                yield return Refusal.Invalid($"{at}.areaId",
                    $"Area '{change.AreaId}' was identified at {area.IdentifiedAt:u}, after this decision's effectiveAt.");
            // "Proposed" is where an area starts, before any decision; a decision that reopens it says "deferred".
            if (change.To == ScopeStatus.Proposed)
                yield return Refusal.Invalid($"{at}.to",
                    "an area is 'proposed' only until its first decision; to reopen an area, decide it 'deferred'.");
            if (change.To == ScopeStatus.Merged)
            {
                if (change.MergedInto is null)
                    yield return Refusal.Invalid($"{at}.mergedInto", "is required when an area is merged.");
                else if (change.MergedInto == change.AreaId)
                    yield return Refusal.Invalid($"{at}.mergedInto", "an area cannot be merged into itself.");
                else
                    foreach (var r in Checks.Known(state.Areas, change.MergedInto, $"{at}.mergedInto", "Area of interest")) yield return r;
            }
            else if (change.MergedInto is not null)
                yield return Refusal.Invalid($"{at}.mergedInto", "is only for a change to 'merged'.");
        }
    }

    public static IEnumerable<Refusal> Form(ReviewState state, SubteamFormed e)
    {
        foreach (var r in Checks.Unique(state.Subteams, e.SubteamId, "subteamId", "Subteam")) yield return r;
        foreach (var r in Checks.AllKnown(state.Members, e.Members, "members", "Member")) yield return r;
        foreach (var r in Checks.Distinct(e.Members, "members")) yield return r;
        if (e.Rapporteur is not null && !e.Members.Contains(e.Rapporteur))
            yield return Refusal.Invalid("rapporteur", "must be one of the subteam's members.");
    }

    public static IEnumerable<Refusal> Assign(ReviewState state, AreasAssignedToSubteam e) =>
        ActiveSubteam(state, e.SubteamId)
            .Concat(Checks.NotEmpty(e.AreaIds, "areaIds"))
            .Concat(Checks.AllKnown(state.Areas, e.AreaIds, "areaIds", "Area of interest"))
            .Concat(Checks.Distinct(e.AreaIds, "areaIds"));

    public static IEnumerable<Refusal> Dissolve(ReviewState state, SubteamDissolved e) => ActiveSubteam(state, e.SubteamId);

    private static IEnumerable<Refusal> ActiveSubteam(ReviewState state, string subteamId)
    {
        if (!state.Subteams.TryGetValue(subteamId, out var subteam)) yield return Refusal.Unknown("subteamId", "Subteam", subteamId);
        else if (!subteam.Active) yield return Refusal.Conflict($"Subteam '{subteamId}' is dissolved.", "subteamId");
    }
}
