using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Ssr2Ledger.Bench;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;

// Benchmarks of the ledger against baselines measured in the same run, on a PostgreSQL this program starts.
// Usage: dotnet run -c Release --project bench/Ssr2Ledger.Bench [-- --events 100000 --meetings 500 --queries 1000]
var scenario = args.SkipWhile(a => a != "--scenario").Skip(1).FirstOrDefault() ?? "all";
var events = Arg("--events", 100_000);
var verifyEvents = Arg("--verify-events", 1_000_000);
var meetings = Arg("--meetings", 500);
var queries = Arg("--queries", 1000);

var dataDirectory = Path.Combine(Path.GetTempPath(), $"ssr2ledger-bench-{Guid.NewGuid():N}");
await using var postgres = await EmbeddedPostgres.StartAsync(dataDirectory, Console.WriteLine);
await postgres.EnsureDatabaseAsync("bench");

await using var app = WebHost.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:Ledger=" + postgres.ConnectionString("bench"),
    "--Logging:LogLevel:Default=Warning", "--Ledger:RateLimit:WritesPerSecond=0"]);
await app.StartAsync();
var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
var store = app.Services.GetRequiredService<IDocumentStore>();
var catalog = app.Services.GetRequiredService<EventCatalog>();

if (scenario is "all" or "writes") await WritesScenario();
if (scenario is "all" or "verify") await VerifyScenario();
if (scenario is not ("all" or "asof")) { await app.StopAsync(); return 0; }

Console.WriteLine($"Generating a review of {events:N0} entries with {meetings} meetings …");
var (entries, meetingIds) = GeneratedReview.Build("bench", events, meetings);
var import = Stopwatch.StartNew();
foreach (var chunk in entries.Chunk(10_000))
{
    var outcome = await RecordEntriesHandler.Handle(new RecordEntries("bench", chunk, "bench"), store, catalog,
        app.Services.GetRequiredService<Ssr2Ledger.Integrity.LedgerSigner>(), app.Services.GetRequiredService<Ssr2Ledger.Temporal.ReviewTimelines>(), CancellationToken.None);
    if (outcome is Refused refused) throw new InvalidOperationException(string.Join("; ", refused.Refusals.Select(r => $"{r.Field}: {r.Detail}")));
    Console.Write('.');
}
import.Stop();
Console.WriteLine($" {entries.Count:N0} entries recorded in {import.Elapsed.TotalSeconds:N1} s ({entries.Count / import.Elapsed.TotalSeconds:N0}/s).");

var random = new Random(11);
using var http = new HttpClient { BaseAddress = new Uri(url) };
async Task<double> Timed(Func<Task> work)
{
    var watch = Stopwatch.StartNew();
    await work();
    return watch.Elapsed.TotalMilliseconds;
}
async Task AsOf(string meeting)
{
    using var response = await http.GetAsync($"/api/reviews/bench/state?asOf={meeting}");
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
}

// First questions: snapshots are still being made.
var cold = new List<double>();
foreach (var meeting in meetingIds.OrderBy(_ => random.Next()).Take(Math.Min(100, meetings))) cold.Add(await Timed(() => AsOf(meeting)));
var warm = new List<double>();
for (var i = 0; i < queries; i++) warm.Add(await Timed(() => AsOf(meetingIds[random.Next(meetingIds.Count)])));

// The same questions in process, to split the answer's cost: the fold from snapshots, then the JSON.
var timelines = app.Services.GetRequiredService<Ssr2Ledger.Temporal.ReviewTimelines>();
var fold = new List<double>();
var document = new List<double>();
for (var i = 0; i < queries; i++)
{
    var meeting = meetingIds[random.Next(meetingIds.Count)];
    Ssr2Ledger.Temporal.StateAsOf? answer = null;
    fold.Add(await Timed(async () => answer = (await timelines.WithTimelineAsync("bench",
        t => Ssr2Ledger.Temporal.HistoricalState.Answer(t, new Ssr2Ledger.Temporal.AsOf(meeting, null, null), catalog.Json), default)).Item1));
    document.Add(await Timed(() => Task.FromResult(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(StateDocument.From("bench", answer!), catalog.Json))));
}

// The naive way: read the whole stream and replay it for every question.
var naive = new List<double>();
for (var i = 0; i < 20; i++)
{
    var meeting = meetingIds[random.Next(meetingIds.Count)];
    naive.Add(await Timed(async () =>
    {
        await using var session = store.QuerySession();
        var all = await session.Events.FetchStreamAsync("bench");
        var recorded = all.Select(Entries.From).ToList();
        var endsAt = ReviewFold.Replay(recorded, catalog.Json)!.Meetings[meeting].EndsAt;
        ReviewFold.Replay(recorded, catalog.Json, endsAt);
    }));
}

Console.WriteLine();
Console.WriteLine($"state?asOf=<meeting> on {entries.Count:N0} entries, {meetings} meetings ({Environment.ProcessorCount} cores)");
Console.WriteLine($"{"measure",-44} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"n",6}");
Row("HTTP state?asOf=<meeting>, first questions", cold);
Row("HTTP state?asOf=<meeting>, warm", warm);
Row("  in process: timeline catch-up + fold", fold);
Row("  in process: state document to JSON", document);
Row("naive: read stream + full replay (baseline)", naive);
Console.WriteLine($"{"speed-up at p95 (baseline / warm)",-44} {Percentile(naive, 95) / Percentile(warm, 95),8:N1}x");
Console.WriteLine($"{"speed-up at p50 (baseline / warm)",-44} {Percentile(naive, 50) / Percentile(warm, 50),8:N1}x");

await app.StopAsync();
return 0;

// Single-entry HTTP writes from 8 clients beside pgbench inserting one event-shaped row a transaction, 8 clients.
async Task WritesScenario()
{
    const int clients = 8;
    var seconds = Arg("--seconds", 10);
    var key = await Ssr2Ledger.Access.ApiKeys.CreateAsync(store, "bench-writer", Ssr2Ledger.Access.Roles.Recorder);
    using var http = new HttpClient { BaseAddress = new Uri(url) };
    http.DefaultRequestHeaders.Authorization = new("Bearer", key);
    for (var c = 0; c < clients; c++)
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
    await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
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
    var ledgerRate = written / watch.Elapsed.TotalSeconds;

    // The same PostgreSQL, the same shape of row, no application in between.
    var script = Path.Combine(dataDirectory + "-pgbench.sql");
    await File.WriteAllTextAsync(script, """
        \set v random(1, 1000000000)
        insert into bench_events (id, stream_id, version, type, data, headers, user_name)
        values (gen_random_uuid(), 'writes-' || :client_id, :v, 'ScopeDecided',
          '{"decisionId":"d1","changes":[{"areaId":"a1","to":"in-scope"}],"rationale":"Because","basis":"ToR section 3","method":"consensus","effectiveAt":"2017-02-01T00:00:00+00:00"}',
          '{"hash":"0000000000000000000000000000000000000000000000000000000000000000","previousHash":"0000000000000000000000000000000000000000000000000000000000000000"}',
          'bench');
        """);
    await using (var create = app.Services.GetRequiredService<LedgerDatabase>().DataSource.CreateCommand(
        "create table if not exists bench_events (seq_id bigserial primary key, id uuid not null, stream_id text, version bigint, type text, data jsonb, headers jsonb, user_name text, timestamp timestamptz default now())"))
        await create.ExecuteNonQueryAsync();
    var pgbench = System.Diagnostics.Process.Start(new ProcessStartInfo(Path.Combine(postgres.Binaries, "pgbench"),
        ["-n", "-c", $"{clients}", "-j", "2", "-T", $"{seconds}", "-f", script, "-h", "127.0.0.1", "-p", $"{postgres.Port}", "-U", "ledger", "bench"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var pgOutput = await pgbench.StandardOutput.ReadToEndAsync();
    await pgbench.WaitForExitAsync();
    var tpsLine = pgOutput.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal)) ?? throw new InvalidOperationException(pgOutput);
    var pgRate = double.Parse(tpsLine.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);

    Console.WriteLine();
    Console.WriteLine($"writes: {clients} clients, {seconds} s each (one review a client)");
    Console.WriteLine($"{"measure",-52} {"per second",12}");
    Console.WriteLine($"{"pgbench: one event-shaped row a transaction (baseline)",-52} {pgRate,12:N0}");
    Console.WriteLine($"{"ledger: HTTP ScopeDecided, full write path",-52} {ledgerRate,12:N0}");
    Console.WriteLine($"{"ledger / pgbench",-52} {ledgerRate / pgRate,12:P0}   (target at least 30%)");
    Console.WriteLine();
}

static StringContent Json(object value) =>
    new(System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
        System.Text.Encoding.UTF8, "application/json");

// verify over a long ledger beside merely reading the same rows, in the same run.
async Task VerifyScenario()
{
    Console.WriteLine($"Recording a review of {verifyEvents:N0} entries for verify …");
    var signer = app.Services.GetRequiredService<Ssr2Ledger.Integrity.LedgerSigner>();
    var watch = Stopwatch.StartNew();
    foreach (var chunk in GeneratedReview.Churn("verify", verifyEvents).Chunk(20_000))
    {
        var outcome = await RecordEntriesHandler.Handle(new RecordEntries("verify", chunk, "bench"), store, catalog, signer, app.Services.GetRequiredService<Ssr2Ledger.Temporal.ReviewTimelines>(), CancellationToken.None);
        if (outcome is Refused refused) throw new InvalidOperationException(string.Join("; ", refused.Refusals.Select(r => r.Detail)));
    }
    Console.WriteLine($"  recorded in {watch.Elapsed.TotalSeconds:N0} s ({verifyEvents / watch.Elapsed.TotalSeconds:N0}/s)");

    var database = app.Services.GetRequiredService<LedgerDatabase>();
    var verifier = app.Services.GetRequiredService<Ssr2Ledger.Integrity.ChainVerifier>();
    var reads = new List<double>();
    var verifies = new List<double>();
    for (var round = 0; round < 3; round++)
    {
        reads.Add(await Timed(async () =>
        {
            await using var command = database.DataSource.CreateCommand(
                "select id, version, type, data::text, coalesce(user_name, ''), headers ->> 'hash', headers ->> 'previousHash' " +
                "from ledger.mt_events where stream_id = 'verify' and version <= 9223372036854775807 order by version, seq_id");
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess);
            while (await reader.ReadAsync())
            {
                reader.GetGuid(0); reader.GetInt64(1); reader.GetString(2); reader.GetString(3); reader.GetString(4);
                if (!reader.IsDBNull(5)) reader.GetString(5);
                if (!reader.IsDBNull(6)) reader.GetString(6);
            }
        }));
        verifies.Add(await Timed(async () =>
        {
            var report = await verifier.VerifyAsync("verify");
            if (report is not { Ok: true }) throw new InvalidOperationException(report?.Problem);
        }));
    }
    var read = reads.Min();
    var verify = verifies.Min();
    Console.WriteLine();
    Console.WriteLine($"verify on {verifyEvents:N0} entries (best of 3)");
    Console.WriteLine($"{"measure",-44} {"seconds",8} {"entries/s",12}");
    Console.WriteLine($"{"bare read of the same rows (baseline)",-44} {read / 1000,8:N2} {verifyEvents / (read / 1000),12:N0}");
    Console.WriteLine($"{"verify (read + recompute the chain)",-44} {verify / 1000,8:N2} {verifyEvents / (verify / 1000),12:N0}");
    Console.WriteLine($"{"verify / bare read",-44} {verify / read,8:N2}x   (target under 1.5x)");
    Console.WriteLine();
}

void Row(string name, List<double> samples) =>
    Console.WriteLine($"{name,-44} {Percentile(samples, 50),8:N2} {Percentile(samples, 95),8:N2} {Percentile(samples, 99),8:N2} {samples.Count,6}");

static double Percentile(List<double> samples, int p)
{
    var sorted = samples.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var v) ? v : fallback;
}
