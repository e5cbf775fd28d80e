using static Ssr2Ledger.Ledger.KebabCase;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.TermsOfReference;

public static class TermsOfReferenceRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<TermsOfReferenceDrafted>("terms-of-reference", "Record a drafted version of the terms of reference", Draft,
            (s, e) => s.On(e),
            TimelineWording.LineOf<TermsOfReferenceDrafted>((t, _, _) =>
                new("terms-of-reference", $"Terms of reference {t.Version} drafted: {t.Title}", t.Summary))),
        EventKind.For<TermsOfReferenceAmended>("terms-of-reference-amendments", "Amend the terms of reference into a new version", Amend,
            (s, e) => s.On(e),
            TimelineWording.LineOf<TermsOfReferenceAmended>((t, _, _) => new("terms-of-reference",
                $"Terms of reference amended: {t.Version} (from {t.BasedOn})", t.Rationale, string.Join("; ", t.Changes)))),
        EventKind.For<TermsOfReferenceAdopted>("terms-of-reference-adoptions", "Adopt a version of the terms of reference", Adopt,
            (s, e) => s.On(e),
            TimelineWording.LineOf<TermsOfReferenceAdopted>((t, _, _) =>
                new("terms-of-reference", $"Terms of reference {t.Version} adopted", Method: Word(t.Method)))),
        EventKind.For<WorkPlanAdopted>("work-plans", "Adopt a version of the work plan", AdoptWorkPlan, (s, e) => s.On(e),
            TimelineWording.LineOf<WorkPlanAdopted>((w, _, _) =>
                new("terms-of-reference", $"Work plan {w.Version} adopted ({Say.Count(w.Items.Count, "item", "items")})"))),
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
