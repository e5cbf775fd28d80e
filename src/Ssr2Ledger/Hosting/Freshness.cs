using System.Reflection;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// Entity tags for answers that depend only on a review's version and the request's query: the review is append-only, so
/// the same version asked the same way gives the same answer, and a client that sends the tag back in
/// <c>If-None-Match</c> gets <c>304 Not Modified</c> before the answer is computed. The tag is weak (RFC 9110 8.8.1):
/// the same answer is sent Brotli, gzip or plain. It names the build too, since a new build may word answers otherwise.
/// </summary>
public static class Freshness
{
    private static readonly string Build = Assembly.GetExecutingAssembly().ManifestModule.ModuleVersionId.ToString("N")[..8];

    /// <summary>The tag of a review at a version, with whatever else the answer shows (the feed's checkpoints).</summary>
    public static string Tag(long version, string? also = null) => $"W/\"{version}-{Build}{(also is null ? "" : "-" + also)}\"";

    /// <summary>
    /// Tags the answer (when it is a success: a refusal is not tagged) and says whether the client already holds it
    /// (<c>If-None-Match</c>, compared weakly); then the caller answers <see cref="NotModified"/> instead of computing it.
    /// </summary>
    public static bool Unchanged(HttpContext context, string tag)
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            if (response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
            {
                response.Headers.ETag = tag;
                // Caches may keep it, but must ask again each time: an entry may have been recorded since.
                response.Headers.CacheControl = "no-cache";
            }
            return Task.CompletedTask;
        });
        var asked = context.Request.Headers.IfNoneMatch;
        if (asked.Count == 0 || !EntityTagHeaderValue.TryParseList(asked, out var tags)) return false;
        var mine = EntityTagHeaderValue.Parse(tag);
        return tags.Any(t => t.Tag == "*" || t.Compare(mine, useStrongComparison: false));
    }

    public static IResult NotModified { get; } = Results.StatusCode(StatusCodes.Status304NotModified);

    /// <summary>A short digest of text an answer shows beside the review's entries (for <see cref="Tag"/>).</summary>
    public static string Digest(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
