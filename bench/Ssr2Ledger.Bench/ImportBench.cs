using System.Diagnostics;
using Marten;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Bench;

/// <summary>
/// Bulk import of NDJSON by the command line, as a user runs it (process start to exit, peak memory read from
/// /proc), beside a server-side INSERT … SELECT of as many event-shaped rows; then rebuilding the projections
/// from every event, beside a bare read of the same rows.
/// </summary>
public static class ImportBench
{
    public static async Task RunAsync(Bench bench, int size)
    {
        int events;
        var file = Path.Combine(bench.DataDirectory + "-files", "import.ndjson");
        Console.WriteLine($"import: writing about {size:N0} entries of a generated review to {file} …");
        string sample;
        {
            var (entries, _) = GeneratedReview.Build("import", size, Math.Max(10, size / 200));
            events = entries.Count;
            await Ndjson.WriteAsync(file, entries, bench.Catalog);
            sample = bench.Store.Options.Serializer().ToJson(entries.OfType<Ssr2Ledger.Scope.ScopeDecided>().First());
        }
        GC.Collect();

        Console.WriteLine($"import: `import {Path.GetFileName(file)} --review import` ({new FileInfo(file).Length / 1048576.0:N0} MiB) …");
        var (seconds, peak, output) = await RunMeasuredAsync(bench.LedgerProcess("import", file, "--review", "import"));
        if (!output.Contains($"Imported {events} entries", StringComparison.Ordinal))
            throw new InvalidOperationException($"The import failed:\n{output}");
        File.Delete(file);
        var baseline = await InsertSelectAsync(bench, events, sample);
        var rate = events / seconds;
        var baseRate = events / baseline;
        bench.Figures.Add(new("2 import", $"`import` of {events:N0} NDJSON entries, process start to exit (entries/s)", rate, "/s",
            "INSERT … SELECT of as many event-shaped rows (rows/s)", baseRate, $"{rate / baseRate:P0}", "≥ 50%", rate / baseRate >= 0.5));
        bench.Figures.Add(new("6 memory", $"peak working set of that `import`: {events:N0} decisions' state (MB)", peak / 1048576.0, "MB",
            null, null, "", "< 500 MB", peak < 500L * 1048576));

        // Before another import: its sequence numbers would leave a gap the rebuild's daemon waits out (about 4 s).
        await RebuildAsync(bench);

        // The same number of lines into a review whose state stays small: what streaming alone costs.
        var churn = Path.Combine(bench.DataDirectory + "-files", "churn.ndjson");
        await Ndjson.WriteAsync(churn, GeneratedReview.Churn("churn", events), bench.Catalog);
        Console.WriteLine($"import: `import churn.ndjson --review churn` ({new FileInfo(churn).Length / 1048576.0:N0} MiB, a member's role changing) …");
        var (churnSeconds, churnPeak, churnOutput) = await RunMeasuredAsync(bench.LedgerProcess("import", churn, "--review", "churn"));
        if (!churnOutput.Contains($"Imported {events} entries", StringComparison.Ordinal)) throw new InvalidOperationException($"The import failed:\n{churnOutput}");
        File.Delete(churn);
        bench.Figures.Add(new("6 memory", $"peak working set of an `import` of {events:N0} lines, small state (MB)", churnPeak / 1048576.0, "MB",
            null, null, $"{events / churnSeconds:N0} entries/s", "< 500 MB", churnPeak < 500L * 1048576));
    }

    /// <summary>The rebuild rows alone (<c>--scenario rebuild</c>): the same generated review imported, then rebuilt.</summary>
    public static async Task RunRebuildAsync(Bench bench, int size)
    {
        var file = Path.Combine(bench.DataDirectory + "-files", "import.ndjson");
        Console.WriteLine($"rebuild: importing about {size:N0} entries of a generated review …");
        await Ndjson.WriteAsync(file, GeneratedReview.Build("import", size, Math.Max(10, size / 200)).Entries, bench.Catalog);
        var (_, _, output) = await RunMeasuredAsync(bench.LedgerProcess("import", file, "--review", "import"));
        if (!output.Contains("Imported ", StringComparison.Ordinal)) throw new InvalidOperationException($"The import failed:\n{output}");
        File.Delete(file);
        await RebuildAsync(bench);
    }

    private static async Task RebuildAsync(Bench bench)
    {
        long total;
        await using (var count = bench.Ledger.DataSource.CreateCommand("select count(*) from ledger.mt_events"))
            total = (long)(await count.ExecuteScalarAsync())!;
        Console.WriteLine($"rebuild: every projection from {total:N0} events, and a bare read of them …");
        var read = await Bench.Timed(async () =>
        {
            await using var command = bench.Ledger.DataSource.CreateCommand("select id, version, type, data::text, timestamp, headers::text from ledger.mt_events order by seq_id");
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess);
            while (await reader.ReadAsync())
            {
                reader.GetGuid(0); reader.GetInt64(1); reader.GetString(2); reader.GetString(3); reader.GetFieldValue<DateTimeOffset>(4); reader.GetString(5);
            }
        });
        // As a user runs it: the command line, process start to exit.
        var (seconds, _, output) = await RunMeasuredAsync(bench.LedgerProcess("projections", "rebuild"));
        if (!output.Contains("Finished rebuilding ReviewSummary", StringComparison.Ordinal)) throw new InvalidOperationException($"The rebuild failed:\n{output}");
        var rebuild = seconds * 1000;
        var rate = total / (rebuild / 1000);
        var readRate = total / (read / 1000);
        bench.Figures.Add(new("4 rebuild", $"`projections rebuild` (ReviewSummary) over {total:N0} events, process start to exit (events/s)", rate, "/s",
            "bare read of the same rows (rows/s)", readRate, $"{rate / readRate:P0} of the read", "≥ 50% of the read", rate / readRate >= 0.5));

        // The other projection is held in memory: a review's timeline, built on the first question about it.
        long imported;
        await using (var count = bench.Ledger.DataSource.CreateCommand("select count(*) from ledger.mt_events where stream_id = 'import'"))
            imported = (long)(await count.ExecuteScalarAsync())!;
        using var http = new HttpClient { BaseAddress = new Uri(bench.Url), Timeout = TimeSpan.FromMinutes(10) };
        var first = await Bench.Timed(async () => (await http.GetAsync("/api/reviews/import/state")).EnsureSuccessStatusCode());
        var timelineRate = imported / (first / 1000);
        bench.Figures.Add(new("4 rebuild", $"in-memory timeline of that review, first `state` question ({imported:N0} events/s)", timelineRate, "/s",
            null, null, "", "≥ 50,000/s", timelineRate >= 50_000));
    }

    /// <summary>The time from process start to exit, and the peak resident memory the kernel saw (VmHWM).</summary>
    private static async Task<(double Seconds, long PeakBytes, string Output)> RunMeasuredAsync(ProcessStartInfo start)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync($"/proc/{process.Id}/status"))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
            }
            catch (IOException) { }
            await Task.Delay(20);
        }
        await process.WaitForExitAsync();
        return (watch.Elapsed.TotalSeconds, peak, await stdout + await stderr);
    }

    /// <summary>The database's own speed at making as many rows of the event table's shape and indexes.</summary>
    private static async Task<double> InsertSelectAsync(Bench bench, int events, string sample)
    {
        await using var connection = await bench.Ledger.DataSource.OpenConnectionAsync();
        async Task Run(string sql, params object[] values)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            foreach (var v in values) command.Parameters.Add(new() { Value = v });
            await command.ExecuteNonQueryAsync();
        }
        await Run("drop table if exists bench_import; create table bench_import (like ledger.mt_events including defaults including indexes); " +
                  "drop sequence if exists bench_import_seq; create sequence bench_import_seq");
        var ms = await Bench.Timed(() => Run(
            "insert into bench_import (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, user_name, is_archived) " +
            "select nextval('bench_import_seq'), gen_random_uuid(), 'baseline', g, $1::jsonb, 'ScopeDecided', now(), '*DEFAULT*', " +
            "'Ssr2Ledger.Scope.ScopeDecided, Ssr2Ledger', null, " +
            "jsonb_build_object('hash', md5(g::text) || md5(g::text), 'previousHash', md5((g - 1)::text) || md5((g - 1)::text)), 'bench', false " +
            $"from generate_series(1, {events}) g", sample));
        await Run("drop table bench_import; drop sequence bench_import_seq");
        return ms / 1000;
    }
}
