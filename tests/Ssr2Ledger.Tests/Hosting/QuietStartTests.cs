using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Hosting;

/// <summary>
/// <c>serve</c> on a new database, as a person starts it: the console says what the program does, in a few lines, and
/// Marten's schema SQL only at Debug.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class QuietStartTests(LedgerFixture ledger)
{
    [Fact]
    public async Task serve_on_a_new_database_prints_what_it_does_and_no_sql()
    {
        var output = await StartAsync(await ledger.Postgres.NewAsync($"quiet_{Guid.NewGuid():N}"));

        Assert.Contains("Brought the ledger's database schema up to date", output);
        Assert.Contains("Now listening on: http://127.0.0.1:", output);
        Assert.DoesNotContain("CREATE", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Executed schema update SQL", output);
        Assert.True(output.Split('\n').Length < 30, output);
    }

    [Fact]
    public async Task the_schema_sql_is_there_at_debug()
    {
        var output = await StartAsync(await ledger.Postgres.NewAsync($"verbose_{Guid.NewGuid():N}"), "--Logging:LogLevel:Marten=Debug");

        Assert.Contains("Executed schema update SQL", output);
        Assert.Contains("CREATE", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ledger.example.org")]
    [InlineData("ftp://ledger.example.org")]
    [InlineData("https://ledger.example.org/?x=1")]
    public void a_public_base_url_that_is_not_an_http_address_stops_the_start(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(PublicBaseUrl.Setting, value)]).Build();
        Assert.Throws<InvalidOperationException>(() => PublicBaseUrl.From(configuration));
    }

    /// <summary>The program's console (stdout and stderr) from its start until it listens, then it is stopped.</summary>
    private async Task<string> StartAsync(string connectionString, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[] { typeof(Program).Assembly.Location, "serve", "--urls", "http://127.0.0.1:0" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__Ledger"] = connectionString;
        start.Environment["Ledger__SigningKeyPath"] = Path.Combine(Path.GetTempPath(), $"quiet-{Guid.NewGuid():N}.pem");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var output = new StringBuilder();
        var listening = new TaskCompletionSource();
        using var process = new Process { StartInfo = start };
        void Line(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("Application started", StringComparison.Ordinal)) listening.TrySetResult();
        }
        process.OutputDataReceived += Line;
        process.ErrorDataReceived += Line;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            lock (output) Assert.Fail($"serve did not start in 90 s:\n{output}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        lock (output) return output.ToString();
    }
}
