using Microsoft.Playwright;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Pages;

/// <summary>
/// A real browser (Debian's chromium, headless, driven by Playwright) against the real server on loopback:
/// open the SSR2 review, pick a meeting, see the state change, compare two meetings, print the timeline to PDF.
/// Runs with JavaScript off: every control is a plain form.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class BrowserTests(LedgerFixture ledger) : IAsyncLifetime
{
    private readonly string _artifacts = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
    private BrowserHost? _host;
    private IBrowser? _browser;
    private string _url = "";

    public async Task InitializeAsync()
    {
        await Ssr2Data.ImportAsync(ledger);
        _host = await BrowserHost.StartAsync(ledger);
        (_browser, _url) = (_host.Browser, _host.Url);
        Directory.CreateDirectory(_artifacts);
    }

    [Fact]
    public async Task a_reader_picks_a_meeting_compares_two_and_prints_the_timeline()
    {
        var context = await _browser!.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{_url}/");
        await page.ClickAsync("text=Second Security, Stability and Resiliency");
        Assert.EndsWith("/reviews/ssr2", page.Url);
        var now = await page.TextContentAsync("[data-count=in-scope]");
        await page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, "review-now.png"), FullPage = false });

        await page.SelectOptionAsync("#asOf", "madrid-2017");
        await page.ClickAsync("#state button[type=submit]");
        Assert.Contains("asOf=madrid-2017", page.Url);
        Assert.Equal("madrid-2017", await page.TextContentAsync("p.as-of strong"));
        var atMadrid = await page.TextContentAsync("[data-count=in-scope]");
        Assert.NotEqual(now, atMadrid);
        Assert.Equal("100", atMadrid);
        await page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, "review-as-of-madrid.png") });

        await page.SelectOptionAsync("#from", "madrid-2017");
        await page.SelectOptionAsync("#to", "washington-2018");
        await page.ClickAsync("#diff button[type=submit]");
        // Between Madrid and Washington the record has duplicates merged, no area narrowed (data/README.md).
        Assert.Equal("0 narrowed", await page.TextContentAsync("[data-diff=narrowed]"));
        Assert.Contains("5 merged", await page.TextContentAsync("#diff p"));
        Assert.True(await page.Locator("svg.chart polyline").CountAsync() >= 4);
        await page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, "scope-diff.png"), FullPage = true });

        // The scope audit is linked from the review's page and prints as an annex.
        await page.ClickAsync("text=Audit these narrowings");
        Assert.Contains("/reviews/ssr2/audit", page.Url);
        Assert.Contains("Narrowings and merges", await page.TextContentAsync("#narrowings h2"));
        await page.GotoAsync($"{_url}/api/reviews/ssr2/scope/audit?format=html");
        var audit = Path.Combine(_artifacts, "scope-audit.pdf");
        await page.PdfAsync(new() { Path = audit, Format = "A4", PrintBackground = true });
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(audit), 0, 4));

        await page.GotoAsync($"{_url}/api/reviews/ssr2/timeline?format=html");
        var pdf = Path.Combine(_artifacts, "timeline.pdf");
        await page.PdfAsync(new() { Path = pdf, Format = "A4", PrintBackground = true });
        var bytes = await File.ReadAllBytesAsync(pdf);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.True(bytes.Length > 20_000, $"The timeline printed to only {bytes.Length} bytes.");
        await context.CloseAsync();
    }

    [Fact]
    public async Task an_unknown_review_is_a_404_page()
    {
        var page = await _browser!.NewPageAsync();
        var response = await page.GotoAsync($"{_url}/reviews/no-such-review");
        Assert.Equal(404, response!.Status);
        Assert.Contains("No such review", await page.TextContentAsync("h1"));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
