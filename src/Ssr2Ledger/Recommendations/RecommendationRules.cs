using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Recommendations;

public static class RecommendationRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<RecommendationDrafted>("recommendations", "Draft a recommendation", Draft),
        EventKind.For<RecommendationRevised>("recommendation-revisions", "Revise a recommendation's text", (s, e) => Open(s, e.RecommendationId, "revised")),
        EventKind.For<RecommendationAdopted>("recommendation-adoptions", "Adopt a recommendation", Adopt),
        EventKind.For<RecommendationWithdrawn>("recommendation-withdrawals", "Withdraw a recommendation", (s, e) => Open(s, e.RecommendationId, "withdrawn")),
    ];

    public static IEnumerable<Refusal> Draft(ReviewState state, RecommendationDrafted e) =>
        Checks.Unique(state.Recommendations, e.RecommendationId, "recommendationId", "Recommendation")
            .Concat(Checks.AllKnown(state.Areas, e.AreaIds, "areaIds", "Area of interest"))
            .Concat(Checks.Known(state.Subteams, e.SubteamId, "subteamId", "Subteam"));

    public static IEnumerable<Refusal> Adopt(ReviewState state, RecommendationAdopted e)
    {
        foreach (var r in Open(state, e.RecommendationId, "adopted")) yield return r;
        if (state.Recommendations.TryGetValue(e.RecommendationId, out var rec) && rec.Status == RecommendationStatus.Adopted)
            yield return Refusal.Conflict($"Recommendation '{e.RecommendationId}' is already adopted.", "recommendationId");
    }

    /// <summary>A withdrawn recommendation stays withdrawn.</summary>
    private static IEnumerable<Refusal> Open(ReviewState state, string id, string outcome)
    {
        if (!state.Recommendations.TryGetValue(id, out var rec)) yield return Refusal.Unknown("recommendationId", "Recommendation", id);
        else if (rec.Status == RecommendationStatus.Withdrawn)
            yield return Refusal.Conflict($"Recommendation '{id}' was withdrawn; it cannot be {outcome}.", "recommendationId");
    }
}
