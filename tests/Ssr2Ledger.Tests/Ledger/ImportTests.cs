using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class ImportTests(LedgerFixture ledger)
{
    private static string Line(string type, JsonObject data) => new JsonObject { ["type"] = type, ["data"] = data }.ToJsonString();

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
}
