namespace Ssr2Ledger.Ledger;

/// <summary>
/// One kind of entry, registered once with everything about it: its SPEC type name, its typed route under
/// <c>/api/reviews/{reviewId}/</c>, its rules (the decider: state and proposal in, refusals out), its part of the one
/// fold, how it reads in the decision timeline, and how it touches an area of interest (for the area's history).
/// </summary>
/// <param name="Fold">The state the entry makes; a kind that changes no state says so by returning it unchanged.</param>
/// <param name="AreaRelation">What the entry is to an area (e.g. "decided"), or null when it does not touch it.</param>
public sealed record EventKind(string Type, Type ClrType, string Route, string Summary,
    Func<ReviewState?, ReviewEvent, RecordingContext, IEnumerable<Refusal>> Check,
    Func<ReviewState?, ReviewEvent, ReviewState?> Fold,
    TimelineWording Timeline,
    Func<ReviewEvent, string, string?>? AreaRelation = null)
{
    /// <summary>An entry that needs a chartered review.</summary>
    public static EventKind For<T>(string route, string summary, Func<ReviewState, T, IEnumerable<Refusal>> check,
        Func<ReviewState, T, ReviewState> fold, TimelineWording timeline, Func<T, string, string?>? area = null)
        where T : ReviewEvent =>
        new(typeof(T).Name, typeof(T), route, summary,
            (state, e, context) => state is null ? [Refusal.NotChartered(context.ReviewId)]
                : e.EffectiveAt < state.CharteredAt ? [Refusal.BeforeCharter(state.CharteredAt), .. check(state, (T)e)]
                : check(state, (T)e),
            (state, e) => state is null ? null : fold(state, (T)e),
            timeline,
            area is null ? null : (e, areaId) => area((T)e, areaId));
}

/// <summary>What a decider may know beyond the state: the review and entries the proposal points at.</summary>
/// <param name="Replay">For a correction or retraction: the part of the review it can change, which it is replayed with.</param>
public sealed record RecordingContext(string ReviewId, IReadOnlyDictionary<Guid, LedgerEntry> ReferencedEntries,
    IReadOnlySet<Guid> RetractedEntries, Corrections.ReplayWindow? Replay = null)
{
    public static RecordingContext For(string reviewId) =>
        new(reviewId, new Dictionary<Guid, LedgerEntry>(), new HashSet<Guid>());
}

/// <summary>A timeline line's words.</summary>
public sealed record Wording(string Kind, string Title, string? Rationale = null, string? Basis = null, string? Method = null);

/// <summary>How a kind of entry reads in the decision timeline: every kind says, even when it is no line of its own.</summary>
public abstract record TimelineWording
{
    /// <summary>A line of its own, from the entry and the state before and after it; <c>Phase</c> names a phase it opens.</summary>
    public sealed record Line(Func<ReviewEvent, ReviewState?, ReviewState, Wording?> Describe, Func<ReviewEvent, string?>? Phase)
        : TimelineWording;

    /// <summary>Entries of a day with the same key make one line (areas identified at a meeting, actions under a resolution).</summary>
    public sealed record Bulk(Func<ReviewEvent, string> Key, Func<IReadOnlyList<ReviewEvent>, Wording> Describe) : TimelineWording;

    /// <summary>Shown as an erratum beside the entry it corrects or retracts.</summary>
    public sealed record Errata : TimelineWording;

    /// <summary>Not a decision: no line, and why.</summary>
    public sealed record Omitted(string Why) : TimelineWording;

    public static TimelineWording LineOf<T>(Func<T, ReviewState?, ReviewState, Wording?> describe, Func<T, string?>? phase = null)
        where T : ReviewEvent =>
        new Line((e, before, after) => describe((T)e, before, after), phase is null ? null : e => phase((T)e));

    public static TimelineWording BulkOf<T>(Func<T, string> key, Func<IReadOnlyList<T>, Wording> describe) where T : ReviewEvent =>
        new Bulk(e => key((T)e), items => describe(items.Cast<T>().ToList()));
}

/// <summary>Small words shared by the slices' timeline wording.</summary>
public static class Say
{
    public static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    public static string? Resolution(string? id) => id is null ? null : $"Board resolution {id}";

    public static string Date(DateTimeOffset at) => at.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
