using System.Text.Json;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Corrections;

/// <summary>
/// Nothing in the ledger is edited: a mistake is fixed by an entry that points at the one it corrects
/// or retracts. These are the only entries a review may receive before it is chartered.
/// </summary>
public static class CorrectionRules
{
    /// <summary>The ledger's JSON: what an entry with corrected fields is read as.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Errata may come before the charter (they correct entries, not the review), and fold nothing themselves: the
    // replay applies them to their targets first (ReviewFold), so their fold leaves the state as it is.
    public static IEnumerable<EventKind> Kinds =>
    [
        new(nameof(EntryCorrected), typeof(EntryCorrected), "corrections", "Correct fields of an earlier entry",
            (_, e, context) => Correct((EntryCorrected)e, context, Json), (state, _) => state, new TimelineWording.Errata()),
        new(nameof(EntryRetracted), typeof(EntryRetracted), "retractions", "Retract an earlier entry",
            (_, e, context) => Retract((EntryRetracted)e, context), (state, _) => state, new TimelineWording.Errata()),
    ];

    public static IEnumerable<Refusal> Correct(EntryCorrected e, RecordingContext context, JsonSerializerOptions json)
    {
        foreach (var r in Correctable(e.CorrectsEventId, "correctsEventId", context)) { yield return r; yield break; }
        if (e.Corrected.ValueKind != JsonValueKind.Object || !e.Corrected.EnumerateObject().Any())
        {
            yield return Refusal.Invalid("corrected", "must be an object with the fields as they should have been.");
            yield break;
        }

        // The corrected entry must still be a valid entry of its kind.
        var target = context.ReferencedEntries[e.CorrectsEventId].Event;
        var (_, errors) = EventPayload.Read(target.GetType(), Overlay.Apply(target, e.Corrected, json), json);
        foreach (var error in errors) yield return error with { Field = $"corrected.{error.Field}" };
        // Then what it becomes must hold where it stands in valid time, and so must everything after it.
        if (errors.Count == 0 && context.Replay is { } replay)
            foreach (var r in Consistency.Check(replay, e, context.ReviewId, json)) yield return r;
    }

    public static IEnumerable<Refusal> Retract(EntryRetracted e, RecordingContext context)
    {
        var refusals = Correctable(e.RetractsEventId, "retractsEventId", context).ToList();
        return refusals.Count > 0 || context.Replay is not { } replay ? refusals
            : Consistency.Check(replay, e, context.ReviewId, Json);
    }

    /// <summary>
    /// Errata are checked against the review as recorded, so one write either records new entries or corrects and
    /// retracts recorded ones, not both: an erratum after new entries of its own write would be checked without them.
    /// </summary>
    public static IEnumerable<Refusal> InOneWrite(ReviewEvent e, int recordedHere, int errataHere)
    {
        if (recordedHere > 0 && (e is CorrectiveEntry) != (errataHere == recordedHere))
            yield return Refusal.Invalid("type", "one write either records new entries or corrects and retracts recorded ones; "
                + "send corrections and retractions in a write (or import) of their own.");
    }

    private static IEnumerable<Refusal> Correctable(Guid eventId, string field, RecordingContext context)
    {
        if (!context.ReferencedEntries.TryGetValue(eventId, out var target))
            yield return Refusal.Unknown(field, "Entry", eventId.ToString());
        else if (target.Event is CorrectiveEntry)
            yield return Refusal.Invalid(field, "points at a correction or retraction; correct the original entry instead.");
        else if (context.RetractedEntries.Contains(eventId))
            yield return Refusal.Conflict($"Entry '{eventId}' is retracted.", field);
    }
}
