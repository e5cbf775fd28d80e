
namespace Ssr2Ledger.Ledger;

/// <summary>
/// One kind of entry the ledger accepts: its SPEC type name, its typed route under
/// <c>/api/reviews/{reviewId}/</c> and its business rules (the decider: state and proposal in, refusals out).
/// </summary>
public sealed record EventKind(string Type, Type ClrType, string Route, string Summary,
    Func<ReviewState?, ReviewEvent, RecordingContext, IEnumerable<Refusal>> Check)
{
    /// <summary>An entry that needs a chartered review.</summary>
    public static EventKind For<T>(string route, string summary, Func<ReviewState, T, IEnumerable<Refusal>> check)
        where T : ReviewEvent =>
        new(typeof(T).Name, typeof(T), route, summary,
            (state, e, context) => state is null ? [Refusal.NotChartered(context.ReviewId)] : check(state, (T)e));
}

/// <summary>What a decider may know beyond the state: the review and entries the proposal points at.</summary>
public sealed record RecordingContext(string ReviewId, IReadOnlyDictionary<Guid, LedgerEntry> ReferencedEntries,
    IReadOnlySet<Guid> RetractedEntries)
{
    public static RecordingContext For(string reviewId) =>
        new(reviewId, new Dictionary<Guid, LedgerEntry>(), new HashSet<Guid>());
}
