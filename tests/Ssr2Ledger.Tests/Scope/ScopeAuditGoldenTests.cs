using System.Text.Json;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.TermsOfReference;

namespace Ssr2Ledger.Tests.Scope;

/// <summary>The scope audit of a small fixed review, pinned as Markdown; its text is full of what breaks formats.</summary>
public sealed class ScopeAuditGoldenTests
{
    private static readonly DateTimeOffset Recorded = new(2024, 1, 2, 9, 30, 0, TimeSpan.Zero);

    public static ScopeAudit SmallAudit()
    {
        var events = new List<ReviewEvent>
        {
            new ReviewChartered("tiny", "Tiny review, \"quoted\" & <b>bold</b>", "Bylaws 4.6(c)") { EffectiveAt = At(2, 3) },
            new MemberAppointed("c1", "Chair *One*", "GNSO", MemberRole.Chair) { EffectiveAt = At(3, 1) },
            new MemberAppointed("m2", "Member <Two>", "ALAC", MemberRole.Member) { EffectiveAt = At(3, 1) },
            new MeetingScheduled("Madrid, Spain", MeetingFormat.FaceToFace, "Madrid", At(5, 14), At(5, 15)) { EffectiveAt = At(4, 1), MeetingId = "madrid" },
            new TermsOfReferenceDrafted("1.0", "ToR", "=SUM(A1:A2) starts like a formula") { EffectiveAt = At(4, 29) },
            new TermsOfReferenceAdopted("1.0", DecisionMethod.FullConsensus) { EffectiveAt = At(5, 2) },
            new MeetingHeld(["c1"], 2) { EffectiveAt = At(5, 14), MeetingId = "madrid" },
            new TopicAreaAgreed("t", "Topic *one*", "d") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a1", "Root zone", "t") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a2", "Abuse, \"DNS\"", "t") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a3", "Key rollover | pipe", "t") { EffectiveAt = At(5, 14) },
            new CommunityInputReceived("ci-1", InputChannel.MailingList, "A <b>constituency</b>", "Keep abuse in: https://example.org/x_(y).",
                ["a2"], InputPosition.KeepInScope) { EffectiveAt = At(5, 14) },
            new ScopeDecided("d-1", [new AreaChange("a1", ScopeStatus.InScope), new AreaChange("a2", ScopeStatus.InScope), new AreaChange("a3", ScopeStatus.InScope)],
                "All three, agreed.", "ToR 1.0", DecisionMethod.Consensus) { EffectiveAt = At(5, 15), MeetingId = "madrid" },
            new ScopeDecided("d-2", [new AreaChange("a2", ScopeStatus.OutOfScope), new AreaChange("a3", ScopeStatus.Merged, "a1")],
                "Narrowed: <script>alert('x')</script>, \"quotes\",\nand a second line | with a pipe # and *stars*", "Bylaws 4.6(c)(ii)",
                DecisionMethod.Vote) { EffectiveAt = At(6, 26), Supersedes = "d-1", Source = "https://example.org/minutes/2017-06-26 (item 3)" },
            new DeliveredToBoard("dr-1", Deliverable.DraftReport) { EffectiveAt = At(7, 1) },
        };
        var entries = events.Select((e, i) => new LedgerEntry(e, Meta(i + 1))).ToList();
        entries.Add(new LedgerEntry(new EntryCorrected(entries[13].Meta.EventId, "Rationale misquoted",
            JsonSerializer.SerializeToElement(new { rationale = "=HYPERLINK(\"x\") Duplicate of the root zone" })) { EffectiveAt = At(7, 15) }, Meta(16)));
        var cache = new ReviewCache("tiny");
        cache.Append(entries, LedgerSetup.Json());
        var (audit, refusal) = ScopeAudit.Ask(cache, null, null);
        Assert.Null(refusal);
        return audit!;
    }

    private static DateTimeOffset At(int month, int day) => new(2017, month, day, 12, 0, 0, TimeSpan.Zero);

    private static EntryMeta Meta(int version) =>
        new(new Guid($"00000000-0000-0000-0000-{version:000000000000}"), version, 100 + version, Recorded.AddMinutes(version), "secretariat",
            new string((char)('a' + version % 6), 64));

    [Fact]
    public void the_markdown_audit_of_a_small_review_matches_its_golden_file()
    {
        var actual = ScopeAuditFormats.Markdown(SmallAudit());
        var golden = Path.Combine(GoldenDirectory(), "tiny-audit.md");
        if (!File.Exists(golden))
        {
            File.WriteAllText(golden + ".actual", actual);
            Assert.Fail($"No golden file {golden}; wrote {golden}.actual to review.");
        }
        Assert.Equal(File.ReadAllText(golden), actual);
    }

    [Fact]
    public void the_small_review_is_flagged_for_its_basis_its_community_input_and_its_correction_after_the_draft_report()
    {
        var audit = SmallAudit();
        Assert.Equal([(FindingKind.ChangedAfterReportDelivered, "d-2"), (FindingKind.BasisNamesNoTermsOfReferenceInForce, "d-2"),
            (FindingKind.NarrowedAgainstCommunityInput, "d-2")], audit.Findings.Select(f => (f.Kind, f.DecisionId)));
        Assert.Equal((1, 1), (audit.Narrowed, audit.Merged));
    }

    [Fact]
    public void user_text_in_the_audit_is_never_markup()
    {
        var html = ScopeAuditFormats.Html(SmallAudit());
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>constituency", html);
        Assert.Contains("&lt;b&gt;constituency", html);
        Assert.Contains(",'=HYPERLINK(", ScopeAuditFormats.Csv(SmallAudit()).Replace("\"", ""));
    }

    [Fact]
    public void a_decision_retracted_after_the_final_report_is_still_audited_with_its_retraction_as_evidence()
    {
        var events = new List<ReviewEvent>
        {
            new ReviewChartered("tiny", "Tiny", "Bylaws 4.6(c)") { EffectiveAt = At(2, 3) },
            new TopicAreaAgreed("t", "Topic", "d") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a1", "Root zone", "t") { EffectiveAt = At(5, 14) },
            new ScopeDecided("d-1", [new AreaChange("a1", ScopeStatus.Deferred)], "Later", "ToR 1.0", DecisionMethod.Consensus)
                { EffectiveAt = At(6, 1) },
            new DeliveredToBoard("final", Deliverable.FinalReport) { EffectiveAt = At(9, 1) },
        };
        var entries = events.Select((e, i) => new LedgerEntry(e, Meta(i + 1))).ToList();
        entries.Add(new LedgerEntry(new EntryRetracted(entries[3].Meta.EventId, "Never decided") { EffectiveAt = At(10, 1) }, Meta(6)));
        var cache = new ReviewCache("tiny");
        cache.Append(entries, LedgerSetup.Json());

        var (audit, _) = ScopeAudit.Ask(cache, null, "2017-12-31T00:00:00Z");

        var decision = Assert.Single(audit!.Decisions);
        Assert.True(decision.Retracted);
        Assert.Equal((0, 0), (audit.Narrowed, audit.Merged));
        var finding = Assert.Single(audit.Findings);
        Assert.Equal(FindingKind.ChangedAfterReportDelivered, finding.Kind);
        Assert.Equal([entries[3].Meta.EventId, entries[4].Meta.EventId, entries[5].Meta.EventId], finding.Evidence.Select(e => e.EventId));
        Assert.Empty(ScopeDiff.Ask(cache, null, "2017-12-31T00:00:00Z").Item1!.Narrowed);
    }

    [Theory]
    [InlineData("ToR 3.0", "3.0")]
    [InlineData("Bylaws 4.6(c); ToR 3.0", "3.0")]
    [InlineData("terms of reference, version 1.1", "1.1")]
    [InlineData("Terms of Reference v4", "4")]
    [InlineData("ToR section 3", null)]
    [InlineData("Bylaws 4.6(c)(ii)", null)]
    public void a_basis_names_the_terms_of_reference_versions_it_cites(string basis, string? version) =>
        Assert.Equal(version is null ? [] : [version], ScopeAudit.VersionsNamed(basis));

    private static string GoldenDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "Scope", "Golden"))) return Path.Combine(dir.FullName, "Scope", "Golden");
        throw new DirectoryNotFoundException("Scope/Golden");
    }
}
