using System.Text.Json;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Corrections;

/// <summary>
/// A correction or retraction changes what the review's entries say, so the rules are asked again of what the review
/// becomes: replayed in valid-time order with the amendment, every entry must pass its kind's rules against the state
/// the entries before it make. The corrected entry's own failures are its fields' errors; any other entry that held
/// before the amendment and no longer holds is in the way, named. What did not hold before the amendment (an entry
/// recorded late, checked against the review as it stood then) is not held against it.
/// </summary>
public static class Consistency
{
    /// <summary>How many entries in the way a refusal names one by one.</summary>
    public const int MaxNamed = 10;

    public static IReadOnlyList<Refusal> Check(IReadOnlyList<LedgerEntry> recorded, CorrectiveEntry amendment, string reviewId,
        JsonSerializerOptions json)
    {
        var before = ReviewFold.InEffectiveOrder(recorded, json).ToList();
        var version = (recorded.Count > 0 ? recorded[^1].Meta.Version : 0) + 1;
        var proposed = new LedgerEntry(amendment, new EntryMeta(Guid.Empty, version, 0, DateTimeOffset.MaxValue, "", ""));
        var after = ReviewFold.InEffectiveOrder([.. recorded, proposed], json).ToList();

        // Only the target differs between the two replays: what precedes it in both folds alike, once.
        var common = 0;
        while (common < before.Count && common < after.Count && before[common].Meta.EventId == after[common].Meta.EventId
               && before[common].Meta.EventId != amendment.Target)
            common++;
        ReviewState? state = null;
        for (var i = 0; i < common; i++) state = ReviewState.Fold(state, before[i].Event, before[i].Meta);

        var context = RecordingContext.For(reviewId);
        var held = Failures(before, common, state, context).ToDictionary(f => f.Entry.Meta.EventId, f => f.Failures);
        var refusals = new List<Refusal>();
        var inTheWay = new List<string>();
        foreach (var (entry, failures) in Failures(after, common, state, context))
        {
            var known = held.GetValueOrDefault(entry.Meta.EventId) ?? [];
            var fresh = failures.Where(f => !known.Contains(f)).ToList();
            if (fresh.Count == 0) continue;
            if (entry.Meta.EventId == amendment.Target)
                refusals.AddRange(fresh.Select(f => f with { Field = f.Field is null ? "corrected" : $"corrected.{f.Field}" }));
            else
                inTheWay.Add($"{EventCatalog.KindOf(entry.Event).Type} {entry.Meta.EventId} (version {entry.Meta.Version}, "
                             + $"effective {entry.Event.EffectiveAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z): {fresh[0].Detail}");
        }
        if (inTheWay.Count > 0)
        {
            var more = inTheWay.Count > MaxNamed ? $" … and {inTheWay.Count - MaxNamed} more." : "";
            var (what, first) = amendment is EntryRetracted ? ("retract", "retract them") : ("correct", "correct or retract them");
            refusals.Add(Refusal.Conflict(
                $"Other entries depend on the entry this would {what} and would no longer hold; {first} first. "
                + string.Join(" ", inTheWay.Take(MaxNamed).Select(e => e.EndsWith('.') ? e : e + ".")) + more,
                amendment is EntryRetracted ? "retractsEventId" : "correctsEventId"));
        }
        return refusals;
    }

    /// <summary>Each entry that fails its rules against the state the entries before it (in valid time) make.</summary>
    private static List<(LedgerEntry Entry, HashSet<Refusal> Failures)> Failures(List<LedgerEntry> ordered, int from,
        ReviewState? state, RecordingContext context)
    {
        var failures = new List<(LedgerEntry, HashSet<Refusal>)>();
        var charter = ordered.Select(e => e.Event).OfType<ReviewChartered>().FirstOrDefault();
        for (var i = from; i < ordered.Count; i++)
        {
            var entry = ordered[i];
            // Before the charter in valid time, the rule to name is the charter's date, not that the review is unknown.
            var refusals = state is null && charter is not null && entry.Event is not ReviewChartered
                ? [Refusal.BeforeCharter(charter.EffectiveAt)]
                : EventCatalog.Rules(state, entry.Event, context);
            if (refusals.Count > 0) failures.Add((entry, [.. refusals]));
            state = ReviewState.Fold(state, entry.Event, entry.Meta);
        }
        return failures;
    }
}
