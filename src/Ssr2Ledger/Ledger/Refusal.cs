namespace Ssr2Ledger.Ledger;

/// <summary>Why an entry cannot be recorded. Field-level refusals become the problem's <c>errors</c>.</summary>
public sealed record Refusal(int Status, string Title, string Detail, string? Field = null)
{
    public static Refusal Invalid(string field, string detail) => new(400, "The entry is not valid", detail, field);

    public static Refusal Unknown(string field, string what, string? id) =>
        new(400, "The entry refers to something this review does not have", $"{what} '{id}' is not in this review.", field);

    public static Refusal Duplicate(string field, string what, string id) =>
        new(409, "Already recorded", $"{what} '{id}' is already in this review; ids are unique within a review.", field);

    public static Refusal Conflict(string detail, string? field = null) => new(409, "The review's state does not allow this", detail, field);

    /// <summary>Nothing happens to a review before its charter: such an entry would be in no state at any asOf.</summary>
    public static Refusal BeforeCharter(DateTimeOffset charteredAt) =>
        Invalid("effectiveAt", $"is before the review's charter ({charteredAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z); "
            + "nothing takes effect in a review before it is chartered.");

    public static Refusal NotChartered(string reviewId) =>
        new(404, "No such review", $"Review '{reviewId}' has not been chartered; record ReviewChartered first.");
}
