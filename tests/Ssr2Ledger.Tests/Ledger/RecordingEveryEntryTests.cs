using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class RecordingEveryEntryTests(LedgerFixture ledger)
{
    private static JsonObject At(string at, JsonObject data)
    {
        data["effectiveAt"] = at;
        return data;
    }

    [Fact]
    public async Task every_kind_of_entry_is_recorded_through_its_typed_route_and_shows_in_the_state()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        var r = $"/api/reviews/{id}";
        async Task Post(string route, JsonObject data) => await Body.Created(await client.PostAsync($"{r}/{route}", data));

        await Body.Created(await client.PostAsync("/api/reviews", Body.Charter(id)));
        await Post("board-resolutions", At("2017-02-03T12:00:00Z", new() { ["resolutionId"] = "2017.02.03.11", ["title"] = "SSR2", ["summary"] = "ToR due", ["directive"] = "deliver-terms-of-reference" }));
        await Post("members", At("2017-02-14T00:00:00Z", new() { ["memberId"] = "ann", ["name"] = "Ann", ["appointedBy"] = "ccNSO", ["role"] = "member" }));
        await Post("members", At("2017-02-14T00:00:00Z", new() { ["memberId"] = "bob", ["name"] = "Bob", ["appointedBy"] = "GAC", ["role"] = "member" }));
        await Post("members", At("2017-02-14T00:00:00Z", new() { ["memberId"] = "cy", ["name"] = "Cy", ["appointedBy"] = "ALAC", ["role"] = "member" }));
        await Post("member-role-changes", At("2017-03-30T00:00:00Z", new() { ["memberId"] = "ann", ["role"] = "chair" }));
        await Post("member-departures", At("2017-04-01T00:00:00Z", new() { ["memberId"] = "cy", ["reason"] = "Resigned" }));
        await Post("meetings", Body.Meeting("madrid-2017"));
        await Post("meetings", At("2017-04-02T00:00:00Z", Body.Meeting("call-9", "2017-06-01T14:00:00Z", "2017-06-01T15:00:00Z")));
        await Post("meeting-cancellations", At("2017-05-30T00:00:00Z", new() { ["meetingId"] = "call-9", ["reason"] = "No quorum" }));
        await Post("terms-of-reference", At("2017-04-29T00:00:00Z", new() { ["version"] = "1.0", ["title"] = "ToR", ["summary"] = "First draft" }));
        await Post("terms-of-reference-amendments", At("2017-05-02T00:00:00Z", new() { ["version"] = "1.1", ["basedOn"] = "1.0", ["changes"] = new JsonArray("Scope narrowed"), ["rationale"] = "Focus" }));
        await Post("terms-of-reference-adoptions", At("2017-05-03T00:00:00Z", new() { ["version"] = "1.1", ["method"] = "consensus" }));
        await Post("work-plans", At("2017-05-03T00:00:00Z", new() { ["version"] = "1", ["items"] = new JsonArray(new JsonObject { ["itemId"] = "w1", ["title"] = "Draft report", ["due"] = "2018-01-31" }) }));
        await Post("board-deliveries", At("2017-05-04T00:00:00Z", new() { ["deliveryId"] = "del-tor", ["deliverable"] = "terms-of-reference", ["version"] = "1.1", ["inResponseTo"] = "2017.02.03.11" }));
        await Post("topics", Body.Topic("icann-ssr"));
        await Post("areas", Body.Area("a1", "icann-ssr"));
        await Post("areas", Body.Area("a2", "icann-ssr"));
        await Post("areas", Body.Area("a3", "icann-ssr"));
        await Post("staff-briefings", At("2017-05-14T11:00:00Z", new() { ["meetingId"] = "madrid-2017", ["by"] = "Office of the CTO", ["topic"] = "Identifier security" }));
        var decision = Body.Decision("d1", "2017-05-15T16:00:00Z", ("a1", "in-scope"), ("a2", "deferred"));
        decision["meetingId"] = "madrid-2017";
        await Post("scope-decisions", decision);
        var merge = Body.Decision("d2", "2017-05-15T16:30:00Z", ("a3", "merged"));
        merge["changes"]![0]!["mergedInto"] = "a1";
        merge["supersedes"] = "d1";
        await Post("scope-decisions", merge);
        await Post("meetings-held", At("2017-05-15T17:00:00Z", new() { ["meetingId"] = "madrid-2017", ["attendees"] = new JsonArray("ann", "bob"), ["observers"] = 4 }));
        await Post("subteams", At("2017-05-16T00:00:00Z", new() { ["subteamId"] = "st1", ["name"] = "ICANN SSR", ["members"] = new JsonArray("ann", "bob"), ["rapporteur"] = "bob" }));
        await Post("subteam-assignments", At("2017-05-16T01:00:00Z", new() { ["subteamId"] = "st1", ["areaIds"] = new JsonArray("a1", "a2") }));
        await Post("community-input", At("2017-06-01T00:00:00Z", new() { ["inputId"] = "in1", ["channel"] = "mailing-list", ["from"] = "A commenter", ["summary"] = "Please look at abuse", ["areaIds"] = new JsonArray("a1") }));
        await Post("recommendations", At("2018-01-01T00:00:00Z", new() { ["recommendationId"] = "rec-1", ["title"] = "Do X", ["text"] = "ICANN should do X", ["areaIds"] = new JsonArray("a1"), ["subteamId"] = "st1" }));
        await Post("recommendations", At("2018-01-01T00:00:00Z", new() { ["recommendationId"] = "rec-2", ["title"] = "Do Y", ["text"] = "ICANN should do Y", ["areaIds"] = new JsonArray("a1") }));
        await Post("recommendation-revisions", At("2018-02-01T00:00:00Z", new() { ["recommendationId"] = "rec-1", ["text"] = "ICANN should do X by 2020", ["rationale"] = "Deadline" }));
        await Post("recommendation-adoptions", At("2018-03-01T00:00:00Z", new() { ["recommendationId"] = "rec-1", ["consensus"] = "full consensus" }));
        await Post("recommendation-withdrawals", At("2018-03-01T00:00:00Z", new() { ["recommendationId"] = "rec-2", ["reason"] = "Duplicate" }));
        await Post("subteam-dissolutions", At("2018-08-30T00:00:00Z", new() { ["subteamId"] = "st1", ["reason"] = "Folded into plenary" }));
        await Post("board-resolutions", At("2017-10-28T00:00:00Z", new() { ["resolutionId"] = "pause-1", ["title"] = "Pause", ["summary"] = "Paused", ["directive"] = "pause-review" }));
        await Post("pauses", At("2018-09-01T00:00:00Z", new() { ["reason"] = "Board paused", ["resolutionId"] = "pause-1" }));
        await Post("resumptions", At("2018-09-02T00:00:00Z", new() { ["reason"] = "Restarted" }));
        await Post("board-resolutions", At("2021-07-22T00:00:00Z", new() { ["resolutionId"] = "2021.07.22.11", ["title"] = "Action", ["summary"] = "Acted" }));
        await Post("board-actions", At("2021-07-22T00:00:00Z", new() { ["recommendationId"] = "rec-1", ["action"] = "approved", ["resolutionId"] = "2021.07.22.11" }));
        await Post("board-deliveries", At("2021-01-25T00:00:00Z", new() { ["deliveryId"] = "final", ["deliverable"] = "final-report" }));
        var wrongTitle = await Body.Created(await client.PostAsync($"{r}/topics", At("2017-05-14T09:30:00Z", new() { ["topicId"] = "typo", ["title"] = "Tpyo", ["description"] = "d" })));
        await Post("corrections", At("2017-05-20T00:00:00Z", new() { ["correctsEventId"] = wrongTitle.GetProperty("eventId").GetString(), ["reason"] = "Typo", ["corrected"] = new JsonObject { ["title"] = "Typo fixed" } }));
        var stray = await Body.Created(await client.PostAsync($"{r}/topics", At("2017-05-14T09:40:00Z", new() { ["topicId"] = "stray", ["title"] = "Stray", ["description"] = "d" })));
        await Post("retractions", At("2017-05-20T00:00:00Z", new() { ["retractsEventId"] = stray.GetProperty("eventId").GetString(), ["reason"] = "Recorded in the wrong review" }));

        var state = await ledger.StateAsync(id);
        Assert.Equal(42, state.GetProperty("version").GetInt64());
        Assert.Equal("completed", state.GetProperty("status").GetString());
        var tor = state.GetProperty("termsOfReference");
        Assert.Equal("1.1", tor.GetProperty("latestVersion").GetString());
        Assert.Equal("1.1", tor.GetProperty("adoptedVersion").GetString());
        Assert.Equal("1.1", tor.GetProperty("deliveredVersion").GetString());
        Assert.Equal("Scope narrowed", tor.GetProperty("versions")[1].GetProperty("changes")[0].GetString());

        var members = Index(state, "members", "memberId");
        Assert.Equal("chair", members["ann"].GetProperty("role").GetString());
        Assert.False(members["cy"].GetProperty("active").GetBoolean());

        var meetings = Index(state, "meetings", "meetingId");
        Assert.Equal("held", meetings["madrid-2017"].GetProperty("status").GetString());
        Assert.Equal(4, meetings["madrid-2017"].GetProperty("observers").GetInt32());
        Assert.Equal("Office of the CTO", meetings["madrid-2017"].GetProperty("briefings")[0].GetProperty("by").GetString());
        Assert.Equal("cancelled", meetings["call-9"].GetProperty("status").GetString());

        var areas = Index(state, "areas", "areaId");
        Assert.Equal("in-scope", areas["a1"].GetProperty("status").GetString());
        Assert.Equal("deferred", areas["a2"].GetProperty("status").GetString());
        Assert.Equal("merged", areas["a3"].GetProperty("status").GetString());
        Assert.Equal("a1", areas["a3"].GetProperty("mergedInto").GetString());
        Assert.Equal("d2", areas["a3"].GetProperty("lastDecisionId").GetString());
        Assert.Equal(JsonValueKind.Null, areas["a1"].GetProperty("subteamId").ValueKind); // back to the plenary

        var decisions = Index(await ledger.Client().GetFromJsonAsync<JsonElement>($"{r}/scope/decisions"), "decisions", "decisionId");
        Assert.Equal("d2", decisions["d1"].GetProperty("supersededBy").GetString());

        var topics = Index(state, "topics", "topicId");
        Assert.Equal("Typo fixed", topics["typo"].GetProperty("title").GetString());
        Assert.False(topics.ContainsKey("stray"));

        var subteams = Index(state, "subteams", "subteamId");
        Assert.False(subteams["st1"].GetProperty("active").GetBoolean());

        var recommendations = Index(state, "recommendations", "recommendationId");
        Assert.Equal("adopted", recommendations["rec-1"].GetProperty("status").GetString());
        Assert.Equal(1, recommendations["rec-1"].GetProperty("revisions").GetInt32());
        Assert.Equal("approved", recommendations["rec-1"].GetProperty("boardAction").GetString());
        Assert.Equal("withdrawn", recommendations["rec-2"].GetProperty("status").GetString());

        Assert.Equal(3, state.GetProperty("boardResolutions").GetArrayLength());
        Assert.Equal(2, state.GetProperty("boardDeliveries").GetArrayLength());
        Assert.Equal(1, state.GetProperty("workPlans").GetArrayLength());
        Assert.Equal(1, state.GetProperty("counts").GetProperty("communityInputs").GetInt32());
        Assert.Equal(2, state.GetProperty("counts").GetProperty("scopeDecisions").GetInt32());
        var counts = state.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("areasInScope").GetInt32());
        Assert.Equal(1, counts.GetProperty("areasDeferred").GetInt32());
        Assert.Equal(1, counts.GetProperty("areasMerged").GetInt32());
    }

    [Fact]
    public async Task the_generic_route_records_any_entry_by_its_type()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        var answer = await Body.Created(await client.PostAsJsonAsync($"/api/reviews/{id}/events",
            new JsonObject { ["type"] = "AreaOfInterestIdentified", ["data"] = Body.Area("a9", "t1") }));

        Assert.Equal(id, answer.GetProperty("reviewId").GetString());
        Assert.Equal(3, answer.GetProperty("version").GetInt64());
        Assert.True(answer.GetProperty("sequence").GetInt64() > 0);
        Assert.Matches("^[0-9a-f]{64}$", answer.GetProperty("hash").GetString());
        Assert.NotEqual(Guid.Empty, answer.GetProperty("eventId").GetGuid());
        Assert.Contains(Index(await ledger.StateAsync(id), "areas", "areaId"), a => a.Key == "a9");
    }

    [Fact]
    public async Task the_review_list_shows_name_status_and_version()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var reviews = await ledger.Client().GetFromJsonAsync<JsonElement>("/api/reviews");
        var mine = reviews.EnumerateArray().Single(r => r.GetProperty("reviewId").GetString() == id);
        Assert.Equal("Test review", mine.GetProperty("name").GetString());
        Assert.Equal("active", mine.GetProperty("status").GetString());
        Assert.Equal(3, mine.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task openapi_lists_the_typed_routes_and_health_reaches_the_database()
    {
        var openapi = await ledger.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openapi.GetProperty("paths");
        foreach (var route in new[] { "scope-decisions", "meetings", "terms-of-reference", "board-deliveries", "import", "events" })
            Assert.True(paths.TryGetProperty($"/api/reviews/{{reviewId}}/{route}", out _), route);
        Assert.True(paths.TryGetProperty("/api/reviews", out _));

        var health = await ledger.Client().GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("reachable", health.GetProperty("database").GetString());
    }

    private static Dictionary<string, JsonElement> Index(JsonElement state, string list, string key) =>
        state.GetProperty(list).EnumerateArray().ToDictionary(e => e.GetProperty(key).GetString()!);
}
