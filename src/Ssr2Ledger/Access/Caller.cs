using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace Ssr2Ledger.Access;

/// <summary>What a request's API key allows beyond its role: the reviews it is limited to, and its own Idempotency-Keys.</summary>
public static class Caller
{
    public const string KeyClaim = "ssr2ledger:key";
    public const string ReviewClaim = "ssr2ledger:review";

    /// <summary>
    /// Whose Idempotency-Keys these are: a digest of the API key's id, so that another key holder sending the same
    /// key and body never receives this caller's answer (and the stored record does not repeat the key's lookup id).
    /// </summary>
    public static string? IdempotencyScope(ClaimsPrincipal user) =>
        user.FindFirstValue(KeyClaim) is { } id
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("idempotency-scope:" + id)))[..32]
            : null;

    /// <summary>The reviews the key may record in; empty when it may record in any.</summary>
    public static IReadOnlyList<string> Reviews(ClaimsPrincipal user) => [.. user.FindAll(ReviewClaim).Select(c => c.Value)];

    /// <summary>Null when the key may record in the review, else the 403 problem that says which reviews it may.</summary>
    public static IResult? RefusedIn(ClaimsPrincipal user, string reviewId)
    {
        var reviews = Reviews(user);
        if (reviews.Count == 0 || reviews.Contains(reviewId, StringComparer.Ordinal)) return null;
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to record in this review",
            detail: $"This API key may record only in {string.Join(", ", reviews)}; nothing was recorded.");
    }
}
