using System.Text.Json;
using Ssr2Ledger.Corrections;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Replays entries the bitemporal way: corrections replace the fields of what they correct, retractions
/// remove it, and what remains is folded in valid-time order (ties in recorded order).
/// </summary>
public static class ReviewFold
{
    /// <param name="asOf">Valid time: only entries effective at or before it (after corrections) are folded.</param>
    public static ReviewState? Replay(IEnumerable<LedgerEntry> recorded, JsonSerializerOptions json, DateTimeOffset? asOf = null)
    {
        var entries = recorded.OrderBy(e => e.Meta.Version).ToList();
        if (entries.Count == 0) return null;

        ReviewState? state = null;
        foreach (var entry in InEffectiveOrder(entries, json).TakeWhile(e => asOf is null || e.Event.EffectiveAt <= asOf))
            state = ReviewState.Fold(state, entry.Event, entry.Meta);
        return state is null ? null : AtHead(state, entries[^1]);
    }

    /// <summary>
    /// Whether an entry extends a fold that has reached <paramref name="lastEffectiveAt"/> where it stands: the one place
    /// that says what "late" is. An erratum can move its target anywhere in valid time; an entry effective before what
    /// is already folded changes what follows it. Anything else needs the replay.
    /// </summary>
    public static bool InOrder(ReviewEvent entry, DateTimeOffset lastEffectiveAt) =>
        entry is not CorrectiveEntry && entry.EffectiveAt >= lastEffectiveAt;

    /// <summary>The entries as known now, in the order the fold takes them: valid time, ties in recorded order.</summary>
    /// <param name="keepRetracted">Keep retracted entries (the timeline shows them struck through, beside their retraction).</param>
    public static IEnumerable<LedgerEntry> InEffectiveOrder(IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json,
        bool keepRetracted = false) =>
        ApplyCorrections(recorded, json, keepRetracted).OrderBy(e => e.Event.EffectiveAt).ThenBy(e => e.Meta.Version);

    /// <summary>Position and head hash are those of the last entry recorded, whatever its valid time.</summary>
    public static ReviewState AtHead(ReviewState state, LedgerEntry last) =>
        state with { Version = last.Meta.Version, HeadHash = last.Meta.Hash, LastRecordedAt = last.Meta.RecordedAt };

    /// <summary>The entries as the ledger knows them now: corrected where corrected, without the retracted.</summary>
    public static IEnumerable<LedgerEntry> ApplyCorrections(IReadOnlyList<LedgerEntry> entries, JsonSerializerOptions json,
        bool keepRetracted = false)
    {
        var retracted = new HashSet<Guid>();
        var corrections = new Dictionary<Guid, List<EntryCorrected>>();
        foreach (var entry in entries)
        {
            switch (entry.Event)
            {
                case EntryRetracted r: retracted.Add(r.RetractsEventId); break;
                case EntryCorrected c:
                    if (!corrections.TryGetValue(c.CorrectsEventId, out var list)) corrections[c.CorrectsEventId] = list = [];
                    list.Add(c);
                    break;
            }
        }

        foreach (var entry in entries)
        {
            if (entry.Event is CorrectiveEntry || (!keepRetracted && retracted.Contains(entry.Meta.EventId))) continue;
            yield return corrections.TryGetValue(entry.Meta.EventId, out var fixes)
                ? entry with { Event = fixes.Aggregate(entry.Event, (e, fix) => Corrected(e, fix.Corrected, json)) }
                : entry;
        }
    }

    /// <summary>The event with the corrected fields laid over its recorded ones.</summary>
    public static ReviewEvent Corrected(ReviewEvent original, JsonElement corrected, JsonSerializerOptions json) =>
        (ReviewEvent)Overlay.Apply(original, corrected, json).Deserialize(original.GetType(), json)!;
}
