using System.Collections.Concurrent;
using Marten;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Temporal;

/// <summary>
/// The timelines of the reviews asked about, brought up to date from the event store before each use
/// (only entries after the version already held are read: the ledger is append-only).
/// </summary>
public sealed class ReviewTimelines(IDocumentStore store, EventCatalog catalog)
{
    private readonly ConcurrentDictionary<string, (SemaphoreSlim Gate, ReviewTimeline Timeline)> _timelines = new();

    /// <param name="session">The caller's session, when it holds the review's lock (a writer); otherwise a new one.</param>
    public async Task<T> WithTimelineAsync<T>(string reviewId, Func<ReviewTimeline, T> question, CancellationToken cancellation,
        IQuerySession? session = null)
    {
        var (gate, timeline) = _timelines.GetOrAdd(reviewId, id => (new SemaphoreSlim(1, 1), new ReviewTimeline(id)));
        await gate.WaitAsync(cancellation);
        try
        {
            await using var own = session is null ? store.QuerySession() : null;
            var fresh = await (session ?? own!).Events.FetchStreamAsync(reviewId, fromVersion: timeline.Version + 1, token: cancellation);
            timeline.Append(fresh.Where(e => e.Data is ReviewEvent).Select(Entries.From).ToList(), catalog.Json);
            return question(timeline);
        }
        finally
        {
            gate.Release();
        }
    }
}
