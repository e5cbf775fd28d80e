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
        var at = Array.FindIndex(lines, l => l.Contains("\"kind\":\"checkpoint\"", StringComparison.Ordinal));
        var checkpoint = JsonNode.Parse(lines[at])!;
        var signature = checkpoint["checkpoint"]!["signature"]!.GetValue<string>();
        checkpoint["checkpoint"]!["signature"] = (signature[0] == 'A' ? "B" : "A") + signature[1..];
        lines[at] = checkpoint.ToJsonString();
        var forged = string.Join('\n', lines);
        Assert.False(OfflineVerifier.Verify(new StringReader(forged), PublicKey()).Ok);

        var otherKey = Path.Combine(Path.GetTempPath(), $"other-key-{Guid.NewGuid():N}.pem");
        string otherPublicKey;
        using (var other = LedgerSigner.Open(otherKey)) otherPublicKey = other.PublicKeyPem;
        File.Delete(otherKey);
        File.Delete(NoteSigner.PathBeside(otherKey));
        var report = OfflineVerifier.Verify(new StringReader(file), otherPublicKey);
        Assert.False(report.Ok);
        Assert.Contains("not signed", report.Problem);
    }

    /// <summary>The file with its lines changed, and verify-file's answer with the keys the ledger publishes.</summary>
    private FileReport Altered(string file, Func<List<string>, IEnumerable<string>> change)
    {
        var lines = file.TrimEnd('\n').Split('\n').ToList();
        var keys = ledger.Host.Services.GetRequiredService<LedgerSigner>();
        return OfflineVerifier.Verify(new StringReader(string.Join('\n', change(lines)) + "\n"), keys.PublicKeyPem, keys.Notes.VerifierKey);
    }

    [Fact]
    public async Task an_export_ends_with_a_signed_checkpoint_of_every_entry_in_it()
    {
        var (id, file) = await Exported();
        var last = JsonNode.Parse(file.TrimEnd('\n').Split('\n')[^1])!;
        Assert.Equal(("end", 7L), (last["kind"]!.GetValue<string>(), last["entries"]!.GetValue<long>()));
        var note = last["checkpoint"]!.GetValue<string>();
        Assert.True(SignedNote.IsSignedBy(note, ledger.Host.Services.GetRequiredService<LedgerSigner>().Notes.VerifierKey));
        Assert.Equal(($"ssr2ledger/reviews/{id}", 7L), (SignedNote.Checkpoint(note)!.Origin, SignedNote.Checkpoint(note)!.TreeSize));
        Assert.True(Altered(file, lines => lines).Ok);
    }

    [Fact]
    public async Task a_file_cut_short_or_without_its_closing_checkpoint_is_refused()
    {
        var (_, file) = await Exported();
        // Cut after the meeting's checkpoint (the last entries and the closing line gone), or the closing line alone removed.
        var cut = Altered(file, lines => lines.Where(l => !l.Contains("\"kind\":\"end\"", StringComparison.Ordinal)));
        Assert.False(cut.Ok);
        Assert.Contains("cut short", cut.Problem, StringComparison.Ordinal);
        var halved = Altered(file, lines => lines.Take(4));
        Assert.False(halved.Ok);
        Assert.Equal(5, halved.FirstBadLine);
    }

    [Fact]
    public async Task entries_dropped_at_the_end_or_reordered_are_refused_and_the_line_named()
    {
        var (_, file) = await Exported();
        // Lines: 1 header, 2..8 entries, 9 checkpoint, 10 end.
        var dropped = Altered(file, lines => lines.Where((_, i) => i != 7));
        Assert.False(dropped.Ok);
        Assert.Equal(9, dropped.FirstBadLine);
        var swapped = Altered(file, lines => [.. lines[..3], lines[4], lines[3], .. lines[5..]]);
        Assert.False(swapped.Ok);
        Assert.Equal(4, swapped.FirstBadLine);
        var noEntries = Altered(file, lines => lines.Where((_, i) => i is 0 or >= 8));
        Assert.False(noEntries.Ok);
    }

    [Fact]
    public async Task a_meeting_checkpoint_removed_or_a_closing_note_signed_by_another_key_is_refused()
    {
        var (id, file) = await Exported();
        var removed = Altered(file, lines => lines.Where(l => !l.Contains("\"kind\":\"checkpoint\"", StringComparison.Ordinal)));
        Assert.False(removed.Ok);
        Assert.Contains("no checkpoint", removed.Problem, StringComparison.Ordinal);

        var otherPath = Path.Combine(Path.GetTempPath(), $"other-{Guid.NewGuid():N}.ed25519.pem");
        using var other = NoteSigner.Open(otherPath, "ssr2ledger");
        File.Delete(otherPath);
        var resigned = Altered(file, lines =>
        {
            var end = JsonNode.Parse(lines[^1])!;
            end["checkpoint"] = other.Sign(SignedNote.Parse(end["checkpoint"]!.GetValue<string>())!.Value.Text);
            return [.. lines[..^1], end.ToJsonString()];
        });
        Assert.False(resigned.Ok);
        Assert.Contains("not signed by the note key", resigned.Problem, StringComparison.Ordinal);
        Assert.Equal(10, resigned.FirstBadLine);
        Assert.False(string.IsNullOrEmpty(id));
    }
}
