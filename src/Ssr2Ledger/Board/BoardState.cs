using System.Collections.Immutable;
using Ssr2Ledger.Board;

namespace Ssr2Ledger.Ledger;

public sealed record BoardResolution(string ResolutionId, string Title, string Summary, string? Directive,
    DateTimeOffset PassedAt);

public sealed record BoardDelivery(string DeliveryId, Deliverable Deliverable, string? Version, string? InResponseTo,
    DateTimeOffset DeliveredAt);

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, BoardResolution> BoardResolutions { get; init; } =
        ImmutableDictionary<string, BoardResolution>.Empty;
    public ImmutableDictionary<string, BoardDelivery> BoardDeliveries { get; init; } =
        ImmutableDictionary<string, BoardDelivery>.Empty;

    internal ReviewState On(BoardResolutionRecorded e) => this with
    {
        BoardResolutions = BoardResolutions.SetItem(e.ResolutionId,
            new BoardResolution(e.ResolutionId, e.Title, e.Summary, e.Directive, e.EffectiveAt)),
    };

    internal ReviewState On(DeliveredToBoard e)
    {
        var next = this with
        {
            BoardDeliveries = BoardDeliveries.SetItem(e.DeliveryId,
                new BoardDelivery(e.DeliveryId, e.Deliverable, e.Version, e.InResponseTo, e.EffectiveAt)),
        };
        return e.Deliverable switch
        {
            Deliverable.TermsOfReference when e.Version is not null =>
                next.UpdateTermsOfReference(e.Version, v => v with { DeliveredAt = e.EffectiveAt }) with { DeliveredTermsOfReference = e.Version },
            Deliverable.FinalReport => next with { Status = ReviewStatus.Completed },
            _ => next,
        };
    }

    internal ReviewState On(BoardActedOnRecommendation e) =>
        UpdateRecommendation(e.RecommendationId, r => r with { BoardAction = e.Action, BoardResolutionId = e.ResolutionId });
}
