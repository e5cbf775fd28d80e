using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.TermsOfReference;

public static class TermsOfReferenceRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<TermsOfReferenceDrafted>("terms-of-reference", "Record a drafted version of the terms of reference", Draft),
        EventKind.For<TermsOfReferenceAmended>("terms-of-reference-amendments", "Amend the terms of reference into a new version", Amend),
        EventKind.For<TermsOfReferenceAdopted>("terms-of-reference-adoptions", "Adopt a version of the terms of reference", Adopt),
        EventKind.For<WorkPlanAdopted>("work-plans", "Adopt a version of the work plan", AdoptWorkPlan),
    ];

    public static IEnumerable<Refusal> Draft(ReviewState state, TermsOfReferenceDrafted e)
    {
        foreach (var r in Checks.Unique(state.TermsOfReference, e.Version, "version", "Terms of reference version")) yield return r;
        if (e.DocumentSha256 is { } sha && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
            yield return Refusal.Invalid("documentSha256", "must be 64 hexadecimal digits.");
        if (e.DocumentUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            yield return Refusal.Invalid("documentUrl", "must be an absolute URL.");
    }

    public static IEnumerable<Refusal> Amend(ReviewState state, TermsOfReferenceAmended e) =>
        Checks.Unique(state.TermsOfReference, e.Version, "version", "Terms of reference version")
            .Concat(Checks.Known(state.TermsOfReference, e.BasedOn, "basedOn", "Terms of reference version"))
            .Concat(Checks.NotEmpty(e.Changes, "changes"));

    public static IEnumerable<Refusal> Adopt(ReviewState state, TermsOfReferenceAdopted e)
    {
        if (!state.TermsOfReference.TryGetValue(e.Version, out var version))
            yield return Refusal.Unknown("version", "Terms of reference version", e.Version);
        else if (version.AdoptedAt is not null)
            yield return Refusal.Conflict($"Terms of reference version '{e.Version}' is already adopted.", "version");
    }

    public static IEnumerable<Refusal> AdoptWorkPlan(ReviewState state, WorkPlanAdopted e) =>
        Checks.Unique(state.WorkPlans, e.Version, "version", "Work plan version")
            .Concat(Checks.NotEmpty(e.Items, "items"))
            .Concat(Checks.Distinct(e.Items.Select(i => i.ItemId), "items"));
}
