using System.Text.Json;
using Ssr2Ledger.Board;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Tests.Timeline;

/// <summary>Golden exports of a small fixed review whose text is full of what breaks formats.</summary>
public sealed class TimelineExportTests
{
    private static readonly DateTimeOffset Recorded = new(2024, 1, 2, 9, 30, 0, TimeSpan.Zero);

    public static DecisionTimeline SmallReview()
    {
        var events = new List<ReviewEvent>
        {
            new ReviewChartered("tiny", "Tiny review, \"quoted\" & <b>bold</b>", "Bylaws 4.6(c)") { EffectiveAt = At(2, 3) },
            new MeetingScheduled("Madrid, Spain", MeetingFormat.FaceToFace, "Madrid", At(5, 14), At(5, 15)) { EffectiveAt = At(4, 1), MeetingId = "madrid" },
            new TopicAreaAgreed("t", "Topic *one*", "d") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a1", "Root zone", "t") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a2", "Abuse, \"DNS\"", "t") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a3", "Key rollover", "t") { EffectiveAt = At(5, 14) },
            new ScopeDecided("d-1", [new AreaChange("a1", ScopeStatus.InScope), new AreaChange("a2", ScopeStatus.InScope), new AreaChange("a3", ScopeStatus.InScope)],
                "All three, agreed.", "ToR section 3", DecisionMethod.Consensus) { EffectiveAt = At(5, 15), MeetingId = "madrid", Source = "https://example.org/minutes?a=1&b=2" },
            new ScopeDecided("d-2", [new AreaChange("a2", ScopeStatus.OutOfScope), new AreaChange("a3", ScopeStatus.Merged, "a1")],
                "Narrowed: <script>alert('x')</script>, \"quotes\",\nand a second line | with a pipe # and *stars*", "Bylaws 4.6(c)(ii)", DecisionMethod.Vote)
                { EffectiveAt = At(6, 26), Supersedes = "d-1",
                  Source = "https://example.org/minutes/2017-06-26 (item 3; see https://example.org/a_(b)_c*d*.)" },
            new TermsOfReferenceDrafted("1.0", "ToR", "=SUM(A1:A2) starts like a formula") { EffectiveAt = At(4, 29) },
            new TermsOfReferenceAdopted("1.0", DecisionMethod.FullConsensus) { EffectiveAt = At(5, 2) },
            new BoardResolutionRecorded("2017.02.03.11", "Appointment", "ToR due by 30 March") { EffectiveAt = At(2, 3) },
            new DeliveredToBoard("del-1", Deliverable.TermsOfReference, "1.0", "2017.02.03.11") { EffectiveAt = At(5, 3) },
        };
        var entries = events.Select((e, i) => new LedgerEntry(e, Meta(i + 1))).ToList();
        // A late correction of the decision's basis, and a retraction of the delivery.
        entries.Add(new LedgerEntry(new EntryCorrected(entries[6].Meta.EventId, "Wrong section cited",
            JsonSerializer.SerializeToElement(new { basis = "ToR section 4" })) { EffectiveAt = At(7, 1) }, Meta(13)));
        entries.Add(new LedgerEntry(new EntryRetracted(entries[11].Meta.EventId, "Recorded twice") { EffectiveAt = At(7, 1) }, Meta(14)));
        return DecisionTimeline.Build("tiny", entries, LedgerSetup.Json());
    }

    private static DateTimeOffset At(int month, int day) => new(2017, month, day, 12, 0, 0, TimeSpan.Zero);

    private static EntryMeta Meta(int version) =>
        new(new Guid($"00000000-0000-0000-0000-{version:000000000000}"), version, 100 + version, Recorded.AddMinutes(version), "secretariat",
            new string((char)('a' + version % 6), 64));

    [Theory]
    [InlineData("md")]
    [InlineData("html")]
    [InlineData("csv")]
    public void the_export_matches_its_golden_file(string format)
    {
        var actual = TimelineFormats.Render(SmallReview(), format);
        var golden = Path.Combine(GoldenDirectory(), $"tiny.{format}");
        if (!File.Exists(golden))
        {
            File.WriteAllText(golden + ".actual", actual);
            Assert.Fail($"No golden file {golden}; wrote {golden}.actual to review.");
        }
        Assert.Equal(File.ReadAllText(golden), actual);
    }

    [Fact]
    public void user_text_is_never_markup()
    {
        var timeline = SmallReview();
        var html = TimelineFormats.Html(timeline);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        var md = TimelineFormats.Markdown(timeline);
        Assert.DoesNotContain("<script>", md);
        Assert.Contains(@"\*stars\*", md);
        Assert.DoesNotContain("\nand a second line", md);
    }

    [Fact]
    public void csv_quotes_commas_quotes_and_line_breaks_and_defuses_formulas()
    {
        var csv = TimelineFormats.Csv(SmallReview());
        var rows = ParseCsv(csv);
        Assert.All(rows, r => Assert.Equal(15, r.Count));
        var narrowing = rows.Single(r => r[3].Contains("(decision d-2", StringComparison.Ordinal));
        Assert.Equal("Narrowed: <script>alert('x')</script>, \"quotes\",\nand a second line | with a pipe # and *stars*", narrowing[4]);
        Assert.Contains(rows, r => r[4] == "'=SUM(A1:A2) starts like a formula");
        Assert.EndsWith("\r\n", csv);
        Assert.Contains("head hash", rows[^1][3]);
    }

    [Fact]
    public void corrections_and_retractions_stand_beside_what_they_correct()
    {
        var timeline = SmallReview();
        var decision = timeline.Entries.Single(e => e.Title.Contains("(decision d-1)", StringComparison.Ordinal));
        Assert.Equal("ToR section 4", decision.Basis);
        Assert.Contains(decision.Errata, x => x.Kind == "correction" && x.Reason == "Wrong section cited");
        var delivery = timeline.Entries.Single(e => e.Title.StartsWith("Delivered", StringComparison.Ordinal));
        Assert.True(delivery.Retracted);
        Assert.Equal("Scope: 2 areas: 1 narrowed, 1 merged (decision d-2, superseding d-1)",
            timeline.Entries.Single(e => e.Title.Contains("d-2", StringComparison.Ordinal)).Title);
        Assert.Equal("Scope: 3 areas of interest identified", timeline.Entries.Single(e => e.Title.Contains("identified", StringComparison.Ordinal)).Title);
        Assert.Equal(timeline.Entries.OrderBy(e => e.Date).Select(e => e.Version), timeline.Entries.Select(e => e.Version));
    }

    /// <summary>A minimal RFC 4180 reader, to prove the file parses back to the same cells.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++; }
            else cell.Append(c);
        }
        return rows;
    }

    private static string GoldenDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "Timeline", "Golden"))) return Path.Combine(dir.FullName, "Timeline", "Golden");
        throw new DirectoryNotFoundException("Timeline/Golden");
    }
}
