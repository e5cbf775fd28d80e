using System.Text.Json;
using Microsoft.Playwright;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Pages;

/// <summary>
/// The secretariat records in a real browser (Debian's chromium, JavaScript off) against the real server: signs in,
/// charters a review, records a meeting held and a scope decision from the forms, sees them in the timeline and the
/// whole-review diff, has a form refused with every problem beside its field, corrects an entry from its page, imports a
/// file after a dry run; and forged, cross-origin and signed-out posts record nothing. Each form's screenshot is kept;
/// every page seen passes the Nu HTML checker and axe-core (no serious or critical violation).
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class RecordingBrowserTests(LedgerFixture ledger) : IAsyncLifetime
{
    private readonly string _artifacts = Path.Combine(AppContext.BaseDirectory, "browser-artifacts", "recording");
    private readonly List<(string Name, string Html)> _seen = [];
    private BrowserHost? _host;
    private IBrowser? _browser;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _host = await BrowserHost.StartAsync(ledger, "--Ledger:RateLimit:WritesPerSecond=0");
        (_browser, _url) = (_host.Browser, _host.Url);
        Directory.CreateDirectory(_artifacts);
    }

    private async Task<IPage> NewPageAsync() =>
        await (await _browser!.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 900 } }))
            .NewPageAsync();

    /// <summary>Keeps the page for the checkers, and its screenshot as an artefact.</summary>
    private async Task Keep(IPage page, string name)
    {
        _seen.Add((name, await page.ContentAsync()));
        await page.ScreenshotAsync(new() { Path = Path.Combine(_artifacts, name + ".png"), FullPage = true });
    }

    private async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync($"{_url}/sign-in");
        await page.FillAsync("#apiKey", key);
        await page.ClickAsync("form[action='/sign-in'] button");
    }

    [Fact]
    public async Task the_secretariat_records_corrects_and_imports_in_the_browser_with_javascript_off()
    {
        var page = await NewPageAsync();
        var id = Body.NewReviewId("web");

        // A reader's key cannot sign in to record.
        await SignInAsync(page, ledger.ReaderKey);
        var alert = await page.TextContentAsync("[role=alert]"); Assert.True(alert!.Contains("may read but not record"), alert);
        await Keep(page, "sign-in-refused");

        await SignInAsync(page, ledger.RecorderKey);
        Assert.Equal($"{_url}/", page.Url);
        Assert.Equal("test-recorder", await page.TextContentAsync("[data-signed-in]"));

        // Charter a review from the list of reviews.
        await page.ClickAsync("text=Charter a review");
        await page.FillAsync("#f-reviewId", id);
        await page.FillAsync("#f-name", "Browser review");
        await page.FillAsync("#f-mandate", "Bylaws 4.6(c)");
        await page.FillAsync("#f-effectiveAt", "2017-02-03T00:00");
        await Keep(page, "form-charter");
        await page.ClickAsync("button:text('Record')");
        Assert.Matches($"/reviews/{id}/entries/[0-9a-f-]{{36}}$", page.Url);
        Assert.Equal("test-recorder", await page.TextContentAsync("[data-recorded-by]"));
        await Keep(page, "entry-charter");

        // What the forms choose from: a topic, four areas, two members and a meeting, recorded through the API.
        var api = ledger.Recorder();
        await Body.Created(await api.PostAsync($"/api/reviews/{id}/topics", Body.Topic("t1")));
        foreach (var area in new[] { "a1", "a2", "a3", "a4" })
            await Body.Created(await api.PostAsync($"/api/reviews/{id}/areas", Body.Area(area, "t1")));
        await Body.Created(await api.PostAsync($"/api/reviews/{id}/scope-decisions",
            Body.Decision("d0", "2017-05-14T11:00:00Z", ("a1", "in-scope"), ("a2", "in-scope"), ("a3", "in-scope"), ("a4", "in-scope"))));
        foreach (var member in new[] { "m1", "m2" })
            await Body.Created(await api.PostAsync($"/api/reviews/{id}/members", new System.Text.Json.Nodes.JsonObject
            {
                ["memberId"] = member, ["name"] = $"Member {member}", ["appointedBy"] = "SSAC", ["role"] = "member",
                ["effectiveAt"] = "2017-03-01T00:00:00Z",
            }));
        await Body.Created(await api.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("madrid-2017")));
        await Body.Created(await api.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("rome-2018", "2018-03-01T08:00:00Z", "2018-03-02T17:00:00Z")));

        // A meeting held, from its form: the meeting and the attendees are choices drawn from the review.
        await page.GotoAsync($"{_url}/reviews/{id}");
        await page.ClickAsync("text=Record an entry");
        await page.ClickAsync($"a[href='/reviews/{id}/record/MeetingHeld']");
        await page.SelectOptionAsync("#f-meetingId", "madrid-2017");
        await page.SelectOptionAsync("#f-attendees", new[] { "m1", "m2" });
        await page.FillAsync("#f-observers", "3");
        await page.FillAsync("#f-effectiveAt", "2017-05-15T17:00");
        await Keep(page, "form-meeting-held");
        await page.ClickAsync("button:text('Record')");
        Assert.Contains("MeetingHeld", await page.TextContentAsync("h1"));
        var meetingHeld = page.Url;

        // A scope decision: two areas narrowed, one merged into another, one row an area.
        await page.GotoAsync($"{_url}/reviews/{id}/record/ScopeDecided");
        await FillDecisionAsync(page, "d1");
        await page.SelectOptionAsync("#f-changes-a1-to", "out-of-scope");
        await page.SelectOptionAsync("#f-changes-a2-to", "deferred");
        await page.SelectOptionAsync("#f-changes-a3-to", "merged");
        await page.SelectOptionAsync("#f-changes-a3-mergedInto", "a4");
        await Keep(page, "form-scope-decision");
        await page.ClickAsync("button:text('Record')");
        Assert.Contains("ScopeDecided", await page.TextContentAsync("h1"));

        // Both in the timeline and the whole-review diff.
        await page.GotoAsync($"{_url}/reviews/{id}");
        Assert.Equal("2 narrowed", await page.TextContentAsync("[data-diff=narrowed]"));
        Assert.Equal("1 merged", await page.TextContentAsync("[data-diff=merged]"));
        var timeline = await page.TextContentAsync("#timeline");
        Assert.Contains("d1", timeline);
        Assert.Contains("Meeting madrid-2017", timeline);
        await Keep(page, "review-after-forms");

        // A refused form: every problem beside its field, what was typed kept, the ledger's version unchanged.
        var version = await ledger.EntryCountAsync(id);
        await page.GotoAsync($"{_url}/reviews/{id}/record/ScopeDecided");
        await FillDecisionAsync(page, "not an id!");
        await page.SelectOptionAsync("#f-changes-a4-to", "merged");
        await page.SelectOptionAsync("#f-changes-a2-to", "in-scope");
        await page.SelectOptionAsync("#f-changes-a2-mergedInto", "a1");
        await page.ClickAsync("button:text('Record')");
        Assert.Contains("must be an id", await page.TextContentAsync("#f-decisionId-refused"));
        Assert.Contains("is required when an area is merged", await page.TextContentAsync("#f-changes-a4-mergedInto-refused"));
        Assert.Contains("only for a change to 'merged'", await page.TextContentAsync("#f-changes-a2-mergedInto-refused"));
        Assert.Equal(3, await page.Locator(".refusals li").CountAsync());
        Assert.Equal("not an id!", await page.InputValueAsync("#f-decisionId"));
        Assert.Equal("Two areas leave scope", await page.InputValueAsync("#f-rationale"));
        Assert.Equal("merged", await page.InputValueAsync("#f-changes-a4-to"));
        Assert.Equal(version, await ledger.EntryCountAsync(id));
        await Keep(page, "form-scope-decision-refused");

        // A correction from the entry's page: its form filled with the entry's fields; only what changed is corrected.
        await page.GotoAsync(meetingHeld);
        await page.ClickAsync("text=Correct it");
        Assert.Equal("3", await page.InputValueAsync("#f-observers"));
        Assert.Equal("madrid-2017", await page.InputValueAsync("#f-meetingId"));
        await page.FillAsync("#f-observers", "5");
        await page.FillAsync("#f-__reason", "The minutes count five observers.");
        await Keep(page, "form-correction");
        await page.ClickAsync("button:text('Record')");
        Assert.Contains("EntryCorrected", await page.TextContentAsync("h1"));
        Assert.Contains("\"observers\":5", (await page.TextContentAsync("table"))!.Replace(" ", ""));
        await page.GotoAsync(meetingHeld);
        Assert.Contains("corrected observers", await page.TextContentAsync(".errata"));
        Assert.Equal(5, (await ledger.StateAsync(id)).GetProperty("meetings").EnumerateArray()
            .Single(m => m.GetProperty("meetingId").GetString() == "madrid-2017").GetProperty("observers").GetInt32());
        await Keep(page, "entry-corrected");

        // An import: a dry run that lists a refused line and writes nothing, then a dry run of a good file, confirmed.
        version = await ledger.EntryCountAsync(id);
        await page.GotoAsync($"{_url}/reviews/{id}/import");
        await Keep(page, "form-import");
        await UploadAsync(page, "refused.ndjson", Body.Line("AreaOfInterestIdentified", Body.Area("a5", "t1")),
            Body.Line("AreaOfInterestIdentified", Body.Area("a6", "no-such-topic")));
        Assert.Contains("Line 2", await page.TextContentAsync("ul.refusals"));
        Assert.Equal(0, await page.Locator("text=Confirm the import").CountAsync());
        Assert.Equal(version, await ledger.EntryCountAsync(id));
        await Keep(page, "import-dry-run-refused");

        await page.GotoAsync($"{_url}/reviews/{id}/import");
        await UploadAsync(page, "good.ndjson", Body.Line("AreaOfInterestIdentified", Body.Area("a5", "t1")),
            Body.Line("AreaOfInterestIdentified", Body.Area("a6", "t1")), Body.Line("TopicAreaAgreed", Body.Topic("t2")));
        Assert.Equal("3", await page.TextContentAsync("[data-would-import]"));
        Assert.Equal("2", await page.TextContentAsync("[data-kind=AreaOfInterestIdentified]"));
        Assert.Equal(version, await ledger.EntryCountAsync(id));
        await Keep(page, "import-dry-run");
        await page.ClickAsync("text=Confirm the import");
        Assert.Equal("3", await page.TextContentAsync("[data-imported]"));
        Assert.Equal(version + 3, await ledger.EntryCountAsync(id));
        version += 3;

        // Posts a form would not make: no antiforgery token; from another origin. Both refused, nothing recorded.
        var cancel = new Dictionary<string, string> { ["meetingId"] = "madrid-2017", ["reason"] = "forged", ["effectiveAt"] = "2017-05-16T00:00" };
        var forged = await page.Context.APIRequest.PostAsync($"{_url}/reviews/{id}/record/MeetingCancelled",
            new() { Form = Form(page, cancel), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        Assert.Contains("antiforgery", await forged.TextAsync());
        await page.GotoAsync($"{_url}/reviews/{id}/record/MeetingCancelled");
        var token = await page.GetAttributeAsync("input[name=__antiforgery]", "value");
        var crossOrigin = await page.Context.APIRequest.PostAsync($"{_url}/reviews/{id}/record/MeetingCancelled", new()
        {
            Form = Form(page, new(cancel) { ["__antiforgery"] = token! }), Headers = new Dictionary<string, string> { ["Origin"] = "https://elsewhere.example" },
            MaxRedirects = 0,
        });
        Assert.Equal(403, crossOrigin.Status);
        Assert.Equal(version, await ledger.EntryCountAsync(id));

        // An open form sent after signing out: nothing recorded, what was typed kept, the key asked for again.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync($"{_url}/reviews/{id}/record/MeetingCancelled");
        await other.SelectOptionAsync("#f-meetingId", "rome-2018");
        await other.FillAsync("#f-reason", "Postponed for the storm");
        await other.FillAsync("#f-effectiveAt", "2017-05-16T00:00");
        await page.ClickAsync("header button:text('Sign out')");
        Assert.Contains("Sign in to record", await page.TextContentAsync("header"));
        await other.ClickAsync("button:text('Record')");
        Assert.Contains("session has ended", await other.TextContentAsync("[role=alert]"));
        Assert.Equal("Postponed for the storm", await other.InputValueAsync("#f-reason"));
        Assert.Equal(version, await ledger.EntryCountAsync(id));
        await Keep(other, "form-session-ended");
        await other.FillAsync("#apiKey", ledger.RecorderKey);
        await other.ClickAsync("button:text('Record')");
        Assert.True(other.Url.Contains("/entries/"), await other.TextContentAsync("main"));
        Assert.Equal(version + 1, await ledger.EntryCountAsync(id));

        // A retraction from the entry's page, with its reason.
        var cancelled = other.Url;
        await other.FillAsync("#reason", "Recorded in the wrong review.");
        await Keep(other, "form-retraction");
        await other.ClickAsync("button:text('Retract')");
        Assert.Contains("EntryRetracted", await other.TextContentAsync("h1"));
        await other.GotoAsync(cancelled);
        Assert.Contains("Retracted.", await other.TextContentAsync("main"));
        Assert.Contains("retracted. Recorded in the wrong review.", await other.TextContentAsync(".errata"));
        Assert.Equal(version + 2, await ledger.EntryCountAsync(id));

        await CheckPagesAsync();
    }

    private static async Task FillDecisionAsync(IPage page, string decisionId)
    {
        await page.FillAsync("#f-decisionId", decisionId);
        await page.FillAsync("#f-rationale", "Two areas leave scope");
        await page.FillAsync("#f-basis", "ToR section 3");
        await page.SelectOptionAsync("#f-method", "consensus");
        await page.SelectOptionAsync("#f-meetingId", "madrid-2017");
        await page.FillAsync("#f-effectiveAt", "2017-05-15T12:00");
    }

    private async Task UploadAsync(IPage page, string name, params string[] lines)
    {
        var file = Path.Combine(_artifacts, name);
        await File.WriteAllTextAsync(file, string.Join("\n", lines) + "\n");
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("button:text('Dry run')");
    }

    private static IFormData Form(IPage page, Dictionary<string, string> fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }

    /// <summary>Every page kept passes the Nu HTML checker, and axe-core finds no serious or critical violation in it.</summary>
    private async Task CheckPagesAsync()
    {
        await EcosystemTools.EnsureInstalledAsync();
        var files = new List<string>();
        foreach (var (name, html) in _seen)
        {
            files.Add(Path.Combine(_artifacts, name + ".html"));
            await File.WriteAllTextAsync(files[^1], html);
        }
        var check = await EcosystemTools.NuHtmlCheckAsync([.. files]);
        Assert.True(check.ExitCode == 0 && check.Output.Trim().Length == 0, check.ToString());

        // axe-core runs in the page, so it gets a context of its own with scripts on (the pages themselves have none).
        var axe = await (await _browser!.NewContextAsync(new() { JavaScriptEnabled = true, BypassCSP = true })).NewPageAsync();
        var script = await File.ReadAllTextAsync(EcosystemTools.AxeScript);
        var problems = new List<string>();
        // A field without a label is a critical violation to axe-core: a pass below means something.
        foreach (var (name, html) in _seen.Prepend(("unlabelled-control", "<!DOCTYPE html><html lang=\"en\"><title>t</title><main><input id=\"x\"></main></html>")))
        {
            await axe.SetContentAsync(html);
            await axe.AddScriptTagAsync(new() { Content = script });
            var result = await axe.EvaluateAsync<JsonElement>("async () => (await axe.run(document)).violations" +
                ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')");
            problems.AddRange(result.EnumerateArray().Select(v => $"{name}: {v.GetString()}"));
        }
        Assert.Contains(problems, p => p.StartsWith("unlabelled-control: label", StringComparison.Ordinal));
        problems.RemoveAll(p => p.StartsWith("unlabelled-control", StringComparison.Ordinal));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
