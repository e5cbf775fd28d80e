using System.Text.Json;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>The RDS-WHOIS2 history shipped in data/, as the ledger answers it (sources: its wiki, ICANN's RDS review page).</summary>
[Collection(LedgerCollection.Name)]
public sealed class RdsWhois2HistoryTests(LedgerFixture ledger)
{
    private const string Id = "rds-whois2";

    private async Task<JsonElement> StateAsOf(string asOf)
    {
        await ShippedData.ImportAsync(ledger, Id);
        var response = await ledger.Client().GetAsync($"/api/reviews/{Id}/state?asOf={Uri.EscapeDataString(asOf)}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static Dictionary<string, int> Disposition(JsonElement state) => state.GetProperty("recommendations").EnumerateArray()
        .GroupBy(r => r.TryGetProperty("boardAction", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "none")
        .ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task the_final_report_of_3_september_2019_carried_22_recommendations_to_the_board()
    {
        var before = await StateAsOf("2019-09-02T23:59:59Z");
        Assert.Equal("active", before.GetProperty("status").GetString());
        var after = await StateAsOf("2019-09-03T23:59:59Z");
        Assert.Equal("completed", after.GetProperty("status").GetString());
        Assert.Equal(22, after.GetProperty("recommendations").GetArrayLength());
        Assert.Equal(new Dictionary<string, int> { ["none"] = 22 }, Disposition(after));
        var chair = Assert.Single(after.GetProperty("members").EnumerateArray(), m => m.GetProperty("role").GetString() == "chair");
        Assert.Equal("Alan Greenberg", chair.GetProperty("name").GetString());
    }

    [Fact]
    public async Task the_team_met_face_to_face_in_brussels_in_october_2017_and_on_10_to_12_december_2018()
    {
        var meetings = (await StateAsOf("2019-01-01T00:00:00Z")).GetProperty("meetings").EnumerateArray()
            .ToDictionary(m => m.GetProperty("meetingId").GetString()!);
        var december = meetings["brussels-2018"];
        Assert.Equal(("held", "face-to-face", "Brussels, Belgium"), (december.GetProperty("status").GetString(),
            december.GetProperty("format").GetString(), december.GetProperty("location").GetString()));
        Assert.Equal(new DateTime(2018, 12, 10), december.GetProperty("startsAt").GetDateTimeOffset().UtcDateTime.Date);
        Assert.Equal(new DateTime(2018, 12, 12), december.GetProperty("endsAt").GetDateTimeOffset().UtcDateTime.Date);
        Assert.Equal("held", meetings["brussels-2017"].GetProperty("status").GetString());
    }

    /// <summary>
    /// ICANN's table for 25 Feb 2020 reads 15 approved, 2 passed through, 4 pending, 2 rejected: CC.1 is counted both as
    /// approved and as passed through. The ledger holds one disposition per recommendation, its latest: CC.1 approved.
    /// </summary>
    [Fact]
    public async Task the_board_approved_15_passed_through_cc4_put_4_in_pending_and_rejected_2_on_25_february_2020()
    {
        Assert.Equal(new Dictionary<string, int> { ["approved"] = 15, ["passed-through"] = 1, ["pending"] = 4, ["rejected"] = 2 },
            Disposition(await StateAsOf("2020-02-25T23:59:59Z")));
        var recommendations = (await StateAsOf("2020-02-26T00:00:00Z")).GetProperty("recommendations").EnumerateArray()
            .ToDictionary(r => r.GetProperty("recommendationId").GetString()!, r => r.GetProperty("boardAction").GetString());
        Assert.Equal("passed-through", recommendations["rec-cc.4"]);
        Assert.Equal("approved", recommendations["rec-cc.1"]);
        Assert.Equal(["rec-r10.1", "rec-r4.1", "rec-r4.2", "rec-r5.1"], recommendations.Where(r => r.Value == "pending").Select(r => r.Key).Order());

        var cc1 = (await ShippedData.EntriesAsync(ledger, Id)).Where(e => e.GetProperty("data").TryGetProperty("action", out _)
            && e.GetProperty("data").GetProperty("recommendationId").GetString() == "rec-cc.1").Select(e => e.GetProperty("data").GetProperty("action").GetString());
        Assert.Equal(["passed-through", "approved"], cc1);
    }

    [Fact]
    public async Task the_board_rejected_the_four_pending_recommendations_on_21_december_2023()
    {
        Assert.Equal(4, Disposition(await StateAsOf("2023-12-20T23:59:59Z"))["pending"]);
        Assert.Equal(new Dictionary<string, int> { ["approved"] = 15, ["passed-through"] = 1, ["rejected"] = 6 },
            Disposition(await StateAsOf("2023-12-21T23:59:59Z")));
    }
}
