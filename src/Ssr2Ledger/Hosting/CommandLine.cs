using System.Runtime;
using Ssr2Ledger.Database;
using JasperFx;
using Marten;
using Ssr2Ledger.Access;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// The program's verbs. <c>serve</c> (the default) and <c>demo</c> run the server; the others work on the
/// ledger and exit. Anything else goes to the Marten and Wolverine built-ins (db-apply, projections, codegen…).
/// </summary>
public static class CommandLine
{
    private const string Usage = """
        Ssr2Ledger: an event-sourced audit ledger for ICANN Specific Reviews.

          serve [--urls URL]                      serve the API (default verb)
          demo [--urls URL]                       load the reviews shipped in data/ (once each) and serve them
          import FILE --review ID [--as NAME] [--dry-run]
                                                  import NDJSON history into a review, all lines or none
                                                  (--dry-run: say what would be recorded and refused, write nothing)
          keys add --name NAME --role ROLE [--review ID]...
                                                  create an API key (reader, recorder, admin), limited to the reviews
                                                  named (each --review, or ID,ID); prints it last
          state ID [--as-of X] [--known-at T] [--version N] [--json]
                                                  the review's state, as of a timestamp or meetingId
          diff ID [--from A] [--to B] [--json]    areas narrowed, widened, added, merged between A and B (default: charter to now)
          audit ID [--from A] [--to B] [--format md|html|csv|json] [-o FILE]
                                                  the scope audit: every narrowing and merge with its context, and findings
          timeline ID [--format md|html|csv|json] [-o FILE] [--from A] [--to B] [--kinds K,…]
                                                  the decision timeline for the final report
          verify [ID] [--against DIGEST]          recompute hash chains; or prove nothing before a kept digest changed
          digest                                  print the ledger's digest (keep it: verify --against it later)
          export ID -o FILE                       write the review's ledger with hashes and checkpoints (NDJSON)
          verify-file FILE [--public-key PEM] [--verifier-key VKEY] [--witness WKEY]...
                                                  check an exported file with no database; each --witness: require
                                                  that witness's cosignature on the closing checkpoint
          witness key --key FILE --name NAME      make a witness key (when absent) and print its verifier key
          witness serve --key FILE --name NAME --state DIR --log-key VKEY... [--urls URL]
                                                  run a witness (C2SP tlog-witness POST /add-checkpoint) of the ledgers
                                                  whose note keys are given; its state (last cosigned) stays in DIR
          projections rebuild                     rebuild the reviews' summaries (the list of reviews) from the entries
          help                                    this text; the Marten/Wolverine built-ins follow

        The database is ConnectionStrings:Ledger (env ConnectionStrings__Ledger); without one the ledger
        starts its own PostgreSQL in Ledger:DataDirectory.
        """;

    /// <summary>Configuration given on the command line (<c>--Ledger:DataDirectory=/x</c>), for the verbs as for <c>serve</c>.</summary>
    private static string[] _settings = [];

    public static async Task<int> RunAsync(string[] args)
    {
        _settings = [.. args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf(':') is > 2 and var colon
                                        && a.IndexOf('=') > colon)];
        var verb = args.FirstOrDefault() is { } first && !first.StartsWith('-') ? first : "serve";
        var rest = verb == args.FirstOrDefault() ? args[1..] : args;
        try
        {
            switch (verb)
            {
                case "serve": await using (var app = WebHost.Build(rest)) await app.RunAsync(); return 0;
                case "demo": return await DemoAsync(rest);
                case "keys": return await KeysAsync(rest);
                case "import": return await ImportAsync(rest);
                case "state": return await OnLedgerAsync(services => TemporalCommands.StateAsync(services, Review(rest),
                    Option(rest, "--as-of"), Option(rest, "--known-at"), Option(rest, "--version"), rest.Contains("--json")));
                case "verify": return await OnLedgerAsync(services => IntegrityCommands.VerifyAsync(services,
                    rest.FirstOrDefault() is { } first && !first.StartsWith("--") ? first : null, Option(rest, "--against")));
                case "digest": return await OnLedgerAsync(IntegrityCommands.DigestAsync);
                case "export": return await OnLedgerAsync(services => IntegrityCommands.ExportAsync(services, Review(rest),
                    Option(rest, "-o") ?? Option(rest, "--output") ?? throw new ArgumentException("export needs -o FILE.")));
                case "verify-file": return IntegrityCommands.VerifyFile(
                    rest.FirstOrDefault(a => !a.StartsWith("--")) ?? throw new ArgumentException("verify-file needs a FILE."), Option(rest, "--public-key"),
                    Option(rest, "--verifier-key"), Repeated(rest, "--witness"));
                case "witness": return await WitnessAsync(rest);
                case "timeline": return await OnLedgerAsync(services => TimelineCommand.RunAsync(services, Review(rest),
                    Option(rest, "--format") ?? "md", Option(rest, "-o") ?? Option(rest, "--output"), Option(rest, "--from"), Option(rest, "--to"),
                    Option(rest, "--kinds")));
                case "diff": return await OnLedgerAsync(services => TemporalCommands.DiffAsync(services, Review(rest),
                    Option(rest, "--from"), Option(rest, "--to"), rest.Contains("--json")));
                case "audit": return await OnLedgerAsync(services => Scope.ScopeAuditCommand.RunAsync(services, Review(rest),
                    Option(rest, "--from"), Option(rest, "--to"), Option(rest, "--format") ?? "md", Option(rest, "-o") ?? Option(rest, "--output")));
                case "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    await using (var app = WebHost.Build([], quiet: true)) return await app.RunJasperFxCommands(["help"]);
                case "projections" when rest.FirstOrDefault() == "rebuild": return await OnLedgerAsync(RebuildAsync);
                default:
                    await using (var app = WebHost.Build(rest, quiet: true)) return await app.RunJasperFxCommands(args);
            }
        }
        catch (LedgerStartupException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\n\n{Usage}");
            return 1;
        }
    }

    private static async Task<int> DemoAsync(string[] args)
    {
        await using var app = WebHost.Build(args);
        await app.StartAsync();
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var shipped = ShippedReviews.In(Path.Combine(AppContext.BaseDirectory, "data"));
        var imported = false;
        foreach (var (file, reviewId) in shipped)
        {
            await using (var query = store.QuerySession())
                if (await query.LoadAsync<ReviewSummary>(reviewId) is not null) continue;
            Console.WriteLine($"Loading the history of '{reviewId}' from {file} …");
            var answer = await ImportFileAsync(app.Services, file, reviewId, "ssr2ledger-demo");
            if (answer is null) return 1;
            Console.WriteLine($"Imported {answer.Imported} entries into '{reviewId}' (version {answer.Version}, head {answer.HeadHash[..12]}…).");
            imported = true;
        }
        if (imported)
            Console.WriteLine($"A recorder key for trying writes (shown once): {await ApiKeys.CreateAsync(store, "demo-recorder", Roles.Recorder)}");
        var urls = string.Join(", ", app.Urls);
        Console.WriteLine(shipped.Count == 0
            ? $"No review history found in data/; the ledger is served at {urls}."
            : $"Reviews served at {urls}: {string.Join(", ", shipped.Select(s => $"/reviews/{s.ReviewId}"))} (all at /, the API at /api/reviews)");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>A witness needs no ledger: its own key, its own state folder, and the ledgers' public note keys.</summary>
    private static async Task<int> WitnessAsync(string[] args)
    {
        var key = Option(args, "--key") ?? throw new ArgumentException("witness needs --key FILE (its Ed25519 key, made when absent).");
        var name = Option(args, "--name") ?? throw new ArgumentException("witness needs --name NAME (e.g. witness.example.org/w1).");
        return args.FirstOrDefault() switch
        {
            "key" => Witnessing.WitnessHost.PrintKey(key, name),
            "serve" => await Witnessing.WitnessHost.ServeAsync(key, name,
                Option(args, "--state") ?? throw new ArgumentException("witness serve needs --state DIR."),
                [.. args.Zip(args.Skip(1)).Where(p => p.First == "--log-key").Select(p => p.Second)], args[1..]),
            _ => throw new ArgumentException("Usage: witness key|serve --key FILE --name NAME …"),
        };
    }

    private static async Task<int> KeysAsync(string[] args)
    {
        if (args.FirstOrDefault() != "add")
            throw new ArgumentException("Usage: keys add --name NAME --role reader|recorder|admin [--review ID]...");
        var name = Option(args, "--name") ?? throw new ArgumentException("keys add needs --name NAME.");
        var role = Option(args, "--role") ?? Roles.Recorder;
        // A key limited to named reviews: one review's secretariat cannot write into another's.
        var reviews = Repeated(args, "--review");
        return await OnLedgerAsync(async services =>
        {
            var key = await ApiKeys.CreateAsync(services.GetRequiredService<IDocumentStore>(), name, role, reviews: reviews);
            Console.WriteLine($"Created {role} key '{name}'{(reviews.Count > 0 ? $" for {string.Join(", ", reviews)}" : "")}. " +
                "Only its hash is stored: copy it now.");
            Console.WriteLine(key);
            return 0;
        });
    }

    private static async Task<int> ImportAsync(string[] args)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--")) ?? throw new ArgumentException("import needs a FILE.");
        var review = Option(args, "--review") ?? throw new ArgumentException("import needs --review ID.");
        // A batch job: no background collections, which let the heap grow while they run and take a share of a core the
        // import and the database need (an import of a million decisions: less CPU and a lower peak, docs/benchmarks.md).
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        return await OnLedgerAsync(async services =>
        {
            var dryRun = args.Contains("--dry-run");
            var answer = await ImportFileAsync(services, file, review, Option(args, "--as") ?? $"cli:{Environment.UserName}", dryRun);
            if (answer is null) return 1;
            if (dryRun)
            {
                Console.WriteLine($"Dry run: would import {answer.Imported} entries into '{review}' (to version {answer.Version}); nothing was written.");
                return 0;
            }
            Console.WriteLine($"Imported {answer.Imported} entries into '{review}': version {answer.Version}, head hash {answer.HeadHash}");
            return 0;
        });
    }

    /// <summary>Imports a file the way the HTTP import does (streamed, all or none), showing progress; prints the refusals if any.</summary>
    private static async Task<Import.ImportAnswer?> ImportFileAsync(IServiceProvider services, string file, string reviewId, string recordedBy,
        bool dryRun = false)
    {
        var size = new FileInfo(file).Length;
        await using var stream = File.OpenRead(file);
        var shown = System.Diagnostics.Stopwatch.StartNew();
        void Progress(long lines)
        {
            if (shown.Elapsed < TimeSpan.FromSeconds(1)) return;
            Console.Error.WriteLine($"  {lines:N0} lines checked and sent ({100.0 * stream.Position / Math.Max(1, size):N0}% of {file}) …");
            shown.Restart();
        }
        var result = await services.GetRequiredService<HistoryImporter>()
            .ImportAsync(new ImportHistory(reviewId, recordedBy, DryRun: dryRun), stream, Progress, CancellationToken.None);
        foreach (var refusal in result.Refusals) await Console.Error.WriteLineAsync($"{refusal.Field}: {refusal.Detail}");
        if (dryRun)
            foreach (var (kind, n) in result.Kinds ?? new Dictionary<string, int>()) Console.WriteLine($"  {n,8:N0} {kind}");
        return result.Answer;
    }

    /// <summary>The ledger's one projection kept in the database (the reviews' summaries), rebuilt by the one replay.</summary>
    private static async Task<int> RebuildAsync(IServiceProvider services)
    {
        var (reviews, entries) = await ReviewSummaryProjection.RebuildAllAsync(services.GetRequiredService<IDocumentStore>(),
            services.GetRequiredService<LedgerDatabase>().DataSource, services.GetRequiredService<EventCatalog>().Json, CancellationToken.None);
        Console.WriteLine($"Finished rebuilding ReviewSummary: {reviews} reviews, {entries:N0} entries.");
        return 0;
    }

    /// <summary>
    /// Runs a verb against the ledger's store without serving: schema and append-only guard first. The host
    /// has the store alone: no web server, no Wolverine, whose start would double the verb's time.
    /// </summary>
    private static async Task<int> OnLedgerAsync(Func<IServiceProvider, Task<int>> work)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = _settings });
        builder.LogQuietly();
        builder.AddLedgerStore();
        var host = builder.Build();
        await using var disposal = (IAsyncDisposable)host; // the embedded PostgreSQL stops asynchronously
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await AppendOnlyLedger.EnsureAsync(store);
        await Database.ReviewTrees.FillMissingAsync(host.Services.GetRequiredService<Database.LedgerDatabase>().DataSource,
            store.Options.Events.DatabaseSchemaName, CancellationToken.None);
        return await work(host.Services);
    }

    private static string Review(string[] args) =>
        args.FirstOrDefault() is { } id && !id.StartsWith("--") ? id : throw new ArgumentException("Name the review: e.g. state ssr2.");

    /// <summary>Every value of an option that may be given more than once, each also a comma-separated list.</summary>
    public static IReadOnlyList<string> Repeated(string[] args, string name) =>
        [.. args.Zip(args.Skip(1)).Where(p => p.First == name)
            .SelectMany(p => p.Second.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
