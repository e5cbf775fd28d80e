using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class ImportTests(LedgerFixture ledger)
{
    private static string Line(string type, JsonObject data) => Body.Line(type, data);

    /// <summary>A charter, a topic and then areas, one a line, 1,000 lines in all.</summary>
    private static List<string> History(string reviewId)
    {
        var lines = new List<string> { Line("ReviewChartered", Body.Charter(reviewId)), Line("TopicAreaAgreed", Body.Topic("t1")) };
        for (var i = 3; i <= 1000; i++) lines.Add(Line("AreaOfInterestIdentified", Body.Area($"a{i}", "t1", $"2017-05-14T10:{i % 60:00}:00Z")));
        return lines;
    }

    private static StringContent Ndjson(IEnumerable<string> lines) => new(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson");

    [Fact]
    public async Task importing_a_history_charters_the_review_and_records_every_line()
    {
        var id = Body.NewReviewId();
        var answer = await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(History(id))));

        Assert.Equal(1000, answer.GetProperty("imported").GetInt32());
        Assert.Equal(1000, answer.GetProperty("version").GetInt64());
        var state = await ledger.StateAsync(id);
        Assert.Equal(998, state.GetProperty("areas").GetArrayLength());
        Assert.Equal(answer.GetProperty("headHash").GetString(), state.GetProperty("headHash").GetString());
    }

    [Fact]
    public async Task a_bad_line_500_of_1000_leaves_the_review_untouched()
    {
        var id = Body.NewReviewId();
        var lines = History(id);
        lines[499] = Line("AreaOfInterestIdentified", Body.Area("a-bad", "no-such-topic"));

        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(lines)), 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("line 500: topicId", out _), problem.ToString());
        Assert.Equal(0, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_malformed_line_is_named_and_nothing_is_recorded_in_an_existing_review()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var lines = new[] { Line("AreaOfInterestIdentified", Body.Area("a1", "t1")), "{not json", Line("Nonsense", new JsonObject()) };

        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(lines)), 400);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 2", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("line 3: type", out _), problem.ToString());
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task importing_into_an_existing_review_appends_after_its_entries()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var lines = new[] { Line("AreaOfInterestIdentified", Body.Area("a2", "t1")), Line("ScopeDecided", Body.Decision("d1", "2017-05-15T00:00:00Z", ("a1", "in-scope"), ("a2", "out-of-scope"))) };

        var answer = await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(lines)));

        Assert.Equal(5, answer.GetProperty("version").GetInt64());
        var counts = (await ledger.StateAsync(id)).GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("areasInScope").GetInt32());
        Assert.Equal(1, counts.GetProperty("areasOutOfScope").GetInt32());
    }

    [Fact]
    public async Task a_charter_for_another_review_is_refused()
    {
        var id = Body.NewReviewId();
        var lines = new[] { Line("ReviewChartered", Body.Charter("someone-else")) };
        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(lines)), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 1: reviewId", out _), problem.ToString());
        Assert.Equal(0, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task an_import_extends_the_hash_chain_and_seals_the_meetings_held_in_it()
    {
        var id = Body.NewReviewId();
        var held = new JsonObject { ["attendees"] = new JsonArray(), ["observers"] = 3, ["meetingId"] = "m1", ["effectiveAt"] = "2017-05-15T17:00:00Z" };
        var lines = History(id).Take(10).Append(Line("MeetingScheduled", Body.Meeting("m1"))).Append(Line("MeetingHeld", held));
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(lines)));
        // A single write after the import chains onto the imported head.
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("after", "t1", "2017-06-01T00:00:00Z")));

        var verify = await ledger.Client(ledger.ReaderKey).GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(13, verify.GetProperty("eventsChecked").GetInt64());
        var checkpoints = await ledger.Client(ledger.ReaderKey).GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/checkpoints");
        Assert.Equal(12, Assert.Single(checkpoints.EnumerateArray()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task an_import_out_of_valid_time_order_leaves_the_summary_as_a_fresh_fold_has_it()
    {
        var id = Body.NewReviewId();
        // Recorded resumed-then-paused, but paused is the later in valid time: the review is paused.
        var lines = History(id).Take(3).Concat([
            Line("ReviewPaused", new JsonObject { ["reason"] = "Board pause", ["effectiveAt"] = "2017-10-28T00:00:00Z" }),
            Line("ReviewResumed", new JsonObject { ["reason"] = "Resumed", ["effectiveAt"] = "2017-09-01T00:00:00Z" }),
        ]);
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(lines)));

        var reviews = await ledger.Client(ledger.ReaderKey).GetFromJsonAsync<JsonElement>("/api/reviews");
        var listed = reviews.EnumerateArray().Single(r => r.GetProperty("reviewId").GetString() == id);
        Assert.Equal("paused", listed.GetProperty("status").GetString());
        Assert.Equal(5, listed.GetProperty("version").GetInt64());
        Assert.Equal("paused", (await ledger.StateAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task the_same_import_sent_twice_with_one_key_is_recorded_once()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "import-1");
        var first = await Body.Created(await client.PostAsync($"/api/reviews/{id}/import", Ndjson(History(id).Take(50))));
        var again = await Body.Created(await client.PostAsync($"/api/reviews/{id}/import", Ndjson(History(id).Take(50))));

        Assert.Equal(first.ToString(), again.ToString());
        Assert.Equal(50, await ledger.EntryCountAsync(id));
        await Body.Problem(await client.PostAsync($"/api/reviews/{id}/import", Ndjson(History(id).Take(40))), 422);
        Assert.Equal(50, await ledger.EntryCountAsync(id));
    }
}
