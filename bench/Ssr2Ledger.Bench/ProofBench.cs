using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Bench;

/// <summary>
/// Issue 15: inclusion proofs in a review of a million entries, read from the stored subtrees, asked by several clients at
/// once; beside them, as the baseline, the cheapest question the database can be asked over the same connection pool: one
/// entry's hash by its primary key, asked the same way by as many clients.
/// </summary>
public static class ProofBench
{
    public static async Task RunAsync(Bench bench, int events, int queries, int clients)
    {
        Console.WriteLine($"proofs: recording a review of {events:N0} entries …");
        await bench.ImportAsync("proofs", GeneratedReview.Churn("proofs", events));
        var proofs = bench.App.Services.GetRequiredService<TreeProofs>();
        var dataSource = bench.Ledger.DataSource;
        var schema = bench.Store.Options.Events.DatabaseSchemaName;

        async Task Proof(long version)
        {
            var answer = await proofs.InclusionAsync("proofs", version, events, CancellationToken.None);
            if (answer.Hashes is not { Count: > 0 }) throw new InvalidOperationException($"No proof of {version}: {answer.Refusal}");
        }
        async Task Row(long version)
        {
            await using var command = dataSource.CreateCommand($"select headers ->> 'hash' from {schema}.mt_events where stream_id = $1 and version = $2");
            command.Parameters.Add(new NpgsqlParameter { Value = "proofs" });
            command.Parameters.Add(new NpgsqlParameter { Value = version });
            if (await command.ExecuteScalarAsync() is not string) throw new InvalidOperationException($"No entry {version}");
        }
        var (proof, row) = await Loaded(clients, queries, Proof, Row, events);
        var (serial, serialRow) = await Loaded(1, queries, Proof, Row, events);
        Console.WriteLine($"  {clients} clients (then one), {queries:N0} questions each after 50 to warm up");
        Console.WriteLine("  measure                                   p50 ms   p99 ms");
        Console.WriteLine($"  inclusion proof (TreeProofs)            {Bench.Percentile(proof, 50),8:N2} {Bench.Percentile(proof, 99),8:N2}");
        Console.WriteLine($"  baseline: one row by primary key        {Bench.Percentile(row, 50),8:N2} {Bench.Percentile(row, 99),8:N2}");
        Console.WriteLine($"  one client: inclusion proof             {Bench.Percentile(serial, 50),8:N2} {Bench.Percentile(serial, 99),8:N2}");
        Console.WriteLine($"  one client: one row by primary key      {Bench.Percentile(serialRow, 50),8:N2} {Bench.Percentile(serialRow, 99),8:N2}");
        var p99 = Bench.Percentile(proof, 99);
        bench.Figures.Add(new("issue 15: proofs", $"inclusion proof in a tree of {events:N0} entries, {clients} clients, p99 (ms)", p99, "ms",
            $"one row by primary key, {clients} clients, p99", Bench.Percentile(row, 99), $"{p99 / Bench.Percentile(row, 99):N1}x; p50 {Bench.Percentile(proof, 50):N2} ms",
            "< 5 ms", p99 < 5));
        // One question at a time: what one auditor's proof costs, without seven others queued on two cores.
        var serialP99 = Bench.Percentile(serial, 99);
        bench.Figures.Add(new("issue 15: proofs", $"inclusion proof in a tree of {events:N0} entries, one client, p99 (ms)", serialP99, "ms",
            "one row by primary key, one client, p99", Bench.Percentile(serialRow, 99),
            $"{serialP99 / Bench.Percentile(serialRow, 99):N1}x; p50 {Bench.Percentile(serial, 50):N2} ms", "< 5 ms", serialP99 < 5));
    }

    /// <summary>
    /// Each client asks <paramref name="queries"/> proofs and as many baseline rows (about random versions), alternating, one
    /// after another; all clients at once. Alternating puts both under the same load (the import's aftermath included).
    /// </summary>
    private static async Task<(List<double> First, List<double> Second)> Loaded(int clients, int queries, Func<long, Task> first,
        Func<long, Task> second, int events)
    {
        var (firsts, seconds) = (new ConcurrentBag<double>(), new ConcurrentBag<double>());
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(15 + client);
            for (var i = 0; i < queries + 50; i++)
            {
                var (a, b) = (await Bench.Timed(() => first(random.NextInt64(1, events + 1))), await Bench.Timed(() => second(random.NextInt64(1, events + 1))));
                if (i < 50) continue; // the first ones warm the pool and the JIT
                firsts.Add(a);
                seconds.Add(b);
            }
        })));
        return ([.. firsts], [.. seconds]);
    }
}
