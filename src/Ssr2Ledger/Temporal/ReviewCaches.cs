using Ssr2Ledger.Database;
using System.Collections.Concurrent;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Temporal;

/// <summary>
/// The in-memory caches of the reviews asked about (each review's entries and its states), brought up to date from the
/// event store before each use (only entries after the version already held are read: the ledger is append-only).
/// </summary>
public sealed class ReviewCaches(LedgerReader ledger, EventCatalog catalog)
{
    private readonly ConcurrentDictionary<string, (SemaphoreSlim Gate, ReviewCache Cache)> _caches = new();

    /// <param name="connection">A writer's connection, holding the review's lock.</param>
    /// <param name="streamVersion">The review's version, when that writer read it under the lock.</param>
    public async Task<T> WithReviewAsync<T>(string reviewId, Func<ReviewCache, T> question, CancellationToken cancellation,
        Npgsql.NpgsqlConnection? connection = null, long? streamVersion = null)
    {
        var (gate, cache) = _caches.GetOrAdd(reviewId, id => (new SemaphoreSlim(1, 1), new ReviewCache(id)));
        await gate.WaitAsync(cancellation);
        try
        {
            cache.Append(await ledger.ReadAsync(reviewId, cache.Version + 1, cancellation, connection, streamVersion), catalog.Json);
            return question(cache);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops what is held of a review (a writer found its rows changed under it): the next use reads it whole.</summary>
    public void Forget(string reviewId) => _caches.TryRemove(reviewId, out _);

    /// <summary>
    /// Entries a writer has just committed, handed over so that the next write or question need not read them back. Taken
    /// only by a cache that holds everything before them; any other catches up from the store as usual.
    /// </summary>
    public async Task CommittedAsync(string reviewId, IReadOnlyList<LedgerEntry> entries)
    {
        if (entries.Count == 0 || !_caches.TryGetValue(reviewId, out var held)) return;
        await held.Gate.WaitAsync();
        try
        {
            if (held.Cache.Version == entries[0].Meta.Version - 1) held.Cache.Append(entries, catalog.Json);
        }
        finally
        {
            held.Gate.Release();
        }
    }
}
