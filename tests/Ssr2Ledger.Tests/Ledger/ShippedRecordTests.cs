using System.Diagnostics;
using System.Text.Json;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>What <c>demo</c> ships in data/: every review imports, verifies and names a source for every entry.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ShippedRecordTests(LedgerFixture ledger)
{
    public static TheoryData<string> Reviews() => [.. ShippedData.Files().Select(f => f.ReviewId)];

    [Fact]
    public void data_ships_ssr2_and_rds_whois2_each_file_naming_the_review_it_charters()
    {
        var files = ShippedData.Files();
        Assert.Equal(["rds-whois2", "ssr2"], files.Select(f => f.ReviewId).Order());
        Assert.All(files, f => Assert.Equal(f.ReviewId, Path.GetFileNameWithoutExtension(f.Path)));

        var stray = Path.Combine(Path.GetTempPath(), $"shipped-{Guid.NewGuid():N}.ndjson");
        File.WriteAllText(stray, Body.Line("TopicAreaAgreed", Body.Topic("t1")) + "\n");
        try { Assert.Throws<InvalidDataException>(() => ShippedReviews.ReviewIdOf(stray)); }
        finally { File.Delete(stray); }
    }

    /// <summary><c>demo</c> reads the copies the build puts beside the program: every file of data/, unchanged.</summary>
    [Fact]
    public void the_build_puts_every_shipped_review_beside_the_program_where_demo_reads_it()
    {
        var beside = ShippedReviews.In(Path.Combine(AppContext.BaseDirectory, "data"));
        Assert.Equal(ShippedData.Files().Select(f => (Path.GetFileName(f.Path), f.ReviewId)), beside.Select(f => (Path.GetFileName(f.Path), f.ReviewId)));
        Assert.All(beside, f => Assert.Equal(File.ReadAllText(ShippedData.Review(f.ReviewId).Path), File.ReadAllText(f.Path)));
    }

    [Theory]
    [MemberData(nameof(Reviews))]
    public async Task every_shipped_review_imports_whole_and_its_hash_chain_verifies(string reviewId)
    {
        var lines = File.ReadLines(ShippedData.Review(reviewId).Path).Count(l => l.Length > 0);
        var answer = await ShippedData.ImportAsync(ledger, reviewId);
        Assert.Equal(lines, answer.GetProperty("imported").GetInt32());

        var verify = JsonDocument.Parse(await ledger.Client().GetStringAsync($"/api/reviews/{reviewId}/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
        Assert.Equal(lines, verify.GetProperty("eventsChecked").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Reviews))]
    public async Task every_entry_of_a_shipped_review_names_the_page_that_supports_it(string reviewId)
    {
        await ShippedData.ImportAsync(ledger, reviewId);
        var entries = await ShippedData.EntriesAsync(ledger, reviewId);
        Assert.Equal(await ledger.EntryCountAsync(reviewId), entries.Count);
        Assert.All(entries, e =>
        {
            var data = e.GetProperty("data");
            Assert.True(data.TryGetProperty("source", out var source) && Uri.TryCreate(source.GetString(), UriKind.Absolute, out var url)
                        && url.Scheme is "https" or "http", $"{e.GetProperty("type")} at version {e.GetProperty("version")} names no source URL");
            if (data.TryGetProperty("note", out var note) && note.ValueKind != JsonValueKind.Null) Assert.False(string.IsNullOrWhiteSpace(note.GetString()));
        });
    }

    /// <summary>The generators are the one way the files are made: each file is exactly what its script writes.</summary>
    [Theory]
    [InlineData("generate_ssr2.py")]
    [InlineData("generate_rds_whois2.py")]
    public async Task each_shipped_file_is_what_its_generator_writes(string generator)
    {
        var start = new ProcessStartInfo("python3", [Path.Combine(ShippedData.Directory(), generator), "--check"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var python = Process.Start(start)!;
        var output = await python.StandardOutput.ReadToEndAsync() + await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, output);
        Assert.Contains("as generated", output);
    }
}
