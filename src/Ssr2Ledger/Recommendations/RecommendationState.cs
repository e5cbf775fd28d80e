using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Ssr2Ledger.Board;
using Ssr2Ledger.Recommendations;

namespace Ssr2Ledger.Ledger;

[JsonConverter(typeof(KebabCaseEnumConverter<RecommendationStatus>))]
public enum RecommendationStatus { Drafted, Adopted, Withdrawn }

public sealed record Recommendation(string RecommendationId, string Title, string Text, IReadOnlyList<string> AreaIds,
    string? SubteamId, DateTimeOffset DraftedAt)
{
    public RecommendationStatus Status { get; init; } = RecommendationStatus.Drafted;
    public int Revisions { get; init; }
    public string? Consensus { get; init; }
    public string? WithdrawalReason { get; init; }
    public BoardAction? BoardAction { get; init; }
    public string? BoardResolutionId { get; init; }
}

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, Recommendation> Recommendations { get; init; } =
        ImmutableDictionary<string, Recommendation>.Empty;

    internal ReviewState On(RecommendationDrafted e) => this with
    {
        Recommendations = Recommendations.SetItem(e.RecommendationId,
            new Recommendation(e.RecommendationId, e.Title, e.Text, e.AreaIds, e.SubteamId, e.EffectiveAt)),
    };

    internal ReviewState On(RecommendationRevised e) =>
        UpdateRecommendation(e.RecommendationId, r => r with { Text = e.Text, Revisions = r.Revisions + 1 });

    internal ReviewState On(RecommendationAdopted e) =>
        UpdateRecommendation(e.RecommendationId, r => r with { Status = RecommendationStatus.Adopted, Consensus = e.Consensus });

    internal ReviewState On(RecommendationWithdrawn e) =>
        UpdateRecommendation(e.RecommendationId, r => r with { Status = RecommendationStatus.Withdrawn, WithdrawalReason = e.Reason });

    private ReviewState UpdateRecommendation(string id, Func<Recommendation, Recommendation> change) =>
        Recommendations.TryGetValue(id, out var r) ? this with { Recommendations = Recommendations.SetItem(id, change(r)) } : this;
}
