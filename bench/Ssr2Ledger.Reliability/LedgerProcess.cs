using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ssr2Ledger.Reliability;

/// <summary>A ledger server in a process of its own, so that it can be killed like a real one.</summary>
public sealed class LedgerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LedgerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The server's resident memory now (VmRSS) and at its peak (VmHWM), in MiB, from /proc.</summary>
    public (long Now, long Peak) ResidentMiB()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Field(string name) =>
            long.Parse(status.First(l => l.StartsWith(name)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return (Field("VmRSS:"), Field("VmHWM:"));
    }

    public static async Task<LedgerProcess> StartAsync(string connectionString, string keyPath, string log, int? port = null)
    {
        var url = $"http://127.0.0.1:{port ?? FreePort()}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Ssr2Ledger.dll"), "serve", "--urls", url])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["ConnectionStrings__Ledger"] = connectionString, ["Ledger__SigningKeyPath"] = keyPath,
                ["Logging__LogLevel__Default"] = "Warning", ["Ledger__RateLimit__WritesPerSecond"] = "0" },
        };
        var process = Process.Start(start)!;
        var output = File.AppendText(log);
        process.OutputDataReceived += (_, e) => { lock (output) output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try { if ((await http.GetAsync($"{url}/health")).IsSuccessStatusCode) return new LedgerProcess(process, url); }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            if (process.HasExited) throw new InvalidOperationException($"The server exited ({process.ExitCode}); see {log}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server did not answer on {url}; see {log}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public static async Task<string> CommandAsync(string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Ssr2Ledger.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["ConnectionStrings__Ledger"] = connectionString },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(true); await _process.WaitForExitAsync(); }
        _process.Dispose();
    }
}
