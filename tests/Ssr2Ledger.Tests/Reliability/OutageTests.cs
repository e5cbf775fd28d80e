using System.Diagnostics;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Access;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Reliability;

/// <summary>
/// The database goes away under the running server and comes back: requests fail fast with 503 problem
/// details, the server recovers by itself, and a write retried with its Idempotency-Key is recorded once.
/// Uses a PostgreSQL of its own, so that stopping it disturbs no other test.
/// </summary>
public sealed class OutageTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ssr2ledger-outage-{Guid.NewGuid():N}");
    private EmbeddedPostgres _postgres = null!;
    private IAlbaHost _host = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _postgres = await EmbeddedPostgres.StartAsync(_directory, _ => { });
        await _postgres.EnsureDatabaseAsync("outage");
        _host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Ledger", _postgres.ConnectionString("outage"));
            builder.UseSetting("Ledger:SigningKeyPath", Path.Combine(_directory + "-key", "key.pem"));
            builder.UseSetting("Logging:LogLevel:Default", "Error");
        });
        _key = await ApiKeys.CreateAsync(_host.Services.GetRequiredService<IDocumentStore>(), "outage", Roles.Recorder);
        _contract = new OpenApiContract(await _host.Server.CreateClient().GetStringAsync("/openapi/v1.json"));
    }

    private OpenApiContract? _contract;

    [Fact]
    public async Task requests_during_an_outage_fail_fast_with_503_and_a_retry_records_once()
    {
        // The 503s are checked against the OpenAPI document like every other answer.
        var client = new HttpClient(new ContractCheckingHandler(() => _contract!, _host.Server.CreateHandler())) { BaseAddress = _host.Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _key);
        var id = Body.NewReviewId();
        await client.SeedAsync(id);
        var port = _postgres.Port;

        await _postgres.DisposeAsync(); // the database stops
        var watch = Stopwatch.StartNew();
        using (var write = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{id}/areas") { Content = System.Net.Http.Json.JsonContent.Create(Body.Area("a1", "t1")) })
        {
            write.Headers.Add("Idempotency-Key", "during-outage");
            var problem = await Body.Problem(await client.SendAsync(write), 503);
            Assert.Contains("unreachable", problem.GetProperty("title").GetString());
        }
        await Body.Problem(await client.GetAsync($"/api/reviews/{id}/state"), 503);
        Assert.Equal(503, (int)(await client.GetAsync("/health")).StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the outage answers took {watch.Elapsed}");

        _postgres = await EmbeddedPostgres.StartAsync(_directory, _ => { }, port); // and comes back
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{id}/areas") { Content = System.Net.Http.Json.JsonContent.Create(Body.Area("a1", "t1")) };
            retry.Headers.Add("Idempotency-Key", "during-outage");
            await Body.Created(await client.SendAsync(retry));
        }
        await using var session = _host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(3, (await session.Events.FetchStreamStateAsync(id))!.Version);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _postgres.DisposeAsync();
        foreach (var directory in new[] { _directory, _directory + "-key" })
            try { Directory.Delete(directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
