using static Ssr2Ledger.Ledger.KebabCase;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Board;

public static class BoardRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<BoardResolutionRecorded>("board-resolutions", "Record a Board resolution about the review", Resolve,
            (s, e) => s.On(e),
            TimelineWording.LineOf<BoardResolutionRecorded>((r, _, _) =>
                new("board", $"Board resolution {r.ResolutionId}: {r.Title}", r.Summary, r.Directive))),
        EventKind.For<DeliveredToBoard>("board-deliveries", "Record a deliverable sent to the Board", Deliver, (s, e) => s.On(e),
            TimelineWording.LineOf<DeliveredToBoard>((d, _, _) => new("board",
                    $"Delivered to the Board: {Word(d.Deliverable).Replace('-', ' ')}{(d.Version is null ? "" : $" {d.Version}")}",
                    null, d.InResponseTo is null ? null : $"In response to Board resolution {d.InResponseTo}"),
                d => d.Deliverable == Deliverable.FinalReport ? $"After the final report ({Say.Date(d.EffectiveAt)})" : null)),
        // The Board's actions under one resolution make one line.
        EventKind.For<BoardActedOnRecommendation>("board-actions", "Record the Board's action on a recommendation", Act,
            (s, e) => s.On(e),
            TimelineWording.BulkOf<BoardActedOnRecommendation>(a => $"{a.MeetingId}/{a.ResolutionId}", items => new("board",
                $"Board resolution {items[0].ResolutionId}: "
                + string.Join(", ", items.GroupBy(i => i.Action).Select(g => $"{g.Count()} {Word(g.Key)}"))))),
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
