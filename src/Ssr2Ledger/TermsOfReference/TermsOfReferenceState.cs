using System.Collections.Immutable;
using Ssr2Ledger.TermsOfReference;

namespace Ssr2Ledger.Ledger;

public sealed record TermsOfReferenceVersion(string Version, string Title, string Summary, DateTimeOffset DraftedAt)
{
    public string? BasedOn { get; init; }
    public IReadOnlyList<string> Changes { get; init; } = [];
    public string? Rationale { get; init; }
    public string? DocumentSha256 { get; init; }
    public string? DocumentUrl { get; init; }
    public DateTimeOffset? AdoptedAt { get; init; }
    public DecisionMethod? AdoptionMethod { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
}

public sealed record WorkPlan(string Version, IReadOnlyList<WorkPlanItem> Items, DateTimeOffset AdoptedAt);

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, TermsOfReferenceVersion> TermsOfReference { get; init; } =
        ImmutableDictionary<string, TermsOfReferenceVersion>.Empty;
    public string? LatestTermsOfReference { get; init; }
    public string? AdoptedTermsOfReference { get; init; }
    public string? DeliveredTermsOfReference { get; init; }
    public ImmutableDictionary<string, WorkPlan> WorkPlans { get; init; } = ImmutableDictionary<string, WorkPlan>.Empty;
    public string? AdoptedWorkPlan { get; init; }

    internal ReviewState On(TermsOfReferenceDrafted e) => this with
    {
        TermsOfReference = TermsOfReference.SetItem(e.Version, new TermsOfReferenceVersion(e.Version, e.Title, e.Summary, e.EffectiveAt)
        {
            DocumentSha256 = e.DocumentSha256, DocumentUrl = e.DocumentUrl,
        }),
        LatestTermsOfReference = e.Version,
    };

    internal ReviewState On(TermsOfReferenceAmended e)
    {
        var basis = TermsOfReference.GetValueOrDefault(e.BasedOn);
        var amended = new TermsOfReferenceVersion(e.Version, basis?.Title ?? "", basis?.Summary ?? "", e.EffectiveAt)
        {
            BasedOn = e.BasedOn, Changes = e.Changes, Rationale = e.Rationale,
        };
        return this with { TermsOfReference = TermsOfReference.SetItem(e.Version, amended), LatestTermsOfReference = e.Version };
    }

    internal ReviewState On(TermsOfReferenceAdopted e) =>
        UpdateTermsOfReference(e.Version, v => v with { AdoptedAt = e.EffectiveAt, AdoptionMethod = e.Method }) with
        {
            AdoptedTermsOfReference = e.Version,
        };

    internal ReviewState On(WorkPlanAdopted e) => this with
    {
        WorkPlans = WorkPlans.SetItem(e.Version, new WorkPlan(e.Version, e.Items, e.EffectiveAt)),
        AdoptedWorkPlan = e.Version,
    };

    private ReviewState UpdateTermsOfReference(string version, Func<TermsOfReferenceVersion, TermsOfReferenceVersion> change) =>
        TermsOfReference.TryGetValue(version, out var v) ? this with { TermsOfReference = TermsOfReference.SetItem(version, change(v)) } : this;
}
