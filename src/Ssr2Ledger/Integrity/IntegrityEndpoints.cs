using Marten;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Integrity;

/// <summary>What an auditor checks: a review's chain, and the digest of the whole ledger.</summary>
public static class IntegrityEndpoints
{
    public sealed record PublicKey(string Algorithm, string KeyId, string PublicKeyPem);

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

        integrity.MapGet("/reviews/{reviewId}/checkpoints", async (string reviewId, IQuerySession session, CancellationToken ct) =>
                await session.Events.FetchStreamStateAsync(reviewId, ct) is null
                    ? Problems.From([Refusal.NotChartered(reviewId)])
                    : Results.Ok(await session.Query<Checkpoint>().Where(c => c.ReviewId == reviewId).OrderBy(c => c.Version).ToListAsync(ct)))
            .WithName("Checkpoints").WithSummary("Signed checkpoints, one per meeting held: review, version, head hash, time, signature")
            .Produces<IReadOnlyList<Checkpoint>>().ProducesProblem(StatusCodes.Status404NotFound);

        integrity.MapGet("/ledger/public-key", (LedgerSigner signer) => new PublicKey(LedgerSigner.Algorithm, signer.KeyId, signer.PublicKeyPem))
            .WithName("PublicKey").WithSummary("The key that signs checkpoints");

        integrity.MapGet("/ledger/digest", (LedgerDigests digests, CancellationToken ct) => digests.CurrentAsync(ct))
            .WithName("Digest").WithSummary("A digest to keep: every review's head folded into an RFC 6962 Merkle root");
    }
}
