using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Integrity;

[Collection(LedgerCollection.Name)]
public sealed class CheckpointTests(LedgerFixture ledger)
{
    [Fact]
    public async Task a_meeting_held_is_sealed_by_a_checkpoint_signed_with_the_published_key()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("madrid-2017")));
        var held = await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings-held", new JsonObject
        {
            ["meetingId"] = "madrid-2017", ["attendees"] = new JsonArray(), ["observers"] = 2, ["effectiveAt"] = "2017-05-15T17:00:00Z",
        }));

        var checkpoints = await ledger.Client().GetFromJsonAsync<List<Checkpoint>>($"/api/reviews/{id}/checkpoints", ledger.Json);
        var checkpoint = Assert.Single(checkpoints!);
        Assert.Equal(("madrid-2017", held.GetProperty("version").GetInt64(), held.GetProperty("hash").GetString()),
            (checkpoint.MeetingId, checkpoint.Version, checkpoint.HeadHash));

        var key = await ledger.Client().GetFromJsonAsync<JsonElement>("/api/ledger/public-key");
        var pem = key.GetProperty("publicKeyPem").GetString()!;
        Assert.Equal(LedgerSigner.KeyIdOf(pem), key.GetProperty("keyId").GetString());
        Assert.True(checkpoint.IsSignedBy(pem));
        Assert.False((checkpoint with { HeadHash = new string('0', 64) }).IsSignedBy(pem));
        Assert.False((checkpoint with { Version = checkpoint.Version - 1 }).IsSignedBy(pem));
        Assert.True(File.Exists(ledger.SigningKeyPath));
        Assert.DoesNotContain("PRIVATE", pem);
    }

    [Fact]
    public async Task checkpoints_of_an_unknown_review_are_404()
    {
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{Body.NewReviewId()}/checkpoints"), 404);
    }
}
