using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Ssr2Ledger.Access;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Wolverine;
using static Ssr2Ledger.Pages.ReviewPages;

namespace Ssr2Ledger.Pages;

/// <summary>
/// <c>/reviews/{reviewId}/import</c>: upload an NDJSON file and see a dry run (what would be recorded, the file's entries by
/// kind, the refusals by line; nothing written), then confirm. The upload waits in a folder of the server's (a browser
/// without JavaScript cannot hold it between two posts) under a random name that the confirmation names; the confirmed
/// import carries the review's version at the dry run as its If-Match, so it records only what the dry run showed, and that
/// name as its Idempotency-Key, so a confirmation sent twice imports once. Both runs are <see cref="ImportNdjsonHandler"/>.
/// </summary>
public static class ImportPage
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    public static string Uploads => Path.Combine(Path.GetTempPath(), "ssr2ledger-uploads");

    public static void MapImportPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/reviews/{reviewId}/import").ExcludeFromDescription().AddEndpointFilter(SessionHeader.Filter);

        pages.MapGet("", async (string reviewId, HttpContext http, ReviewCaches reviews, CancellationToken ct) =>
        {
            if (http.User.Identity?.IsAuthenticated != true) return RecordingPages.ToSignIn(http);
            var name = await reviews.WithReviewAsync(reviewId, t => t.Current?.Name, ct);
            return name is null ? RecordingPages.NoReview(reviewId) : Upload(http, reviewId, name, null, 200);
        });

        pages.MapPost("", async (string reviewId, HttpContext http, KnownApiKeys keys, ReviewCaches reviews, IMessageBus bus,
            CancellationToken ct) =>
        {
            var posted = await RecordingPages.PostedAsync(http, keys, reviewId);
            if (posted.Refused is not null) return posted.Refused;
            var review = await reviews.WithReviewAsync(reviewId, t => t.Current is { } s ? (s.Name, s.Version) : default, ct);
            if (review.Name is null) return RecordingPages.NoReview(reviewId);
            if (posted.User is null) return Upload(http, reviewId, review.Name, "Your session has ended: sign in again, then upload the file.", 401);
            if (posted.Form.Files["file"] is not { Length: > 0 } file) return Upload(http, reviewId, review.Name, "Choose an NDJSON file to import.", 400);

            Forget();
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            Directory.CreateDirectory(Uploads);
            await using (var saved = File.Create(Held(token)))
                await file.CopyToAsync(saved, ct);
            await using var body = File.OpenRead(Held(token));
            var result = await bus.InvokeAsync<ImportResult>(new ImportNdjson(Request(http, reviewId, null, null, dryRun: true), body),
                ct, Timeout.InfiniteTimeSpan);
            if (result.Refusals.Count > 0) File.Delete(Held(token));
            return DryRun(http, reviewId, review.Name, file.FileName, review.Version, token, result);
        });

        pages.MapPost("/confirm", async (string reviewId, HttpContext http, KnownApiKeys keys, ReviewCaches reviews, IMessageBus bus,
            CancellationToken ct) =>
        {
            var posted = await RecordingPages.PostedAsync(http, keys, reviewId);
            if (posted.Refused is not null) return posted.Refused;
            if (posted.User is null) return SignIn.Refused(401, "Your session has ended: sign in again, then upload the file again.");
            var token = posted.Form["upload"].ToString();
            if (token.Length != 32 || !token.All(char.IsAsciiHexDigitLower) || !File.Exists(Held(token))
                || !long.TryParse(posted.Form["version"], out var version))
                return SignIn.Refused(400, "That upload is not waiting here any more: upload the file again for a new dry run.");
            ImportResult result;
            await using (var body = File.OpenRead(Held(token)))
                result = await bus.InvokeAsync<ImportResult>(new ImportNdjson(Request(http, reviewId, version, token, dryRun: false), body),
                    ct, Timeout.InfiniteTimeSpan);
            if (result.Answer is not { } answer)
                return Results.Content(Layout("Nothing was imported", $"<h1>Nothing was imported</h1>{Refusals(result.Refusals)}"
                    + $"<p><a href=\"/reviews/{U(reviewId)}/import\">Upload the file again</a> for a new dry run.</p>", RecordingPages.FormCss),
                    "text/html; charset=utf-8", null, result.Refusals.FirstOrDefault(r => r.Status != 400)?.Status ?? 400);
            File.Delete(Held(token));
            return Page("Imported", $"<nav><a href=\"/reviews/{U(reviewId)}\">Back to the review</a></nav><h1>Imported</h1>"
                + $"<p role=\"status\"><span data-imported>{answer.Imported}</span> entries recorded; the review is at version "
                + $"<span data-version>{answer.Version}</span>, head hash <code>{answer.HeadHash}</code>.</p>");
        });
    }

    private static ImportHistory Request(HttpContext http, string reviewId, long? version, string? key, bool dryRun) =>
        new(reviewId, http.User.FindFirstValue(ClaimTypes.Name) ?? "", version, key, http.TraceIdentifier,
            $"/reviews/{reviewId}/import", Caller.IdempotencyScope(http.User), dryRun);

    private static string Held(string token) => Path.Combine(Uploads, token + ".ndjson");

    /// <summary>Uploads never confirmed are dropped after a day.</summary>
    private static void Forget()
    {
        if (!Directory.Exists(Uploads)) return;
        foreach (var old in new DirectoryInfo(Uploads).EnumerateFiles("*.ndjson").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow - KeptFor))
            try { old.Delete(); } catch (IOException) { }
    }

    private static IResult Upload(HttpContext http, string reviewId, string name, string? problem, int status) =>
        Results.Content(Layout($"Import into {name}",
            $"<nav><a href=\"/reviews/{U(reviewId)}\">Back to {H(name)}</a></nav><h1>Import into {H(name)}</h1>"
            + (problem is null ? "" : $"<p role=\"alert\" class=\"refused\">{H(problem)}</p>")
            + "<p>An NDJSON file, one <code>{ \"type\", \"data\" }</code> entry a line, is recorded all lines or none. "
            + "First a dry run shows what would be recorded and which lines would be refused; nothing is written until you confirm.</p>"
            + $"<form method=\"post\" action=\"/reviews/{U(reviewId)}/import\" enctype=\"multipart/form-data\">{SignIn.Hidden(http)}"
            + "<div class=\"field\"><label for=\"file\">NDJSON file</label><input type=\"file\" id=\"file\" name=\"file\" "
            + "accept=\".ndjson,.jsonl,application/x-ndjson\" required></div><p><button type=\"submit\">Dry run</button></p></form>",
            RecordingPages.FormCss), "text/html; charset=utf-8", null, status);

    private static IResult DryRun(HttpContext http, string reviewId, string name, string fileName, long version, string token,
        ImportResult result)
    {
        var html = new StringBuilder($"<nav><a href=\"/reviews/{U(reviewId)}\">Back to {H(name)}</a></nav>")
            .Append($"<h1>Dry run of {H(fileName)}</h1><p role=\"status\">Nothing was written.</p>")
            .Append("<h2>The file's entries by kind</h2><table><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Entries</th></tr></thead><tbody>");
        foreach (var (kind, count) in result.Kinds ?? new Dictionary<string, int>())
            html.Append($"<tr><td>{H(kind)}</td><td data-kind=\"{A(kind)}\">{count}</td></tr>");
        html.Append("</tbody></table>");
        if (result.Answer is { } would)
            html.Append($"<p>Confirming records <strong data-would-import>{would.Imported}</strong> entries, taking the review from version ")
                .Append($"{version} to {would.Version}.</p>")
                .Append($"<form method=\"post\" action=\"/reviews/{U(reviewId)}/import/confirm\">{SignIn.Hidden(http)}")
                .Append($"<input type=\"hidden\" name=\"upload\" value=\"{token}\"><input type=\"hidden\" name=\"version\" value=\"{version}\">")
                .Append("<p><button type=\"submit\">Confirm the import</button></p></form>");
        else
            html.Append("<h2>Refused lines</h2><p>The import is all lines or none: as the file stands, nothing would be recorded.</p>")
                .Append(Refusals(result.Refusals))
                .Append($"<p><a href=\"/reviews/{U(reviewId)}/import\">Upload a mended file</a></p>");
        return Results.Content(Layout($"Dry run: {name}", html.ToString(), RecordingPages.FormCss), "text/html; charset=utf-8", null,
            result.Answer is null ? 422 : 200);
    }

    private static string Refusals(IReadOnlyList<Refusal> refusals) =>
        "<ul class=\"refusals\">" + string.Concat(refusals.Select(r => $"<li data-line>{H(r.Detail)}</li>")) + "</ul>";
}
