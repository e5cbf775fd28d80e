using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.TermsOfReference;

public sealed record TermsOfReferenceDrafted(string Version, string Title, string Summary,
    string? DocumentSha256 = null, string? DocumentUrl = null) : ReviewEvent;

public sealed record TermsOfReferenceAmended(string Version, string BasedOn, IReadOnlyList<string> Changes,
    string Rationale) : ReviewEvent;

public sealed record TermsOfReferenceAdopted(string Version, DecisionMethod Method) : ReviewEvent;

public sealed record WorkPlanAdopted(string Version, IReadOnlyList<WorkPlanItem> Items) : ReviewEvent;

public sealed record WorkPlanItem(string ItemId, string Title, DateOnly Due);
