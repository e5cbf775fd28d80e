using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Aggregation;
using System.Text.Json;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Keeps each review's current <see cref="ReviewState"/> document, inline with every append.
/// Entries in valid-time order fold in place; a late entry (effective before what is already folded),
/// a correction or a retraction makes it replay the stream through <see cref="ReviewFold"/>, so the
/// document always equals a fresh bitemporal fold of the ledger.
/// </summary>
public sealed partial class ReviewStateProjection : SingleStreamProjection<ReviewState, string>
{
    private readonly JsonSerializerOptions _json;

    public ReviewStateProjection(JsonSerializerOptions json) => _json = json;

    public override async ValueTask<(ReviewState?, ActionType)> DetermineActionAsync(IQuerySession session,
        ReviewState? snapshot, string id, IIdentitySetter<ReviewState, string> identitySetter, IReadOnlyList<IEvent> events,
        CancellationToken cancellation)
    {
        var fresh = events.Where(e => e.Data is ReviewEvent).Select(Entries.From).ToList();
        if (fresh.Count == 0) return (snapshot, ActionType.Nothing);

        var state = snapshot;
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
        return state is null ? (null, ActionType.Nothing) : (state, ActionType.Store);
    }
}
