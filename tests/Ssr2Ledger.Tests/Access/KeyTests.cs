using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Access;

[Collection(LedgerCollection.Name)]
public sealed class KeyTests(LedgerFixture ledger)
{
    [Fact]
    public async Task a_write_without_a_key_is_401_and_appends_nothing()
    {
        var id = Body.NewReviewId();
        await Body.Problem(await ledger.Client().PostAsync("/api/reviews", Body.Charter(id)), 401);
        await Body.Problem(await ledger.Client("ssr2_not-a-real-key").PostAsync("/api/reviews", Body.Charter(id)), 401);
        Assert.Equal(0, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_reader_key_may_read_but_not_record()
    {
        var id = Body.NewReviewId();
        await Body.Problem(await ledger.Client(ledger.ReaderKey).PostAsync("/api/reviews", Body.Charter(id)), 403);
        Assert.Equal(0, await ledger.EntryCountAsync(id));
        var reviews = await ledger.Client(ledger.ReaderKey).GetAsync("/api/reviews");
        Assert.True(reviews.IsSuccessStatusCode);
    }

    [Fact]
    public async Task an_admin_key_may_record_and_its_name_is_stored_on_the_entry()
    {
        var id = Body.NewReviewId();
        await Body.Created(await ledger.Client(ledger.AdminKey).PostAsync("/api/reviews", Body.Charter(id)));
        await using var session = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Marten.IDocumentStore>(ledger.Host.Services).QuerySession();
        var entries = await session.Events.FetchStreamAsync(id);
        Assert.Equal("test-admin", Assert.Single(entries).UserName);
    }

    [Fact]
    public void keys_add_limits_a_key_to_each_review_named_once_or_in_a_list() =>
        Assert.Equal(["ssr2", "rds-whois2", "ccwg"], Ssr2Ledger.Hosting.CommandLine.Repeated(
            ["add", "--name", "s", "--role", "recorder", "--review", "ssr2", "--review", "rds-whois2, ccwg"], "--review"));

    [Fact]
    public async Task a_key_cannot_be_limited_to_something_that_is_not_a_review_id()
    {
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Marten.IDocumentStore>(ledger.Host.Services);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Ssr2Ledger.Access.ApiKeys.CreateAsync(store, "n", Ssr2Ledger.Access.Roles.Recorder, reviews: ["ssr2\n"]));
    }
}
