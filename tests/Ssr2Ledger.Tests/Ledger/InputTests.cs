using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>
/// Input is I-JSON and is judged whole: nothing a recorder sends can make a stored entry disagree with its own hash,
/// and one answer names every wrong field.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class InputTests(LedgerFixture ledger)
{
    private const string At = "\"effectiveAt\":\"2017-06-01T00:00:00Z\"";

    public static TheoryData<string, string, string> NotIJson => new()
    {
        // route, body ({target} is the charter's event id), field named in errors
        { "areas", $$"""{"areaId":"a9","title":"a","title":"b","topicId":"t1",{{At}}}""", "title" },
        { "events", $$$"""{"type":"AreaOfInterestIdentified","data":{"areaId":"a9","title":"x","topicId":"t1","topicId":"t1",{{{At}}}}}""", "data.topicId" },
        { "events", $$$"""{"type":"TopicAreaAgreed","type":"TopicAreaAgreed","data":{"topicId":"t9","title":"x","description":"d",{{{At}}}}}""", "type" },
        { "scope-decisions", $$"""{"decisionId":"d9","changes":[{"areaId":"a1","areaId":"a1","to":"in-scope"}],"rationale":"r","basis":"b","method":"consensus",{{At}}}""", "changes[0].areaId" },
        { "corrections", $$"""{"correctsEventId":"{target}","reason":"r","corrected":{"name":"A","name":"B"},{{At}}}""", "corrected.name" },
        { "corrections", $$$"""{"correctsEventId":"{target}","reason":"r","corrected":{"x":[{"y":{"z":1,"z":2}}]},{{{At}}}}""", "corrected.x[0].y.z" },
        { "areas", $$"""{"areaId":"a9","title":"\ud800","topicId":"t1",{{At}}}""", "title" },
        { "areas", $$"""{"areaId":"a9","title":"x\udc00y","topicId":"t1",{{At}}}""", "title" },
        { "areas", $$"""{"areaId":"a9","title":"\ud800\u0041","topicId":"t1",{{At}}}""", "title" },
        { "corrections", $$"""{"correctsEventId":"{target}","reason":"r","corrected":{"name":"\udfff"},{{At}}}""", "corrected.name" },
        { "corrections", $$"""{"correctsEventId":"{target}","reason":"r","corrected":{"n":12345678901234567890},{{At}}}""", "corrected.n" },
        { "corrections", $$"""{"correctsEventId":"{target}","reason":"r","corrected":{"n":3.141592653589793238462643383279},{{At}}}""", "corrected.n" },
        { "corrections", $$"""{"correctsEventId":"{target}","reason":"r","corrected":{"n":[1e400]},{{At}}}""", "corrected.n[0]" },
    };

    [Theory]
    [MemberData(nameof(NotIJson))]
    public async Task input_that_is_not_i_json_is_refused_and_the_chain_still_verifies(string route, string body, string field)
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var before = await ledger.EntryCountAsync(id);

        var response = await client.PostAsync($"/api/reviews/{id}/{route}",
            new StringContent(body.Replace("{target}", (await CharterIdAsync(id)).ToString()), Encoding.UTF8, "application/json"));

        var problem = await Body.Problem(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await ledger.EntryCountAsync(id));
        await VerifiesAsync(id);
    }

    [Fact]
    public async Task a_surrogate_pair_and_an_exact_number_are_recorded_and_hash_as_stored()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/areas",
            new StringContent($$"""{"areaId":"a2","title":"Emoji \ud83d\ude00 area","topicId":"t1",{{At}}}""", Encoding.UTF8, "application/json")));
        var target = await CharterIdAsync(id);
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/corrections", new StringContent(
            $$"""{"correctsEventId":"{{target}}","reason":"typo","corrected":{"name":"Review \ud83d\ude00","mandate":"Bylaws 4.6(c)"},{{At}}}""",
            Encoding.UTF8, "application/json")));
        await VerifiesAsync(id);
        Assert.Equal("Review \U0001F600", (await ledger.StateAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task an_import_line_with_a_twin_member_is_named_and_nothing_is_recorded()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var ndjson = Body.Line("TopicAreaAgreed", Body.Topic("t2")) + "\n"
            + $$$"""{"type":"AreaOfInterestIdentified","data":{"areaId":"a9","title":"a","title":"b","topicId":"t1",{{{At}}}}}""" + "\n";

        var response = await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

        var problem = await Body.Problem(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 2: data.title", out _), problem.ToString());
        Assert.Equal(3, await ledger.EntryCountAsync(id));
        await VerifiesAsync(id);
    }

    [Fact]
    public async Task an_import_that_is_not_utf8_is_refused()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var line = Encoding.UTF8.GetBytes(Body.Line("TopicAreaAgreed", Body.Topic("t2")).Replace("Topic t2", "Topic ##"));
        var at = Array.IndexOf(line, (byte)'#');
        (line[at], line[at + 1]) = (0xC3, 0x28); // a two-byte lead without its continuation

        var content = new ByteArrayContent(line);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        var response = await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", content);

        await Body.Problem(response, 400);
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_body_with_five_faults_that_make_no_entry_is_answered_with_all_five()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var body = """
            {"decisionId":"d9","changes":[{"areaId":"a1","to":"sideways"}],"rationale":"r","method":"telepathy",
             "colour":"red","effectiveAt":"not a date"}
            """;

        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/scope-decisions",
            new StringContent(body, Encoding.UTF8, "application/json")), 400);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "changes[0].to", "method", "basis", "colour", "effectiveAt" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not named: {problem}");
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_body_with_six_faults_is_answered_once_with_its_values_and_the_reviews_rules()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var body = """
            {"decisionId":"d 9","changes":[{"areaId":"zz","to":"in-scope"}],"rationale":"  ","basis":"b","method":"consensus",
             "supersedes":"d404","meetingId":"nowhere","note":"a\uffffb","effectiveAt":"2017-06-01T00:00:00Z"}
            """;

        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/scope-decisions",
            new StringContent(body, Encoding.UTF8, "application/json")), 400);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "decisionId", "rationale", "note", "changes[0].areaId", "supersedes", "meetingId" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not named: {problem}");
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Theory]
    [InlineData("areas", """{"areaId":"a9\n","title":"x","topicId":"t1","effectiveAt":"2017-06-01T00:00:00Z"}""", "areaId")]
    [InlineData("topics", """{"topicId":"t1\n","title":"x","description":"d","effectiveAt":"2017-06-01T00:00:00Z"}""", "topicId")]
    public async Task an_id_with_a_trailing_newline_is_not_a_look_alike_of_the_real_one(string route, string body, string field)
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/{route}",
            new StringContent(body, Encoding.UTF8, "application/json")), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_review_chartered_with_a_trailing_newline_is_refused_and_nothing_is_committed()
    {
        var id = Body.NewReviewId();
        var charter = Body.Charter(id + "\n");
        await Body.Problem(await ledger.Recorder().PostAsync("/api/reviews", charter), 400);
        Assert.Equal(0, await ledger.EntryCountAsync(id + "\n"));
        Assert.Equal(0, await ledger.EntryCountAsync(id));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-0.0", true)]
    [InlineData("1.0", true)]
    [InlineData("1e2", true)]
    [InlineData("0.1", true)]
    [InlineData("9007199254740992", true)]
    [InlineData("9007199254740993", false)]
    [InlineData("1e400", false)]
    [InlineData("0.1000000000000000000001", false)]
    [InlineData("0e99999999999", false)]
    public void a_number_is_exact_when_a_double_holds_its_value(string number, bool exact) =>
        Assert.Equal(exact, IJson.Exact(Encoding.ASCII.GetBytes(number)));

    private async Task<Guid> CharterIdAsync(string reviewId)
    {
        var page = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{reviewId}/events?limit=1");
        var entries = page.ValueKind == JsonValueKind.Array ? page : page.GetProperty("entries");
        return entries[0].GetProperty("eventId").GetGuid();
    }

    private async Task VerifiesAsync(string reviewId)
    {
        var verify = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{reviewId}/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
    }
}
