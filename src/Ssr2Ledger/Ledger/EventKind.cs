using Marten;
using Ssr2Ledger.Corrections;

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

    /// <summary>Loads the entries that corrections and retractions point at, so the decider stays pure.</summary>
    /// <param name="alsoRetracted">Retractions not yet committed (earlier lines of an import).</param>
    public static async Task<RecordingContext> LoadAsync(IQuerySession session, string reviewId, IReadOnlyList<ReviewEvent> events,
        IReadOnlySet<Guid>? alsoRetracted, CancellationToken cancellation)
    {
        var targets = events
            .Select(e => e switch { EntryCorrected c => c.CorrectsEventId, EntryRetracted r => r.RetractsEventId, _ => Guid.Empty })
            .Where(id => id != Guid.Empty).Distinct().ToList();
        if (targets.Count == 0) return For(reviewId);

        var referenced = new Dictionary<Guid, LedgerEntry>();
        foreach (var id in targets)
            if (await session.Events.LoadAsync(id, cancellation) is { } e && e.StreamKey == reviewId && e.Data is ReviewEvent)
                referenced[id] = Entries.From(e);

        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var retracted = await session.QueryAsync<string>(
            $"select data ->> 'retractsEventId' from {schema}.mt_events where stream_id = ? and type = '{nameof(EntryRetracted)}'",
            cancellation, reviewId);
        return new RecordingContext(reviewId, referenced,
            retracted.Select(Guid.Parse).Concat(alsoRetracted ?? new HashSet<Guid>()).Where(targets.Contains).ToHashSet());
    }
}
