using System.Diagnostics;

namespace Ssr2Ledger.Tests.Support;

/// <summary>
/// The checkers the ecosystem itself uses: Redocly CLI (OpenAPI), the Nu HTML checker (HTML), markdownlint (Markdown),
/// axe-core (accessibility, injected into pages by Playwright).
/// They come from npm, at pinned versions, into a cache folder outside the repository
/// (<c>$SSR2LEDGER_TOOLS</c>, default <c>~/.cache/ssr2ledger-tools</c>), installed on first use when missing.
/// A tool that is missing and cannot be installed fails the test that needs it: never a silent pass.
/// </summary>
public static class EcosystemTools
{
    public static readonly string[] Packages = ["@redocly/cli@2.77.0", "vnu-jar@26.9.27", "markdownlint-cli2@0.22.1", "axe-core@4.14.1"];

    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static string Folder => Environment.GetEnvironmentVariable("SSR2LEDGER_TOOLS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ssr2ledger-tools");

    public sealed record Run(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    /// <summary>Redocly CLI's <c>lint</c> with its recommended rules.</summary>
    public static async Task<Run> RedoclyLintAsync(string file) =>
        await RunAsync("node", [Bin("@redocly/cli", "bin/cli.js"), "lint", "--extends=recommended", "--format=stylish", file]);

    /// <summary>The Nu HTML checker (vnu.jar, on Java), errors only.</summary>
    public static async Task<Run> NuHtmlCheckAsync(params string[] files) =>
        await RunAsync("java", ["-jar", Bin("vnu-jar", "build/dist/vnu.jar"), "--errors-only", "--format", "gnu", .. files]);

    /// <summary>markdownlint-cli2 with the given configuration file.</summary>
    public static async Task<Run> MarkdownLintAsync(string config, params string[] files) =>
        await RunAsync("node", [Bin("markdownlint-cli2", "markdownlint-cli2-bin.mjs"), "--config", config, .. files]);

    /// <summary>axe-core's script, for a page to run (<c>axe.run()</c>).</summary>
    public static string AxeScript => Bin("axe-core", "axe.min.js");

    private static string Bin(string package, string file) => Path.Combine(Folder, "node_modules", package, file);

    /// <summary>Installs the pinned tools with npm when one is missing (skipping vnu-jar's postinstall, which fetches a JDK).</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            var missing = Packages.Where(p => !Installed(p)).ToList();
            if (missing.Count == 0) return;
            Directory.CreateDirectory(Folder);
            var npm = await RunAsync("npm",
                ["install", "--prefix", Folder, "--ignore-scripts", "--no-audit", "--no-fund", "--save-exact", .. Packages]);
            var still = Packages.Where(p => !Installed(p)).ToList();
            if (npm.ExitCode != 0 || still.Count > 0)
                throw new InvalidOperationException($"Could not install {string.Join(", ", still)} into {Folder} with npm: {npm}");
        }
        finally { Installing.Release(); }
    }

    /// <summary>Whether the package is in the folder at its pinned version.</summary>
    private static bool Installed(string pinned)
    {
        var at = pinned.LastIndexOf('@');
        var manifest = Path.Combine(Folder, "node_modules", pinned[..at], "package.json");
        return File.Exists(manifest)
            && File.ReadAllText(manifest).Contains($"\"version\": \"{pinned[(at + 1)..]}\"", StringComparison.Ordinal);
    }

    private static async Task<Run> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{program}' is not installed ({ex.Message}). .ci/run installs it: "
                + "apt-get install nodejs npm default-jre-headless.", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            return new Run(process.ExitCode, (await output) + (await error));
        }
    }
}
