using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Temporal;

/// <summary>The SPEC's "Time: as of is bitemporal", against a real PostgreSQL.</summary>
[Collection(LedgerCollection.Name)]
public sealed class AsOfTests(LedgerFixture ledger)
{
    private async Task<JsonElement> State(string reviewId, string query, int status = 200)
    {
        var response = await ledger.Client().GetAsync($"/api/reviews/{reviewId}/state?{query}");
        if (status != 200) return await Body.Problem(response, status);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string AreaStatus(JsonElement state, string areaId) =>
        state.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("areaId").GetString() == areaId).GetProperty("status").GetString()!;

    private async Task<string> RecordedAt(string reviewId, long version)
    {
        var page = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{reviewId}/events?after={version - 1}&limit=1");
        return page.GetProperty("entries")[0].GetProperty("recordedAt").GetDateTimeOffset().ToString("O");
    }

    /// <summary>A review with a Madrid meeting (14–15 May 2017) and areas a1, a2, a3 identified there.</summary>
    private async Task<(HttpClient Client, string Id)> Madrid()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1", "a2", "a3");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("madrid-2017")));
        return (client, id);
    }

    private static JsonObject At(JsonObject body, string meetingId)
    {
        body["meetingId"] = meetingId;
        return body;
    }

    [Fact]
    public async Task state_as_of_madrid_excludes_decisions_taken_after_it()
    {
        var (client, id) = await Madrid();
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", At(Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope")), "madrid-2017")));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d2", "2017-06-26T12:00:00Z", ("a1", "out-of-scope"))));

        var asOfMadrid = await State(id, "asOf=madrid-2017");
        Assert.Equal("in-scope", AreaStatus(asOfMadrid, "a1"));
        Assert.Equal("madrid-2017", asOfMadrid.GetProperty("asOfMeeting").GetString());
        Assert.Equal(DateTimeOffset.Parse("2017-05-15T17:00:00Z"), asOfMadrid.GetProperty("asOf").GetDateTimeOffset());
        Assert.Equal("out-of-scope", AreaStatus(await State(id, "asOf=2017-07-01T00:00:00Z"), "a1"));
        Assert.Equal("proposed", AreaStatus(await State(id, "asOf=2017-05-15T11:59:59Z"), "a1"));
    }

    [Fact]
    public async Task a_late_recorded_decision_is_in_the_state_now_and_absent_from_what_the_ledger_knew_before()
    {
        var (client, id) = await Madrid();
        var before = await RecordedAt(id, 6);
        await Task.Delay(20);
        // Recorded now, effective at Madrid.
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", At(Body.Decision("d1", "2017-05-15T12:00:00Z", ("a2", "deferred")), "madrid-2017")));

        Assert.Equal("deferred", AreaStatus(await State(id, "asOf=madrid-2017"), "a2"));
        var then = await State(id, $"asOf=madrid-2017&knownAt={Uri.EscapeDataString(before)}");
        Assert.Equal("proposed", AreaStatus(then, "a2"));
        Assert.Equal(6, then.GetProperty("version").GetInt64());
        Assert.Equal("proposed", AreaStatus(await State(id, "asOf=madrid-2017&version=6"), "a2"));
        Assert.Equal(7, (await State(id, "asOf=madrid-2017")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_correction_of_a_meetings_end_moves_what_as_of_that_meeting_includes()
    {
        var (client, id) = await Madrid();
        var meeting = (await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events?after=5&limit=1")).GetProperty("entries")[0];
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-16T10:00:00Z", ("a1", "in-scope"))));
        Assert.Equal("proposed", AreaStatus(await State(id, "asOf=madrid-2017"), "a1"));

        await Body.Created(await client.PostAsync($"/api/reviews/{id}/corrections", new JsonObject
        {
            ["correctsEventId"] = meeting.GetProperty("eventId").GetString(), ["reason"] = "The meeting ran into a third day",
            ["corrected"] = new JsonObject { ["endsAt"] = "2017-05-16T17:00:00Z" }, ["effectiveAt"] = "2017-05-20T00:00:00Z",
        }));

        var extended = await State(id, "asOf=madrid-2017");
        Assert.Equal("in-scope", AreaStatus(extended, "a1"));
        Assert.Equal(DateTimeOffset.Parse("2017-05-16T17:00:00Z"), extended.GetProperty("asOf").GetDateTimeOffset());
        // Before the correction was recorded, the ledger said the meeting ended on the 15th.
        Assert.Equal("proposed", AreaStatus(await State(id, "asOf=madrid-2017&version=7"), "a1"));
    }

    [Fact]
    public async Task a_retraction_removes_the_entry_from_every_later_question_but_not_from_earlier_knowledge()
    {
        var (client, id) = await Madrid();
        var wrong = await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-15T12:00:00Z", ("a3", "out-of-scope"))));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/retractions", new JsonObject
        {
            ["retractsEventId"] = wrong.GetProperty("eventId").GetString(), ["reason"] = "Wrong review", ["effectiveAt"] = "2017-05-20T00:00:00Z",
        }));
        Assert.Equal("proposed", AreaStatus(await State(id, "asOf=2017-06-01T00:00:00Z"), "a3"));
        Assert.Equal("out-of-scope", AreaStatus(await State(id, "asOf=2017-06-01T00:00:00Z&version=7"), "a3"));
    }

    [Fact]
    public async Task a_chain_of_supersessions_and_a_merge_into_an_area_later_narrowed()
    {
        var (client, id) = await Madrid();
        var post = (JsonObject b) => client.PostAsync($"/api/reviews/{id}/scope-decisions", b);
        await Body.Created(await post(Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"), ("a2", "in-scope"))));
        var d2 = Body.Decision("d2", "2017-06-26T12:00:00Z", ("a2", "merged"));
        d2["changes"]![0]!["mergedInto"] = "a1";
        d2["supersedes"] = "d1";
        await Body.Created(await post(d2));
        var d3 = Body.Decision("d3", "2018-08-23T12:00:00Z", ("a1", "out-of-scope"));
        d3["supersedes"] = "d2";
        await Body.Created(await post(d3));

        var june = await State(id, "asOf=2017-07-01T00:00:00Z");
        Assert.Equal(("in-scope", "merged"), (AreaStatus(june, "a1"), AreaStatus(june, "a2")));
        var now = await State(id, "asOf=2019-01-01T00:00:00Z");
        Assert.Equal(("out-of-scope", "merged"), (AreaStatus(now, "a1"), AreaStatus(now, "a2")));
        var decisions = (await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/scope/decisions"))
            .GetProperty("decisions").EnumerateArray().ToDictionary(d => d.GetProperty("decisionId").GetString()!);
        Assert.Equal("d2", decisions["d1"].GetProperty("supersededBy").GetString());
        Assert.Equal("d3", decisions["d2"].GetProperty("supersededBy").GetString());
        var juneDecisions = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/scope/decisions?asOf=2017-07-01T00:00:00Z");
        Assert.Equal(JsonValueKind.Null, juneDecisions.GetProperty("decisions").EnumerateArray()
            .Single(d => d.GetProperty("decisionId").GetString() == "d2").GetProperty("supersededBy").ValueKind);
        Assert.DoesNotContain(juneDecisions.GetProperty("decisions").EnumerateArray(), d => d.GetProperty("decisionId").GetString() == "d3");
    }

    [Fact]
    public async Task as_of_before_the_charter_is_an_empty_state_not_an_error()
    {
        var (_, id) = await Madrid();
        var empty = await State(id, "asOf=2010-01-01T00:00:00Z");
        Assert.False(empty.GetProperty("chartered").GetBoolean());
        Assert.Equal(0, empty.GetProperty("areas").GetArrayLength());
        Assert.Equal(id, empty.GetProperty("reviewId").GetString());
    }

    [Fact]
    public async Task questions_the_ledger_cannot_answer_get_problem_details()
    {
        var (_, id) = await Madrid();
        await State(id, "asOf=atlantis-2017", 404);
        await State(id, "version=0", 400);
        await State(id, "knownAt=yesterday", 400);
        await State(Body.NewReviewId(), "asOf=2017-01-01T00:00:00Z", 404);
    }

    [Fact]
    public async Task the_state_as_of_the_last_instant_equals_the_current_state()
    {
        var (client, id) = await Madrid();
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-09-01T00:00:00Z", ("a1", "deferred"))));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d0", "2017-06-01T00:00:00Z", ("a1", "in-scope"), ("a3", "in-scope"))));
        var current = await ledger.StateAsync(id);
        var asOfEnd = await State(id, "asOf=2100-01-01T00:00:00Z");
        foreach (var field in new[] { "areas", "meetings", "topics", "counts", "version", "headHash" })
            Assert.Equal(current.GetProperty(field).GetRawText(), asOfEnd.GetProperty(field).GetRawText());
    }
}
