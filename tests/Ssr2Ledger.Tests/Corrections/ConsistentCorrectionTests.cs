using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Corrections;

/// <summary>
/// Corrections and retractions are checked as what the review becomes: each refusal answers problem details naming the
/// field or the entries in the way, appends nothing and leaves the chain verifiable.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ConsistentCorrectionTests(LedgerFixture ledger)
{
    /// <summary>A review with topic t1, area a1 (14 May 2017), a Madrid meeting, decisions d1 (16 May) and d2 (1 June) on
    /// a1, and area a2 identified on 1 July 2017.</summary>
    private async Task<(HttpClient Client, string Id, Dictionary<string, string> Events)> Review()
    {
        var id = Body.NewReviewId("c");
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var events = new Dictionary<string, string>();
        async Task Record(string name, string route, JsonObject body) =>
            events[name] = (await Body.Created(await client.PostAsync($"/api/reviews/{id}/{route}", body))).GetProperty("eventId").GetString()!;
        await Record("madrid", "meetings", Body.Meeting("madrid-2017"));
        await Record("d1", "scope-decisions", Body.Decision("d1", "2017-05-16T10:00:00Z", ("a1", "in-scope")));
        await Record("d2", "scope-decisions", Body.Decision("d2", "2017-06-01T10:00:00Z", ("a1", "deferred")));
        await Record("a2", "areas", Body.Area("a2", "t1", "2017-07-01T00:00:00Z"));
        return (client, id, events);
    }

    private static JsonObject Correction(string eventId, JsonObject corrected) => new()
    {
        ["correctsEventId"] = eventId, ["reason"] = "Wrongly recorded", ["corrected"] = corrected, ["effectiveAt"] = "2017-08-01T00:00:00Z",
    };

    private static JsonObject Retraction(string eventId) => new()
    {
        ["retractsEventId"] = eventId, ["reason"] = "Recorded in error", ["effectiveAt"] = "2017-08-01T00:00:00Z",
    };

    /// <summary>Posts, expects the refusal, and checks that nothing was appended and the chain still verifies.</summary>
    private async Task<JsonElement> Refused(HttpClient client, string id, string route, JsonNode body, int status)
    {
        var before = await ledger.EntryCountAsync(id);
        var problem = await Body.Problem(await client.PostAsync($"/api/reviews/{id}/{route}", body), status);
        Assert.Equal(before, await ledger.EntryCountAsync(id));
        var verify = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(before, verify.GetProperty("eventsChecked").GetInt64());
        return problem;
    }

    private static string Named(JsonElement problem, string field)
    {
        var messages = default(JsonElement);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out messages), problem.ToString());
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task a_decisions_words_come_from_its_entry_as_corrected_and_as_known_to_the_question()
    {
        var (client, id, events) = await Review();
        var before = await ledger.EntryCountAsync(id);
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/corrections",
            Correction(events["d2"], new JsonObject { ["rationale"] = "Deferred until the survey is back", ["basis"] = "ToR section 5" })));

        async Task<JsonElement> Decision(string query, string decisionId) =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/scope/decisions{query}")).GetProperty("decisions")
            .EnumerateArray().Single(d => d.GetProperty("decisionId").GetString() == decisionId);
        var now = await Decision("", "d2");
        Assert.Equal(("Deferred until the survey is back", "ToR section 5", "d2"),
            (now.GetProperty("rationale").GetString(), now.GetProperty("basis").GetString(), now.GetProperty("decisionId").GetString()));
        Assert.Equal(["a1"], now.GetProperty("areaIds").EnumerateArray().Select(a => a.GetString()));
        var uncorrected = await Decision($"?version={before}", "d2");
        Assert.Equal(("Because the team agreed", "ToR section 3"), (uncorrected.GetProperty("rationale").GetString(), uncorrected.GetProperty("basis").GetString()));
        Assert.Equal("Because the team agreed", (await Decision("", "d1")).GetProperty("rationale").GetString());

        // The scope diff's last decision of an area says the same.
        var diff = await client.GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/scope/diff?from=2017-05-20T00:00:00Z&to=2017-06-30T00:00:00Z");
        var moved = diff.GetProperty("narrowed").EnumerateArray().Single(a => a.GetProperty("areaId").GetString() == "a1");
        Assert.Equal(("d2", "Deferred until the survey is back", "ToR section 5"),
            (moved.GetProperty("decisionId").GetString(), moved.GetProperty("rationale").GetString(), moved.GetProperty("basis").GetString()));
    }

    [Fact]
    public async Task a_late_entry_is_checked_where_it_lands_in_valid_time_not_only_against_the_head()
    {
        var (client, id, _) = await Review();
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/terms-of-reference", new JsonObject
        {
            ["version"] = "v1", ["title"] = "Terms", ["summary"] = "s", ["effectiveAt"] = "2017-07-15T00:00:00Z",
        }));
        // At the head v1 is drafted and not adopted; on 10 July, where this adoption would land, it was not yet drafted.
        var problem = await Refused(client, id, "terms-of-reference-adoptions", new JsonObject
        {
            ["version"] = "v1", ["method"] = "consensus", ["effectiveAt"] = "2017-07-10T00:00:00Z",
        }, 400);
        Assert.Contains("'v1'", Named(problem, "version"));
        // Consistent where they land, late (an area identified in June) or not: recorded.
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/terms-of-reference-adoptions", new JsonObject
        {
            ["version"] = "v1", ["method"] = "consensus", ["effectiveAt"] = "2017-07-16T00:00:00Z",
        }));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/areas", Body.Area("a3", "t1", "2017-06-20T00:00:00Z")));
    }

    [Fact]
    public async Task a_correction_that_makes_a_meeting_end_before_it_starts_is_refused()
    {
        var (client, id, events) = await Review();
        var problem = await Refused(client, id, "corrections",
            Correction(events["madrid"], new JsonObject { ["endsAt"] = "2017-05-13T00:00:00Z" }), 400);
        Assert.Contains("startsAt", Named(problem, "corrected.endsAt"));
    }

    [Fact]
    public async Task a_correction_pointing_a_decision_at_an_area_that_does_not_exist_is_refused()
    {
        var (client, id, events) = await Review();
        var problem = await Refused(client, id, "corrections", Correction(events["d1"], new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["areaId"] = "nope", ["to"] = "in-scope" }),
        }), 400);
        Assert.Contains("'nope'", Named(problem, "corrected.changes[0].areaId"));
    }

    [Fact]
    public async Task a_correction_giving_a_decision_the_id_of_an_earlier_decision_is_refused()
    {
        var (client, id, events) = await Review();
        var problem = await Refused(client, id, "corrections", Correction(events["d2"], new JsonObject { ["decisionId"] = "d1" }), 409);
        Assert.Contains("'d1'", Named(problem, "corrected.decisionId"));
    }

    [Fact]
    public async Task a_correction_giving_a_decision_the_id_of_a_later_decision_names_the_later_one()
    {
        var (client, id, events) = await Review();
        var problem = await Refused(client, id, "corrections", Correction(events["d1"], new JsonObject { ["decisionId"] = "d2" }), 409);
        var named = Named(problem, "correctsEventId");
        Assert.Contains($"ScopeDecided {events["d2"]}", named);
        Assert.Contains("'d2'", named);
    }

    [Fact]
    public async Task a_correction_moving_a_decision_onto_an_area_identified_after_it_is_refused()
    {
        var (client, id, events) = await Review();
        var problem = await Refused(client, id, "corrections", Correction(events["d1"], new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["areaId"] = "a2", ["to"] = "in-scope" }),
        }), 400);
        Assert.Contains("'a2'", Named(problem, "corrected.changes[0].areaId"));
    }

    [Fact]
    public async Task a_correction_moving_a_meeting_after_the_decision_taken_at_it_names_the_decision()
    {
        var (client, id, events) = await Review();
        var atMadrid = Body.Decision("d3", "2017-05-15T10:00:00Z", ("a1", "out-of-scope"));
        atMadrid["meetingId"] = "madrid-2017";
        var decision = await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", atMadrid));
        var problem = await Refused(client, id, "corrections",
            Correction(events["madrid"], new JsonObject { ["effectiveAt"] = "2017-06-15T00:00:00Z" }), 409);
        Assert.Contains($"ScopeDecided {decision.GetProperty("eventId").GetString()}", Named(problem, "correctsEventId"));
    }

    [Fact]
    public async Task retracting_an_area_that_live_decisions_refer_to_is_refused_until_they_are_retracted()
    {
        var (client, id, events) = await Review();
        var a1 = (await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events?after=0&limit=10"))
            .GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "AreaOfInterestIdentified"
                && e.GetProperty("data").GetProperty("areaId").GetString() == "a1").GetProperty("eventId").GetString()!;

        var problem = await Refused(client, id, "retractions", Retraction(a1), 409);
        var named = Named(problem, "retractsEventId");
        Assert.Contains($"ScopeDecided {events["d1"]}", named);
        Assert.Contains($"ScopeDecided {events["d2"]}", named);

        // The secretariat retracts what depends on the area first; then the area goes.
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/retractions", Retraction(events["d2"])));
        await Refused(client, id, "retractions", Retraction(a1), 409);
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/retractions", Retraction(events["d1"])));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/retractions", Retraction(a1)));
        var state = await ledger.StateAsync(id);
        Assert.DoesNotContain(state.GetProperty("areas").EnumerateArray(), a => a.GetProperty("areaId").GetString() == "a1");
    }

    [Fact]
    public async Task an_area_effective_before_the_charter_is_refused_naming_the_charters_date()
    {
        var (client, id, _) = await Review();
        var problem = await Refused(client, id, "areas", Body.Area("a0", "t1", "2016-12-01T00:00:00Z"), 400);
        Assert.Contains("2017-02-03T00:00:00Z", Named(problem, "effectiveAt"));
    }

    [Fact]
    public async Task a_correction_moving_an_area_before_the_charter_is_refused()
    {
        var (client, id, events) = await Review();
        var problem = await Refused(client, id, "corrections",
            Correction(events["a2"], new JsonObject { ["effectiveAt"] = "2016-12-01T00:00:00Z" }), 400);
        Assert.Contains("2017-02-03T00:00:00Z", Named(problem, "corrected.effectiveAt"));
    }

    [Fact]
    public async Task a_decision_moving_an_area_back_to_proposed_is_refused()
    {
        var (client, id, _) = await Review();
        var problem = await Refused(client, id, "scope-decisions", Body.Decision("d9", "2017-07-02T00:00:00Z", ("a1", "proposed")), 400);
        Assert.Contains("deferred", Named(problem, "changes[0].to"));
    }

    [Fact]
    public async Task a_correction_of_a_correction_is_refused()
    {
        var (client, id, events) = await Review();
        var fix = await Body.Created(await client.PostAsync($"/api/reviews/{id}/corrections",
            Correction(events["d2"], new JsonObject { ["rationale"] = "Deferred to the next meeting" })));
        var problem = await Refused(client, id, "corrections",
            Correction(fix.GetProperty("eventId").GetString()!, new JsonObject { ["reason"] = "Typo" }), 400);
        Assert.Contains("original entry", Named(problem, "correctsEventId"));
        await Refused(client, id, "retractions", Retraction(fix.GetProperty("eventId").GetString()!), 400);
    }

    [Fact]
    public async Task an_import_mixing_new_entries_and_a_correction_is_refused()
    {
        var (client, id, events) = await Review();
        var ndjson = Body.Line("AreaOfInterestIdentified", Body.Area("a3", "t1", "2017-07-02T00:00:00Z")) + "\n"
                     + Body.Line("EntryCorrected", Correction(events["d2"], new JsonObject { ["rationale"] = "Clearer" })) + "\n";
        var before = await ledger.EntryCountAsync(id);
        var problem = await Body.Problem(await client.PostAsync($"/api/reviews/{id}/import",
            new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson")), 400);
        Assert.Equal(before, await ledger.EntryCountAsync(id));
        Assert.Contains("own", Named(problem, "line 2: type"));
    }

    [Fact]
    public async Task an_import_of_retractions_takes_the_decisions_first_then_the_area_they_were_about()
    {
        var (client, id, events) = await Review();
        var a1 = (await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events?after=0&limit=10"))
            .GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "AreaOfInterestIdentified"
                && e.GetProperty("data").GetProperty("areaId").GetString() == "a1").GetProperty("eventId").GetString()!;
        string Lines(params string[] ids) => string.Concat(ids.Select(e => Body.Line("EntryRetracted", Retraction(e)) + "\n"));
        async Task<HttpResponseMessage> Import(string ndjson) =>
            await client.PostAsync($"/api/reviews/{id}/import", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

        var before = await ledger.EntryCountAsync(id);
        var problem = await Body.Problem(await Import(Lines(events["d2"], a1)), 409);
        Assert.Contains($"ScopeDecided {events["d1"]}", Named(problem, "line 2: retractsEventId"));
        Assert.Equal(before, await ledger.EntryCountAsync(id));

        await Body.Created(await Import(Lines(events["d2"], events["d1"], a1)));
        Assert.Equal(before + 3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_correction_that_keeps_the_review_consistent_is_recorded()
    {
        var (client, id, events) = await Review();
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/corrections",
            Correction(events["madrid"], new JsonObject { ["endsAt"] = "2017-05-16T17:00:00Z" })));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/corrections", Correction(events["d2"], new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["areaId"] = "a2", ["to"] = "in-scope" }), ["effectiveAt"] = "2017-07-02T00:00:00Z",
        })));
        var state = await ledger.StateAsync(id);
        Assert.Equal("d2", state.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("areaId").GetString() == "a2")
            .GetProperty("lastDecisionId").GetString());
    }
}
