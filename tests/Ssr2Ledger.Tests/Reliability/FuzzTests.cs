using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Reliability;

/// <summary>
/// Hostile input: generated requests of every wrong shape against every write route. None may be answered with a
/// 5xx, every refusal must be a problem document, and nothing refused may be appended.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class FuzzTests(LedgerFixture ledger)
{
    private static readonly string[] Routes =
    [
        "events", "import", "members", "member-role-changes", "member-departures", "meetings", "meetings-held", "meeting-cancellations",
        "staff-briefings", "terms-of-reference", "terms-of-reference-amendments", "terms-of-reference-adoptions", "work-plans",
        "board-resolutions", "board-deliveries", "board-actions", "pauses", "resumptions", "topics", "areas", "scope-decisions",
        "subteams", "subteam-assignments", "subteam-dissolutions", "community-input", "recommendations", "recommendation-revisions",
        "recommendation-adoptions", "recommendation-withdrawals", "corrections", "retractions",
    ];

    private static readonly string[] Fields =
    [
        "effectiveAt", "areaId", "topicId", "title", "decisionId", "changes", "rationale", "basis", "method", "meetingId", "version",
        "memberId", "role", "startsAt", "endsAt", "format", "attendees", "observers", "type", "data", "correctsEventId", "corrected",
        "recommendationId", "resolutionId", "deliverable", "items", "areaIds", "subteamId", "members", "supersedes", "name",
    ];

    private static JsonNode? Value(Random random, int depth = 0) => random.Next(20) switch
    {
        16 => "d1\n", // a look-alike id with a trailing newline
        17 => random.Next(2) == 0 ? "non-character \uFFFE" : "non-character \uFFFF",
        18 => new[] { "a\u202Eb", "\u2066x\u2069", "\u200Fd1", "t\u061C1", "\u202Aembedded\u202C" }[random.Next(5)], // bidi controls
        19 => "mtg1\r\n",
        0 => null,
        1 => random.Next(),
        2 => -1e308 * random.NextDouble(),
        3 => true,
        4 => new string('x', random.Next(1, 30_000)),
        5 => "../../etc/passwd",
        6 => "'; drop table ledger.mt_events; --",
        7 => "<script>alert(1)</script>",
        8 => "\u0000\u0001\u001f control",
        9 => "9999-99-99T99:99:99Z",
        10 => "0001-01-01T00:00:00Z",
        11 => depth < 60 ? new JsonArray(Value(random, depth + 1), Value(random, depth + 1)) : 1,
        12 => depth < 60 ? new JsonObject { [Fields[random.Next(Fields.Length)]] = Value(random, depth + 1) } : 1,
        13 => new JsonArray(Enumerable.Range(0, random.Next(1, 7000)).Select(i => (JsonNode)$"a{i}").ToArray()),
        14 => "in-scope",
        _ => "2017-05-15T12:00:00Z",
    };

    private static byte[] Body(Random random)
    {
        switch (random.Next(10))
        {
            case 0: return [0xff, 0xfe, 0xc3, 0x28, (byte)'{', 0xa0, 0xa1]; // invalid UTF-8
            case 1: return Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)); // deep nesting
            case 2: return Encoding.UTF8.GetBytes("{\"type\": \"ScopeDecided\", \"data\": " + new string('{', 200));
            case 3: return [];
        }
        var body = new JsonObject();
        for (var i = random.Next(0, 8); i > 0; i--) body[Fields[random.Next(Fields.Length)]] = Value(random);
        if (random.Next(3) == 0) body["type"] = random.Next(2) == 0 ? "ScopeDecided" : "No/Such\\Type";
        if (random.Next(3) == 0) body["data"] = Value(random);
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    [Fact]
    public async Task a_thousand_hostile_requests_get_no_5xx_and_append_nothing()
    {
        var id = Support.Body.NewReviewId("fuzz");
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var before = await ledger.EntryCountAsync(id);
        var random = new Random(20261125);
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < 1000; i++)
        {
            var route = Routes[random.Next(Routes.Length)];
            var reviewId = random.Next(20) == 0 ? "..%2F..%2Fetc" : random.Next(20) == 0 ? new string('r', 300)
                : random.Next(20) == 0 ? Uri.EscapeDataString(id + (random.Next(2) == 0 ? "\n" : "\u202E")) : id;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{reviewId}/{route}") { Content = new ByteArrayContent(Body(random)) };
            if (random.Next(25) > 0)
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(random.Next(5) == 0 ? "text/plain" : "application/json");
            if (random.Next(10) == 0) request.Headers.TryAddWithoutValidation("If-Match", random.Next(2) == 0 ? "\"abc\"" : "-5");
            if (random.Next(10) == 0) request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', random.Next(1, 400)));

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"request {i} to {route} answered {status}: {text}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(status, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
            }
        }

        Assert.Equal(before, await ledger.EntryCountAsync(id));
        Assert.DoesNotContain(statuses.Keys, s => s is >= 200 and < 300);
    }

    [Fact]
    public async Task hostile_requests_in_parallel_across_every_route_get_no_5xx()
    {
        // Reading every kind of entry at once, as many clients do: nothing shared may break under it.
        var id = Support.Body.NewReviewId("fuzz");
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var random = new Random(7);
        var bodies = Enumerable.Range(0, 320).Select(_ => (Route: Routes[random.Next(Routes.Length)], Body: Body(random))).ToList();
        foreach (var batch in bodies.Chunk(32))
        {
            var answers = await Task.WhenAll(batch.Select(b =>
            {
                var content = new ByteArrayContent(b.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return client.PostAsync($"/api/reviews/{id}/{b.Route}", content);
            }));
            Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{(int)a.StatusCode}"));
        }
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }
}
