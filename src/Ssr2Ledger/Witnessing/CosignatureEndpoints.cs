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

/// <summary>The review page's small block: the latest checkpoint, its note, and which witnesses cosigned it.</summary>
public static class CheckpointBlock
{
    public static async Task<string> HtmlAsync(string reviewId, Integrity.TreeProofs proofs, LedgerWitnesses witnesses, CancellationToken ct)
    {
        static string H(string text) => System.Net.WebUtility.HtmlEncode(text);
        var id = Uri.EscapeDataString(reviewId);
        var html = new System.Text.StringBuilder("<section id=\"checkpoint\"><h2>Signed checkpoint</h2>");
        if (await proofs.LatestAsync(reviewId, ct) is not { } latest)
            return html.Append("<p>No checkpoint has been sealed yet.</p></section>").ToString();
        var cosigned = await witnesses.OfAsync(reviewId, latest.Version, ct);
        html.Append($"<p>The latest checkpoint covers the first {latest.Version} entries, sealed {latest.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC: ")
            .Append($"<a href=\"/api/reviews/{id}/checkpoint\">its signed note</a> · <a href=\"/api/reviews/{id}/cosignatures\">cosignatures</a> · ")
            .Append("<a href=\"/api/ledger/verifier-key\">the ledger's verifier key</a>.</p>");
        if (cosigned.Count == 0) return html.Append("<p>No witness has cosigned it yet.</p></section>").ToString();
        html.Append("<ul>");
        foreach (var c in cosigned) html.Append($"<li>Cosigned by witness <code>{H(c.Witness)}</code> at {c.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</li>");
        return html.Append("</ul></section>").ToString();
    }
}
