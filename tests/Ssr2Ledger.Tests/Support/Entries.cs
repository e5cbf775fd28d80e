using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ssr2Ledger.Tests.Support;

/// <summary>Request bodies for a small review, in the SPEC's JSON.</summary>
public static class Body
{
    public static string NewReviewId(string prefix = "r") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static JsonObject Charter(string reviewId, string at = "2017-02-03T00:00:00Z") =>
        new() { ["reviewId"] = reviewId, ["name"] = "Test review", ["mandate"] = "Bylaws 4.6(c)", ["effectiveAt"] = at };

    public static JsonObject Topic(string topicId, string at = "2017-05-14T09:00:00Z") =>
        new() { ["topicId"] = topicId, ["title"] = $"Topic {topicId}", ["description"] = "d", ["effectiveAt"] = at };

    public static JsonObject Area(string areaId, string topicId, string at = "2017-05-14T10:00:00Z") =>
        new() { ["areaId"] = areaId, ["title"] = $"Area {areaId}", ["topicId"] = topicId, ["effectiveAt"] = at };

    public static JsonObject Meeting(string meetingId, string starts = "2017-05-14T08:00:00Z", string ends = "2017-05-15T17:00:00Z") =>
        new()
        {
            ["meetingId"] = meetingId, ["title"] = $"Meeting {meetingId}", ["format"] = "face-to-face", ["location"] = "Madrid",
            ["startsAt"] = starts, ["endsAt"] = ends, ["effectiveAt"] = "2017-04-01T00:00:00Z",
        };

    public static JsonObject Decision(string decisionId, string at, params (string Area, string To)[] changes) =>
        new()
        {
            ["decisionId"] = decisionId,
            ["changes"] = new JsonArray(changes.Select(c => (JsonNode)new JsonObject { ["areaId"] = c.Area, ["to"] = c.To }).ToArray()),
            ["rationale"] = "Because the team agreed", ["basis"] = "ToR section 3", ["method"] = "consensus", ["effectiveAt"] = at,
        };

    /// <summary>One NDJSON line of an import: <c>{ "type", "data" }</c>.</summary>
    public static string Line(string type, JsonObject data) => new JsonObject { ["type"] = type, ["data"] = data }.ToJsonString();

    /// <summary>A POST with the write's optional headers: Idempotency-Key and If-Match.</summary>
    public static HttpRequestMessage Post(string url, JsonNode body, string? idempotencyKey = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string url, JsonNode body) =>
        await client.PostAsJsonAsync(url, body);

    /// <summary>Charters a review with one topic and the given areas, all recorded.</summary>
    public static async Task SeedAsync(this HttpClient client, string reviewId, params string[] areas)
    {
        await Created(await client.PostAsync("/api/reviews", Charter(reviewId)));
        await Created(await client.PostAsync($"/api/reviews/{reviewId}/topics", Topic("t1")));
        foreach (var area in areas) await Created(await client.PostAsync($"/api/reviews/{reviewId}/areas", Area(area, "t1")));
    }

    public static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Asserts an RFC 7807 answer with that status and returns it.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }
}
