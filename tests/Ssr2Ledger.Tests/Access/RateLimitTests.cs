using Alba;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Access;

[Collection(LedgerCollection.Name)]
public sealed class RateLimitTests(LedgerFixture ledger)
{
    [Fact]
    public async Task a_key_writing_faster_than_its_limit_gets_429_problems_and_reads_stay_open()
    {
        await using var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Ledger", ledger.ConnectionString);
            builder.UseSetting("Ledger:SigningKeyPath", ledger.SigningKeyPath);
            builder.UseSetting("Ledger:RateLimit:WritesPerSecond", "2");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        // Its 429s are checked against the OpenAPI document like every other answer.
        var client = new HttpClient(new ContractCheckingHandler(() => ledger.Contract, host.Server.CreateHandler())) { BaseAddress = host.Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ledger.RecorderKey);
        var id = Body.NewReviewId();

        // Twenty at once against a bucket of four that refills two a second.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.PostAsync("/api/reviews", Body.Charter($"{id}-{i}"))));

        Assert.InRange(answers.Count(a => (int)a.StatusCode == 201), 1, 10);
        Assert.InRange(answers.Count(a => (int)a.StatusCode == 429), 10, 19);
        var refused = answers.First(a => (int)a.StatusCode == 429);
        await Body.Problem(refused, 429);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.True((await client.GetAsync("/api/reviews")).IsSuccessStatusCode);
    }
}
