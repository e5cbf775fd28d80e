using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>Every refusal of the SPEC answers problem details and appends nothing.</summary>
[Collection(LedgerCollection.Name)]
public sealed class RefusalTests(LedgerFixture ledger)
{
    public static TheoryData<string, string, int, string> BadEntries => new()
    {
        // route, body (with {id} for the review), status, field named in errors (or "" when none)
        { "areas", """{"areaId":"a1","title":"again","topicId":"t1","effectiveAt":"2017-06-01T00:00:00Z"}""", 409, "areaId" },
        { "areas", """{"areaId":"a9","title":"x","topicId":"nope","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "topicId" },
        { "areas", """{"areaId":"a9","title":"x","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "topicId" },
        { "areas", """{"areaId":"a9","title":"x","topicId":"t1","effectiveAt":"2017-06-01T00:00:00Z","colour":"red"}""", 400, "colour" },
        { "areas", """{"areaId":"../etc/passwd","title":"x","topicId":"t1","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "areaId" },
        { "areas", """{"areaId":"a9","title":"   ","topicId":"t1","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "title" },
        { "areas", """{"areaId":"a9","title":"x","topicId":"t1","effectiveAt":"not a date"}""", 400, "effectiveAt" },
        { "areas", """{"areaId":"a9","title":"x","topicId":"t1","effectiveAt":"9999-01-01T00:00:00Z"}""", 400, "effectiveAt" },
        { "areas", """{"areaId":"a9","title":"x","topicId":"t1"}""", 400, "effectiveAt" },
        { "areas", """[1,2,3]""", 400, "data" },
        { "areas", """{"areaId":"a9",""", 400, "body" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"zz","to":"in-scope"}],"rationale":"r","basis":"b","method":"consensus","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "changes[0].areaId" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"a1","to":"sideways"}],"rationale":"r","basis":"b","method":"consensus","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "changes[0].to" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"a1","to":2}],"rationale":"r","basis":"b","method":"consensus","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "changes[0].to" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"a1","to":"merged"}],"rationale":"r","basis":"b","method":"consensus","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "changes[0].mergedInto" },
        { "scope-decisions", """{"decisionId":"d9","changes":[],"rationale":"r","basis":"b","method":"consensus","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "changes" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"a1","to":"in-scope"}],"rationale":"r","basis":"b","method":"consensus","supersedes":"d404","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "supersedes" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"a1","to":"in-scope"}],"rationale":"r","basis":"b","method":"consensus","effectiveAt":"2017-01-01T00:00:00Z"}""", 400, "changes[0].areaId" },
        { "scope-decisions", """{"decisionId":"d9","changes":[{"areaId":"a1","to":"in-scope"}],"rationale":"r","basis":"b","method":"consensus","meetingId":"nowhere","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "meetingId" },
        { "meetings", """{"meetingId":"m1","title":"t","format":"hybrid","location":"x","startsAt":"2017-06-02T00:00:00Z","endsAt":"2017-06-01T00:00:00Z","effectiveAt":"2017-05-01T00:00:00Z"}""", 400, "endsAt" },
        { "meetings", """{"title":"t","format":"hybrid","location":"x","startsAt":"2017-06-01T00:00:00Z","endsAt":"2017-06-01T00:00:00Z","effectiveAt":"2017-05-01T00:00:00Z"}""", 400, "meetingId" },
        { "terms-of-reference-adoptions", """{"version":"7.0","method":"consensus","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "version" },
        { "board-deliveries", """{"deliveryId":"x1","deliverable":"final-report","inResponseTo":"1999.01.01.01","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "inResponseTo" },
        { "resumptions", """{"reason":"not paused","effectiveAt":"2017-06-01T00:00:00Z"}""", 409, "" },
        { "retractions", """{"retractsEventId":"6f1c1f5e-2a7b-4f0e-9d7e-111111111111","reason":"r","effectiveAt":"2017-06-01T00:00:00Z"}""", 400, "retractsEventId" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task a_refused_entry_gets_problem_details_and_appends_nothing(string route, string body, int status, string field)
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var before = await ledger.EntryCountAsync(id);

        var response = await client.PostAsync($"/api/reviews/{id}/{route}", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await Body.Problem(response, status);
        if (field.Length > 0) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task nothing_is_recorded_for_a_review_that_is_not_chartered()
    {
        var id = Body.NewReviewId();
        var response = await ledger.Recorder().PostAsync($"/api/reviews/{id}/topics", Body.Topic("t1"));
        await Body.Problem(response, 404);
        Assert.Equal(0, await ledger.EntryCountAsync(id));
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/state"), 404);
    }

    [Fact]
    public async Task a_review_is_chartered_once()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var again = await ledger.Recorder().PostAsync("/api/reviews", Body.Charter(id));
        await Body.Problem(again, 409);
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task an_unknown_event_type_is_named_in_the_problem()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var response = await ledger.Recorder().PostAsJsonAsync($"/api/reviews/{id}/events",
            new JsonObject { ["type"] = "ScopeWidenedSecretly", ["data"] = new JsonObject() });
        var problem = await Body.Problem(response, 400);
        Assert.Contains("ScopeWidenedSecretly", problem.GetProperty("errors").GetProperty("type")[0].GetString());
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task an_oversized_body_is_refused_with_413()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        var huge = new string('x', 2 << 20);
        var response = await ledger.Recorder().PostAsync($"/api/reviews/{id}/topics",
            new StringContent($$"""{"topicId":"t2","title":"{{huge}}","description":"d","effectiveAt":"2017-06-01T00:00:00Z"}""", Encoding.UTF8, "application/json"));
        await Body.Problem(response, 413);
        Assert.Equal(2, await ledger.EntryCountAsync(id));
    }
}
