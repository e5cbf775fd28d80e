using System.Diagnostics;
using System.Globalization;

namespace Ssr2Ledger.Bench;

/// <summary>Single-entry HTTP writes from 8 clients beside pgbench inserting one event-shaped row a transaction, 8 clients.</summary>
public static class WritesBench
{
    private static int Clients = 8;

    public static async Task RunAsync(Bench bench, int seconds, int clients = 8)
    {
        Clients = clients;
        Console.WriteLine($"writes: {Clients} HTTP clients for {seconds} s, then pgbench with {Clients} clients for {seconds} s …");
        var key = await Access.ApiKeys.CreateAsync(bench.Store, "bench-writer", Access.Roles.Recorder);
        using var http = new HttpClient { BaseAddress = new Uri(bench.Url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        for (var c = 0; c < Clients; c++)
        {
            var id = $"writes-{c}";
            (await http.PostAsync("/api/reviews", Json(new { reviewId = id, name = "Writes", mandate = "m", effectiveAt = "2017-01-01T00:00:00Z" }))).EnsureSuccessStatusCode();
            (await http.PostAsync($"/api/reviews/{id}/topics", Json(new { topicId = "t", title = "T", description = "d", effectiveAt = "2017-01-01T01:00:00Z" }))).EnsureSuccessStatusCode();
            for (var a = 0; a < 20; a++)
                (await http.PostAsync($"/api/reviews/{id}/areas", Json(new { areaId = $"a{a}", title = $"Area {a}", topicId = "t", effectiveAt = "2017-01-01T02:00:00Z" }))).EnsureSuccessStatusCode();
        }

        var statuses = new[] { "in-scope", "out-of-scope", "deferred" };
        var written = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var body = Json(new
                {
                    decisionId = $"d{n}", changes = new[] { new { areaId = $"a{n % 20}", to = statuses[n % 3] } }, rationale = "Because",
                    basis = "ToR section 3", method = "consensus", effectiveAt = new DateTimeOffset(2017, 2, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(n),
                });
                (await http.PostAsync($"/api/reviews/writes-{c}/scope-decisions", body)).EnsureSuccessStatusCode();
                Interlocked.Increment(ref written);
            }
        })));
        var ledger = written / watch.Elapsed.TotalSeconds;
        var pgbench = await PgbenchAsync(bench, seconds);
        bench.Figures.Add(new("1 writes", "HTTP ScopeDecided, full write path (writes/s)", ledger, "/s",
            "pgbench, one event-shaped row a transaction (tx/s)", pgbench, $"{ledger / pgbench:P0}", "≥ 30%", ledger / pgbench >= 0.30));
    }

    /// <summary>The same PostgreSQL, the same shape of row, no application in between.</summary>
    private static async Task<double> PgbenchAsync(Bench bench, int seconds)
    {
        var script = bench.DataDirectory + "-pgbench.sql";
        await File.WriteAllTextAsync(script, """
            \set v random(1, 1000000000)
            insert into bench_events (id, stream_id, version, type, data, headers, user_name)
            values (gen_random_uuid(), 'writes-' || :client_id, :v, 'ScopeDecided',
              '{"decisionId":"d1","changes":[{"areaId":"a1","to":"in-scope"}],"rationale":"Because","basis":"ToR section 3","method":"consensus","effectiveAt":"2017-02-01T00:00:00+00:00"}',
              '{"hash":"0000000000000000000000000000000000000000000000000000000000000000","previousHash":"0000000000000000000000000000000000000000000000000000000000000000"}',
              'bench');
            """);
        await using (var create = bench.Ledger.DataSource.CreateCommand(
            "create table if not exists bench_events (seq_id bigserial primary key, id uuid not null, stream_id text, version bigint, type text, data jsonb, headers jsonb, user_name text, timestamp timestamptz default now())"))
            await create.ExecuteNonQueryAsync();
        var process = Process.Start(new ProcessStartInfo(Path.Combine(bench.Postgres.Binaries, "pgbench"),
            ["-n", "-c", $"{Clients}", "-j", "2", "-T", $"{seconds}", "-f", script, "-h", "127.0.0.1", "-p", $"{bench.Postgres.Port}", "-U", "ledger", bench.Database])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var tps = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal)) ?? throw new InvalidOperationException(output);
        return double.Parse(tps.Split(' ')[2], CultureInfo.InvariantCulture);
    }

    private static StringContent Json(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
            System.Text.Encoding.UTF8, "application/json");
}
