using Marten;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Witnessing;

namespace Ssr2Ledger.Integrity;

/// <summary>What an auditor checks: a review's chain, and the digest of the whole ledger.</summary>
public static class IntegrityEndpoints
{
    public sealed record PublicKey(string Algorithm, string KeyId, string PublicKeyPem);

    /// <summary>A Merkle proof: each hash base64, as in checkpoint notes.</summary>
    public sealed record ProofAnswer(IReadOnlyList<string> Hashes);

    private static IResult Proof(string reviewId, TreeProofs.Answer answer) => answer switch
    {
        { Version: null } => Problems.From([Refusal.NotChartered(reviewId)]),
        { Refusal: { } refusal } => Problems.From([refusal]),
        _ => Results.Ok(new ProofAnswer(answer.Hashes!.Select(Convert.ToBase64String).ToList())),
    };

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

        integrity.MapGet("/ledger/verifier-key", (LedgerSigner signer) => Results.Text(signer.Notes.VerifierKey + "\n", "text/plain"))
            .WithName("VerifierKey").WithSummary("The Ed25519 key that signs checkpoint notes, as a C2SP note verifier key")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");

        integrity.MapGet("/reviews/{reviewId}/checkpoint", async (string reviewId, TreeProofs proofs, LedgerWitnesses witnesses,
                IQuerySession session, CancellationToken ct) =>
                await session.Events.FetchStreamStateAsync(reviewId, ct) is null ? Problems.From([Refusal.NotChartered(reviewId)])
                : await proofs.LatestAsync(reviewId, ct) is { Note: { } note }
                    ? Results.Text(await witnesses.WithCosignaturesAsync(reviewId, note, ct), "text/plain")
                : Problems.From([new Refusal(404, "No checkpoint", $"No checkpoint of review '{reviewId}' has been sealed yet.")]))
            .WithName("Checkpoint").WithSummary("The review's latest checkpoint: a C2SP tlog-checkpoint signed note (origin, size, root), with the witnesses' cosignatures")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status404NotFound);

        integrity.MapPost("/reviews/{reviewId}/checkpoint", async (string reviewId, TreeProofs proofs, LedgerWitnesses witnesses,
                CancellationToken ct) =>
            {
                if (await proofs.SealAsync(reviewId, ct) is not { Note: { } note }) return Problems.From([Refusal.NotChartered(reviewId)]);
                witnesses.Nudge(); // the witnesses are asked in the background: one that is down delays nothing
                return Results.Text(note, "text/plain");
            })
            .RequireAuthorization(Access.Roles.MayRecord)
            .WithName("SealCheckpoint").WithSummary("Seal a checkpoint of the review as it stands now and answer its note")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");

        integrity.MapGet("/reviews/{reviewId}/proofs/inclusion", async (string reviewId, long version, long? treeSize, TreeProofs proofs,
                CancellationToken ct) => Proof(reviewId, await proofs.InclusionAsync(reviewId, version, treeSize, ct)))
            .WithName("InclusionProof")
            .WithSummary("RFC 6962 audit path of the entry at a version (leaf version - 1) in the tree of treeSize entries (default: all)")
            .Produces<ProofAnswer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        integrity.MapGet("/reviews/{reviewId}/proofs/consistency", async (string reviewId, long from, long? to, TreeProofs proofs,
                CancellationToken ct) => Proof(reviewId, await proofs.ConsistencyAsync(reviewId, from, to, ct)))
            .WithName("ConsistencyProof")
            .WithSummary("RFC 6962 proof that the tree of `to` entries (default: all) extends the tree of `from` entries")
            .Produces<ProofAnswer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        integrity.MapGet("/reviews/{reviewId}/proofs/entry/{version}", async (string reviewId, long version, TreeProofs proofs,
                LedgerWitnesses witnesses, IQuerySession session, CancellationToken ct) =>
            {
                if (await session.Events.FetchStreamStateAsync(reviewId, ct) is not { } stream || version < 1 || version > stream.Version)
                    return Problems.From([new Refusal(404, "No such entry", $"Review '{reviewId}' has no entry at version {version}.")]);
                return await proofs.LatestAsync(reviewId, ct) is { } checkpoint && checkpoint.Version >= version
                    ? Results.Text(await proofs.TlogProofAsync(reviewId, version,
                        checkpoint with { Note = await witnesses.WithCosignaturesAsync(reviewId, checkpoint.Note!, ct) }, ct), "text/plain")
                    : Problems.From([Refusal.Conflict($"No checkpoint of review '{reviewId}' covers version {version} yet; seal one first.")]);
            })
            .WithName("EntryProof").WithSummary("A C2SP tlog-proof of one entry, against the review's latest checkpoint note")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        integrity.MapGet("/ledger/digest", (LedgerDigests digests, CancellationToken ct) => digests.CurrentAsync(ct))
            .WithName("Digest").WithSummary("A digest to keep: every review's head folded into an RFC 6962 Merkle root");
    }
}
