using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Integrity;

public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{"b":1,"a":[true,null,"x"]}""", """{"a":[true,null,"x"],"b":1}""")]
    [InlineData("""{ "€":1, "\r":2, "ö":3 }""", "{\"\\r\":2,\"ö\":3,\"€\":1}")]
    [InlineData("""[1.0, 1e21, 1e-7, 0.000001, -0, 100, 4.5e3]""", "[1,1e+21,1e-7,0.000001,0,100,4500]")]
    [InlineData("\"tab\\there \\u0001 \\\"quoted\\\" </script>\"", "\"tab\\there \\u0001 \\\"quoted\\\" </script>\"")]
    public void canonical_json_follows_rfc_8785(string input, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonDocument.Parse(input).RootElement)));

    [Fact]
    public void member_order_and_whitespace_do_not_change_the_hash()
    {
        var at = new DateTimeOffset(2017, 5, 15, 0, 0, 0, TimeSpan.Zero);
        var one = HashChain.Next(HashChain.Genesis, "T", JsonDocument.Parse("""{"a":1,"b":"x"}""").RootElement, at, "k", 1);
        var two = HashChain.Next(HashChain.Genesis, "T", JsonDocument.Parse("""{ "b" : "x", "a" : 1 }""").RootElement, at, "k", 1);
        var other = HashChain.Next(HashChain.Genesis, "T", JsonDocument.Parse("""{"a":2,"b":"x"}""").RootElement, at, "k", 1);
        Assert.Equal(one, two);
        Assert.NotEqual(one, other);
        Assert.NotEqual(one, HashChain.Next(HashChain.Genesis, "T", JsonDocument.Parse("""{"a":1,"b":"x"}""").RootElement, at, "someone-else", 1));
    }
}

[Collection(LedgerCollection.Name)]
public sealed class StoredChainTests(LedgerFixture ledger)
{
    [Fact]
    public async Task the_stored_rows_recompute_to_the_hashes_the_writes_answered()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1", "a2");
        var last = await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions",
            Body.Decision("d1", "2017-05-15T00:00:00Z", ("a1", "in-scope"), ("a2", "out-of-scope"))));

        // Straight from the table, as an auditor with SQL access would.
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select type, data::text, user_name, version, headers->>'hash', headers->>'previousHash', headers->>'scheme', timestamp " +
            "from ledger.mt_events where stream_id = $1 order by version",
            connection) { Parameters = { new() { Value = id } } };
        await using var rows = await command.ExecuteReaderAsync();
        var previous = HashChain.Genesis;
        var count = 0;
        while (await rows.ReadAsync())
        {
            var data = JsonDocument.Parse(rows.GetString(1)).RootElement;
            var effectiveAt = data.GetProperty("effectiveAt").GetDateTimeOffset();
            Assert.Equal(previous, rows.GetString(5));
            Assert.Equal("2", rows.GetString(6));
            var expected = HashChain.Next(previous, rows.GetString(0), data, effectiveAt, rows.GetString(2), rows.GetInt64(3),
                rows.GetFieldValue<DateTimeOffset>(7));
            Assert.Equal(expected, rows.GetString(4));
            previous = expected;
            count++;
        }
        Assert.Equal(5, count);
        Assert.Equal(last.GetProperty("hash").GetString(), previous);
    }
}
