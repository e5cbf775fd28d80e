using static Ssr2Ledger.Ledger.KebabCase;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Recommendations;

public static class RecommendationRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        // Recommendations drafted or adopted on one day, at one meeting, make one line.
        EventKind.For<RecommendationDrafted>("recommendations", "Draft a recommendation", Draft, (s, e) => s.On(e),
            TimelineWording.BulkOf<RecommendationDrafted>(r => r.MeetingId ?? "", items => new("recommendation", items.Count == 1
                ? $"Recommendation drafted: {items[0].Title}"
                : Say.Count(items.Count, "recommendation", "recommendations") + " drafted")),
            (r, areaId) => r.AreaIds.Contains(areaId) ? "cited-by-recommendation" : null),
        EventKind.For<RecommendationRevised>("recommendation-revisions", "Revise a recommendation's text",
            (s, e) => Open(s, e.RecommendationId, "revised"), (s, e) => s.On(e),
            TimelineWording.LineOf<RecommendationRevised>((r, _, _) =>
                new("recommendation", $"Recommendation {r.RecommendationId} revised", r.Rationale))),
        EventKind.For<RecommendationAdopted>("recommendation-adoptions", "Adopt a recommendation", Adopt, (s, e) => s.On(e),
            TimelineWording.BulkOf<RecommendationAdopted>(r => r.MeetingId ?? "", items => new("recommendation",
                Say.Count(items.Count, "recommendation", "recommendations") + " adopted",
                "Consensus: " + string.Join("; ", items.Select(i => i.Consensus).Distinct())))),
        EventKind.For<RecommendationWithdrawn>("recommendation-withdrawals", "Withdraw a recommendation",
            (s, e) => Open(s, e.RecommendationId, "withdrawn"), (s, e) => s.On(e),
            TimelineWording.LineOf<RecommendationWithdrawn>((w, _, _) =>
                new("recommendation", $"Recommendation {w.RecommendationId} withdrawn", w.Reason))),
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
