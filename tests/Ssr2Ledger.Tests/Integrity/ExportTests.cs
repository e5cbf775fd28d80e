using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Integrity;

[Collection(LedgerCollection.Name)]
public sealed class ExportTests(LedgerFixture ledger)
{
    private async Task<(string Id, string File)> Exported()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1", "a2");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("madrid-2017")));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings-held", new JsonObject
            { ["meetingId"] = "madrid-2017", ["attendees"] = new JsonArray(), ["observers"] = 0, ["effectiveAt"] = "2017-05-15T17:00:00Z" }));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-16T00:00:00Z", ("a1", "in-scope"))));
        using var output = new MemoryStream();
        var written = await ledger.Host.Services.GetRequiredService<LedgerExport>().WriteAsync(id, output, null, default);
        Assert.Equal(7, written);
        return (id, Encoding.UTF8.GetString(output.ToArray()));
    }

    private string PublicKey() => ledger.Host.Services.GetRequiredService<LedgerSigner>().PublicKeyPem;

    [Fact]
    public async Task an_exported_ledger_verifies_with_no_database()
    {
        var (id, file) = await Exported();
        var report = OfflineVerifier.Verify(new StringReader(file), PublicKey());
        Assert.True(report.Ok, report.Problem);
        Assert.Equal((id, 7L, 1), (report.ReviewId, report.EntriesChecked, report.CheckpointsVerified));
        Assert.Equal((await ledger.StateAsync(id)).GetProperty("headHash").GetString(), report.HeadHash);
        Assert.False(report.KeyFromFile);
    }

    [Fact]
    public async Task one_byte_changed_in_an_entry_is_caught_and_named()
    {
        var (_, file) = await Exported();
        var at = file.IndexOf("Area a2", StringComparison.Ordinal);
        var altered = file[..at] + "Area b2" + file[(at + 7)..];
        var report = OfflineVerifier.Verify(new StringReader(altered), PublicKey());
        Assert.False(report.Ok);
        Assert.Equal(5, report.FirstBadLine); // header, charter, topic, a1, then a2
        Assert.NotNull(report.FirstBadEventId);
    }

    [Fact]
    public async Task a_checkpoint_with_a_changed_signature_or_another_key_is_refused()
    {
        var (_, file) = await Exported();
        var lines = file.TrimEnd('\n').Split('\n');
        var checkpoint = JsonNode.Parse(lines[^1])!;
        var signature = checkpoint["checkpoint"]!["signature"]!.GetValue<string>();
        checkpoint["checkpoint"]!["signature"] = (signature[0] == 'A' ? "B" : "A") + signature[1..];
        var forged = string.Join('\n', lines[..^1].Append(checkpoint.ToJsonString()));
        Assert.False(OfflineVerifier.Verify(new StringReader(forged), PublicKey()).Ok);

        var otherKey = Path.Combine(Path.GetTempPath(), $"other-key-{Guid.NewGuid():N}.pem");
        string otherPublicKey;
        using (var other = LedgerSigner.Open(otherKey)) otherPublicKey = other.PublicKeyPem;
        File.Delete(otherKey);
        var report = OfflineVerifier.Verify(new StringReader(file), otherPublicKey);
        Assert.False(report.Ok);
        Assert.Contains("not signed", report.Problem);
    }
}
