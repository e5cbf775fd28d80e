using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Bench;

/// <summary>
/// Single-entry HTTP writes from 8 clients, each on a review of its own and all on ONE review (where writers queue and
/// group commit takes them together), and on their own reviews without the Merkle tree (what the tree costs); beside
/// pgbench inserting one event-shaped row a transaction with as many clients.
/// </summary>
public static class WritesBench
{
    private static readonly string[] Statuses = ["in-scope", "out-of-scope", "deferred"];

    public static async Task RunAsync(Bench bench, int seconds, int clients = 8)
    {
        Console.WriteLine($"writes: {clients} HTTP clients on {clients} reviews, on one review, without the tree, {seconds} s each; then pgbench …");
        var key = await Access.ApiKeys.CreateAsync(bench.Store, "bench-writer", Access.Roles.Recorder);
        using var http = new HttpClient { BaseAddress = new Uri(bench.Url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);

        var own = new Writers(http, Enumerable.Range(0, clients).Select(c => $"writes-{c}").ToArray());
        var one = new Writers(http, Enumerable.Repeat("writes-one", clients).ToArray());
        var plain = new Writers(http, Enumerable.Range(0, clients).Select(c => $"plain-{c}").ToArray());
        foreach (var writers in new[] { own, one, plain }) await writers.PrepareAsync();
        // Warm-up (JIT, pools, caches), not counted, of both sides alike: reviews grown unequally write at unequal speeds
        // (with the tree kept on both sides, an own-only warm-up made the side without it 22% faster).
        var loop = bench.App.Services.GetRequiredService<RecordingLoop>();
        await own.RunAsync(3);
        loop.WithoutTrees = true;
        try { await plain.RunAsync(3); }
        finally { loop.WithoutTrees = false; }
        own.Reset();
        plain.Reset();

        // With and without the tree in turns, so that the machine's other load falls on both alike.
        for (var turn = 0; turn < 4; turn++)
        {
            if (turn % 2 == 0) await own.RunAsync(seconds / 4.0);
            loop.WithoutTrees = true;
            try { await plain.RunAsync(seconds / 4.0); }
            finally { loop.WithoutTrees = false; }
            if (turn % 2 == 1) await own.RunAsync(seconds / 4.0);
        }
        await one.RunAsync(seconds);
        var pgbench = await PgbenchAsync(bench, seconds, clients);
        var (ownRate, oneRate, plainRate) = (own.Rate, one.Rate, plain.Rate);

        const string baseline = "pgbench, one event-shaped row a transaction (tx/s)";
        bench.Figures.Add(new("1 writes", $"HTTP ScopeDecided, {clients} clients on {clients} reviews (writes/s)", ownRate, "/s",
            baseline, pgbench, $"{ownRate / pgbench:P0}", "≥ 30%", ownRate / pgbench >= 0.30));
        bench.Figures.Add(new("1 writes", $"HTTP ScopeDecided, {clients} clients on ONE review (writes/s)", oneRate, "/s",
            baseline, pgbench, $"{oneRate / pgbench:P0}", "≥ 15%", oneRate / pgbench >= 0.15));
        var cost = plainRate / ownRate - 1;
        bench.Figures.Add(new("1 writes", $"issue 15: with the Merkle tree, {clients} clients on {clients} reviews (writes/s)", ownRate, "/s",
            "the same without the tree, in turns with it (writes/s)", plainRate, $"{cost:+0%;-0%} time a write", "≤ +10%", cost <= 0.10));
    }

    /// <summary>
    /// Clients each writing scope decisions to its review (<c>reviews[c]</c>; a review named more than once is shared), on
    /// areas of its own, numbering its decisions on from run to run; the rate is over every run since the last reset.
    /// </summary>
    private sealed class Writers(HttpClient http, string[] reviews)
    {
        private const int AreasEach = 20;
        private readonly int[] _next = new int[reviews.Length];
        private long _written;
        private TimeSpan _spent;

        public double Rate => _written / _spent.TotalSeconds;

        public void Reset() => (_written, _spent) = (0, TimeSpan.Zero);

        public async Task PrepareAsync()
        {
            for (var c = 0; c < reviews.Length; c++)
            {
                var id = reviews[c];
                if (Array.IndexOf(reviews, id) == c)
                {
                    (await http.PostAsync("/api/reviews", Json(new { reviewId = id, name = "Writes", mandate = "m", effectiveAt = "2017-01-01T00:00:00Z" }))).EnsureSuccessStatusCode();
                    (await http.PostAsync($"/api/reviews/{id}/topics", Json(new { topicId = "t", title = "T", description = "d", effectiveAt = "2017-01-01T01:00:00Z" }))).EnsureSuccessStatusCode();
                }
                for (var a = 0; a < AreasEach; a++)
                    (await http.PostAsync($"/api/reviews/{id}/areas", Json(new { areaId = $"c{c}a{a}", title = $"Area {a}", topicId = "t", effectiveAt = "2017-01-01T02:00:00Z" }))).EnsureSuccessStatusCode();
            }
        }

        public async Task RunAsync(double seconds)
        {
            var shared = reviews.Distinct().Count() < reviews.Length;
            long written = 0;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(reviews.Select((id, c) => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = _next[c]++;
                    // On a shared review the clients' decisions carry one valid time, so that none arrives late by another's clock.
                    var body = Json(new
                    {
                        decisionId = $"c{c}d{n}", changes = new[] { new { areaId = $"c{c}a{n % AreasEach}", to = Statuses[n % 3] } },
                        rationale = "Because", basis = "ToR section 3", method = "consensus",
                        effectiveAt = new DateTimeOffset(2017, 2, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(shared ? 0 : n),
                    });
                    (await http.PostAsync($"/api/reviews/{id}/scope-decisions", body)).EnsureSuccessStatusCode();
                    Interlocked.Increment(ref written);
                }
            })));
            (_written, _spent) = (_written + written, _spent + watch.Elapsed);
        }
    }

    /// <summary>The same PostgreSQL, the same shape of row, no application in between.</summary>
    private static async Task<double> PgbenchAsync(Bench bench, int seconds, int clients)
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
            ["-n", "-c", $"{clients}", "-j", "2", "-T", $"{seconds}", "-f", script, "-h", "127.0.0.1", "-p", $"{bench.Postgres.Port}", "-U", "ledger", bench.Database])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var tps = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal)) ?? throw new InvalidOperationException(output);
        return double.Parse(tps.Split(' ')[2], CultureInfo.InvariantCulture);
    }

    /// <summary>One set of options for every request: the clients share the server's cores, so they should cost little.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static StringContent Json(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value, Web), System.Text.Encoding.UTF8, "application/json");
}
