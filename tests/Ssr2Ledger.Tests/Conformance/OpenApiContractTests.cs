using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Conformance;

/// <summary>
/// Every answer of the tests' clients is checked against /openapi/v1.json (<see cref="ContractCheckingHandler"/>);
/// here every route is called, with each error it can give, so the whole document is exercised in one place.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class OpenApiContractTests(LedgerFixture ledger)
{
    [Fact]
    public async Task every_route_and_every_error_it_can_give_answers_as_the_document_says()
    {
        var id = Body.NewReviewId();
        var recorder = ledger.Recorder();
        var anonymous = ledger.Client();

        // Writes: recorded, refused for each reason the pipeline has.
        await Body.Created(await recorder.PostAsync("/api/reviews", Body.Charter(id)));
        await Body.Problem(await recorder.PostAsync("/api/reviews", Body.Charter(id)), 409);
        await Body.Problem(await recorder.PostAsync("/api/reviews", new JsonObject()), 400);
        await Body.Problem(await anonymous.PostAsync("/api/reviews", Body.Charter(Body.NewReviewId())), 401);
        await Body.Problem(await ledger.Client(ledger.ReaderKey).PostAsync("/api/reviews", Body.Charter(Body.NewReviewId())), 403);
        await Body.Problem(await recorder.PostAsync("/api/reviews", new StringContent("{}", Encoding.UTF8, "text/plain")), 415);
        await Body.Problem(await recorder.PostAsync($"/api/reviews/{id}/topics",
            new StringContent($"{{\"note\":\"{new string('x', 1_100_000)}\"}}", Encoding.UTF8, "application/json")), 413);
        await Body.Problem(await recorder.PostAsync($"/api/reviews/{Body.NewReviewId()}/topics", Body.Topic("t0")), 404);
        await Body.Created(await Send(recorder, $"/api/reviews/{id}/topics", Body.Topic("t1"), ("Idempotency-Key", $"{id}-k")));
        await Body.Problem(await Send(recorder, $"/api/reviews/{id}/topics", Body.Topic("t2"), ("Idempotency-Key", $"{id}-k")), 422);
        await Body.Problem(await Send(recorder, $"/api/reviews/{id}/topics", Body.Topic("t3"), ("If-Match", "1")), 409);
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/events",
            new JsonObject { ["type"] = "AreaOfInterestIdentified", ["data"] = Body.Area("a1", "t1") }));
        await Body.Problem(await recorder.PostAsync($"/api/reviews/{id}/events", new JsonObject { ["type"] = "Gossip", ["data"] = new JsonObject() }), 400);
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("m1")));
        await Body.Created(await recorder.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"))));
        // Every typed route, generated from the catalog, refuses an empty entry with its field errors.
        var kinds = await anonymous.GetFromJsonAsync<JsonElement>("/api/event-types");
        foreach (var kind in kinds.EnumerateArray())
        {
            var route = kind.GetProperty("route").GetString()!.Replace("{reviewId}", id);
            var problem = await Body.Problem(await recorder.PostAsync(route, new JsonObject()), 400);
            Assert.True(problem.TryGetProperty("errors", out _), problem.ToString());
        }

        // Import: all lines or none.
        var imported = Body.NewReviewId();
        await Body.Created(await Import(recorder, imported, Body.Line("ReviewChartered", Body.Charter(imported)), Body.Line("TopicAreaAgreed", Body.Topic("t1"))));
        await Body.Problem(await Import(recorder, imported, Body.Line("TopicAreaAgreed", Body.Topic("t1"))), 409);
        await Body.Problem(await Import(recorder, imported, "{ not json"), 400);
        await Body.Problem(await Import(anonymous, imported, Body.Line("TopicAreaAgreed", Body.Topic("t9"))), 401);
        await Body.Problem(await recorder.PostAsync($"/api/reviews/{imported}/import", new StringContent("{}", Encoding.UTF8, "text/plain")), 415);
        await Body.Problem(await Import(recorder, Body.NewReviewId(), Body.Line("TopicAreaAgreed", Body.Topic("t1"))), 404);
        var limited = ledger.Client(await Ssr2Ledger.Access.ApiKeys.CreateAsync(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Marten.IDocumentStore>(ledger.Host.Services),
            "contract-limited", Ssr2Ledger.Access.Roles.Recorder, reviews: [Body.NewReviewId()]));
        await Body.Problem(await Import(limited, imported, Body.Line("TopicAreaAgreed", Body.Topic("t9"))), 403);
        await Body.Problem(await recorder.PostAsync($"/api/reviews/{imported}/import", new ByteArrayContent("{}"u8.ToArray())), 415);

        // Checkpoints and proofs: an entry has no proof file until a checkpoint covers it; one sealed on demand does.
        var missing = Body.NewReviewId();
        await Body.Problem(await anonymous.GetAsync($"/api/reviews/{id}/checkpoint"), 404);
        await Body.Problem(await anonymous.GetAsync($"/api/reviews/{id}/proofs/entry/1"), 409);
        await Body.Problem(await anonymous.PostAsync($"/api/reviews/{id}/checkpoint", null), 401);
        await Body.Problem(await ledger.Client(ledger.ReaderKey).PostAsync($"/api/reviews/{id}/checkpoint", null), 403);
        await Body.Problem(await recorder.PostAsync($"/api/reviews/{missing}/checkpoint", null), 404);
        Assert.True((await recorder.PostAsync($"/api/reviews/{id}/checkpoint", null)).IsSuccessStatusCode);

        // Reads, with their refusals.
        string[] ok =
        [
            "/api/reviews", "/api/event-types", "/health", "/api/ledger/public-key", "/api/ledger/digest",
            $"/api/reviews/{id}/state", $"/api/reviews/{id}/state?asOf=m1&knownAt=2100-01-01T00:00:00Z&version=4",
            $"/api/reviews/{id}/scope/decisions?asOf=m1", $"/api/reviews/{id}/scope/diff?from=2017-01-01T00:00:00Z&to=m1",
            $"/api/reviews/{id}/areas/a1/history", $"/api/reviews/{id}/events?after=1&limit=2", $"/api/reviews/{id}/verify",
            $"/api/reviews/{id}/checkpoints", $"/api/reviews/{id}/feed.atom",
            $"/api/reviews/{id}/timeline", $"/api/reviews/{id}/timeline?format=md", $"/api/reviews/{id}/timeline?format=html",
            $"/api/reviews/{id}/timeline?format=csv&kinds=scope", "/api/ledger/verifier-key", $"/api/reviews/{id}/checkpoint",
            $"/api/reviews/{id}/proofs/inclusion?version=1&treeSize=2", $"/api/reviews/{id}/proofs/consistency?from=1&to=2",
            $"/api/reviews/{id}/proofs/entry/1", "/api/ledger/witnesses", $"/api/reviews/{id}/cosignatures",
            $"/api/reviews/{id}/scope/audit", $"/api/reviews/{id}/scope/audit?format=md&from=2017-01-01T00:00:00Z",
            $"/api/reviews/{id}/scope/audit?format=html&to=m1", $"/api/reviews/{id}/scope/audit?format=csv",
        ];
        foreach (var url in ok)
        {
            using var answer = await anonymous.GetAsync(url);
            Assert.True(answer.IsSuccessStatusCode, $"{url}: {(int)answer.StatusCode}");
        }
        foreach (var url in new[] { $"/api/reviews/{id}/state?knownAt=yesterday", $"/api/reviews/{id}/scope/decisions?version=0",
                     $"/api/reviews/{id}/scope/diff?from=m1", $"/api/reviews/{id}/events?limit=0", $"/api/reviews/{id}/timeline?format=pdf",
                     $"/api/reviews/{id}/scope/audit?format=pdf", $"/api/reviews/{id}/scope/audit?from=2018-01-01T00:00:00Z&to=m1",
                     $"/api/reviews/{id}/proofs/inclusion?version=9&treeSize=2", $"/api/reviews/{id}/proofs/consistency?from=3&to=2" })
            await Body.Problem(await anonymous.GetAsync(url), 400);
        foreach (var url in new[] { $"/api/reviews/{missing}/state", $"/api/reviews/{id}/state?asOf=atlantis", $"/api/reviews/{missing}/scope/decisions",
                     $"/api/reviews/{missing}/scope/diff?from=m1&to=m1", $"/api/reviews/{id}/areas/nowhere/history", $"/api/reviews/{missing}/events",
                     $"/api/reviews/{missing}/verify", $"/api/reviews/{missing}/checkpoints", $"/api/reviews/{missing}/timeline",
                     $"/api/reviews/{missing}/feed.atom", $"/api/reviews/{missing}/scope/audit", $"/api/reviews/{id}/scope/audit?from=atlantis",
                     $"/api/reviews/{missing}/checkpoint", $"/api/reviews/{id}/proofs/entry/999",
                     $"/api/reviews/{missing}/proofs/inclusion?version=1", $"/api/reviews/{missing}/proofs/consistency?from=1",
                     $"/api/reviews/{missing}/cosignatures" })
            await Body.Problem(await anonymous.GetAsync(url), 404);

        // Every operation of the document was called, and each refusal above was checked against it.
        var seen = ledger.Contract.Seen;
        Assert.All(ledger.Contract.Operations, operation => Assert.Contains(seen, s => s.StartsWith(operation + " ", StringComparison.Ordinal)));
        string[] refusals =
        [
            "POST /api/reviews 400", "POST /api/reviews 401", "POST /api/reviews 403", "POST /api/reviews 409", "POST /api/reviews 415",
            "POST /api/reviews/{reviewId}/topics 404", "POST /api/reviews/{reviewId}/topics 409", "POST /api/reviews/{reviewId}/topics 413",
            "POST /api/reviews/{reviewId}/topics 422", "POST /api/reviews/{reviewId}/import 400", "POST /api/reviews/{reviewId}/import 401",
            "POST /api/reviews/{reviewId}/import 409", "POST /api/reviews/{reviewId}/import 415",
            "POST /api/reviews/{reviewId}/import 403", "POST /api/reviews/{reviewId}/import 404", "GET /api/reviews/{reviewId}/timeline 400",
            "GET /api/reviews/{reviewId}/feed.atom 404", "GET /api/reviews/{reviewId}/scope/audit 400",
            "GET /api/reviews/{reviewId}/scope/audit 404", "GET /api/reviews/{reviewId}/proofs/inclusion 400",
            "GET /api/reviews/{reviewId}/proofs/consistency 400", "GET /api/reviews/{reviewId}/proofs/entry/{version} 409",
            "POST /api/reviews/{reviewId}/checkpoint 401", "POST /api/reviews/{reviewId}/checkpoint 403",
            "POST /api/reviews/{reviewId}/checkpoint 404", "GET /api/reviews/{reviewId}/checkpoint 404",
        ];
        Assert.All(refusals, refusal => Assert.Contains(refusal, seen));
    }

    [Fact]
    public void the_contract_refuses_what_the_document_does_not_describe()
    {
        var contract = ledger.Contract;
        Assert.Null(contract.Check("GET", "/api/reviews", 200, "application/json", """[{"reviewId":"a","name":"A","status":"active","version":1}]"""));
        Assert.NotNull(contract.Check("GET", "/api/reviews", 418, "application/json", "[]"));
        Assert.NotNull(contract.Check("GET", "/api/reviews", 200, "text/plain", "[]"));
        Assert.NotNull(contract.Check("GET", "/api/reviews", 200, "application/json", """[{"reviewId":1,"name":"A","status":"active","version":1}]"""));
        // An enum is its SPEC words and nothing else.
        Assert.NotNull(contract.Check("GET", "/api/reviews", 200, "application/json", """[{"reviewId":"a","name":"A","status":"Active","version":1}]"""));
        Assert.NotNull(contract.Check("POST", "/api/reviews/x/topics", 201, "application/json", """{"eventId":"not a uuid"}"""));
        // A problem document's errors are lists of text.
        Assert.NotNull(contract.Check("POST", "/api/reviews/x/topics", 400, "application/problem+json", """{"status":400,"errors":{"topicId":"x"}}"""));
        Assert.Null(contract.Check("POST", "/api/reviews/x/topics", 400, "application/problem+json", """{"status":400,"errors":{"topicId":["x"]}}"""));
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string url, JsonNode body, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> Import(HttpClient client, string reviewId, params string[] lines)
    {
        var content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return await client.PostAsync($"/api/reviews/{reviewId}/import", content);
    }
}
