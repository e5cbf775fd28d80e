using System.Text;
using System.Text.Json;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>The SSR2 history shipped with the project imports whole and tells the public record's story.</summary>
[Collection(LedgerCollection.Name)]
public sealed class Ssr2HistoryTests(LedgerFixture ledger)
{
    private static string DataFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "data", "ssr2.ndjson"))) return Path.Combine(dir.FullName, "data", "ssr2.ndjson");
        throw new FileNotFoundException("data/ssr2.ndjson");
    }

    [Fact]
    public async Task the_ssr2_history_imports_and_ends_with_the_boards_action_on_63_recommendations()
    {
        // The file charters "ssr2"; import it under that id into this test database.
        const string id = "ssr2";
        var lines = await File.ReadAllTextAsync(DataFile());
        var answer = await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import",
            new StringContent(lines, Encoding.UTF8, "application/x-ndjson")));
        Assert.Equal(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, answer.GetProperty("imported").GetInt32());

        var state = await ledger.StateAsync(id);
        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.True(state.GetProperty("areas").GetArrayLength() >= 100);
        var actions = state.GetProperty("recommendations").EnumerateArray()
            .GroupBy(r => r.GetProperty("boardAction").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["approved"] = 13, ["pending"] = 34, ["rejected"] = 16 }, actions);
        Assert.Contains(state.GetProperty("meetings").EnumerateArray(), m => m.GetProperty("meetingId").GetString() == "madrid-2017");
        Assert.Equal(JsonValueKind.String, state.GetProperty("termsOfReference").GetProperty("deliveredVersion").ValueKind);
        Assert.All(state.GetProperty("subteams").EnumerateArray(), s => Assert.False(s.GetProperty("active").GetBoolean()));
    }
}
