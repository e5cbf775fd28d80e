using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Bench;

/// <summary>verify over a long ledger beside merely reading the same rows and columns (issue 5's target, kept in the table).</summary>
public static class VerifyBench
{
    public static async Task RunAsync(Bench bench, int events)
    {
        Console.WriteLine($"verify: recording a review of {events:N0} entries …");
        await bench.ImportAsync("verify", GeneratedReview.Churn("verify", events));
        var verifier = bench.App.Services.GetRequiredService<ChainVerifier>();
        Console.WriteLine("verify: reading and verifying, best of 3 …");
        var reads = new List<double>();
        var verifies = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            reads.Add(await Bench.Timed(async () =>
            {
                await using var command = bench.Ledger.DataSource.CreateCommand(
                    "select id, version, type, data::text, coalesce(user_name, ''), headers ->> 'hash', headers ->> 'previousHash', " +
                    "(headers ->> 'scheme')::int, timestamp from ledger.mt_events where stream_id = 'verify' and version <= 9223372036854775807 order by version, seq_id");
                await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess);
                var data = new byte[4096];
                while (await reader.ReadAsync())
                {
                    // In the form verify reads them: the data as the UTF-8 the server sends.
                    reader.GetGuid(0); reader.GetInt64(1); reader.GetString(2);
                    var length = (int)reader.GetBytes(3, 0, null, 0, 0);
                    if (length > data.Length) data = new byte[length];
                    reader.GetBytes(3, 0, data, 0, length);
                    reader.GetString(4);
                    if (!reader.IsDBNull(5)) reader.GetString(5);
                    if (!reader.IsDBNull(6)) reader.GetString(6);
                    if (!reader.IsDBNull(7)) reader.GetInt32(7);
                    reader.GetFieldValue<DateTimeOffset>(8);
                }
            }));
            verifies.Add(await Bench.Timed(async () =>
            {
                var report = await verifier.VerifyAsync("verify");
                if (report is not { Ok: true }) throw new InvalidOperationException(report?.Problem);
            }));
        }
        var ratio = verifies.Min() / reads.Min();
        bench.Figures.Add(new("issue 5: verify", $"verify of {events:N0} entries, best of 3 (entries/s)", events / (verifies.Min() / 1000), "/s",
            "bare read of the same rows and columns (rows/s)", events / (reads.Min() / 1000), $"{ratio:N2}x the read's time", "≤ 1.5x", ratio <= 1.5));
    }
}
