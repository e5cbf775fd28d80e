using System.Text.Json;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Temporal;

/// <summary>Answers "as of" questions over a review's timeline with the one fold.</summary>
public static class HistoricalState
{
    /// <summary>The state for the question, or a refusal (an unknown meeting, a review with no entries).</summary>
    public static (StateAsOf?, Refusal?) Answer(ReviewCache timeline, AsOf question, JsonSerializerOptions json)
    {
        if (timeline.Version == 0) return (null, Refusal.NotChartered(timeline.ReviewId));

        // What the ledger knew: the entries of the first N versions recorded by knownAt; counted, not copied, since the
        // state it knew is remembered after the first question.
        var (knownCount, knownVersion) = (0, timeline.Version);
        if (question.LooksBack && timeline.KnownPrefix(question.KnownAt, question.Version) is { } prefix)
            (knownCount, knownVersion) = (prefix, prefix > 0 ? timeline.Recorded[prefix - 1].Meta.Version : 0);
        else if (question.LooksBack)
        {
            knownVersion = 0;
            foreach (var e in timeline.Recorded)
                if (question.Knows(e)) (knownCount, knownVersion) = (knownCount + 1, e.Meta.Version);
        }
        ReviewState? KnownAt(DateTimeOffset asOf) => timeline.StateKnownAt(knownCount, knownVersion, asOf,
            () => ReviewFold.Replay(timeline.Recorded.Where(question.Knows), json, asOf));

        var (instant, meeting, refusal) = Resolve(question.Instant, "asOf", () => !question.LooksBack
            ? timeline.StateAsOf(DateTimeOffset.MaxValue)
            : KnownAt(DateTimeOffset.MaxValue));
        if (refusal is not null) return (null, refusal);

        var state = question.LooksBack ? KnownAt(instant ?? DateTimeOffset.MaxValue)
            : instant is { } t ? timeline.StateAsOf(t) : timeline.Current;
        return (new StateAsOf(state, instant, meeting, question.KnownAt, knownVersion), null);
    }

    /// <summary>A timestamp or meetingId given as <paramref name="field"/>, resolved with what the ledger knows now.</summary>
    public static (DateTimeOffset?, string?, Refusal?) Resolve(ReviewCache timeline, string? instant, string field) =>
        Resolve(instant, field, () => timeline.StateAsOf(DateTimeOffset.MaxValue));

    /// <summary>A timestamp as given, or a meeting's end as the ledger knew it.</summary>
    private static (DateTimeOffset?, string?, Refusal?) Resolve(string? instant, string field, Func<ReviewState?> everything)
    {
        if (instant is null) return (null, null, null);
        if (AsOf.TryParseInstant(instant, out var t)) return (t, null, null);
        if (everything()?.Meetings.GetValueOrDefault(instant) is { } meeting) return (meeting.EndsAt, instant, null);
        return (null, null, new Refusal(404, "No such meeting",
            $"{field} '{instant}' is neither an ISO 8601 timestamp nor a meeting of this review (as the ledger knew it then).", field));
    }
}
