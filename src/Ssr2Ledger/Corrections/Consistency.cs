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

    /// <summary>
    /// The earliest valid time an amendment can change: its target's, as recorded or as corrected so far, and the one a
    /// correction gives it. Entries effective before it fold the same with or without the amendment.
    /// </summary>
    public static DateTimeOffset EarliestChange(CorrectiveEntry amendment, LedgerEntry target, IEnumerable<LedgerEntry> recorded)
    {
        static DateTimeOffset? Moved(ReviewEvent e) =>
            e is EntryCorrected c && c.Corrected.ValueKind == JsonValueKind.Object
            && c.Corrected.TryGetProperty("effectiveAt", out var at) && at.TryGetDateTimeOffset(out var t) ? t : null;
        var earliest = target.Event.EffectiveAt;
        foreach (var e in recorded.Select(r => r.Event).Append(amendment))
            if (e is EntryCorrected c && c.CorrectsEventId == amendment.Target && Moved(c) is { } t && t < earliest) earliest = t;
        return earliest;
    }

    /// <summary>The whole review replayed: what an amendment is checked with when no cached state is at hand.</summary>
    public static ReplayWindow Whole(IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json) =>
        new(null, ReviewFold.InEffectiveOrder(recorded, json).ToList());

    /// <param name="window">The state before the earliest valid time the amendment can change, and the entries from then on
    /// as known now, in valid-time order.</param>
    public static IReadOnlyList<Refusal> Check(ReplayWindow window, CorrectiveEntry amendment, string reviewId, JsonSerializerOptions json)
    {
        var before = window.Entries;
        var after = before.Where(e => e.Meta.EventId != amendment.Target).ToList();
        if (amendment is EntryCorrected correction && before.FirstOrDefault(e => e.Meta.EventId == amendment.Target) is { } target)
        {
            after.Add(target with { Event = ReviewFold.Corrected(target.Event, correction.Corrected, json) });
            after = [.. after.OrderBy(e => e.Event.EffectiveAt).ThenBy(e => e.Meta.Version)];
        }

        var (what, first) = amendment is EntryRetracted ? ("retract", "retract them") : ("correct", "correct or retract them");
        return Judge(window, after, reviewId, amendment.Target,
            f => f with { Field = f.Field is null ? "corrected" : $"corrected.{f.Field}" },
            $"Other entries depend on the entry this would {what} and would no longer hold; {first} first.",
            amendment is EntryRetracted ? "retractsEventId" : "correctsEventId");
    }

    /// <summary>
    /// A new entry effective before entries already recorded (late) lands inside the review's history: it must hold where
    /// it lands in valid time, and so must every entry after it. Checked against the head alone, it could refer to
    /// something that comes into being only later (a version adopted before it was drafted).
    /// </summary>
    /// <param name="window">The state just before the entry's valid time, and the entries from then on, in valid-time order.</param>
    public static IReadOnlyList<Refusal> CheckLate(ReplayWindow window, ReviewEvent entry, string reviewId)
    {
        var late = new LedgerEntry(entry, new EntryMeta(Guid.Empty, long.MaxValue, 0, DateTimeOffset.MaxValue, "", ""));
        var after = window.Entries.Append(late).OrderBy(e => e.Event.EffectiveAt).ThenBy(e => e.Meta.Version).ToList();
        return Judge(window, after, reviewId, late.Meta.EventId, f => f,
            $"Entries effective after {entry.EffectiveAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z would no longer hold with this one before "
            + "them; correct or retract them first, or give this entry the time it really took effect.", "effectiveAt");
    }

    /// <summary>
    /// The rules asked of the review as it would be (<paramref name="after"/>) against the review as it is: the subject's own
    /// failures are its fields' errors; any other entry that held before and no longer holds is in the way, named. What did not
    /// hold before is not held against the subject.
    /// </summary>
    private static IReadOnlyList<Refusal> Judge(ReplayWindow window, IReadOnlyList<LedgerEntry> after, string reviewId, Guid subject,
        Func<Refusal, Refusal> asOwn, string inTheWayDetail, string inTheWayField)
    {
        var context = RecordingContext.For(reviewId);
        var failing = Failures(after, window.Start, context);
        if (failing.Count == 0) return []; // the usual case: one replay of what the amendment can change
        var held = Failures(window.Entries, window.Start, context).ToDictionary(f => f.Entry.Meta.EventId, f => f.Failures);
        var refusals = new List<Refusal>();
        var inTheWay = new List<string>();
        foreach (var (entry, failures) in failing)
        {
            var known = held.GetValueOrDefault(entry.Meta.EventId) ?? [];
            var fresh = failures.Where(f => !known.Contains(f)).ToList();
            if (fresh.Count == 0) continue;
            if (entry.Meta.EventId == subject) refusals.AddRange(fresh.Select(asOwn));
            else
                inTheWay.Add($"{EventCatalog.KindOf(entry.Event).Type} {entry.Meta.EventId} (version {entry.Meta.Version}, "
                             + $"effective {entry.Event.EffectiveAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z): {fresh[0].Detail}");
        }
        if (inTheWay.Count > 0)
        {
            var more = inTheWay.Count > MaxNamed ? $" … and {inTheWay.Count - MaxNamed} more." : "";
            refusals.Add(Refusal.Conflict(
                inTheWayDetail + " " + string.Join(" ", inTheWay.Take(MaxNamed).Select(e => e.EndsWith('.') ? e : e + ".")) + more,
                inTheWayField));
        }
        return refusals;
    }

    /// <summary>Each entry that fails its rules against the state the entries before it (in valid time) make.</summary>
    private static List<(LedgerEntry Entry, HashSet<Refusal> Failures)> Failures(IReadOnlyList<LedgerEntry> ordered,
        ReviewState? state, RecordingContext context)
    {
        var failures = new List<(LedgerEntry, HashSet<Refusal>)>();
        var charter = ordered.Select(e => e.Event).OfType<ReviewChartered>().FirstOrDefault();
        for (var i = 0; i < ordered.Count; i++)
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

/// <summary>What an amendment is replayed with: the state before what it can change, and the entries it can change.</summary>
public sealed record ReplayWindow(ReviewState? Start, IReadOnlyList<LedgerEntry> Entries);
