using System.Text.Json;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>
/// The SSR2 history shipped in data/ imports whole and, asked as the ledger answers, tells the public record's story
/// (sources: the SSR2 wiki, Board resolutions and announcements, the ssr2-review list; see data/README.md).
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class Ssr2HistoryTests(LedgerFixture ledger)
{
    private const string Id = Ssr2Data.ReviewId;

    private Task<JsonElement> ImportAsync() => Ssr2Data.ImportAsync(ledger);

    private async Task<JsonElement> Get(string url)
    {
        var response = await ledger.Client().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private Task<JsonElement> StateAsOf(string asOf) => Get($"/api/reviews/{Id}/state?asOf={Uri.EscapeDataString(asOf)}");

    private static IEnumerable<string> Ids(JsonElement list) => list.EnumerateArray().Select(a => a.GetProperty("areaId").GetString()!);

    private static (int Approved, int Rejected, int Pending, int None) Disposition(JsonElement state)
    {
        var actions = state.GetProperty("recommendations").EnumerateArray()
            .Select(r => r.TryGetProperty("boardAction", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToList();
        return (actions.Count(a => a == "approved"), actions.Count(a => a == "rejected"), actions.Count(a => a == "pending"),
            actions.Count(a => a is null));
    }

    [Fact]
    public async Task the_ssr2_history_imports_whole_and_ends_completed_with_63_recommendations_acted_on()
    {
        var lines = await File.ReadAllLinesAsync(Ssr2Data.File());
        var answer = await ImportAsync();
        Assert.Equal(lines.Count(l => l.Length > 0), answer.GetProperty("imported").GetInt32());

        var state = await ledger.StateAsync(Id);
        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.True(state.GetProperty("areas").GetArrayLength() >= 100);
        Assert.Equal(63, state.GetProperty("recommendations").GetArrayLength());
        Assert.All(state.GetProperty("recommendations").EnumerateArray(), r => Assert.Equal("full consensus", r.GetProperty("consensus").GetString()));
        Assert.Equal("4.0", state.GetProperty("termsOfReference").GetProperty("deliveredVersion").GetString());
        Assert.All(state.GetProperty("subteams").EnumerateArray(), s => Assert.False(s.GetProperty("active").GetBoolean()));
    }

    /// <summary>The SSR2 Review wiki page's table: approved / rejected / pending after each of the Board's actions.</summary>
    [Theory]
    [InlineData("2021-07-21", 0, 0, 0, 63)]
    [InlineData("2021-07-22", 13, 16, 34, 0)]
    [InlineData("2022-04-30", 13, 16, 34, 0)]
    [InlineData("2022-05-01", 14, 18, 31, 0)]
    [InlineData("2022-11-16", 23, 30, 10, 0)]
    [InlineData("2023-09-09", 23, 30, 10, 0)]
    [InlineData("2023-09-10", 24, 38, 1, 0)]
    public async Task the_boards_disposition_at_the_end_of_each_day_follows_its_actions(string day, int approved, int rejected, int pending, int none)
    {
        await ImportAsync();
        Assert.Equal((approved, rejected, pending, none), Disposition(await StateAsOf($"{day}T23:59:59Z")));
    }

    [Fact]
    public async Task the_one_recommendation_left_pending_in_september_2023_is_17_1_on_name_collisions()
    {
        await ImportAsync();
        var pending = (await ledger.StateAsync(Id)).GetProperty("recommendations").EnumerateArray()
            .Where(r => r.GetProperty("boardAction").GetString() == "pending").ToList();
        Assert.Equal("rec-17.1", Assert.Single(pending).GetProperty("recommendationId").GetString());
        // Put in pending on 22 July 2021 and not acted on again by 10 September 2023.
        Assert.Equal("2021.07.22.11-13", pending[0].GetProperty("boardResolutionId").GetString());
    }

    [Fact]
    public async Task leadership_was_three_co_chairs_in_april_2017_and_one_chair_after_the_washington_meeting()
    {
        await ImportAsync();
        static List<(string Id, string By)> Chairs(JsonElement state) => state.GetProperty("members").EnumerateArray()
            .Where(m => m.GetProperty("active").GetBoolean() && m.GetProperty("role").GetString() == "chair")
            .Select(m => (m.GetProperty("memberId").GetString()!, m.GetProperty("appointedBy").GetString()!)).OrderBy(c => c.Item1).ToList();
        static bool AnyViceChair(JsonElement state) => state.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("role").GetString() == "vice-chair");

        var april2017 = await StateAsOf("2017-04-30T00:00:00Z");
        Assert.Equal([("denise-michel", "GNSO"), ("emily-taylor", "GNSO"), ("eric-osterweil", "RSSAC")], Chairs(april2017));
        Assert.False(AnyViceChair(april2017));

        var august2017 = await StateAsOf("2017-08-01T00:00:00Z");   // a GNSO co-chair resigned on 16 Jul 2017
        Assert.Equal(["denise-michel", "eric-osterweil"], Chairs(august2017).Select(c => c.Id));

        Assert.Equal(["russ-housley"], Chairs(await StateAsOf("washington-2018")).Select(c => c.Id));
        Assert.Equal(["russ-housley"], Chairs(await ledger.StateAsync(Id)).Select(c => c.Id));
    }

    [Fact]
    public async Task copenhagen_was_the_first_face_to_face_meeting_and_madrid_the_second()
    {
        await ImportAsync();
        var meetings = (await ledger.StateAsync(Id)).GetProperty("meetings").EnumerateArray()
            .Where(m => m.GetProperty("format").GetString() == "face-to-face").ToList();
        string[] Where(string status) => meetings.Where(m => m.GetProperty("status").GetString() == status)
            .OrderBy(m => m.GetProperty("startsAt").GetDateTimeOffset()).Select(m => m.GetProperty("meetingId").GetString()!).ToArray();

        Assert.Equal(["icann58-public-consultation", "copenhagen-2017", "madrid-2017", "johannesburg-2017", "abu-dhabi-2017", "washington-2018"], Where("held"));
        Assert.Equal(DateTimeOffset.Parse("2017-03-12T12:45:00Z"), meetings.Single(m => m.GetProperty("meetingId").GetString() == "icann58-public-consultation").GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(["cancun-2020"], Where("cancelled"));
        // Planned in the record, but the pages cited do not say whether they were held.
        Assert.Equal(["barcelona-2018", "montreal-2019", "washington-2020"], Where("scheduled"));
    }

    [Fact]
    public async Task the_terms_of_reference_went_from_a_first_draft_to_version_4_sent_on_5_september_2018()
    {
        await ImportAsync();
        var tor = (await ledger.StateAsync(Id)).GetProperty("termsOfReference");
        var drafted = tor.GetProperty("versions").EnumerateArray()
            .ToDictionary(v => v.GetProperty("version").GetString()!, v => v.GetProperty("draftedAt").GetDateTimeOffset().UtcDateTime.Date);
        Assert.Equal(new DateTime(2017, 4, 14), drafted["2.0"]);
        Assert.Equal(new DateTime(2017, 4, 29), drafted["3.0"]);
        Assert.Equal(new DateTime(2018, 8, 23), drafted["4.0"]);
        Assert.Equal("3.0", (await StateAsOf("2018-09-04T00:00:00Z")).GetProperty("termsOfReference").GetProperty("deliveredVersion").GetString());
        Assert.Equal("4.0", (await StateAsOf("2018-09-05T23:59:59Z")).GetProperty("termsOfReference").GetProperty("deliveredVersion").GetString());
    }

    [Fact]
    public async Task the_review_was_paused_from_28_october_2017_to_7_june_2018_and_restarted_with_new_members()
    {
        await ImportAsync();
        Assert.Equal("active", (await StateAsOf("2017-10-28T00:00:00Z")).GetProperty("status").GetString());
        Assert.Equal("paused", (await StateAsOf("2017-11-03T12:00:00Z")).GetProperty("status").GetString());
        Assert.Equal("paused", (await StateAsOf("2018-06-06T00:00:00Z")).GetProperty("status").GetString());
        var restarted = await StateAsOf("2018-06-08T00:00:00Z");
        Assert.Equal("active", restarted.GetProperty("status").GetString());
        var serving = restarted.GetProperty("members").EnumerateArray().Where(m => m.GetProperty("active").GetBoolean())
            .Select(m => m.GetProperty("memberId").GetString()).ToList();
        Assert.Contains("russ-housley", serving);
        Assert.DoesNotContain("emily-taylor", serving);
    }

    [Fact]
    public async Task washington_removed_qualifiers_from_the_scope_text_and_narrowed_no_area()
    {
        await ImportAsync();
        var diff = await Get($"/api/reviews/{Id}/scope/diff?from=madrid-2017&to=washington-2018");
        Assert.Equal("madrid-2017", diff.GetProperty("fromMeeting").GetString());
        Assert.Empty(diff.GetProperty("narrowed").EnumerateArray());
        // The only moves in that window are the duplicates consolidated after Madrid, each with its decision and rationale.
        var merged = diff.GetProperty("merged").EnumerateArray().ToList();
        Assert.Equal(5, merged.Count);
        Assert.All(merged, m =>
        {
            Assert.Equal("scope-2017-05-consolidation", m.GetProperty("decisionId").GetString());
            Assert.False(string.IsNullOrEmpty(m.GetProperty("rationale").GetString()));
        });

        var amendment = (await ShippedData.EntriesAsync(ledger, Id)).Single(e =>
            e.GetProperty("data").TryGetProperty("version", out var v) && v.GetString() == "4.0" && e.GetProperty("data").TryGetProperty("changes", out _));
        Assert.Equal("washington-2018", amendment.GetProperty("data").GetProperty("meetingId").GetString());
        Assert.Contains(amendment.GetProperty("data").GetProperty("changes").EnumerateArray(),
            c => c.GetString()!.Contains("(the elements that are within ICANN's authoritative scope)", StringComparison.Ordinal));
    }

    /// <summary>The areas the shipped file's scope decisions narrow (deferred, out of scope) and merge, read from the file itself.</summary>
    private static (HashSet<string> Narrowed, HashSet<string> Merged) ScopeMovesInTheFile()
    {
        var changes = File.ReadLines(Ssr2Data.File()).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("type").GetString() == "ScopeDecided")
            .SelectMany(l => l.GetProperty("data").GetProperty("changes").EnumerateArray())
            .Select(c => (Area: c.GetProperty("areaId").GetString()!, To: c.GetProperty("to").GetString()!)).ToList();
        return (changes.Where(c => c.To is "deferred" or "out-of-scope").Select(c => c.Area).ToHashSet(),
            changes.Where(c => c.To == "merged").Select(c => c.Area).ToHashSet());
    }

    [Fact]
    public async Task over_the_whole_review_the_diff_shows_every_area_narrowed_at_madrid_and_merged_after_it()
    {
        await ImportAsync();
        var (narrowed, merged) = ScopeMovesInTheFile();
        Assert.NotEmpty(narrowed);
        Assert.NotEmpty(merged);

        var diff = await Get($"/api/reviews/{Id}/scope/diff?from=2017-01-01T00:00:00Z&to=2024-01-01T00:00:00Z");

        Assert.Equal(narrowed.Order(), Ids(diff.GetProperty("narrowed")).Order());
        Assert.Equal(merged.Order(), Ids(diff.GetProperty("merged")).Order());
        // The key rollover was deferred at Madrid and brought into scope in September 2018: in both lists, with its path.
        var rollover = diff.GetProperty("widened").EnumerateArray().Single(a => a.GetProperty("areaId").GetString() == "ksk-rollover");
        Assert.Equal(["scope-2017-05-madrid", "scope-2018-09-ksk"],
            rollover.GetProperty("path").EnumerateArray().Select(s => s.GetProperty("decisionId").GetString()));

        // The review's page compares the whole review by default, with the same counts.
        var page = await ledger.Client().GetStringAsync($"/reviews/{Id}");
        Assert.Contains($"<span data-diff=\"narrowed\">{narrowed.Count} narrowed</span>", page);
        Assert.Contains($"<span data-diff=\"merged\">{merged.Count} merged</span>", page);
    }

    [Fact]
    public async Task the_scope_audit_of_the_whole_review_lists_every_narrowing_and_merge_with_its_decision()
    {
        await ImportAsync();
        var (narrowed, merged) = ScopeMovesInTheFile();

        var audit = await Get($"/api/reviews/{Id}/scope/audit");

        var areas = audit.GetProperty("decisions").EnumerateArray()
            .SelectMany(d => d.GetProperty("areas").EnumerateArray().Select(a => (Decision: d, Area: a))).ToList();
        Assert.Equal(narrowed.Concat(merged).Order(), areas.Select(a => a.Area.GetProperty("areaId").GetString()!).Order());
        Assert.Equal((narrowed.Count, merged.Count), (audit.GetProperty("narrowed").GetInt32(), audit.GetProperty("merged").GetInt32()));
        Assert.All(areas, a => Assert.False(string.IsNullOrEmpty(a.Decision.GetProperty("rationale").GetString())));
        var madrid = audit.GetProperty("decisions").EnumerateArray().Single(d => d.GetProperty("decisionId").GetString() == "scope-2017-05-madrid");
        Assert.Equal("held", madrid.GetProperty("meeting").GetProperty("status").GetString());
        Assert.Equal("3.0", madrid.GetProperty("termsOfReferenceInForce").GetString());
        // Every finding, if any, cites entries of this ledger.
        Assert.All(audit.GetProperty("findings").EnumerateArray(), f => Assert.NotEmpty(f.GetProperty("evidence").EnumerateArray()));
        Assert.Contains("## Narrowings and merges", await ledger.Client().GetStringAsync($"/api/reviews/{Id}/scope/audit?format=md"));
    }

    /// <summary>The page's table of the Board's disposition: each resolution's row shows the actions it took.</summary>
    [Fact]
    public async Task the_review_page_shows_the_boards_disposition_after_each_resolution()
    {
        await ImportAsync();
        var page = await ledger.Client().GetStringAsync($"/reviews/{Id}");
        static string Row(string html, string resolution)
        {
            var start = html.IndexOf($"data-resolution=\"{resolution}\"", StringComparison.Ordinal);
            Assert.True(start > 0, resolution);
            return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        }
        Assert.Contains("<td data-action=\"approved\">13</td>", Row(page, "2021.07.22.11-13"));
        Assert.Contains("<td data-action=\"rejected\">16</td>", Row(page, "2021.07.22.11-13"));
        Assert.Contains("<td data-action=\"pending\">34</td>", Row(page, "2021.07.22.11-13"));
        Assert.Contains("<td data-action=\"approved\">24</td>", Row(page, "board-2023-09-10"));
        Assert.Contains("<td data-action=\"pending\">1</td>", Row(page, "board-2023-09-10"));
    }

    [Fact]
    public async Task the_key_rollover_came_into_scope_on_13_september_2018()
    {
        await ImportAsync();
        var rollover = await Get($"/api/reviews/{Id}/scope/diff?from=washington-2018&to=2018-09-14T00:00:00Z");
        var widened = Assert.Single(rollover.GetProperty("widened").EnumerateArray());
        Assert.Equal(("ksk-rollover", "scope-2018-09-ksk"), (widened.GetProperty("areaId").GetString(), widened.GetProperty("decisionId").GetString()));

        var history = await Get($"/api/reviews/{Id}/areas/ksk-rollover/history");
        var steps = history.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["identified", "decided", "decided"], steps.Take(3).Select(s => s.GetProperty("relation").GetString()));
        Assert.Equal(steps.Select(s => s.GetProperty("effectiveAt").GetDateTimeOffset()).Order(), steps.Select(s => s.GetProperty("effectiveAt").GetDateTimeOffset()));
        Assert.All(steps, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("recordedBy").GetString())));

        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{Id}/areas/no-such-area/history"), 404);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{Id}/scope/diff?from=atlantis&to=washington-2018"), 404);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{Id}/scope/diff?from=madrid-2017"), 400);
    }

    [Fact]
    public async Task draft_report_comments_closed_on_20_march_2020_and_the_final_report_had_its_own_comment_period()
    {
        await ImportAsync();
        var inputs = (await ShippedData.EntriesAsync(ledger, Id))
            .Where(e => e.GetProperty("data").TryGetProperty("channel", out var c) && c.GetString() == "public-comment")
            .ToDictionary(e => e.GetProperty("data").GetProperty("inputId").GetString()!, e => e.GetProperty("effectiveAt").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2020-03-19T12:00:00Z"), inputs["ci-2020-03-sac110"]);
        var draftReport = DateTimeOffset.Parse("2020-01-24T00:00:00Z");
        var finalReport = DateTimeOffset.Parse("2021-01-25T12:00:00Z");
        Assert.All(inputs.Values.Where(at => at > draftReport && at < finalReport), at => Assert.True(at <= DateTimeOffset.Parse("2020-03-20T23:59:59Z")));
        Assert.Equal(DateTimeOffset.Parse("2021-03-09T23:59:00Z"), inputs["ci-2021-final-report-comment"]);
    }

    [Fact]
    public async Task the_state_as_of_madrid_has_the_areas_identified_there_and_none_of_the_later_decisions()
    {
        await ImportAsync();
        var madrid = await StateAsOf("madrid-2017");
        Assert.True(madrid.GetProperty("counts").GetProperty("areasInScope").GetInt32() >= 90);
        Assert.Equal(0, madrid.GetProperty("counts").GetProperty("areasMerged").GetInt32());
        Assert.Equal(0, madrid.GetProperty("recommendations").GetArrayLength());
        Assert.Equal("active", madrid.GetProperty("status").GetString());
        Assert.Contains("ksk-rollover", Ids(madrid.GetProperty("areas")));
    }
}
