using Ssr2Ledger.Database;
using Microsoft.AspNetCore.Authentication;
using Ssr2Ledger.Access;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Pages;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Timeline;
using Ssr2Ledger.Witnessing;

namespace Ssr2Ledger.Hosting;

/// <summary>The composition root: configuration, store, command pipeline, security, endpoints.</summary>
public static class WebHost
{
    public static WebApplication Build(string[] args, bool quiet = false)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.LogForPeople();
        if (quiet) builder.LogQuietly();
        builder.AddLedger();
        builder.WebHost.RaiseKestrelLimits();

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status != StatusCodes.Status503ServiceUnavailable) return;
            context.ProblemDetails.Title = "The ledger's database is unreachable";
            context.ProblemDetails.Detail = "Nothing was recorded. Try again shortly; a write retried with the same Idempotency-Key is recorded once.";
            context.HttpContext.Response.Headers.RetryAfter = "2";
        });
        builder.Services.AddSingleton<KnownApiKeys>();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(options =>
            options.AddPolicy(Roles.MayRecord, policy => policy.RequireRole(Roles.Recorder, Roles.Admin)));
        builder.Services.AddBrowserSession(builder.Configuration);
        var publicBaseUrl = PublicBaseUrl.From(builder.Configuration);
        builder.Services.AddSingleton(publicBaseUrl);
        builder.Services.AddLedgerOpenApi(publicBaseUrl);
        builder.Services.AddWriteRateLimit(builder.Configuration);
        Compression.AddLedgerCompression(builder.Services);
        builder.Services.AddSingleton<RenderedAnswers>();
        builder.Services.AddHostedService<Witnessing.WitnessRounds>();

        var app = builder.Build();
        app.UseRequestLimits();
        app.UseResponseCompression();
        // An unreachable database is a passing outage, not a bug: 503, and the client retries (with its Idempotency-Key).
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = error => DatabaseOutage.Is(error) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        var catalog = app.Services.GetRequiredService<EventCatalog>();
        app.MapOpenApi();
        app.MapLedgerReads(catalog);
        app.MapLedgerWrites(catalog);
        app.MapImport();
        app.MapRawLedger(catalog);
        app.MapScopeReads(catalog);
        app.MapIntegrity();
        app.MapCosignatures();
        app.MapTimeline(catalog);
        app.MapPages(catalog);
        app.MapBrowserRecording(catalog);
        return app;
    }

    /// <summary>
    /// Information says what the program does (where PostgreSQL runs, where it listens); the libraries' chatter
    /// (Marten's schema SQL, Wolverine's start-up details) is Debug or Warning. The defaults come first, so
    /// appsettings.json, environment variables (<c>Logging__LogLevel__Marten=Debug</c>) and arguments override them.
    /// </summary>
    public static void LogForPeople(this IHostApplicationBuilder builder) =>
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Wolverine"] = "Warning",
                ["Logging:LogLevel:JasperFx"] = "Warning",
            },
        });

    /// <summary>Commands print their answers on stdout (--json among them); logs go to stderr, warnings only.</summary>
    public static void LogQuietly(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning")]);
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
