using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Aggregation;
using System.Text.Json;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// What the list of reviews shows, kept inline with every append: a few fields of the one fold, so a
/// write rewrites a constant, small document however long the review grows. The whole state is folded
/// in memory (<see cref="Temporal.ReviewTimeline"/>), from the ledger itself.
/// </summary>
public sealed record ReviewSummary(string Id, string Name, string Mandate, ReviewStatus Status, DateTimeOffset CharteredAt,
    long Version, string HeadHash, DateTimeOffset LastEffectiveAt, DateTimeOffset LastRecordedAt)
{
    public static ReviewSummary Of(ReviewState s) =>
        new(s.Id, s.Name, s.Mandate, s.Status, s.CharteredAt, s.Version, s.HeadHash, s.LastEffectiveAt, s.LastRecordedAt);

    /// <summary>The review-level part of the state, enough to fold further entries in valid-time order.</summary>
    public ReviewState AsState() => new()
    {
        Id = Id, Name = Name, Mandate = Mandate, Status = Status, CharteredAt = CharteredAt, Version = Version,
        HeadHash = HeadHash, LastEffectiveAt = LastEffectiveAt, LastRecordedAt = LastRecordedAt,
    };
}

/// <summary>
/// Entries in valid-time order fold onto the summary in place; a late entry, a correction or a retraction
/// replays the stream through <see cref="ReviewFold"/>, so the summary always equals a fresh fold's.
/// </summary>
public sealed partial class ReviewSummaryProjection : SingleStreamProjection<ReviewSummary, string>
{
    private readonly JsonSerializerOptions _json;

    public ReviewSummaryProjection(JsonSerializerOptions json) => _json = json;

    public override async ValueTask<(ReviewSummary?, ActionType)> DetermineActionAsync(IQuerySession session,
        ReviewSummary? snapshot, string id, IIdentitySetter<ReviewSummary, string> identitySetter, IReadOnlyList<IEvent> events,
        CancellationToken cancellation)
    {
        var fresh = events.Where(e => e.Data is ReviewEvent).Select(Entries.From).ToList();
        if (fresh.Count == 0) return (snapshot, ActionType.Nothing);

        var state = snapshot?.AsState();
        var inPlace = snapshot is not null || fresh[0].Meta.Version == 1;
        foreach (var entry in fresh)
        {
            if (state is not null && !state.CanFoldInPlace(entry.Event)) { inPlace = false; break; }
            state = ReviewState.Fold(state, entry.Event, entry.Meta);
        }

        if (!inPlace)
        {
            var before = fresh[0].Meta.Version - 1;
            var earlier = before > 0 ? await session.Events.FetchStreamAsync(id, before, token: cancellation) : [];
            state = ReviewFold.Replay(earlier.Where(e => e.Data is ReviewEvent).Select(Entries.From).Concat(fresh), _json);
        }
        return state is null ? (null, ActionType.Nothing) : (ReviewSummary.Of(state), ActionType.Store);
    }
}
