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
        var client = host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ledger.RecorderKey);
        var id = Body.NewReviewId();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++) answers.Add(await client.PostAsync("/api/reviews", Body.Charter($"{id}-{i}")));

        Assert.InRange(answers.Count(a => (int)a.StatusCode == 201), 4, 6); // a burst of twice the rate, then refusals
        var refused = answers.First(a => (int)a.StatusCode == 429);
        await Body.Problem(refused, 429);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.True((await client.GetAsync("/api/reviews")).IsSuccessStatusCode);
    }
}
