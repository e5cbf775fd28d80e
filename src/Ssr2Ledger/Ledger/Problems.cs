namespace Ssr2Ledger.Ledger;

/// <summary>RFC 7807 answers for refusals: field errors as <c>errors</c>, the most telling status for the whole.</summary>
public static class Problems
{
    public static IResult From(IReadOnlyList<Refusal> refusals, string? fieldPrefix = null)
    {
        var errors = refusals.Where(r => r.Field is not null)
            .GroupBy(r => fieldPrefix + r.Field)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Detail).ToArray());
        // A missing review or a conflict says more than the field errors that may come with it.
        var lead = refusals.FirstOrDefault(r => r.Status == 404) ?? refusals.FirstOrDefault(r => r.Status != 400) ?? refusals[0];
        var detail = lead.Status == 400 && errors.Count > 0
            ? string.Join(" ", errors.Take(5).Select(e => $"{e.Key}: {e.Value[0]}"))
            : lead.Detail;
        return Results.Problem(statusCode: lead.Status, title: lead.Title, detail: detail,
            extensions: errors.Count > 0 ? new Dictionary<string, object?> { ["errors"] = errors } : null);
    }

    public static IResult Invalid(string field, string detail) => From([Refusal.Invalid(field, detail)]);
}
