using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Access;
using Ssr2Ledger.Database;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Reliability;

/// <summary>
/// What a hostile key holder or a proxy could still do (issue 19): each request gets its 4xx problem, nothing is
/// recorded, and the feed and the pages go on answering.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class HostileKeyHolderTests(LedgerFixture ledger)
{
    private const string At = "2017-06-01T00:00:00Z";

    [Theory]
    [InlineData("fresh\n")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("x\r\nSet-Cookie: y=1")]
    [InlineData("caf\u00e9")]
    [InlineData("ssr\u202e2")]
    [InlineData("-leading")]
    public async Task chartering_a_review_with_an_odd_id_is_a_clean_400_that_leaves_nothing_behind(string odd)
    {
        var key = $"k-{Guid.NewGuid():N}";
        var refused = await Send(ledger.Recorder(), "/api/reviews", Body.Charter(odd), key);
        var problem = await Body.Problem(refused, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reviewId", out _), problem.ToString());
        Assert.Equal(0, await ledger.EntryCountAsync(odd));

        // Nothing was kept for the Idempotency-Key either: the same key with a good charter records it.
        var id = Body.NewReviewId();
        await Body.Created(await Send(ledger.Recorder(), "/api/reviews", Body.Charter(id), key));
        Assert.Equal(1, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_charter_answers_with_a_location_built_from_the_validated_id()
    {
        var id = Body.NewReviewId();
        var created = await ledger.Recorder().PostAsync("/api/reviews", Body.Charter(id));
        await Body.Created(created);
        Assert.Equal($"/api/reviews/{id}/events?after=0&limit=1", created.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("topics", "fresh%0A")]
    [InlineData("topics", "a%20b")]
    [InlineData("import", "ssr%E2%80%AE2")]
    public async Task a_review_id_in_the_path_that_cannot_be_one_is_refused_before_the_body_is_read(string route, string path)
    {
        HttpContent content = route == "import"
            ? new StringContent(Body.Line("TopicAreaAgreed", Body.Topic("t1")), Encoding.UTF8, "application/x-ndjson")
            : JsonContent.Create(Body.Topic("t1"));
        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{path}/{route}", content), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reviewId", out _), problem.ToString());
        Assert.Equal(0, await ledger.EntryCountAsync(Uri.UnescapeDataString(path)));
    }

    [Theory]
    [InlineData("areas", "areaId", "a\u202eb")]
    [InlineData("areas", "areaId", "a\u2066b\u2069")]
    [InlineData("areas", "areaId", "\u200ea1")]
    [InlineData("topics", "topicId", "t\u061c1")]
    [InlineData("areas", "areaId", "a1\n")]
    public async Task ids_with_bidi_controls_or_a_line_end_are_refused(string route, string field, string id)
    {
        var review = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(review, "a1");
        var body = route == "areas" ? Body.Area(id, "t1") : Body.Topic(id);
        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{review}/{route}", body), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(3, await ledger.EntryCountAsync(review));
    }

    [Theory]
    [InlineData("title", "a\uffffb")]
    [InlineData("title", "a\ufffeb")]
    [InlineData("title", "bell\u0007")]
    [InlineData("description", "x\u001by")]
    public async Task text_that_xml_cannot_carry_is_refused_at_input(string field, string text)
    {
        var review = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(review);
        var topic = Body.Topic("t2");
        topic[field] = text;
        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{review}/topics", topic), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(2, await ledger.EntryCountAsync(review));
    }

    [Fact]
    public async Task text_stored_by_an_earlier_version_that_xml_cannot_carry_leaves_the_feed_pages_and_exports_answering()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var bad = await RecordAsEarlierVersionAsync(id, "Kept \uffff out \u0001 of \ufffe scope");

        await EverythingAnswersAsync(id, "Kept \ufffd out \ufffd of \ufffd scope");

        // Retracting the entry, or correcting it, keeps the feed answering.
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/retractions",
            new JsonObject { ["retractsEventId"] = bad.ToString(), ["reason"] = "recorded in error", ["effectiveAt"] = At }));
        await EverythingAnswersAsync(id, "Kept \ufffd out");

        var other = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(other, "a1");
        var corrected = await RecordAsEarlierVersionAsync(other, "Bad \uffff rationale");
        var decision = Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"));
        decision["rationale"] = "A good rationale";
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{other}/corrections",
            new JsonObject { ["correctsEventId"] = corrected.ToString(), ["reason"] = "typo", ["corrected"] = decision, ["effectiveAt"] = At }));
        await EverythingAnswersAsync(other, "A good rationale");
    }

    [Fact]
    public async Task bidi_controls_in_text_are_isolated_in_html_and_spelled_out_in_the_exports()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var decision = Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "out-of-scope"));
        decision["rationale"] = "Approved \u202eby nobody\u202c, said \u2067the chair\u2069";
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/scope-decisions", decision));

        var client = ledger.Client();
        var page = await client.GetStringAsync($"/reviews/{id}");
        Assert.Contains("<bdi>Approved \u202eby nobody\u202c, said \u2067the chair\u2069</bdi>", page);
        var html = await client.GetStringAsync($"/api/reviews/{id}/timeline?format=html");
        Assert.Contains("<bdi>Approved \u202eby nobody", html);
        foreach (var format in new[] { "md", "csv" })
        {
            var export = await client.GetStringAsync($"/api/reviews/{id}/timeline?format={format}");
            Assert.DoesNotContain(export, c => Ssr2Ledger.Timeline.ShownText.IsBidiControl(c));
            Assert.Contains("U+202E", export);
            Assert.Contains("U+2069", export);
        }
        var feed = await client.GetStringAsync($"/api/reviews/{id}/feed.atom");
        Assert.DoesNotContain(feed, c => Ssr2Ledger.Timeline.ShownText.IsBidiControl(c));
        Assert.Contains("Approved [U+202E]by nobody[U+202C], said [U+2067]the chair[U+2069]", feed);
    }

    [Fact]
    public async Task an_import_line_longer_than_one_entry_is_refused_with_413_and_nothing_recorded()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var topic = Body.Topic("t2");
        topic["description"] = new string('x', (int)WriteEndpoints.MaxEntryBytes + 10);
        var ndjson = Body.Line("TopicAreaAgreed", Body.Topic("t3")) + "\n" + Body.Line("TopicAreaAgreed", topic) + "\n";

        var response = await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

        var problem = await Body.Problem(response, 413);
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 2", out _), problem.ToString());
        Assert.Equal(2, await ledger.EntryCountAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await ledger.Client().GetAsync($"/api/reviews/{id}/feed.atom")).StatusCode);
    }

    [Fact]
    public async Task an_import_reads_no_more_than_one_entry_of_a_line_that_never_ends()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var body = new EndlessLine(64L << 20);

        var result = await Importer().ImportAsync(new ImportHistory(id, "test"), body, null, CancellationToken.None);

        Assert.Null(result.Answer);
        Assert.Equal(413, Assert.Single(result.Refusals).Status);
        Assert.InRange(body.Taken, WriteEndpoints.MaxEntryBytes, WriteEndpoints.MaxEntryBytes + (256 << 10));
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task an_import_into_an_unknown_review_reads_only_its_first_line_to_answer_404()
    {
        var id = Body.NewReviewId();
        var first = Encoding.UTF8.GetBytes(Body.Line("TopicAreaAgreed", Body.Topic("t1")) + "\n");
        var body = new EndlessLine(64L << 20, first);

        var result = await Importer().ImportAsync(new ImportHistory(id, "test"), body, null, CancellationToken.None);

        Assert.Equal(404, Assert.Single(result.Refusals).Status);
        Assert.True(body.Taken < 256 << 10, $"{body.Taken} bytes read");
        Assert.Equal(0, await ledger.EntryCountAsync(id));

        // Over HTTP: 404, and a review whose first line charters it is imported as before.
        var lines = Body.Line("TopicAreaAgreed", Body.Topic("t1")) + "\n" + Body.Line("ReviewChartered", Body.Charter(id)) + "\n";
        await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import",
            new StringContent(lines, Encoding.UTF8, "application/x-ndjson")), 404);
        await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import",
            new StringContent("{ not json\n" + lines, Encoding.UTF8, "application/x-ndjson")), 404);
        Assert.Equal(0, await ledger.EntryCountAsync(id));
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", new StringContent(
            Body.Line("ReviewChartered", Body.Charter(id)) + "\n" + Body.Line("TopicAreaAgreed", Body.Topic("t1")) + "\n",
            Encoding.UTF8, "application/x-ndjson")));
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task an_import_whose_body_fails_half_way_leaves_nothing_behind()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var lines = string.Concat(Enumerable.Range(0, 300).Select(i => Body.Line("TopicAreaAgreed", Body.Topic($"t{i + 2}")) + "\n"));
        var body = new FailingAfter(Encoding.UTF8.GetBytes(lines));

        await Assert.ThrowsAnyAsync<IOException>(() =>
            Importer().ImportAsync(new ImportHistory(id, "test", IdempotencyKey: "half"), body, null, CancellationToken.None));

        Assert.Equal(2, await ledger.EntryCountAsync(id));
        // Nor was the Idempotency-Key kept: the same import, whole this time, is recorded.
        var whole = await Importer().ImportAsync(new ImportHistory(id, "test", IdempotencyKey: "half"),
            new MemoryStream(Encoding.UTF8.GetBytes(lines)), null, CancellationToken.None);
        Assert.Equal(300, whole.Answer?.Imported);
        Assert.Equal(302, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task another_key_holder_sending_the_same_idempotency_key_and_body_does_not_receive_the_first_answer()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var other = ledger.Client(await ApiKeys.CreateAsync(Store, "other-secretariat", Roles.Recorder));
        var key = $"k-{Guid.NewGuid():N}";

        var first = await Body.Created(await Send(ledger.Recorder(), $"/api/reviews/{id}/topics", Body.Topic("t2"), key));
        var theirs = await Body.Problem(await Send(other, $"/api/reviews/{id}/topics", Body.Topic("t2"), key), 409);
        Assert.DoesNotContain(first.GetProperty("eventId").GetString()!, theirs.ToString());
        var again = await Body.Created(await Send(ledger.Recorder(), $"/api/reviews/{id}/topics", Body.Topic("t2"), key));
        Assert.Equal(first.ToString(), again.ToString());
        Assert.Equal(3, await ledger.EntryCountAsync(id));

        // The key is the caller's within one review: the same key in another review is a new request.
        var elsewhere = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(elsewhere);
        var there = await Body.Created(await Send(ledger.Recorder(), $"/api/reviews/{elsewhere}/topics", Body.Topic("t2"), key));
        Assert.NotEqual(first.GetProperty("eventId").GetString(), there.GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task an_idempotency_record_kept_by_an_earlier_version_still_answers_its_own_recorder_only()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var path = $"/api/reviews/{id}/topics";
        var body = JsonSerializer.SerializeToUtf8Bytes(Body.Topic("t2"));
        var recorded = await Body.Created(await ledger.Recorder().PostAsync(path, Json(body)));
        // As an earlier version kept it: review/key, no caller.
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(path), .. body]));
        await using (var session = Store.LightweightSession())
        {
            session.Insert(new IdempotentWrite(IdempotentWrite.IdFor(id, null, "old-key"), fingerprint, [recorded.GetProperty("eventId").GetGuid()]));
            await session.SaveChangesAsync();
        }

        var replayed = await Body.Created(await Send(ledger.Recorder(), path, Json(body), "old-key"));
        Assert.Equal(recorded.ToString(), replayed.ToString());
        var other = ledger.Client(await ApiKeys.CreateAsync(Store, "someone-else", Roles.Recorder));
        await Body.Problem(await Send(other, path, Json(body), "old-key"), 409);
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_key_limited_to_one_review_cannot_record_in_another()
    {
        var mine = Body.NewReviewId();
        var theirs = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(theirs);
        var limited = ledger.Client(await ApiKeys.CreateAsync(Store, "mine-secretariat", Roles.Recorder, reviews: [mine]));

        await Body.Created(await limited.PostAsync("/api/reviews", Body.Charter(mine)));
        await Body.Created(await limited.PostAsync($"/api/reviews/{mine}/topics", Body.Topic("t1")));
        Assert.Contains(mine, (await Body.Problem(await limited.PostAsync($"/api/reviews/{theirs}/topics", Body.Topic("t9")), 403))
            .GetProperty("detail").GetString());
        await Body.Problem(await limited.PostAsync($"/api/reviews/{theirs}/events",
            new JsonObject { ["type"] = "TopicAreaAgreed", ["data"] = Body.Topic("t9") }), 403);
        await Body.Problem(await limited.PostAsync($"/api/reviews/{theirs}/import",
            new StringContent(Body.Line("TopicAreaAgreed", Body.Topic("t9")), Encoding.UTF8, "application/x-ndjson")), 403);
        var third = Body.NewReviewId();
        await Body.Problem(await limited.PostAsync("/api/reviews", Body.Charter(third)), 403);

        Assert.Equal(2, await ledger.EntryCountAsync(theirs));
        Assert.Equal(2, await ledger.EntryCountAsync(mine));
        Assert.Equal(0, await ledger.EntryCountAsync(third));
    }

    [Fact]
    public async Task csv_cells_starting_with_a_tab_or_a_carriage_return_are_defused()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1", "a2");
        var first = Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"));
        first["rationale"] = "\t=HYPERLINK(\"http://evil.example\")";
        var second = Body.Decision("d2", "2017-05-16T12:00:00Z", ("a2", "in-scope"));
        second["rationale"] = "\r=1+1";
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/scope-decisions", first));
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/scope-decisions", second));

        var csv = await ledger.Client().GetStringAsync($"/api/reviews/{id}/timeline?format=csv");

        Assert.Contains(",\"'\t=HYPERLINK(\"\"http://evil.example\"\")\",", csv);
        Assert.Contains(",\"'\r=1+1\",", csv);
    }

    [Fact]
    public async Task the_html_timeline_export_carries_the_pages_security_headers()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        using var response = await ledger.Client().GetAsync($"/api/reviews/{id}/timeline?format=html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task a_401_names_the_bearer_scheme()
    {
        using var anonymous = await ledger.Client().PostAsync("/api/reviews", Body.Charter(Body.NewReviewId()));
        await Body.Problem(anonymous, 401);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        using var unknown = await ledger.Client("not-a-key").PostAsync("/api/reviews", Body.Charter(Body.NewReviewId()));
        await Body.Problem(unknown, 401);
        Assert.Equal("Bearer error=\"invalid_token\"", unknown.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task problem_documents_are_not_sniffed()
    {
        using var response = await ledger.Client().GetAsync($"/api/reviews/{Body.NewReviewId()}/state?asOf=%3Cscript%3Ealert(1)%3C/script%3E");
        await Body.Problem(response, 404);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task a_request_line_or_headers_over_the_limits_get_problem_documents()
    {
        var id = Body.NewReviewId();
        using var longLine = await ledger.Client().GetAsync($"/api/reviews/{id}/state?asOf={new string('x', 9000)}");
        await Body.Problem(longLine, 414);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/reviews/{id}/state");
        for (var i = 0; i < 5; i++) request.Headers.TryAddWithoutValidation($"X-Padding-{i}", new string('y', 8000));
        using var bigHeaders = await ledger.Client().SendAsync(request);
        await Body.Problem(bigHeaders, 431);
    }

    [Fact]
    public async Task a_write_without_a_content_type_is_refused_with_415()
    {
        var id = Body.NewReviewId();
        var charter = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(Body.Charter(id)));
        await Body.Problem(await ledger.Recorder().PostAsync("/api/reviews", charter), 415);
        var import = new ByteArrayContent(Encoding.UTF8.GetBytes(Body.Line("ReviewChartered", Body.Charter(id))));
        await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", import), 415);
        Assert.Equal(0, await ledger.EntryCountAsync(id));
    }

    private IDocumentStore Store => ledger.Host.Services.GetRequiredService<IDocumentStore>();

    private HistoryImporter Importer() => ledger.Host.Services.GetRequiredService<HistoryImporter>();

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string url, JsonNode body, string idempotencyKey) =>
        await Send(client, url, JsonContent.Create(body), idempotencyKey);

    private static async Task<HttpResponseMessage> Send(HttpClient client, string url, HttpContent body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>A scope decision with a rationale today's input checks refuse, recorded as an earlier version could.</summary>
    private async Task<Guid> RecordAsEarlierVersionAsync(string reviewId, string rationale)
    {
        var loop = ledger.Host.Services.GetRequiredService<RecordingLoop>();
        var decision = new ScopeDecided("d1", [new AreaChange("a1", ScopeStatus.InScope)], rationale, "ToR section 3", DecisionMethod.Consensus)
            { EffectiveAt = new DateTimeOffset(2017, 5, 15, 12, 0, 0, TimeSpan.Zero) };
        var outcome = await loop.RecordAsync(new RecordingRequest(reviewId, "earlier-version", null, null, () => "", null),
            _ => new[] { new Proposal(1, decision, []) }.ToAsyncEnumerable(),
            connection => new CopySink(connection, ledger.Host.Services.GetRequiredService<LedgerDatabase>().DataSource, loop.Schema,
                _ => ValueTask.FromResult(1)), null, CancellationToken.None);
        return Assert.IsType<Recorded>(outcome).Last.EventId;
    }

    /// <summary>The feed (well-formed XML), the pages and every export answer, showing the text safely.</summary>
    private async Task EverythingAnswersAsync(string reviewId, string shown)
    {
        var client = ledger.Client();
        var feed = await client.GetAsync($"/api/reviews/{reviewId}/feed.atom");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var atom = XDocument.Parse(await feed.Content.ReadAsStringAsync());
        Assert.Contains(shown, atom.ToString());
        foreach (var url in new[] { $"/reviews/{reviewId}", $"/api/reviews/{reviewId}/timeline?format=html",
                     $"/api/reviews/{reviewId}/timeline?format=md", $"/api/reviews/{reviewId}/timeline?format=csv",
                     $"/api/reviews/{reviewId}/timeline", $"/api/reviews/{reviewId}/state", "/" })
        {
            using var answer = await client.GetAsync(url);
            Assert.True(answer.IsSuccessStatusCode, $"{url}: {(int)answer.StatusCode}");
            if (!url.EndsWith("/timeline") && !url.EndsWith("/state") && url != "/")
                Assert.Contains(shown, await answer.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A body whose connection breaks once the given bytes have been read.</summary>
    private sealed class FailingAfter(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            base.Read(buffer, offset, count) is > 0 and var n ? n : throw new IOException("The client went away.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            await base.ReadAsync(buffer, cancellationToken) is > 0 and var n ? n : throw new IOException("The client went away.");
    }

    /// <summary>A body that counts what is read of it: an optional first line, then one line of x's with no end.</summary>
    private sealed class EndlessLine(long length, byte[]? first = null) : Stream
    {
        public long Taken { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Taken);
            for (var i = 0; i < n; i++)
            {
                var at = Taken + i;
                buffer[offset + i] = first is not null && at < first.Length ? first[at] : (byte)'x';
            }
            Taken += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => Taken; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
