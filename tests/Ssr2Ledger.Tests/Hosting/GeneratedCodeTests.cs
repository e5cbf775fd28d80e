using System.Diagnostics;

namespace Ssr2Ledger.Tests.Hosting;

/// <summary>
/// Production loads Wolverine's handlers only from the committed Internal/Generated (TypeLoadMode.Static).
/// This regenerates them into a scratch folder and fails when the committed copy differs.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const string Regenerate = "Regenerate and commit: dotnet run --project src/Ssr2Ledger -- codegen write";

    [Fact]
    public async Task Committed_generated_code_matches_the_handlers()
    {
        var scratch = Directory.CreateTempSubdirectory("ssr2ledger-codegen-").FullName;
        try
        {
            // The program scans every assembly beside it; with the tests' dependency list it can load the test-only ones
            // (FsCheck needs FSharp.Core, which the program's own list does not name).
            var here = AppContext.BaseDirectory;
            var start = new ProcessStartInfo("dotnet", ["exec", "--depsfile", Path.Combine(here, "Ssr2Ledger.Tests.deps.json"),
                "--runtimeconfig", Path.Combine(here, "Ssr2Ledger.runtimeconfig.json"), Path.Combine(here, "Ssr2Ledger.dll"), "codegen", "write"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // Code generation needs no database, only a connection string to configure the store with.
                Environment = { ["ConnectionStrings__Ledger"] = "Host=127.0.0.1;Port=1;Username=codegen;Database=codegen", ["ASPNETCORE_CONTENTROOT"] = scratch },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"codegen write failed: {await error}{await output}");

            var fresh = Files(Path.Combine(scratch, "Internal", "Generated"));
            var committed = Files(Path.Combine(RepositoryRoot(), "src", "Ssr2Ledger", "Internal", "Generated"));
            Assert.True(fresh.Keys.Order().SequenceEqual(committed.Keys.Order()),
                $"Generated files differ: expected [{string.Join(", ", fresh.Keys.Order())}], committed [{string.Join(", ", committed.Keys.Order())}]. {Regenerate}");
            foreach (var (name, code) in fresh)
                Assert.True(code == committed[name], $"{name} is stale. {Regenerate}");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.Exists(root)
            ? Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ssr2Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ssr2Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}
