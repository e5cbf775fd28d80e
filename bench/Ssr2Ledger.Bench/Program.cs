using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Bench;
using Ssr2Ledger.Hosting;

// The six figures, each beside a baseline measured in this run on the PostgreSQL this program starts.
// Usage: dotnet run -c Release --project bench/Ssr2Ledger.Bench [-- --scenario all|writes|import|rebuild|asof|verify|coldstart|proofs|reads]
//        [--import-events 1000000] [--events 100000] [--meetings 500] [--queries 1000] [--verify-events 1000000] [--seconds 10]
//        [--clients 8] [--proof-events 1000000] [--reads-sizes 10000,100000] [--ledger-dll out/Ssr2Ledger.dll]
if (args is ["--noop"]) return 0; // the cold start's baseline: a .NET program that starts and exits

var scenario = Option("--scenario") ?? "all";
if (Option("--ledger-dll") is { } published) Bench.LedgerDll = Path.GetFullPath(published);
bool Runs(string name) => scenario == "all" || scenario.Split(',').Contains(name);

var dataDirectory = Path.Combine(Path.GetTempPath(), $"ssr2ledger-bench-{Guid.NewGuid():N}");
try
{
    await using var postgres = await EmbeddedPostgres.StartAsync(dataDirectory, Console.WriteLine);
    await postgres.EnsureDatabaseAsync("bench");
    await using var app = WebHost.Build(["--urls", "http://127.0.0.1:0", "--ConnectionStrings:Ledger=" + postgres.ConnectionString("bench"),
        "--Logging:LogLevel:Default=Warning", "--Ledger:RateLimit:WritesPerSecond=0", "--Ledger:DataDirectory=" + dataDirectory + "-data"]);
    await app.StartAsync();
    var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    var bench = new Bench(postgres, "bench", app, url, dataDirectory);

    if (Runs("writes")) await WritesBench.RunAsync(bench, Number("--seconds", 10), Number("--clients", 8));
    if (Runs("import")) await ImportBench.RunAsync(bench, Number("--import-events", 1_000_000));
    else if (Runs("rebuild")) await ImportBench.RunRebuildAsync(bench, Number("--import-events", 1_000_000)); // part of import's rows
    if (Runs("asof")) await AsOfBench.RunAsync(bench, Number("--events", 100_000), Number("--meetings", 500), Number("--queries", 1000));
    if (Runs("coldstart")) await ColdStartBench.RunAsync(bench);
    if (Runs("verify")) await VerifyBench.RunAsync(bench, Number("--verify-events", 1_000_000));
    if (Runs("proofs")) await ProofBench.RunAsync(bench, Number("--proof-events", 1_000_000), Number("--queries", 1000), Number("--clients", 8));
    if (Runs("reads")) await ReadsBench.RunAsync(bench, (Option("--reads-sizes") ?? "10000,100000").Split(',').Select(int.Parse).ToList());
    await app.StopAsync();

    Print(bench.Figures);
    return 0;
}
finally
{
    if (Directory.Exists(dataDirectory + "-files")) Directory.Delete(dataDirectory + "-files", true);
}

void Print(List<Figure> figures)
{
    Console.WriteLine();
    Console.WriteLine($"Ssr2Ledger benchmarks, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
    var rows = figures.OrderBy(f => f.Scenario, StringComparer.Ordinal).Select(f => new[]
    {
        f.Scenario, f.Measure, Format(f.Value, f.Unit), f.Baseline is null ? "" : $"{f.Baseline}: {Format(f.BaselineValue!.Value, f.Unit)}",
        f.Ratio, f.Target, f.Met ? "met" : "NOT met",
    }).ToList();
    string[] header = ["scenario", "figure", "value", "baseline, same run", "ratio", "target", ""];
    var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
    string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
    Console.WriteLine(Line(header));
    Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
    foreach (var row in rows) Console.WriteLine(Line(row));
}

static string Format(double value, string unit) => unit switch
{
    "/s" => value.ToString("N0", CultureInfo.InvariantCulture) + "/s",
    "ms" => value.ToString(value < 100 ? "N1" : "N0", CultureInfo.InvariantCulture) + " ms",
    "MB" => value.ToString("N0", CultureInfo.InvariantCulture) + " MB",
    "KB" => value.ToString("N0", CultureInfo.InvariantCulture) + " KB",
    _ => value.ToString("N2", CultureInfo.InvariantCulture) + " " + unit,
};

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

int Number(string name, int fallback) => int.TryParse(Option(name), out var v) ? v : fallback;
