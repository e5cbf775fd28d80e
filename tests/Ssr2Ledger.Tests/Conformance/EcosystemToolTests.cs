using Ssr2Ledger.Tests.Support;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Tests.Conformance;

/// <summary>
/// What the server serves, read by the tools the ecosystem uses on it: Redocly CLI on the OpenAPI document, the Nu
/// HTML checker on the pages and the HTML timeline, markdownlint on the Markdown timeline. Each must report 0 errors.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class EcosystemToolTests(LedgerFixture ledger) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ssr2ledger-conformance-").FullName;

    [Fact]
    public async Task redocly_lint_with_the_recommended_rules_finds_no_error_in_the_openapi_document()
    {
        await EcosystemTools.EnsureInstalledAsync();
        var document = await Save("openapi.json", "/openapi/v1.json");

        var lint = await EcosystemTools.RedoclyLintAsync(document);

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Contains("Your API description is valid", lint.Output);
    }

    [Fact]
    public async Task the_nu_html_checker_finds_no_error_in_the_pages_the_html_timeline_and_the_scope_audit()
    {
        await EcosystemTools.EnsureInstalledAsync();
        await Ssr2Data.ImportAsync(ledger);
        var id = Ssr2Data.ReviewId;
        string[] files =
        [
            await Save("index.html", "/"),
            await Save("review.html", $"/reviews/{id}"),
            await Save("review-as-of-madrid.html", $"/reviews/{id}?asOf=madrid-2017&from=madrid-2017&to=washington-2018&boardAsOf=2021-08-01"),
            await Save("no-such-review.html", $"/reviews/{Body.NewReviewId()}"),
            await Save("timeline.html", $"/api/reviews/{id}/timeline?format=html"),
            await Save("timeline-cut.html", $"/api/reviews/{id}/timeline?format=html&from=madrid-2017&kinds=scope,board"),
            Write("hostile-text.html", TimelineFormats.Render(Timeline.TimelineExportTests.SmallReview(), "html")),
            await Save("audit-page.html", $"/reviews/{id}/audit"),
            await Save("audit.html", $"/api/reviews/{id}/scope/audit?format=html"),
            await Save("area.html", $"/reviews/{id}/areas/ksk-rollover"),
            await Save("sign-in.html", "/sign-in?returnUrl=/reviews/ssr2"),
            await Save("entry.html", $"/reviews/{id}/entries/{await FirstEntryAsync(id)}"),
            Write("hostile-audit.html", Ssr2Ledger.Scope.ScopeAuditFormats.Html(Scope.ScopeAuditGoldenTests.SmallAudit())),
        ];

        var check = await EcosystemTools.NuHtmlCheckAsync(files);
        // The timeline embedded in the review's page is a section of it, under the page's one h1.
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(await File.ReadAllTextAsync(files[1]), "<h1[ >]"));

        Assert.True(check.ExitCode == 0 && check.Output.Trim().Length == 0, check.ToString());
    }

    [Fact]
    public async Task markdownlint_finds_no_error_in_the_markdown_timeline_and_scope_audit()
    {
        await EcosystemTools.EnsureInstalledAsync();
        await Ssr2Data.ImportAsync(ledger);
        string[] files =
        [
            await Save("timeline.md", $"/api/reviews/{Ssr2Data.ReviewId}/timeline?format=md"),
            await Save("timeline-cut.md", $"/api/reviews/{Ssr2Data.ReviewId}/timeline?format=md&from=madrid-2017&to=washington-2018"),
            Write("hostile-text.md", TimelineFormats.Render(Timeline.TimelineExportTests.SmallReview(), "md")),
            await Save("audit.md", $"/api/reviews/{Ssr2Data.ReviewId}/scope/audit?format=md"),
            Write("hostile-audit.md", Ssr2Ledger.Scope.ScopeAuditFormats.Markdown(Scope.ScopeAuditGoldenTests.SmallAudit())),
        ];
        Assert.Contains("Source: <https://", await File.ReadAllTextAsync(files[0]));

        var lint = await EcosystemTools.MarkdownLintAsync(Config(), files);

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Contains("Summary: 0 error(s)", lint.Output);
    }

    [Fact]
    public async Task markdownlint_still_finds_a_bare_url_so_a_pass_means_something()
    {
        await EcosystemTools.EnsureInstalledAsync();
        var file = Write("bare.md", "# Bare\n\n- Source: https://example.org/minutes (item 3)\n");

        var lint = await EcosystemTools.MarkdownLintAsync(Config(), file);

        Assert.NotEqual(0, lint.ExitCode);
        Assert.Contains("MD034", lint.Output);
    }

    /// <summary>The markdownlint configuration the README explains: every rule but MD013 (line length).</summary>
    private static string Config()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Conformance", "timeline.markdownlint.jsonc")))
                return Path.Combine(dir.FullName, "Conformance", "timeline.markdownlint.jsonc");
        throw new FileNotFoundException("Conformance/timeline.markdownlint.jsonc");
    }

    /// <summary>The review's first entry's id (the forms and the rest of the recording pages are checked by the browser test).</summary>
    private async Task<string> FirstEntryAsync(string reviewId)
    {
        using var response = await ledger.Client().GetAsync($"/api/reviews/{reviewId}/events?limit=1");
        var page = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return page.GetProperty("entries")[0].GetProperty("eventId").GetString()!;
    }

    private async Task<string> Save(string name, string url)
    {
        using var response = await ledger.Client().GetAsync(url);
        return Write(name, await response.Content.ReadAsStringAsync());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
