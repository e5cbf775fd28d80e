using Ssr2Ledger.Database;
using System.Collections.Concurrent;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Temporal;

/// <summary>
/// The timelines of the reviews asked about, brought up to date from the event store before each use
/// (only entries after the version already held are read: the ledger is append-only).
/// </summary>
public sealed class ReviewTimelines(LedgerReader ledger, EventCatalog catalog)
{
    private readonly ConcurrentDictionary<string, (SemaphoreSlim Gate, ReviewTimeline Timeline)> _timelines = new();

    /// <param name="connection">A writer's connection, holding the review's lock.</param>
    /// <param name="streamVersion">The review's version, when that writer read it under the lock.</param>
    public async Task<T> WithTimelineAsync<T>(string reviewId, Func<ReviewTimeline, T> question, CancellationToken cancellation,
        Npgsql.NpgsqlConnection? connection = null, long? streamVersion = null)
    {
        var (gate, timeline) = _timelines.GetOrAdd(reviewId, id => (new SemaphoreSlim(1, 1), new ReviewTimeline(id)));
        await gate.WaitAsync(cancellation);
        try
        {
            timeline.Append(await ledger.ReadAsync(reviewId, timeline.Version + 1, cancellation, connection, streamVersion), catalog.Json);
            return question(timeline);
        }
        finally
        {
            gate.Release();
        }
    }
}
