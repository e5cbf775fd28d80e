using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Reliability;

// Reliability scenarios against real server processes and a PostgreSQL this program starts. Prints its figures.
// Usage: dotnet run -c Release --project bench/Ssr2Ledger.Reliability [-- --scenario crash|outage|two-nodes|backup|memory|hostile]
var only = args.SkipWhile(a => a != "--scenario").Skip(1).FirstOrDefault();
var root = Path.Combine(Path.GetTempPath(), $"ssr2ledger-reliability-{Guid.NewGuid():N}");
var keyPath = Path.Combine(root + "-key", "signing-key.pem");
var results = new List<(string Scenario, string Figure, string Value)>();
var ok = true;
var postgres = await EmbeddedPostgres.StartAsync(Path.Combine(root, "pg"), Console.WriteLine);
var random = new Random();

try
{
    foreach (var (name, scenario) in new (string, Func<Task>)[]
             {
                 ("crash", Crash), ("outage", Outage), ("two-nodes", TwoNodes), ("backup", Backup), ("memory", Memory),
                 ("hostile", HostileAndRaces),
             })
    {
        if (only is not null && only != name) continue;
        Console.WriteLine($"Scenario {name} …");
        try { await scenario(); }
        catch (Exception ex)
        {
            results.Add((name, "FAILED", ex.Message));
            ok = false;
        }
    }
}
finally
{
    await postgres.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine($"{"scenario",-12} {"figure",-52} value");
foreach (var (scenario, figure, value) in results) Console.WriteLine($"{scenario,-12} {figure,-52} {value}");
Console.WriteLine(ok ? "ALL SCENARIOS OK" : "SOME SCENARIO FAILED");
return ok ? 0 : 1;

async Task<(string Cs, string Key, string Id)> Prepare(string database)
{
    await postgres.EnsureDatabaseAsync(database);
    var cs = postgres.ConnectionString(database);
    var key = (await LedgerProcess.CommandAsync(cs, "keys", "add", "--name", $"{database}-writers", "--role", "recorder")).Trim().Split('\n')[^1];
    return (cs, key, $"rel-{database}");
}

async Task Charter(string url, string key, string id)
{
    using var http = new HttpClient();
    http.DefaultRequestHeaders.Authorization = new("Bearer", key);
    (await http.PostAsJsonAsync($"{url}/api/reviews", new { reviewId = id, name = "Reliability", mandate = "m", effectiveAt = "2017-02-03T00:00:00Z" })).EnsureSuccessStatusCode();
    (await http.PostAsJsonAsync($"{url}/api/reviews/{id}/topics", new { topicId = "t1", title = "T", description = "d", effectiveAt = "2017-05-14T09:00:00Z" })).EnsureSuccessStatusCode();
}

/// <summary>
/// Every acknowledged write is in the ledger once, the chain verifies, the current state and the stored summary equal a
/// fold from scratch (a fresh process's answer as of a far future).
/// </summary>
async Task Check(string scenario, string url, string id, Writers writers)
{
    using var http = new HttpClient();
    var events = new List<JsonElement>();
    for (long after = 0; ;)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"{url}/api/reviews/{id}/events?after={after}&limit=1000");
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        events.AddRange(entries);
        if (page.GetProperty("next").ValueKind == JsonValueKind.Null) break;
        after = page.GetProperty("next").GetInt64();
    }
    var ids = events.Select(e => e.GetProperty("eventId").GetGuid()).ToHashSet();
    var areaIds = events.Where(e => e.GetProperty("type").GetString() == "AreaOfInterestIdentified")
        .Select(e => e.GetProperty("data").GetProperty("areaId").GetString()!).ToList();
    var lost = writers.Acknowledged.Values.Count(v => !ids.Contains(v));
    var duplicated = areaIds.Count - areaIds.Distinct().Count();
    var verify = await http.GetFromJsonAsync<JsonElement>($"{url}/api/reviews/{id}/verify");
    var stored = await http.GetFromJsonAsync<JsonElement>($"{url}/api/reviews/{id}/state");
    var folded = await http.GetFromJsonAsync<JsonElement>($"{url}/api/reviews/{id}/state?asOf=2100-01-01T00:00:00Z");
    var listed = (await http.GetFromJsonAsync<JsonElement>($"{url}/api/reviews")).EnumerateArray()
        .Single(r => r.GetProperty("reviewId").GetString() == id);
    var same = stored.GetProperty("areas").GetRawText() == folded.GetProperty("areas").GetRawText()
               && stored.GetProperty("headHash").GetString() == folded.GetProperty("headHash").GetString()
               && listed.GetProperty("version").GetInt64() == folded.GetProperty("version").GetInt64()
               && listed.GetProperty("status").GetString() == folded.GetProperty("status").GetString();

    results.Add((scenario, "writes acknowledged (201)", writers.Acknowledged.Count.ToString()));
    results.Add((scenario, "acknowledged writes missing from the ledger", lost.ToString()));
    results.Add((scenario, "entries recorded twice", duplicated.ToString()));
    results.Add((scenario, "verify", $"{verify.GetProperty("ok").GetBoolean()} ({verify.GetProperty("eventsChecked").GetInt64()} entries)"));
    results.Add((scenario, "current state and stored summary equal a fresh fold", same.ToString()));
    ok &= lost == 0 && duplicated == 0 && verify.GetProperty("ok").GetBoolean() && same;
}

async Task Crash()
{
    var (cs, key, id) = await Prepare("crash");
    var server = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "crash-1.log"));
    var url = server.Url;
    await Charter(url, key, id);
    var writers = new Writers(id, key, _ => url);
    using var stop = new CancellationTokenSource();
    var writing = writers.RunAsync(8, stop.Token);
    var killAfter = TimeSpan.FromMilliseconds(random.Next(1500, 4000));
    await Task.Delay(killAfter);
    var before = writers.Acknowledged.Count;
    server.Kill();
    var down = Stopwatch.StartNew();
    await server.DisposeAsync();
    server = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "crash-2.log"), new Uri(url).Port);
    var restart = down.Elapsed;
    await Task.Delay(3000);
    stop.Cancel();
    await writing;
    results.Add(("crash", "SIGKILL after", $"{killAfter.TotalSeconds:N1} s ({before} writes acknowledged by then)"));
    results.Add(("crash", "restart to first answered health check", $"{restart.TotalSeconds:N1} s"));
    results.Add(("crash", "writes retried with their Idempotency-Key", writers.Retries.ToString()));
    await Check("crash", server.Url, id, writers);
    await server.DisposeAsync();
}

async Task Outage()
{
    var (cs, key, id) = await Prepare("outage");
    await using var server = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "outage.log"));
    await Charter(server.Url, key, id);
    var writers = new Writers(id, key, _ => server.Url);
    using var stop = new CancellationTokenSource();
    var writing = writers.RunAsync(8, stop.Token);
    await Task.Delay(1500);
    var port = postgres.Port;
    var dataDirectory = postgres.DataDirectory;
    await postgres.DisposeAsync();                       // PostgreSQL stops under load …
    await Task.Delay(3000);
    var back = Stopwatch.StartNew();
    postgres = await EmbeddedPostgres.StartAsync(dataDirectory, _ => { }, port); // … and comes back on its port
    var acknowledgedAtRestart = writers.Acknowledged.Count;
    while (writers.Acknowledged.Count == acknowledgedAtRestart && back.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
    var recovered = back.Elapsed;
    await Task.Delay(2000);
    stop.Cancel();
    await writing;
    var failures = writers.Failures.ToList();
    results.Add(("outage", "database down for", "3.0 s (pg_ctl stop -m fast, then start)"));
    results.Add(("outage", "refused during the outage: 503 / 500 / no answer", $"{failures.Count(f => f.Status == 503)} / {failures.Count(f => f.Status == 500)} / {failures.Count(f => f.Status == 0)}"));
    results.Add(("outage", "slowest refused request", $"{(failures.Count == 0 ? 0 : failures.Max(f => f.Milliseconds)):N0} ms"));
    results.Add(("outage", "first write acknowledged after the database returned", $"{recovered.TotalSeconds:N1} s"));
    ok &= failures.All(f => f.Status is 503 or 0) && failures.Count(f => f.Status == 0) == 0;
    await Check("outage", server.Url, id, writers);
}

async Task TwoNodes()
{
    var (cs, key, id) = await Prepare("twonodes");
    var a = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "node-a.log"));
    await using var b = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "node-b.log"));
    await Charter(a.Url, key, id);
    var aAlive = true;
    var writers = new Writers(id, key, n => aAlive && n % 2 == 0 ? a.Url : b.Url);
    using var stop = new CancellationTokenSource();
    var writing = writers.RunAsync(8, stop.Token);
    await Task.Delay(2500);
    using (var http = new HttpClient())
    {
        var stateA = await http.GetFromJsonAsync<JsonElement>($"{a.Url}/api/reviews/{id}/state?version=50");
        var stateB = await http.GetFromJsonAsync<JsonElement>($"{b.Url}/api/reviews/{id}/state?version=50");
        var same = stateA.GetProperty("areas").GetRawText() == stateB.GetProperty("areas").GetRawText();
        results.Add(("two-nodes", "state at version 50 identical through either node", same.ToString()));
        ok &= same;
    }
    aAlive = false;
    a.Kill();
    await a.DisposeAsync();
    await Task.Delay(2500);
    stop.Cancel();
    await writing;
    results.Add(("two-nodes", "writes retried on the other node after a SIGKILL", writers.Retries.ToString()));
    await Check("two-nodes", b.Url, id, writers);
}

async Task Backup()
{
    var (cs, key, id) = await Prepare("backup");
    await using (var server = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "backup.log")))
    {
        await Charter(server.Url, key, id);
        var writers = new Writers(id, key, _ => server.Url);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await writers.RunAsync(4, stop.Token);
    }
    var dump = Path.Combine(root, "ledger.dump");
    var watch = Stopwatch.StartNew();
    await Run(Path.Combine(postgres.Binaries, "pg_dump"), "-Fc", "-f", dump, "-d", $"postgresql://ledger@127.0.0.1:{postgres.Port}/backup");
    await postgres.EnsureDatabaseAsync("restored");
    await Run(Path.Combine(postgres.Binaries, "pg_restore"), "-d", $"postgresql://ledger@127.0.0.1:{postgres.Port}/restored", dump);
    var took = watch.Elapsed;
    var digestBefore = JsonDocument.Parse(await LedgerProcess.CommandAsync(cs, "digest")).RootElement.GetProperty("root").GetString();
    var digestAfter = JsonDocument.Parse(await LedgerProcess.CommandAsync(postgres.ConnectionString("restored"), "digest")).RootElement.GetProperty("root").GetString();
    var verify = await LedgerProcess.CommandAsync(postgres.ConnectionString("restored"), "verify");
    var same = digestBefore == digestAfter;
    var verified = verify.Contains(": ok,", StringComparison.Ordinal) && !verify.Contains("NOT OK", StringComparison.Ordinal);
    results.Add(("backup", "pg_dump + pg_restore into a new database", $"{took.TotalSeconds:N1} s, {new FileInfo(dump).Length / 1024:N0} KiB"));
    results.Add(("backup", "verify on the restored database", verified.ToString()));
    results.Add(("backup", "digest root identical after restore", $"{same} ({digestAfter?[..16]}…)"));
    ok &= same && verified;
}

// Ten imports at once, each one line of 100 MB: each line is refused once it passes 1 MiB, never read whole, so the server
// stays under 500 MB resident (before lines were bounded one such line took a gigabyte).
async Task Memory()
{
    const long lineBytes = 100L << 20;
    var (cs, key, id) = await Prepare("memory");
    await using var server = await LedgerProcess.StartAsync(cs, keyPath, Path.Combine(root, "memory.log"));
    await Charter(server.Url, key, id);
    var before = server.ResidentMiB().Now;
    var peak = before;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, server.ResidentMiB().Now);
            await Task.Delay(20);
        }
    });
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new("Bearer", key);
    var watch = Stopwatch.StartNew();
    var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
    {
        var content = new LongLineContent(lineBytes);
        content.Headers.ContentType = new("application/x-ndjson");
        try
        {
            using var response = await http.PostAsync($"{server.Url}/api/reviews/{id}/import", content);
            return ((int)response.StatusCode).ToString();
        }
        catch (HttpRequestException) { return "reset after the answer"; } // the server stops reading a refused body
    }));
    var took = watch.Elapsed;
    await Task.Delay(500);
    await sampling.CancelAsync();
    await sampler;
    var (after, hwm) = server.ResidentMiB();
    peak = Math.Max(peak, hwm);
    results.Add(("memory", "10 imports of one 100 MB line, at once: answers",
        string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Count()} × {g.Key}"))));
    results.Add(("memory", "all answered within", $"{took.TotalSeconds:N1} s"));
    results.Add(("memory", "resident before / peak (VmHWM) / after", $"{before} / {peak} / {after} MiB"));
    results.Add(("memory", "entries recorded by them", (await EntriesAsync(server.Url, id) - 2).ToString()));
    ok &= peak < 500 && answers.All(a => a != "201");
}

async Task<long> EntriesAsync(string url, string id)
{
    using var http = new HttpClient();
    return (await http.GetFromJsonAsync<JsonElement>($"{url}/api/reviews/{id}/verify")).GetProperty("eventsChecked").GetInt64();
}

// Hostile input and races are xunit tests (they run in CI too); this runs them and reports their figures.
async Task HostileAndRaces()
{
    var repository = new DirectoryInfo(AppContext.BaseDirectory);
    while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Ssr2Ledger.sln"))) repository = repository.Parent;
    if (repository is null) throw new InvalidOperationException("Ssr2Ledger.sln not found above this program");
    var start = new ProcessStartInfo("dotnet", ["test", Path.Combine(repository.FullName, "tests", "Ssr2Ledger.Tests"),
        "--filter", "FullyQualifiedName~Reliability.FuzzTests|FullyQualifiedName~Ledger.ConcurrencyTests|FullyQualifiedName~RateLimitTests"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    var summary = output.Split('\n').LastOrDefault(l => l.Contains("Passed!") || l.Contains("Failed!"))?.Trim() ?? "no test summary";
    results.Add(("hostile", "1,320 hostile requests, races on If-Match and keys, rate limit", summary));
    ok &= process.ExitCode == 0;
}

static async Task Run(string program, params string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
    var error = await process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(program)} failed: {error}");
}

/// <summary>One NDJSON line of the given size with no end, written as it is sent: the client holds none of it.</summary>
sealed class LongLineContent(long bytes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        var head = "{\"type\":\"TopicAreaAgreed\",\"data\":{\"topicId\":\"t2\",\"title\":\""u8.ToArray();
        await stream.WriteAsync(head);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        for (var sent = (long)head.Length; sent < bytes; sent += chunk.Length) await stream.WriteAsync(chunk);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes - bytes % (64 * 1024) + 64 * 1024;
        return false;
    }
}
