using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ssr2Ledger.Bench;

/// <summary>
/// Cold start of the ledger as a user meets it, median of five: `serve` from process start to the first answered
/// request (and on to the first answered write), and a command-line `state` question end to end; beside the start
/// of a .NET program that does nothing. The database is already running: its own start is PostgreSQL's.
/// </summary>
public static class ColdStartBench
{
    private const int Runs = 5;
    /// <summary>A meeting of the shipped SSR2 history (data/ssr2.ndjson): the review's state as of it, from a cold process.</summary>
    private const string Meeting = "madrid-2017";

    public static async Task RunAsync(Bench bench)
    {
        var key = await Access.ApiKeys.CreateAsync(bench.Store, "cold-start", Access.Roles.Recorder);
        Console.WriteLine("cold start: importing SSR2 (data/ssr2.ndjson), then starting the program five times each way …");
        var data = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Bench.LedgerDll)!, "..", "..", "..", "..", "..", "data", "ssr2.ndjson"));
        await bench.ImportFileAsync("ssr2", data);

        var nothing = new List<double>();
        var serve = new List<double>();
        var write = new List<double>();
        var state = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            nothing.Add(await Bench.Timed(() => RunToExitAsync(new ProcessStartInfo("dotnet", [typeof(ColdStartBench).Assembly.Location, "--noop"]) { RedirectStandardOutput = true, RedirectStandardError = true })));
            var (health, written) = await FirstAnswersAsync(bench, key, run);
            serve.Add(health);
            write.Add(written);
            state.Add(await Bench.Timed(() => RunToExitAsync(bench.LedgerProcess("state", "ssr2", "--as-of", Meeting))));
        }
        var floor = Median(nothing);
        bench.Figures.Add(new("5 cold start", "`serve`: process start to first answered request (ms)", Median(serve), "ms",
            "a .NET program that does nothing, start to exit (ms)", floor, $"+{Median(serve) - floor:N0} ms", "< 1,500 ms", Median(serve) < 1500));
        bench.Figures.Add(new("5 cold start", "`serve`: process start to first answered write (ms)", Median(write), "ms",
            "a .NET program that does nothing, start to exit (ms)", floor, $"+{Median(write) - floor:N0} ms", "< 1,500 ms", Median(write) < 1500));
        bench.Figures.Add(new("5 cold start", $"`state ssr2 --as-of {Meeting}`, end to end (ms)", Median(state), "ms",
            "a .NET program that does nothing, start to exit (ms)", floor, $"+{Median(state) - floor:N0} ms", "< 1,500 ms", Median(state) < 1500));
    }

    private static async Task RunToExitAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)}: {await output}{await errors}");
    }

    private static async Task<(double Health, double Write)> FirstAnswersAsync(Bench bench, string key, int run)
    {
        var port = FreePort();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(bench.LedgerProcess("serve", "--urls", $"http://127.0.0.1:{port}"))!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (process.HasExited) throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}/health");
                    if (response.StatusCode != HttpStatusCode.OK) continue;
                    var health = watch.Elapsed.TotalMilliseconds;
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/api/reviews/ssr2/community-input")
                    {
                        Content = new StringContent($$"""{"inputId":"cold-start-{{run}}-{{Guid.NewGuid():N}}","channel":"mailing-list","from":"bench","summary":"cold start","effectiveAt":"2019-06-01T00:00:00Z"}""",
                            System.Text.Encoding.UTF8, "application/json"),
                        Headers = { Authorization = new("Bearer", key) },
                    };
                    using var written = await http.SendAsync(request);
                    if (written.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(await written.Content.ReadAsStringAsync());
                    return (health, watch.Elapsed.TotalMilliseconds);
                }
                catch (HttpRequestException) { }
                await Task.Delay(5);
            }
            throw new TimeoutException("The ledger did not answer within 60 s.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Median(List<double> samples) => Bench.Percentile(samples, 50);
}
