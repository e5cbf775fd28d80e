using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Access;
using Ssr2Ledger.Hosting;

namespace Ssr2Ledger.Tests.Support;

/// <summary>
/// The real host (Alba) on a real PostgreSQL that the test run starts itself from the machine's binaries,
/// with a throwaway data folder and database. Tests isolate themselves by using a review of their own.
/// </summary>
public sealed class LedgerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"ssr2ledger-tests-{Guid.NewGuid():N}");
    private EmbeddedPostgres? _postgres;

    public IAlbaHost Host { get; private set; } = null!;
    public string SigningKeyPath => Path.Combine(_dataDirectory + "-key", "signing-key.pem");
    public string ConnectionString { get; private set; } = "";
    public string RecorderKey { get; private set; } = "";
    public string ReaderKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public JsonSerializerOptions Json { get; } = LedgerSetup.Json();

    public async Task InitializeAsync()
    {
        _postgres = await EmbeddedPostgres.StartAsync(_dataDirectory, _ => { });
        await _postgres.EnsureDatabaseAsync("ledger_tests");
        ConnectionString = _postgres.ConnectionString("ledger_tests");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Ledger", ConnectionString);
            builder.UseSetting("Ledger:SigningKeyPath", SigningKeyPath);
            // The suite writes fast with one key; the limiter has a test of its own.
            builder.UseSetting("Ledger:RateLimit:WritesPerSecond", "0");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        RecorderKey = await ApiKeys.CreateAsync(store, "test-recorder", Roles.Recorder);
        ReaderKey = await ApiKeys.CreateAsync(store, "test-reader", Roles.Reader);
        AdminKey = await ApiKeys.CreateAsync(store, "test-admin", Roles.Admin);
        Contract = new OpenApiContract(await Host.Server.CreateClient().GetStringAsync("/openapi/v1.json"));
    }

    /// <summary>The server's OpenAPI document, which every answer to the clients below is checked against.</summary>
    public OpenApiContract Contract { get; private set; } = null!;

    public PostgresDatabase Postgres => new(_postgres!);

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient(new ContractCheckingHandler(() => Contract, Host.Server.CreateHandler()))
        {
            BaseAddress = Host.Server.BaseAddress,
        };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Recorder() => Client(RecorderKey);

    public async Task<JsonElement> StateAsync(string reviewId)
    {
        using var response = await Client().GetAsync($"/api/reviews/{reviewId}/state");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>How many entries the review's stream holds, straight from the event table.</summary>
    public async Task<long> EntryCountAsync(string reviewId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamStateAsync(reviewId))?.Version ?? 0;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        foreach (var directory in new[] { _dataDirectory, _dataDirectory + "-key" })
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Fresh databases on the suite's PostgreSQL, for a test that starts the program itself.</summary>
public sealed class PostgresDatabase(EmbeddedPostgres postgres)
{
    public async Task<string> NewAsync(string name)
    {
        await postgres.EnsureDatabaseAsync(name);
        return postgres.ConnectionString(name);
    }
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerFixture>
{
    public const string Name = "ledger";
}
