using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Community;

namespace Ssr2Ledger.Scope;

/// <summary>An area's whole lineage: every entry that touched it, and the corrections of those entries.</summary>
public static class AreaHistory
{
    public sealed record Step(Guid EventId, long Version, string Relation, string Type, DateTimeOffset EffectiveAt,
        DateTimeOffset RecordedAt, string RecordedBy, string? MeetingId, object Data);

    public static IReadOnlyList<Step> Of(string areaId, IReadOnlyList<LedgerEntry> recorded, EventCatalog catalog)
    {
        var steps = new List<Step>();
        var touched = new HashSet<Guid>();
        foreach (var entry in recorded)
        {
            var relation = entry.Event switch
            {
                AreaOfInterestIdentified e when e.AreaId == areaId => "identified",
                ScopeDecided e when e.Changes.Any(c => c.AreaId == areaId) => "decided",
                ScopeDecided e when e.Changes.Any(c => c.MergedInto == areaId) => "merged-into-this",
                AreasAssignedToSubteam e when e.AreaIds.Contains(areaId) => "assigned-to-subteam",
                RecommendationDrafted e when e.AreaIds.Contains(areaId) => "cited-by-recommendation",
                CommunityInputReceived e when e.AreaIds?.Contains(areaId) == true => "community-input",
                EntryCorrected e when touched.Contains(e.CorrectsEventId) => "corrected",
                EntryRetracted e when touched.Contains(e.RetractsEventId) => "retracted",
                _ => null,
            };
            if (relation is null) continue;
            touched.Add(entry.Meta.EventId);
            steps.Add(new Step(entry.Meta.EventId, entry.Meta.Version, relation, catalog.Of(entry.Event).Type, entry.Event.EffectiveAt,
                entry.Meta.RecordedAt, entry.Meta.RecordedBy, entry.Event.MeetingId, entry.Event));
        }
        return steps.OrderBy(s => s.EffectiveAt).ThenBy(s => s.Version).ToList();
    }
}
