using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Recommendations;

public sealed record RecommendationDrafted(string RecommendationId, string Title, string Text,
    IReadOnlyList<string> AreaIds, string? SubteamId = null) : ReviewEvent;

public sealed record RecommendationRevised(string RecommendationId, string Text, string Rationale) : ReviewEvent;

/// <summary><c>Consensus</c> is the team's wording of the level reached ("full consensus", …).</summary>
public sealed record RecommendationAdopted(string RecommendationId, string Consensus) : ReviewEvent;

public sealed record RecommendationWithdrawn(string RecommendationId, string Reason) : ReviewEvent;
