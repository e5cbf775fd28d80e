using Ssr2Ledger.Database;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// Rows edited as a superuser below the application (past the append-only trigger, deliberately):
/// verify must name the first entry that no longer fits the chain.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class TamperTests(LedgerFixture ledger)
{
    /// <summary>A review of six entries: charter, topic, areas a1..a4.</summary>
    private async Task<(string Id, Dictionary<long, Guid> Ids)> SixEntries()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1", "a2", "a3", "a4");
        var page = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events");
        return (id, page.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("version").GetInt64(), e => e.GetProperty("eventId").GetGuid()));
    }

    private async Task AsSuperuser(string sql, string reviewId)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        // The review id is the test's own slug; several statements cannot carry parameters.
        await using var command = new NpgsqlCommand($"set session_replication_role = replica; {sql.Replace("$1", $"'{reviewId}'")}", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<JsonElement> Verify(string reviewId) =>
        await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{reviewId}/verify");

    private static void NamesEntry(JsonElement report, Guid eventId)
    {
        Assert.False(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(eventId, report.GetProperty("firstBadEventId").GetGuid());
    }

    public static TheoryData<string, string, long> Edits => new()
    {
        { "payload", "update ledger.mt_events set data = jsonb_set(data, '{title}', '\"Area a9\"') where stream_id = $1 and version = 4", 4 },
        { "valid time", "update ledger.mt_events set data = jsonb_set(data, '{effectiveAt}', '\"2016-01-01T00:00:00+00:00\"') where stream_id = $1 and version = 3", 3 },
        { "recorder", "update ledger.mt_events set user_name = 'someone-else' where stream_id = $1 and version = 5", 5 },
        { "type", "update ledger.mt_events set type = 'TopicAreaAgreed' where stream_id = $1 and version = 6", 6 },
        { "recorded time", "update ledger.mt_events set timestamp = timestamp - interval '1 day' where stream_id = $1 and version = 2", 2 },
        { "scheme", "update ledger.mt_events set headers = headers || '{\"scheme\":1}' where stream_id = $1 and version = 3", 3 },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task an_edited_entry_is_named(string what, string sql, long version)
    {
        var (id, ids) = await SixEntries();
        Assert.True((await Verify(id)).GetProperty("ok").GetBoolean());
        await AsSuperuser(sql, id);
        var report = await Verify(id);
        NamesEntry(report, ids[version]);
        Assert.Contains("content", report.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public async Task a_ledger_chained_before_the_recorded_time_was_hashed_still_verifies()
    {
        var (id, _) = await SixEntries();
        await using (var connection = new NpgsqlConnection(ledger.ConnectionString))
        {
            await connection.OpenAsync();
            // Rows as an earlier version wrote them: scheme 1, no scheme header, recordedAt not hashed.
            await Forger.RechainAsSchemeOneAsync(connection, id);
            // Nor had it a Merkle tree: the next write builds it from the entries' hashes.
            await new NpgsqlCommand($"set session_replication_role = replica; delete from ledger.ssr2_tree_nodes where review_id = '{id}'", connection).ExecuteNonQueryAsync();
        }
        Assert.True((await Verify(id)).GetProperty("ok").GetBoolean());

        // New entries chain onto the old head with scheme 2, and the mixed chain verifies, online and offline.
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a5", "t1")));
        Assert.True((await Verify(id)).GetProperty("ok").GetBoolean());
        using var export = new MemoryStream();
        await ledger.Host.Services.GetRequiredService<LedgerExport>().WriteAsync(id, export, null, default);
        var report = OfflineVerifier.Verify(new StringReader(System.Text.Encoding.UTF8.GetString(export.ToArray())), null);
        Assert.True(report.Ok, report.Problem);
        var note = await (await ledger.Recorder().PostAsync($"/api/reviews/{id}/checkpoint", null)).Content.ReadAsStringAsync();
        var proof = (await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/proofs/inclusion?version=2&treeSize=7"))
            .GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
        var page = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events");
        var second = Convert.FromHexString(page.GetProperty("entries")[1].GetProperty("hash").GetString()!);
        Assert.True(MerkleTree.VerifyInclusion(1, 7, MerkleTree.LeafHash(second), proof, SignedNote.Checkpoint(note)!.Root));
    }

    [Fact]
    public async Task a_deleted_entry_is_named_by_the_one_that_follows_it()
    {
        var (id, ids) = await SixEntries();
        await AsSuperuser("delete from ledger.mt_events where stream_id = $1 and version = 3", id);
        NamesEntry(await Verify(id), ids[4]);
    }

    [Fact]
    public async Task a_deleted_last_entry_is_found_by_the_streams_version()
    {
        var (id, _) = await SixEntries();
        await AsSuperuser("delete from ledger.mt_events where stream_id = $1 and version = 6", id);
        var report = await Verify(id);
        Assert.False(report.GetProperty("ok").GetBoolean());
        Assert.Equal(6, report.GetProperty("firstBadVersion").GetInt64());
    }

    [Fact]
    public async Task an_entry_inserted_in_the_middle_is_named()
    {
        var (id, _) = await SixEntries();
        var inserted = Guid.NewGuid();
        await AsSuperuser($"""
            update ledger.mt_events set version = version + 1000 where stream_id = $1 and version >= 3;
            update ledger.mt_events set version = version - 999 where stream_id = $1 and version > 1000;
            insert into ledger.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name)
              select seq_id + 100000, '{inserted}', stream_id, 3, jsonb_set(data, '{"{title}"}', '"Inserted"'), type, timestamp, tenant_id,
                     mt_dotnet_type, headers, user_name
              from ledger.mt_events where stream_id = $1 and version = 4;
            """, id);
        NamesEntry(await Verify(id), inserted);
    }

    [Fact]
    public async Task two_entries_swapped_are_named_at_the_first_of_them()
    {
        var (id, ids) = await SixEntries();
        await AsSuperuser("""
            update ledger.mt_events set version = 1004 where stream_id = $1 and version = 4;
            update ledger.mt_events set version = 4 where stream_id = $1 and version = 5;
            update ledger.mt_events set version = 5 where stream_id = $1 and version = 1004;
            """, id);
        NamesEntry(await Verify(id), ids[5]);
    }

    [Fact]
    public async Task the_applications_own_connection_cannot_update_or_delete_entries_but_still_appends()
    {
        var (id, _) = await SixEntries();
        var database = ledger.Host.Services.GetRequiredService<LedgerDatabase>();
        foreach (var sql in new[]
                 {
                     "update ledger.mt_events set user_name = 'x' where stream_id = $1",
                     "delete from ledger.mt_events where stream_id = $1",
                     "delete from ledger.mt_streams where id = $1",
                 })
        {
            await using var command = database.DataSource.CreateCommand(sql);
            command.Parameters.Add(new() { Value = id });
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }
        await using (var truncate = database.DataSource.CreateCommand("truncate ledger.mt_events cascade"))
            await Assert.ThrowsAsync<PostgresException>(() => truncate.ExecuteNonQueryAsync());

        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a5", "t1")));
        var report = await Verify(id);
        Assert.True(report.GetProperty("ok").GetBoolean());
        Assert.Equal(7, report.GetProperty("eventsChecked").GetInt64());
        Assert.Equal((await ledger.StateAsync(id)).GetProperty("headHash").GetString(), report.GetProperty("headHash").GetString());
    }
}

[Collection(LedgerCollection.Name)]
public sealed class DigestTests(LedgerFixture ledger)
{
    [Fact]
    public async Task a_kept_digest_proves_earlier_entries_unchanged_and_says_what_was_added()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var kept = await ledger.Client().GetFromJsonAsync<Digest>("/api/ledger/digest", ledger.Json);
        Assert.Equal(Digest.RootOf(kept!.Reviews), kept.Root);
        Assert.Contains(kept.Reviews, r => r.ReviewId == id && r.Version == 3);

        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a2", "t1")));
        var other = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(other);

        var services = ledger.Host.Services;
        var check = await DigestCheck.AgainstAsync(kept, services.GetRequiredService<ChainVerifier>(), services.GetRequiredService<LedgerDigests>(), default);
        Assert.True(check.Ok, JsonSerializer.Serialize(check));
        var mine = check.Reviews.Single(r => r.ReviewId == id);
        Assert.Equal((3, 4, 1), (mine.VersionThen, mine.VersionNow, mine.Added));
        Assert.Contains(check.NewReviews, r => r.ReviewId == other);

        var now = await ledger.Client().GetFromJsonAsync<Digest>("/api/ledger/digest", ledger.Json);
        Assert.NotEqual(kept.Root, now!.Root);
        Assert.True(now.Sequence > kept.Sequence);

        // An altered digest file does not vouch for anything.
        var forged = kept with { Reviews = kept.Reviews.Select(r => r.ReviewId == id ? r with { Version = 2 } : r).ToList() };
        Assert.False((await DigestCheck.AgainstAsync(forged, services.GetRequiredService<ChainVerifier>(), services.GetRequiredService<LedgerDigests>(), default)).DigestRootValid);
    }

    [Fact]
    public async Task an_entry_altered_after_the_digest_is_caught()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1", "a2");
        var kept = await ledger.Client().GetFromJsonAsync<Digest>("/api/ledger/digest", ledger.Json);
        await using (var connection = new NpgsqlConnection(ledger.ConnectionString))
        {
            await connection.OpenAsync();
            // A careful forger rewrites a payload recorded before the digest and recomputes the chain after it,
            // so that the chain alone still verifies.
            await new NpgsqlCommand($"set session_replication_role = replica; update ledger.mt_events set data = jsonb_set(data, '{{title}}', '\"Forged\"') where stream_id = '{id}' and version = 3", connection).ExecuteNonQueryAsync();
            await Forger.RechainAsSchemeOneAsync(connection, id);
        }
        Assert.True((await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/verify")).GetProperty("ok").GetBoolean());

        var services = ledger.Host.Services;
        var check = await DigestCheck.AgainstAsync(kept!, services.GetRequiredService<ChainVerifier>(), services.GetRequiredService<LedgerDigests>(), default);
        Assert.False(check.Ok);
        Assert.False(check.Reviews.Single(r => r.ReviewId == id).Ok);
    }
}

/// <summary>Tampering below the application, as a forger with the database would.</summary>
internal static class Forger
{
    /// <summary>Recomputes a review's chain below the application, as scheme 1 (what an earlier version wrote, or a forger).</summary>
    public static async Task RechainAsSchemeOneAsync(NpgsqlConnection connection, string id)
    {
        var rows = new List<(long Version, string Type, string Data, string By)>();
        await using (var read = await new NpgsqlCommand($"select version, type, data::text, user_name from ledger.mt_events where stream_id = '{id}' order by version", connection).ExecuteReaderAsync())
            while (await read.ReadAsync()) rows.Add((read.GetInt64(0), read.GetString(1), read.GetString(2), read.GetString(3)));
        var previous = HashChain.Genesis;
        foreach (var row in rows)
        {
            var data = JsonDocument.Parse(row.Data).RootElement;
            var hash = HashChain.Next(previous, row.Type, data, data.GetProperty("effectiveAt").GetDateTimeOffset(), row.By, row.Version);
            await new NpgsqlCommand($"set session_replication_role = replica; update ledger.mt_events set headers = jsonb_build_object('hash', '{hash}', 'previousHash', '{previous}') where stream_id = '{id}' and version = {row.Version}", connection).ExecuteNonQueryAsync();
            previous = hash;
        }
    }
}
