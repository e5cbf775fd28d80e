using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ssr2Ledger.Hosting;

namespace Ssr2Ledger.Tests.Support;

/// <summary>
/// The real server on loopback, on the suite's database, and Debian's chromium (headless, driven by Playwright) to visit
/// it: what the browser tests share.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private WebApplication? _server;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string Url { get; private set; } = "";

    public static async Task<BrowserHost> StartAsync(LedgerFixture ledger, params string[] settings)
    {
        var host = new BrowserHost();
        host._server = WebHost.Build(["--urls", "http://127.0.0.1:0", $"--ConnectionStrings:Ledger={ledger.ConnectionString}",
            $"--Ledger:SigningKeyPath={ledger.SigningKeyPath}", "--Logging:LogLevel:Default=Warning", .. settings]);
        await host._server.StartAsync();
        host.Url = host._server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        host._playwright = await Playwright.CreateAsync();
        host.Browser = await host._playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
