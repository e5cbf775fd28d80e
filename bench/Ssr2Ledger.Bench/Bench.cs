using Ssr2Ledger.Database;
using System.Diagnostics;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Bench;

/// <summary>What every scenario shares: the PostgreSQL this run started, the ledger served on it, and the results table.</summary>
public sealed class Bench(EmbeddedPostgres postgres, string database, WebApplication app, string url, string dataDirectory)
{
    public EmbeddedPostgres Postgres { get; } = postgres;
    public string Database { get; } = database;
    public WebApplication App { get; } = app;
    public string Url { get; } = url;
    public string DataDirectory { get; } = dataDirectory;
    public IDocumentStore Store => App.Services.GetRequiredService<IDocumentStore>();
    public EventCatalog Catalog => App.Services.GetRequiredService<EventCatalog>();
    public LedgerDatabase Ledger => App.Services.GetRequiredService<LedgerDatabase>();
    public List<Figure> Figures { get; } = [];

    /// <summary>The ledger program as a user runs it: built beside this benchmark in the same configuration, or as given.</summary>
    public static string LedgerDll { get; set; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..",
        "src", "Ssr2Ledger", "bin", Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!),
        "net10.0", "Ssr2Ledger.dll"));

    /// <summary>Records entries the way an import does (streamed COPY, deciders, hash chain): the fast way to set a scene.</summary>
    public async Task ImportAsync(string reviewId, IEnumerable<ReviewEvent> entries)
    {
        var file = Path.Combine(DataDirectory + "-files", $"{reviewId}.ndjson");
        await Ndjson.WriteAsync(file, entries, Catalog);
        await ImportFileAsync(reviewId, file);
        File.Delete(file);
    }

    public async Task ImportFileAsync(string reviewId, string file)
    {
        await using var stream = File.OpenRead(file);
        var result = await App.Services.GetRequiredService<HistoryImporter>().ImportAsync(new ImportHistory(reviewId, "bench"), stream, null, default);
        if (result.Answer is null) throw new InvalidOperationException(string.Join("; ", result.Refusals.Select(r => $"{r.Field}: {r.Detail}")));
    }

    public ProcessStartInfo LedgerProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [LedgerDll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ConnectionStrings__Ledger"] = Postgres.ConnectionString(Database);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    public static async Task<double> Timed(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalMilliseconds;
    }

    public static double Percentile(IReadOnlyCollection<double> samples, int p)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>One row of the table: a figure, its baseline measured in the same run, their ratio and the target.</summary>
public sealed record Figure(string Scenario, string Measure, double Value, string Unit, string? Baseline, double? BaselineValue,
    string Ratio, string Target, bool Met);

public static class Ndjson
{
    public static async Task WriteAsync(string path, IEnumerable<ReviewEvent> entries, EventCatalog catalog)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await using var writer = new System.Text.Json.Utf8JsonWriter(file);
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("type", catalog.Of(entry).Type);
            writer.WritePropertyName("data");
            System.Text.Json.JsonSerializer.Serialize(writer, entry, entry.GetType(), catalog.Json);
            writer.WriteEndObject();
            await writer.FlushAsync();
            writer.Reset();
            file.WriteByte((byte)'\n');
        }
    }
}
