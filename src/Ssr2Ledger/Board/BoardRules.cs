using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Board;

public static class BoardRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<BoardResolutionRecorded>("board-resolutions", "Record a Board resolution about the review", Resolve),
        EventKind.For<DeliveredToBoard>("board-deliveries", "Record a deliverable sent to the Board", Deliver),
        EventKind.For<BoardActedOnRecommendation>("board-actions", "Record the Board's action on a recommendation", Act),
    ];

    public static IEnumerable<Refusal> Resolve(ReviewState state, BoardResolutionRecorded e) =>
        Checks.Unique(state.BoardResolutions, e.ResolutionId, "resolutionId", "Board resolution");

    public static IEnumerable<Refusal> Deliver(ReviewState state, DeliveredToBoard e)
    {
        foreach (var r in Checks.Unique(state.BoardDeliveries, e.DeliveryId, "deliveryId", "Delivery")) yield return r;
        foreach (var r in Checks.Known(state.BoardResolutions, e.InResponseTo, "inResponseTo", "Board resolution")) yield return r;
        if (e.Deliverable == Deliverable.TermsOfReference)
            foreach (var r in Checks.Known(state.TermsOfReference, e.Version, "version", "Terms of reference version")) yield return r;
        if (e.Deliverable == Deliverable.WorkPlan)
            foreach (var r in Checks.Known(state.WorkPlans, e.Version, "version", "Work plan version")) yield return r;
    }

    public static IEnumerable<Refusal> Act(ReviewState state, BoardActedOnRecommendation e) =>
        Checks.Known(state.Recommendations, e.RecommendationId, "recommendationId", "Recommendation")
            .Concat(Checks.Known(state.BoardResolutions, e.ResolutionId, "resolutionId", "Board resolution"));
}
