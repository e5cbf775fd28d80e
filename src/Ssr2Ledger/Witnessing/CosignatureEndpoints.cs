using Marten;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Witnessing;

/// <summary>Which witnesses the ledger trusts, and the cosignatures they gave a review's checkpoints.</summary>
public static class CosignatureEndpoints
{
    public sealed record WitnessAnswer(string Name, string VerifierKey);

    /// <param name="Line">The note signature line, to append to the checkpoint note of that tree size.</param>
    public sealed record CosignatureAnswer(long TreeSize, string Witness, DateTimeOffset Time, string Line);

    public static void MapCosignatures(this IEndpointRouteBuilder app)
    {
        var integrity = app.MapGroup("/api").WithTags("Integrity");

        integrity.MapGet("/ledger/witnesses", (LedgerWitnesses witnesses) =>
                witnesses.Trusted.Select(w => new WitnessAnswer(w.Key.Name, w.Key.VerifierKey)).ToList())
            .WithName("Witnesses").WithSummary("The witnesses whose cosignatures the ledger keeps: name and C2SP cosignature verifier key");

        integrity.MapGet("/reviews/{reviewId}/cosignatures", async (string reviewId, LedgerWitnesses witnesses, IQuerySession session,
                CancellationToken ct) =>
                await session.Events.FetchStreamStateAsync(reviewId, ct) is null
                    ? Problems.From([Refusal.NotChartered(reviewId)])
                    : Results.Ok((await witnesses.OfAsync(reviewId, null, ct)).Select(c => new CosignatureAnswer(c.TreeSize, c.Witness, c.Time, c.Line)).ToList()))
            .WithName("Cosignatures")
            .WithSummary("Every cosignature (C2SP tlog-cosignature) that a trusted witness gave a checkpoint of the review, by tree size")
            .Produces<IReadOnlyList<CosignatureAnswer>>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
