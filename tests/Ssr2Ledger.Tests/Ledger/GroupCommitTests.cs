using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ssr2Ledger.Database;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Tests.Support;
using static Ssr2Ledger.Tests.Support.Body;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>
/// Group commit: writers to one review that arrive while a commit is in flight are decided together, in arrival order,
/// and committed once. The test holds the review's stream row lock itself, so the first writer's group waits on it while
/// the others queue behind in a known order; no timing decides what is grouped.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class GroupCommitTests(LedgerFixture ledger)
{
    private RecordingLoop Loop => ledger.Host.Services.GetRequiredService<RecordingLoop>();
    private string Schema => Loop.Schema;

    /// <summary>The review's stream row locked by another transaction, as a second server writing would hold it.</summary>
    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> HoldLockAsync(string reviewId)
    {
        var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var locking = new NpgsqlCommand($"select version from {Schema}.mt_streams where id = $1 for update", connection, transaction)
            { Parameters = { new() { Value = reviewId } } };
        await locking.ExecuteScalarAsync();
        return (connection, transaction);
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 6000; i++)
        {
            if (await condition()) return;
            await Task.Delay(10);
        }
        throw new TimeoutException($"Never saw {what}.");
    }

    /// <summary>
    /// Sends the first request, waits until its group has left the queue (and waits on the lock held), then sends the rest
    /// one by one, each queued before the next is sent: they arrive, and are decided, in this order.
    /// </summary>
    private async Task<List<Task<HttpResponseMessage>>> QueueAsync(string reviewId, HttpClient client, params HttpRequestMessage[] requests)
    {
        var sent = new List<Task<HttpResponseMessage>> { client.SendAsync(requests[0]) };
        await Until(() => Task.FromResult(Loop.QueueOf(reviewId) == (0, true)), "the first group under way");
        for (var i = 1; i < requests.Length; i++)
        {
            sent.Add(client.SendAsync(requests[i]));
            var waiting = i;
            await Until(() => Task.FromResult(Loop.QueueOf(reviewId).Waiting == waiting), $"{waiting} writers waiting");
        }
        return sent;
    }

    /// <summary>The requests queued behind a held lock in this order, then the lock let go: their answers, in that order.</summary>
    private async Task<HttpResponseMessage[]> GroupedAsync(string reviewId, HttpClient client, params HttpRequestMessage[] requests)
    {
        var (connection, transaction) = await HoldLockAsync(reviewId);
        var sent = await QueueAsync(reviewId, client, requests);
        await transaction.CommitAsync();
        await connection.DisposeAsync();
        return await Task.WhenAll(sent);
    }

    [Fact]
    public async Task interleaved_writers_on_one_review_are_each_recorded_once_in_a_contiguous_verified_chain()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        var answers = await GroupedAsync(id, client,
            [.. Enumerable.Range(0, 12).Select(i => Post($"/api/reviews/{id}/areas", Body.Area($"a{i}", "t1")))]);

        var bodies = await Task.WhenAll(answers.Select(Body.Created));
        // In arrival order: the first alone, then the eleven waiting as one group, each with its own version and hash.
        Assert.Equal(Enumerable.Range(3, 12).Select(v => (long)v), bodies.Select(b => b.GetProperty("version").GetInt64()));
        Assert.Equal(12, bodies.Select(b => b.GetProperty("hash").GetString()).Distinct().Count());
        Assert.Equal(14, await ledger.EntryCountAsync(id));
        await AssertConsistentAsync(id, bodies[^1]);
    }

    [Fact]
    public async Task a_refused_writer_in_the_middle_of_a_group_refuses_only_itself()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        var answers = await GroupedAsync(id, client,
            Post($"/api/reviews/{id}/areas", Body.Area("a0", "t1")),
            Post($"/api/reviews/{id}/areas", Body.Area("a1", "t1")),
            Post($"/api/reviews/{id}/areas", Body.Area("a2", "no-such-topic")), // refused by the rules
            Post($"/api/reviews/{id}/areas", Body.Area("a1", "t1")), // refused: the writer before it in the group made a1
            Post($"/api/reviews/{id}/areas", Body.Area("a3", "t1")));

        Assert.Equal(3, (await Body.Created(answers[0])).GetProperty("version").GetInt64());
        Assert.Equal(4, (await Body.Created(answers[1])).GetProperty("version").GetInt64());
        Assert.Contains("no-such-topic", (await Body.Problem(answers[2], 400)).ToString());
        Assert.Contains("a1", (await Body.Problem(answers[3], 409)).ToString());
        var last = await Body.Created(answers[4]);
        Assert.Equal(5, last.GetProperty("version").GetInt64());
        Assert.Equal(5, await ledger.EntryCountAsync(id));
        await AssertConsistentAsync(id, last);
    }

    [Fact]
    public async Task if_match_and_idempotency_keys_are_checked_at_each_writers_own_position_in_a_group()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id);
        var url = $"/api/reviews/{id}/areas";
        var answers = await GroupedAsync(id, client,
            Post(url, Body.Area("a0", "t1")), // version 3, alone
            Post(url, Body.Area("a1", "t1"), ifMatch: "\"3\""), // the review is at 3 at its turn: version 4
            Post(url, Body.Area("a2", "t1"), ifMatch: "\"3\""), // at 4 by its turn: 409
            Post(url, Body.Area("a3", "t1"), "key-g"), // version 5
            Post(url, Body.Area("a3", "t1"), "key-g"), // the same request again, in the same group: its answer replayed
            Post(url, Body.Area("a4", "t1"), "key-g"), // the key with another request: 422
            Post(url, Body.Area("a5", "t1"), ifMatch: "\"5\"")); // version 6

        Assert.Equal(4, (await Body.Created(answers[1])).GetProperty("version").GetInt64());
        await Body.Problem(answers[2], 409);
        var keyed = await Body.Created(answers[3]);
        var replayed = await Body.Created(answers[4]);
        Assert.Equal(keyed.ToString(), replayed.ToString());
        Assert.Equal(5, keyed.GetProperty("version").GetInt64());
        await Body.Problem(answers[5], 422);
        var last = await Body.Created(answers[6]);
        Assert.Equal(6, last.GetProperty("version").GetInt64());

        // And the key is remembered past the group: a retry after the commit replays the same answer.
        var retry = await Body.Created(await client.SendAsync(Post(url, Body.Area("a3", "t1"), "key-g")));
        Assert.Equal(keyed.ToString(), retry.ToString());
        Assert.Equal(6, await ledger.EntryCountAsync(id));
        await AssertConsistentAsync(id, last);
    }

    [Fact]
    public async Task a_group_whose_transaction_fails_fails_every_writer_and_leaves_nothing_behind()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a0");
        var before = await ledger.StateAsync(id);
        var (connection, transaction) = await HoldLockAsync(id);
        var url = $"/api/reviews/{id}/areas";
        var sent = await QueueAsync(id, client,
            Post(url, Body.Area("a1", "t1")), Post(url, Body.Area("a2", "t1")), Post(url, Body.Area("a3", "t1")),
            Post(url, Body.Area("a4", "t1")));

        // The connection of each group waiting on the lock is cut, as a database restart would: first the lone writer's,
        // then that of the three decided together behind it.
        // (From a connection of its own: inside a transaction, pg_stat_activity is read once.)
        await using var killer = new NpgsqlConnection(ledger.ConnectionString);
        await killer.OpenAsync();
        for (var group = 0; group < 2; group++)
        {
            var cut = 0;
            await Until(async () =>
            {
                await using var terminate = new NpgsqlCommand(
                    "select count(pg_terminate_backend(pid)) from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid() " +
                    "and datname = current_database() and query like '%mt_streams%'", killer);
                cut = Convert.ToInt32(await terminate.ExecuteScalarAsync());
                return cut == 1;
            }, "a group waiting on the lock");
            if (group == 0) await Body.Problem(await sent[0], 503);
        }
        var failed = await Task.WhenAll(sent.Skip(1));
        foreach (var answer in failed) await Body.Problem(answer, 503);
        await transaction.CommitAsync();
        await connection.DisposeAsync();

        Assert.Equal(3, await ledger.EntryCountAsync(id));
        Assert.Equal(before.ToString(), (await ledger.StateAsync(id)).ToString());
        // Retried, they are recorded after what was there, as if the failed group had never been.
        foreach (var area in new[] { "a1", "a2", "a3", "a4" }) await Body.Created(await client.PostAsync(url, Body.Area(area, "t1")));
        var last = await Body.Created(await client.PostAsync(url, Body.Area("a5", "t1")));
        Assert.Equal(8, last.GetProperty("version").GetInt64());
        await AssertConsistentAsync(id, last);
    }

    /// <summary>
    /// Fills both of the loop's transaction slots with writers waiting on locks held here, so that writers to other reviews
    /// queue behind them; <paramref name="queued"/> are then sent one by one, each seen waiting before the next.
    /// </summary>
    private async Task<(List<Task<HttpResponseMessage>> Blocked, List<(NpgsqlConnection, NpgsqlTransaction)> Locks,
        List<Task<HttpResponseMessage>> Queued)> SlotsFilledAsync(HttpClient client, params (string ReviewId, HttpRequestMessage Request)[] queued)
    {
        Assert.Equal(2, RecordingLoop.MaxInFlight);
        var blocked = new List<Task<HttpResponseMessage>>();
        var locks = new List<(NpgsqlConnection, NpgsqlTransaction)>();
        for (var slot = 0; slot < RecordingLoop.MaxInFlight; slot++)
        {
            var id = Body.NewReviewId();
            await client.SeedAsync(id);
            locks.Add(await HoldLockAsync(id));
            blocked.Add(client.SendAsync(Post($"/api/reviews/{id}/areas", Body.Area("a0", "t1"))));
            await Until(() => Task.FromResult(Loop.QueueOf(id) == (0, true)), "a transaction waiting on the lock");
        }
        var sent = new List<Task<HttpResponseMessage>>();
        foreach (var (reviewId, request) in queued)
        {
            var waiting = Loop.QueueOf(reviewId).Waiting + 1;
            sent.Add(client.SendAsync(request));
            await Until(() => Task.FromResult(Loop.QueueOf(reviewId) == (waiting, false)), "a writer waiting for a transaction");
        }
        return (blocked, locks, sent);
    }

    /// <summary>Lets the transactions filling the slots commit: the writers queued behind them go next.</summary>
    private static async Task ReleaseSlotsAsync(List<Task<HttpResponseMessage>> blocked, List<(NpgsqlConnection, NpgsqlTransaction)> locks)
    {
        foreach (var (connection, transaction) in locks)
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        }
        foreach (var answer in await Task.WhenAll(blocked)) await Body.Created(answer);
    }

    private async Task<List<long>> TransactionsOfAsync(params string[] reviewIds)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using var xmin = new NpgsqlCommand(
            $"select distinct xmin::text::bigint from {Schema}.mt_events where stream_id = any($1) and version > 2", connection)
            { Parameters = { new() { Value = reviewIds } } };
        var found = new List<long>();
        await using var reader = await xmin.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add(reader.GetInt64(0));
        return found;
    }

    [Fact]
    public async Task writers_to_several_reviews_waiting_together_share_one_transaction_and_a_refusal_refuses_only_its_writer()
    {
        var client = ledger.Recorder();
        var (a, b, c) = (Body.NewReviewId(), Body.NewReviewId(), Body.NewReviewId());
        foreach (var id in new[] { a, b, c }) await client.SeedAsync(id);
        var (blocked, locks, sent) = await SlotsFilledAsync(client,
            (c, Post($"/api/reviews/{c}/areas", Body.Area("c1", "t1"))),
            (a, Post($"/api/reviews/{a}/areas", Body.Area("a1", "t1"))),
            (b, Post($"/api/reviews/{b}/areas", Body.Area("b1", "no-such-topic"))), // refused by the rules
            (b, Post($"/api/reviews/{b}/areas", Body.Area("b2", "t1"))),
            (a, Post($"/api/reviews/{a}/areas", Body.Area("a2", "t1"), ifMatch: "\"3\""))); // a1 made it 3 by its turn

        await ReleaseSlotsAsync(blocked, locks);
        var answers = await Task.WhenAll(sent);

        var c1 = await Body.Created(answers[0]);
        Assert.Equal(3, c1.GetProperty("version").GetInt64());
        Assert.Equal(3, (await Body.Created(answers[1])).GetProperty("version").GetInt64());
        Assert.Contains("no-such-topic", (await Body.Problem(answers[2], 400)).ToString());
        var b2 = await Body.Created(answers[3]);
        Assert.Equal(3, b2.GetProperty("version").GetInt64());
        var a2 = await Body.Created(answers[4]);
        Assert.Equal(4, a2.GetProperty("version").GetInt64());
        // One commit for the three reviews' writers.
        Assert.Single(await TransactionsOfAsync(a, b, c));
        Assert.Equal(4, await ledger.EntryCountAsync(a));
        Assert.Equal(3, await ledger.EntryCountAsync(b));
        await AssertConsistentAsync(a, a2);
        await AssertConsistentAsync(b, b2);
        await AssertConsistentAsync(c, c1);
    }

    [Fact]
    public async Task a_review_held_by_another_server_does_not_hold_up_the_reviews_grouped_with_it()
    {
        var client = ledger.Recorder();
        var (a, b) = (Body.NewReviewId(), Body.NewReviewId());
        foreach (var id in new[] { a, b }) await client.SeedAsync(id);
        var held = await HoldLockAsync(b); // another server's long write (an import) on b
        var (blocked, locks, sent) = await SlotsFilledAsync(client,
            (a, Post($"/api/reviews/{a}/areas", Body.Area("a1", "t1"))),
            (b, Post($"/api/reviews/{b}/areas", Body.Area("b1", "t1"))));
        await ReleaseSlotsAsync(blocked, locks);

        // a and b go in one transaction, which waits on b's lock; past SharedLockWait each goes alone and a is recorded
        // while b is still held.
        Assert.Same(sent[0], await Task.WhenAny(sent[0], Task.Delay(TimeSpan.FromMinutes(1))));
        var a1 = await Body.Created(await sent[0]);
        Assert.Equal(3, a1.GetProperty("version").GetInt64());
        Assert.False(sent[1].IsCompleted, "b's writer was answered while another transaction held b");
        Assert.Equal(2, await ledger.EntryCountAsync(b));

        await held.Transaction.CommitAsync();
        await held.Connection.DisposeAsync();
        var b1 = await Body.Created(await sent[1]);
        Assert.Equal(3, b1.GetProperty("version").GetInt64());
        Assert.Equal(2, (await TransactionsOfAsync(a, b)).Count);
        await AssertConsistentAsync(a, a1);
        await AssertConsistentAsync(b, b1);
    }

    [Fact]
    public async Task a_cut_connection_in_a_transaction_of_several_reviews_fails_each_of_their_writers_and_leaves_nothing_behind()
    {
        var client = ledger.Recorder();
        var (a, b) = (Body.NewReviewId(), Body.NewReviewId());
        foreach (var id in new[] { a, b }) await client.SeedAsync(id);
        var held = await HoldLockAsync(b);
        // The transaction of both keeps waiting on b's lock (not split, as it would be past the usual wait) until it is cut.
        var wait = Loop.SharedLockWait;
        Loop.SharedLockWait = TimeSpan.FromMinutes(10);
        try
        {
            await CutWhileWaitingAsync(client, a, b, held);
        }
        finally
        {
            Loop.SharedLockWait = wait;
        }
    }

    private async Task CutWhileWaitingAsync(HttpClient client, string a, string b, (NpgsqlConnection Connection, NpgsqlTransaction Transaction) held)
    {
        var states = new[] { await ledger.StateAsync(a), await ledger.StateAsync(b) };
        var (blocked, locks, sent) = await SlotsFilledAsync(client,
            (a, Post($"/api/reviews/{a}/areas", Body.Area("a1", "t1"))),
            (b, Post($"/api/reviews/{b}/areas", Body.Area("b1", "t1"))));

        // The slots' writers go through; the transaction of a and b that follows locks a, then waits on b's lock.
        await ReleaseSlotsAsync(blocked, locks);
        await using var killer = new NpgsqlConnection(ledger.ConnectionString);
        await killer.OpenAsync();
        await Until(async () =>
        {
            await using var terminate = new NpgsqlCommand(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid() " +
                "and datname = current_database() and query like '%mt_streams%'", killer);
            return Convert.ToInt32(await terminate.ExecuteScalarAsync()) == 1;
        }, "the transaction of both reviews waiting on b's lock");
        foreach (var answer in await Task.WhenAll(sent)) await Body.Problem(answer, 503);
        await held.Transaction.CommitAsync();
        await held.Connection.DisposeAsync();

        Assert.Equal(2, await ledger.EntryCountAsync(a));
        Assert.Equal(2, await ledger.EntryCountAsync(b));
        Assert.Equal(states[0].ToString(), (await ledger.StateAsync(a)).ToString());
        Assert.Equal(states[1].ToString(), (await ledger.StateAsync(b)).ToString());
        // Retried, each is recorded after what was there, as if the failed transaction had never been.
        var retried = await Body.Created(await client.PostAsync($"/api/reviews/{a}/areas", Body.Area("a1", "t1")));
        Assert.Equal(3, retried.GetProperty("version").GetInt64());
        await AssertConsistentAsync(a, retried);
        retried = await Body.Created(await client.PostAsync($"/api/reviews/{b}/areas", Body.Area("b1", "t1")));
        await AssertConsistentAsync(b, retried);
    }

    /// <summary>
    /// The chain verifies, the served head is the last answer's, the state held in memory is what a fresh fold of the
    /// stored entries makes, and the stored Merkle tree holds exactly the subtrees of 64 leaves or more the entries' hashes make.
    /// </summary>
    private async Task AssertConsistentAsync(string reviewId, JsonElement lastAnswer)
    {
        var verify = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{reviewId}/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        var state = await ledger.StateAsync(reviewId);
        Assert.Equal(lastAnswer.GetProperty("hash").GetString(), state.GetProperty("headHash").GetString());

        var services = ledger.Host.Services;
        var catalog = services.GetRequiredService<EventCatalog>();
        var held = await services.GetRequiredService<ReviewCaches>().WithReviewAsync(reviewId, t => t.Current, CancellationToken.None);
        var fresh = await new ReviewCaches(services.GetRequiredService<LedgerReader>(), catalog)
            .WithReviewAsync(reviewId, t => t.Current, CancellationToken.None);
        Assert.Equal(JsonSerializer.Serialize(fresh, catalog.Json), JsonSerializer.Serialize(held, catalog.Json));

        var entries = await services.GetRequiredService<LedgerReader>().ReadAsync(reviewId, 1, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(v => (long)v), entries.Select(e => e.Meta.Version));
        var tree = new TreeFrontier(0, []);
        foreach (var entry in entries) tree.Append(Convert.FromHexString(entry.Meta.Hash));
        var expected = tree.Made.Where(m => m.Level >= ReviewTrees.StoredFromLevel).Select(m => $"{m.Level}/{m.Index}/{Convert.ToHexString(m.Hash)}").Order().ToList();
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using var nodes = new NpgsqlCommand($"select level, idx, hash from {Schema}.{ReviewTrees.Table} where review_id = $1", connection)
            { Parameters = { new() { Value = reviewId } } };
        var stored = new List<string>();
        await using (var reader = await nodes.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                stored.Add($"{reader.GetInt32(0)}/{reader.GetInt64(1)}/{Convert.ToHexString(reader.GetFieldValue<byte[]>(2))}");
        Assert.Equal(expected, stored.Order().ToList());
    }
}
