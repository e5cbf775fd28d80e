using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Tests.Support;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Tests.Timeline;

/// <summary>
/// Issue 21: reads that stay small and fast however long a review grows — exports sent as they are rendered, the feed
/// with the checkpoint notes, answers not sent again to a client that holds them, compression, and remembered
/// <c>knownAt</c> answers. (Their speed is the benchmark's: <c>--scenario reads</c>.)
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ReadsTests(LedgerFixture ledger)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task a_streamed_export_is_the_same_text_as_the_export_rendered_whole()
    {
        await Ssr2Data.ImportAsync(ledger);
        var recorded = await ledger.Host.Services.GetRequiredService<ReviewCaches>()
            .WithReviewAsync(Ssr2Data.ReviewId, c => c.Recorded.ToList(), default);
        var whole = DecisionTimeline.Build(Ssr2Data.ReviewId, recorded, ledger.Json);
        foreach (var format in new[] { "md", "html", "csv" })
        {
            // Long enough to be sent in several parts, and the parts make the text rendered at once.
            Assert.True(TimelineFormats.Parts(whole, format).Count() > 1, $"{format}: {TimelineFormats.Render(whole, format).Length} characters in one part");
            var sent = await ledger.Client().GetByteArrayAsync($"/api/reviews/{Ssr2Data.ReviewId}/timeline?format={format}");
            Assert.Equal(Encoding.UTF8.GetBytes(TimelineFormats.Render(whole, format)), sent);
        }
    }

    [Fact]
    public async Task lines_extended_by_entries_recorded_since_are_the_lines_built_whole()
    {
        // The SSR2 history (recorded in valid-time order) and a review with what must have the lines built again: a late
        // decision, a correction, and an area identified on a day whose bulk line is still gathering.
        await Ssr2Data.ImportAsync(ledger);
        var id = Body.NewReviewId("extend");
        var recorder = ledger.Recorder();
        await recorder.SeedAsync(id, "a1", "a2");
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/areas", Body.Area("a3", "t1", "2017-05-14T11:00:00Z")));
        var d1 = (await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions",
            Body.Decision("d1", "2017-06-01T12:00:00Z", ("a1", "out-of-scope"))))).GetProperty("eventId").GetString();
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d2", "2017-06-02T12:00:00Z", ("a2", "deferred"))));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d0", "2017-05-20T12:00:00Z", ("a3", "deferred"))));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/corrections", new JsonObject
        {
            ["correctsEventId"] = d1, ["reason"] = "Wrongly recorded", ["corrected"] = new JsonObject { ["rationale"] = "Covered by the ToR." },
            ["effectiveAt"] = "2017-06-03T00:00:00Z",
        }));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d3", "2017-07-01T12:00:00Z", ("a1", "in-scope"))));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d4", "2017-07-02T12:00:00Z", ("a3", "in-scope"))));

        var (builds, extensions) = (0, 0);
        foreach (var (reviewId, step) in new[] { (Ssr2Data.ReviewId, 7), (id, 1) })
        {
            var recorded = await ledger.Host.Services.GetRequiredService<ReviewCaches>().WithReviewAsync(reviewId, c => c.Recorded.ToList(), default);
            var cache = new ReviewCache(reviewId);
            // Recorded a few entries at a time; the long history read after some batches only, so an extension may take
            // several at once.
            for (var (i, batch) = (0, 0); i < recorded.Count; i += step, batch++)
            {
                cache.Append(recorded.Skip(i).Take(step).ToList(), ledger.Json);
                cache.Derived("probe", _ => { builds++; return new object(); }, (held, _) => { extensions++; return held; });
                if (batch % 3 != 0 && step > 1 && i + step < recorded.Count) continue;
                var (asked, _) = DecisionTimeline.Ask(cache, null, null, null, ledger.Json);
                var whole = DecisionTimeline.Build(reviewId, recorded.Take(i + step).ToList(), ledger.Json);
                Assert.Equal(System.Text.Json.JsonSerializer.Serialize(whole, ledger.Json), System.Text.Json.JsonSerializer.Serialize(asked, ledger.Json));
                Assert.Equal(TimelineFormats.Render(whole, "md"), TimelineFormats.Render(asked!, "md"));
            }
        }
        // Both ways were taken: the two reviews' first builds, then one for the late decision and one for the correction.
        Assert.Equal(4, builds);
        Assert.True(extensions > 50, $"{extensions} extensions");
    }

    [Fact]
    public async Task the_feed_carries_each_checkpoint_note_as_sealed()
    {
        var id = Body.NewReviewId("feed");
        var recorder = ledger.Recorder();
        await recorder.SeedAsync(id, "a1");
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("m1")));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"))));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/meetings-held", new JsonObject
        {
            ["meetingId"] = "m1", ["attendees"] = new JsonArray(), ["observers"] = 3, ["effectiveAt"] = "2017-05-15T17:00:00Z",
        }));
        var atMeeting = await ledger.Client().GetStringAsync($"/api/reviews/{id}/checkpoint");
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d2", "2017-06-01T12:00:00Z", ("a1", "deferred"))));
        Assert.True((await recorder.PostAsync($"/api/reviews/{id}/checkpoint", null)).IsSuccessStatusCode);
        var onRequest = await ledger.Client().GetStringAsync($"/api/reviews/{id}/checkpoint");
        Assert.NotEqual(atMeeting, onRequest);

        var feed = XDocument.Parse(await ledger.Client().GetStringAsync($"/api/reviews/{id}/feed.atom")).Root!;
        var checkpoints = feed.Elements(Atom + "entry")
            .Where(e => (string?)e.Element(Atom + "category")?.Attribute("term") == "checkpoint").ToList();
        // Newest first, each note exactly as the ledger serves it, each with an id of its own.
        Assert.Equal([onRequest, atMeeting], checkpoints.Select(e => e.Element(Atom + "content")!.Value));
        Assert.All(checkpoints, e => Assert.Equal("text", (string?)e.Element(Atom + "content")!.Attribute("type")));
        Assert.Equal(2, checkpoints.Select(e => e.Element(Atom + "id")!.Value).Distinct().Count());
        Assert.Contains("meeting m1", checkpoints[1].Element(Atom + "title")!.Value);
        // The decisions are there too, beside them.
        var d2 = Assert.Single(feed.Elements(Atom + "entry"), e => e.Element(Atom + "title")!.Value.Contains("decision d2"));
        // Linked to the entry's own page, which every entry has (the review's page shows only the latest lines).
        var link = (string)d2.Element(Atom + "link")!.Attribute("href")!;
        Assert.Matches($"^/reviews/{id}/entries/[0-9a-f-]{{36}}$", link);
        Assert.Equal(HttpStatusCode.OK, (await ledger.Client().GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task a_client_that_holds_the_answer_for_the_reviews_version_is_told_it_is_unchanged()
    {
        var id = Body.NewReviewId("etag");
        var recorder = ledger.Recorder();
        await recorder.SeedAsync(id, "a1");
        var client = ledger.Client();
        string[] urls =
        [
            $"/api/reviews/{id}/state", $"/api/reviews/{id}/state?asOf=2017-06-01T00:00:00Z&knownAt=2100-01-01T00:00:00Z",
            $"/api/reviews/{id}/timeline", $"/api/reviews/{id}/timeline?format=md", $"/api/reviews/{id}/feed.atom",
            $"/reviews/{id}", $"/reviews/{id}/timeline?page=1",
        ];
        var tags = new Dictionary<string, string>();
        foreach (var url in urls)
        {
            using var first = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.True(first.Headers.ETag is { IsWeak: true }, url);
            tags[url] = first.Headers.ETag!.ToString();
            using var again = await Conditional(client, url, tags[url]);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
            Assert.Equal(tags[url], again.Headers.ETag?.ToString());
        }

        // A refusal is never tagged; an entry recorded changes every tag.
        using (var refused = await client.GetAsync($"/api/reviews/{id}/state?asOf=atlantis"))
            Assert.Null(refused.Headers.ETag);
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"))));
        foreach (var url in urls)
        {
            using var changed = await Conditional(client, url, tags[url]);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.NotEqual(tags[url], changed.Headers.ETag?.ToString());
        }

        // The feed shows the checkpoints too: one sealed on request changes its tag, though the version stays.
        var feedUrl = $"/api/reviews/{id}/feed.atom";
        string feedTag;
        using (var feed = await client.GetAsync(feedUrl)) feedTag = feed.Headers.ETag!.ToString();
        Assert.True((await recorder.PostAsync($"/api/reviews/{id}/checkpoint", null)).IsSuccessStatusCode);
        using (var sealedSince = await Conditional(client, feedUrl, feedTag))
            Assert.Equal(HttpStatusCode.OK, sealedSince.StatusCode);

        // A page asked with a cookie may be a signed-in reader's own: it is not tagged.
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, $"/reviews/{id}");
        withCookie.Headers.Add("Cookie", "session=someone");
        using var personal = await client.SendAsync(withCookie);
        Assert.Null(personal.Headers.ETag);
    }

    private static async Task<HttpResponseMessage> Conditional(HttpClient client, string url, string tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", tag);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task text_answers_are_compressed_for_a_client_that_accepts_it(string encoding)
    {
        await Ssr2Data.ImportAsync(ledger);
        // A client of its own: the contract check reads bodies as text, and these are compressed.
        using var client = new HttpClient(ledger.Host.Server.CreateHandler()) { BaseAddress = ledger.Host.Server.BaseAddress };
        foreach (var url in new[] { "/reviews/ssr2", "/api/reviews/ssr2/state", "/api/reviews/ssr2/timeline?format=md",
                     "/api/reviews/ssr2/timeline?format=csv", "/api/reviews/ssr2/feed.atom", "/api/reviews/ssr2/timeline?format=html" })
        {
            var plain = await client.GetByteArrayAsync(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            using var response = await client.SendAsync(request);
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            var sent = await response.Content.ReadAsByteArrayAsync();
            Assert.True(sent.Length < plain.Length / 2, $"{url}: {sent.Length} bytes compressed, {plain.Length} plain");
            await using var decoder = encoding == "br"
                ? (Stream)new BrotliStream(new MemoryStream(sent), CompressionMode.Decompress)
                : new GZipStream(new MemoryStream(sent), CompressionMode.Decompress);
            var copy = new MemoryStream();
            await decoder.CopyToAsync(copy);
            Assert.Equal(plain, copy.ToArray());
        }
    }

    /// <summary>BREACH: an answer with a secret beside text a reader chose (an antiforgery token, a sign-in cookie) goes plain.</summary>
    [Fact]
    public void an_answer_that_may_carry_a_secret_is_never_compressed()
    {
        var provider = ledger.Host.Services.GetRequiredService<IResponseCompressionProvider>();
        Assert.IsType<Compression>(provider);
        HttpContext Html(Action<HttpContext> also)
        {
            var context = new DefaultHttpContext();
            context.Request.Headers.AcceptEncoding = "br";
            context.Response.ContentType = "text/html; charset=utf-8";
            also(context);
            return context;
        }
        Assert.True(provider.ShouldCompressResponse(Html(_ => { })));
        // What ASP.NET Core's antiforgery sets on every answer that carries a token.
        Assert.False(provider.ShouldCompressResponse(Html(c => c.Response.Headers.CacheControl = "no-cache, no-store")));
        Assert.False(provider.ShouldCompressResponse(Html(c => c.Response.Headers.SetCookie = "session=abc; HttpOnly")));
        Assert.False(provider.ShouldCompressResponse(Html(c => c.Features.Set<IHttpsCompressionFeature>(
            new HttpsCompression { Mode = HttpsCompressionMode.DoNotCompress }))));
    }

    private sealed class HttpsCompression : IHttpsCompressionFeature
    {
        public HttpsCompressionMode Mode { get; set; }
    }

    [Fact]
    public async Task a_knownAt_answer_is_remembered_and_stays_what_the_ledger_knew_then()
    {
        var id = Body.NewReviewId("known");
        var recorder = ledger.Recorder();
        await recorder.SeedAsync(id, "a1", "a2");
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-06-01T12:00:00Z", ("a1", "out-of-scope"))));
        var then = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        // Recorded later, effective earlier: the ledger did not know it then.
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d0", "2017-05-20T12:00:00Z", ("a2", "deferred"))));

        var url = $"/api/reviews/{id}/state?asOf=2017-07-01T00:00:00Z&knownAt={Uri.EscapeDataString(then.ToString("O"))}";
        var first = await ledger.Client().GetStringAsync(url);
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d3", "2017-05-21T12:00:00Z", ("a1", "in-scope"))));
        Assert.Equal(first, await ledger.Client().GetStringAsync(url));
        var state = System.Text.Json.JsonDocument.Parse(first).RootElement;
        var areas = state.GetProperty("areas").EnumerateArray().ToDictionary(a => a.GetProperty("areaId").GetString()!, a => a.GetProperty("status").GetString());
        Assert.Equal(("out-of-scope", "proposed"), (areas["a1"], areas["a2"]));

        // In the cache: the fold runs for the first question only.
        var cache = new ReviewCache(id);
        var folds = 0;
        ReviewState? Fold() { folds++; return new ReviewState { Id = id }; }
        var a = cache.StateKnownAt(3, 3, DateTimeOffset.MaxValue, Fold);
        var b = cache.StateKnownAt(3, 3, DateTimeOffset.MaxValue, Fold);
        cache.StateKnownAt(4, 4, DateTimeOffset.MaxValue, Fold);
        Assert.Same(a, b);
        Assert.Equal(2, folds);
    }

    [Fact]
    public async Task a_state_question_asked_again_is_the_same_bytes_until_an_entry_is_recorded_and_a_refusal_is_not_kept()
    {
        var id = Body.NewReviewId("rendered");
        var recorder = ledger.Recorder();
        await recorder.SeedAsync(id, "a1");
        var held = ledger.Host.Services.GetRequiredService<RenderedAnswers>();
        using var client = new HttpClient(ledger.Host.Server.CreateHandler()) { BaseAddress = ledger.Host.Server.BaseAddress };
        async Task<(byte[] Body, HttpResponseMessage Response)> Ask(string url, string? encoding = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (encoding is not null) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            var response = await client.SendAsync(request);
            return (await response.Content.ReadAsByteArrayAsync(), response);
        }

        // Two spellings of one question are one answer, byte for byte, plain and coded; the coded one is the plain one.
        var url = $"/api/reviews/{id}/state?asOf=2017-07-01T00:00:00Z&knownAt=2100-01-01T00:00:00Z";
        var (plain, first) = await Ask(url);
        Assert.Equal("application/json; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        Assert.True(held.Holds(k => k.ReviewId == id && k.Coding == "identity"));
        Assert.Equal(plain, (await Ask($"/api/reviews/{id}/state?knownAt=2100-01-01T01:00:00%2B01:00&asOf=2017-07-01T00:00:00.000Z")).Body);
        var (brotli, coded) = await Ask(url, "br");
        Assert.Equal(["br"], coded.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", coded.Headers.Vary);
        Assert.True(coded.Headers.ETag is { IsWeak: true });
        Assert.Equal(brotli, (await Ask(url, "br")).Body);
        var decoded = new MemoryStream();
        await new BrotliStream(new MemoryStream(brotli), CompressionMode.Decompress).CopyToAsync(decoded);
        Assert.Equal(plain, decoded.ToArray());
        // The tag still saves the client the answer.
        using (var again = await Conditional(client, url, first.Headers.ETag!.ToString()))
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);

        // An entry recorded is a new version: the answer shows it, never the one kept for the version before.
        var now = $"/api/reviews/{id}/state";
        var before = (await Ask(now)).Body;
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "out-of-scope"))));
        var after = JsonNode.Parse((await Ask(now)).Body)!;
        Assert.NotEqual(before, (await Ask(now)).Body);
        Assert.Equal("out-of-scope", (string?)after["areas"]!.AsArray().Single(a => (string?)a!["areaId"] == "a1")!["status"]);
        Assert.Equal((long)JsonNode.Parse(before)!["version"]! + 1, (long)after["version"]!);

        // A refusal is answered each time and never kept.
        var (_, refused) = await Ask($"/api/reviews/{id}/state?asOf=atlantis");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.False(held.Holds(k => k.ReviewId == id && k.Question.Contains("atlantis")));
        Assert.Equal(HttpStatusCode.NotFound, (await Ask($"/api/reviews/{id}/state?asOf=atlantis")).Response.StatusCode);
    }

    [Fact]
    public void rendered_answers_are_bounded_by_their_bytes_the_least_recently_asked_dropped_first()
    {
        var answers = new RenderedAnswers(ledger.Host.Services.GetRequiredService<IResponseCompressionProvider>(),
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Http.Json.JsonOptions()), budgetBytes: 100);
        RenderedAnswers.Key Key(int n) => new("r", 1, n.ToString(), "identity");
        answers.Keep(Key(1), new byte[40]);
        answers.Keep(Key(2), new byte[40]);
        Assert.NotNull(answers.Find(Key(1)));
        answers.Keep(Key(3), new byte[40]);
        // 120 bytes over a budget of 100: the one asked longest ago goes.
        Assert.Null(answers.Find(Key(2)));
        Assert.NotNull(answers.Find(Key(1)));
        Assert.NotNull(answers.Find(Key(3)));
        Assert.Equal(80, answers.BytesHeld);
        // One answer that would take more than half the budget is not kept at all.
        answers.Keep(Key(4), new byte[60]);
        Assert.Null(answers.Find(Key(4)));
        Assert.Equal(80, answers.BytesHeld);
    }

    [Fact]
    public async Task the_review_page_shows_the_latest_lines_and_links_to_the_rest_a_page_at_a_time()
    {
        var id = Body.NewReviewId("long");
        var lines = new List<string> { Body.Line("ReviewChartered", Body.Charter(id)) };
        // 260 topics agreed, one a week from 2017: one timeline line each, over five years.
        var start = new DateTimeOffset(2017, 3, 1, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 260; i++) lines.Add(Body.Line("TopicAreaAgreed", Body.Topic($"t{i}", start.AddDays(7 * i).ToString("O"))));
        var content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", content));

        var client = ledger.Client();
        var page = await client.GetStringAsync($"/reviews/{id}");
        var section = page[page.IndexOf("<section id=\"timeline\"", StringComparison.Ordinal)..];
        Assert.Equal(TimelinePagesRecent, Count(section, "<li class=\"entry"));
        Assert.Contains("Topic t259", section);
        Assert.DoesNotContain("Topic t10<", section);
        foreach (var year in new[] { 2017, 2018, 2019, 2020, 2021 })
            Assert.Contains($"href=\"/reviews/{id}/timeline?year={year}\"", section);

        // Every line, 200 a page, the pages linked to each other; a year is a page of its own.
        var first = await client.GetStringAsync($"/reviews/{id}/timeline");
        Assert.Contains("page 1 of 2 (261 lines)", first);
        Assert.Equal(200, Count(first, "<li class=\"entry"));
        Assert.Contains($"href=\"/reviews/{id}/timeline?page=2\"", first);
        var second = await client.GetStringAsync($"/reviews/{id}/timeline?page=2");
        Assert.Equal(61, Count(second, "<li class=\"entry"));
        Assert.Contains("Topic t259", second);
        var year2018 = await client.GetStringAsync($"/reviews/{id}/timeline?year=2018");
        Assert.Equal(Enumerable.Range(0, 260).Count(i => start.AddDays(7 * i).Year == 2018), Count(year2018, "<li class=\"entry"));
        Assert.Contains("2018", year2018);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/reviews/{Body.NewReviewId()}/timeline")).StatusCode);
    }

    private const int TimelinePagesRecent = Ssr2Ledger.Pages.TimelinePages.Recent;

    private static int Count(string text, string what)
    {
        var (count, at) = (0, 0);
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) (count, at) = (count + 1, at + what.Length);
        return count;
    }
}
