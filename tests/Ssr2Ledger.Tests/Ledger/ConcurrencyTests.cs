using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;
using static Ssr2Ledger.Tests.Support.Body;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>Idempotency-Key, If-Match and concurrent writers.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ConcurrencyTests(LedgerFixture ledger)
{
    [Fact]
    public async Task the_same_idempotency_key_and_body_returns_the_first_answer_and_appends_nothing()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        var url = $"/api/reviews/{id}/areas";

        var first = await Body.Created(await client.SendAsync(Post(url, Body.Area("a1", "t1"), "key-1")));
        var again = await Body.Created(await client.SendAsync(Post(url, Body.Area("a1", "t1"), "key-1")));

        Assert.Equal(first.ToString(), again.ToString());
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task an_idempotency_key_reused_for_another_body_is_refused()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        await Body.Created(await client.SendAsync(Post($"/api/reviews/{id}/areas", Body.Area("a1", "t1"), "key-2")));
        await Body.Problem(await client.SendAsync(Post($"/api/reviews/{id}/areas", Body.Area("a2", "t1"), "key-2")), 422);
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task concurrent_retries_with_one_idempotency_key_append_once()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.SendAsync(Post($"/api/reviews/{id}/areas", Body.Area("a1", "t1"), "retry-key"))));
        var bodies = await Task.WhenAll(answers.Select(Body.Created));
        Assert.Single(bodies.Select(b => b.GetProperty("eventId").GetGuid()).Distinct());
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_stale_if_match_is_409_and_a_current_one_records()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");

        await Body.Problem(await client.SendAsync(Post($"/api/reviews/{id}/areas", Body.Area("a2", "t1"), ifMatch: "\"2\"")), 409);
        Assert.Equal(3, await ledger.EntryCountAsync(id));

        var answer = await Body.Created(await client.SendAsync(Post($"/api/reviews/{id}/areas", Body.Area("a2", "t1"), ifMatch: "\"3\"")));
        Assert.Equal(4, answer.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task two_decisions_with_the_same_if_match_one_wins_one_gets_409()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var answers = await Task.WhenAll(
            client.SendAsync(Post($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-06-01T00:00:00Z", ("a1", "in-scope")), ifMatch: "3")),
            client.SendAsync(Post($"/api/reviews/{id}/scope-decisions", Body.Decision("d2", "2017-06-01T00:00:00Z", ("a1", "out-of-scope")), ifMatch: "3")));
        Assert.Equal([201, 409], answers.Select(a => (int)a.StatusCode).Order());
        Assert.Equal(4, await ledger.EntryCountAsync(id));
        var verify = await ledger.Client().GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/reviews/{id}/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task concurrent_writers_on_one_review_never_lose_an_entry()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id);
        const int writers = 24;
        var answers = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area($"a{i}", "t1"))));
        var bodies = await Task.WhenAll(answers.Select(Body.Created));

        Assert.Equal(Enumerable.Range(3, writers).Select(v => (long)v), bodies.Select(b => b.GetProperty("version").GetInt64()).Order());
        Assert.Equal(2 + writers, await ledger.EntryCountAsync(id));
        var state = await ledger.StateAsync(id);
        Assert.Equal(writers, state.GetProperty("areas").GetArrayLength());
        Assert.Equal(bodies.Single(b => b.GetProperty("version").GetInt64() == 2 + writers).GetProperty("hash").GetString(),
            state.GetProperty("headHash").GetString());
        var verify = await ledger.Client().GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/reviews/{id}/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task concurrent_charters_of_one_review_record_one()
    {
        var id = Body.NewReviewId();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ledger.Recorder().PostAsync("/api/reviews", Body.Charter(id))));
        Assert.Single(answers, a => (int)a.StatusCode == 201);
        foreach (var refused in answers.Where(a => (int)a.StatusCode != 201)) await Body.Problem(refused, 409);
        Assert.Equal(1, await ledger.EntryCountAsync(id));
    }
}
