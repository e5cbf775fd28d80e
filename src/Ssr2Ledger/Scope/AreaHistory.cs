using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;

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
            // Each kind says how it touches an area; errata belong to the lineage of what they amend.
            var relation = entry.Event switch
            {
                EntryCorrected e when touched.Contains(e.Target) => "corrected",
                EntryRetracted e when touched.Contains(e.Target) => "retracted",
                CorrectiveEntry => null,
                var e => catalog.Of(e).AreaRelation?.Invoke(e, areaId),
            };
            if (relation is null) continue;
            touched.Add(entry.Meta.EventId);
            steps.Add(new Step(entry.Meta.EventId, entry.Meta.Version, relation, catalog.Of(entry.Event).Type, entry.Event.EffectiveAt,
                entry.Meta.RecordedAt, entry.Meta.RecordedBy, entry.Event.MeetingId, entry.Event));
        }
        return steps.OrderBy(s => s.EffectiveAt).ThenBy(s => s.Version).ToList();
    }
}
