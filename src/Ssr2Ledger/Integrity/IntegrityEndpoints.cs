using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Integrity;

/// <summary>What an auditor checks: a review's chain, and the digest of the whole ledger.</summary>
public static class IntegrityEndpoints
{
    public sealed record VerifyAnswer(bool Ok, long EventsChecked, string HeadHash, Guid? FirstBadEventId, long? FirstBadVersion, string? Problem);

    public static void MapIntegrity(this IEndpointRouteBuilder app)
    {
        var integrity = app.MapGroup("/api").WithTags("Integrity");

        integrity.MapGet("/reviews/{reviewId}/verify", async (string reviewId, ChainVerifier verifier, CancellationToken ct) =>
                await verifier.VerifyAsync(reviewId, cancellation: ct) is { } report
                    ? Results.Ok(new VerifyAnswer(report.Ok, report.EventsChecked, report.HeadHash, report.FirstBadEventId,
                        report.FirstBadVersion, report.Problem))
                    : Problems.From([Refusal.NotChartered(reviewId)]))
            .WithName("Verify").WithSummary("Recompute the review's hash chain from the stored rows and name the first bad entry")
            .Produces<VerifyAnswer>().ProducesProblem(StatusCodes.Status404NotFound);

        integrity.MapGet("/ledger/digest", (LedgerDigests digests, CancellationToken ct) => digests.CurrentAsync(ct))
            .WithName("Digest").WithSummary("A digest to keep: every review's head folded into an RFC 6962 Merkle root");
    }
}
