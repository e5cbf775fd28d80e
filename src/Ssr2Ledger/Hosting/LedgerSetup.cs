using Ssr2Ledger.Database;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Ssr2Ledger.Access;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Witnessing;
using Weasel.Core;
using Wolverine;

namespace Ssr2Ledger.Hosting;

/// <summary>The one place where the ledger's store (Marten) and command pipeline (Wolverine) are configured.</summary>
public static class LedgerSetup
{
    /// <summary>
    /// camelCase, as the SPEC's JSON names are; enums carry their own kebab-case converters. The entries' contracts are
    /// source-generated (<see cref="EntryJsonContext"/>); Marten's serializer starts from these options too.
    /// </summary>
    public static JsonSerializerOptions Json() => new(JsonSerializerDefaults.Web) { TypeInfoResolver = EntryJsonContext.Resolver };

    /// <summary>The server's setup: the store, its schema at start, and Wolverine.</summary>
    public static void AddLedger(this IHostApplicationBuilder builder)
    {
        builder.AddLedgerStore();
        builder.Services.AddHostedService<LedgerSchemaSetup>();

        builder.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(LedgerSetup).Assembly;
            // Commands are handled in process; the database is Marten's alone.
            options.Durability.Mode = DurabilityMode.MediatorOnly;
            // Handlers come only from Internal/Generated (`codegen write`): no Roslyn at run time, and a handler
            // without its generated code fails loudly. GeneratedCodeTests says when that folder is stale.
            options.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Static;
        });
    }

    /// <summary>The store alone (Marten and the ledger's services): all that the command-line verbs need.</summary>
    public static void AddLedgerStore(this IHostApplicationBuilder builder)
    {
        var catalog = new EventCatalog(Json());
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<LedgerReader>();
        builder.Services.AddSingleton<ReviewCaches>();
        builder.Services.AddSingleton<ChainVerifier>();
        builder.Services.AddSingleton<LedgerDigests>();
        builder.Services.AddSingleton<LedgerExport>();
        builder.Services.AddSingleton<RecordingLoop>();
        builder.Services.AddSingleton<HistoryImporter>();
        builder.Services.AddSingleton(_ => LedgerSigner.Open(builder.Configuration["Ledger:SigningKeyPath"]
            ?? LedgerSigner.DefaultPath(builder.Configuration["Ledger:DataDirectory"] ?? LedgerDatabase.DefaultDataDirectory()),
            builder.Configuration["Ledger:NoteKeyName"] ?? LedgerSigner.DefaultNoteKeyName));
        builder.Services.AddSingleton<TreeProofs>();
        builder.Services.AddLedgerWitnesses();

        // Opened on first use, after every configuration source (tests' included) is in place.
        builder.Services.AddSingleton(services => LedgerDatabase.OpenAsync(builder.Configuration,
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Ssr2Ledger.Database").LogDatabase)
            .GetAwaiter().GetResult());

        builder.Services.AddMarten(services =>
            {
                var options = new StoreOptions();
                options.Connection(services.GetRequiredService<LedgerDatabase>().DataSource);
                options.DatabaseSchemaName = "ledger";
                options.Logger(new MartenLog(services.GetRequiredService<ILoggerFactory>().CreateLogger("Marten")));
                options.UseSystemTextJsonForSerialization(new JsonSerializerOptions(catalog.Json), EnumStorage.AsInteger, Casing.CamelCase);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                // A start whose configured schema is already stamped reads one row instead of diffing the catalog.
                options.Advanced.Migrator.UseSchemaFingerprinting = true;

                options.Events.StreamIdentity = StreamIdentity.AsString;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                // The ledger's vocabulary is stored under the SPEC's names, not .NET's.
                foreach (var kind in catalog.Kinds) options.Events.MapEventType(kind.ClrType, kind.Type);

                // A rebuild (`projections rebuild`) reads pages of 5,000 events instead of 500, and holds the summaries it
                // builds until 1,000 are pending or it reaches the end instead of writing after every page: a long review
                // was one document loaded and rewritten 2,000 times a million events, each page round trips of its own.
                var summaries = new ReviewSummaryProjection(catalog.Json);
                summaries.Options.BatchSize = 5_000;
                summaries.Options.RebuildFlushThreshold = 1_000;
                options.Projections.Add(summaries, ProjectionLifecycle.Inline);
                options.Schema.For<ReviewSummary>().Identity(s => s.Id);
                options.Schema.For<ApiKey>().Identity(k => k.Id);
                options.Schema.For<IdempotentWrite>().Identity(w => w.Id);
                options.Schema.For<Checkpoint>().Identity(c => c.Id).Index(c => c.ReviewId);
                options.Storage.ExtendedSchemaObjects.Add(ReviewTrees.Definition(options.DatabaseSchemaName));
                return options;
            })
            .UseLightweightSessions();
    }

    private static void LogDatabase(this ILogger logger, string message) => logger.LogInformation("{Message}", message);
}
