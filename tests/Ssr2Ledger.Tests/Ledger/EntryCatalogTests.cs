using System.Text.Json;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;
using Ssr2Ledger.Tests.Support;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>One entry catalog: every kind registered once, and every kind folded and described.</summary>
public sealed class EntryCatalogTests
{
    [Fact]
    public void every_kind_of_entry_the_ledger_defines_is_registered_once()
    {
        var defined = typeof(ReviewEvent).Assembly.GetTypes()
            .Where(t => typeof(ReviewEvent).IsAssignableFrom(t) && !t.IsAbstract).ToHashSet();
        var registered = EventCatalog.All.Select(k => k.ClrType).ToList();

        Assert.Equal(defined.OrderBy(t => t.Name), registered.Distinct().OrderBy(t => t.Name));
        Assert.Equal(registered.Count, registered.Distinct().Count());
        Assert.Equal(EventCatalog.All.Count, EventCatalog.All.Select(k => k.Route).Distinct().Count());
        Assert.Equal(EventCatalog.All.Count, EventCatalog.All.Select(k => k.Type).Distinct().Count());
    }

    [Fact]
    public void every_kind_has_a_generated_json_contract_the_same_as_reflections()
    {
        var reflection = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        reflection.MakeReadOnly();
        foreach (var kind in EventCatalog.All)
        {
            var generated = EntryJsonContext.Default.GetTypeInfo(kind.ClrType);
            Assert.True(generated is not null, $"{kind.Type} is missing from EntryJsonContext");
            Assert.Equal(reflection.GetTypeInfo(kind.ClrType).Properties.Select(p => (p.Name, p.PropertyType, p.IsRequired)),
                generated.Properties.Select(p => (p.Name, p.PropertyType, p.IsRequired)));
        }
    }

    [Fact]
    public void a_kind_with_no_timeline_line_says_why()
    {
        foreach (var kind in EventCatalog.All)
            if (kind.Timeline is TimelineWording.Omitted omitted)
                Assert.False(string.IsNullOrWhiteSpace(omitted.Why), kind.Type);
    }

    [Fact]
    public void every_kind_but_the_corrective_ones_changes_the_state_it_is_folded_onto()
    {
        ReviewState? state = null;
        foreach (var entry in History())
        {
            var next = EventCatalog.KindOf(entry.Event).Fold(state, entry.Event);
            if (entry.Event is CorrectiveEntry) Assert.Same(state, next);
            else Assert.True(next is not null && !ReferenceEquals(next, state), $"{entry.Event.GetType().Name} folded nothing");
            state = ReviewState.Fold(state, entry.Event, entry.Meta);
        }
        var kinds = History().Select(e => e.Event.GetType()).ToHashSet();
        Assert.All(EventCatalog.All, k => Assert.Contains(k.ClrType, kinds));
    }

    [Fact]
    public void every_kind_with_a_timeline_wording_appears_in_the_timeline_as_it_says()
    {
        var history = History();
        var timeline = DecisionTimeline.Build("catalog", history, LedgerSetup.Json());
        var lines = timeline.Entries.Select(e => e.EventId).ToHashSet();
        var errata = timeline.Entries.SelectMany(e => e.Errata).Select(e => e.EventId).ToHashSet();

        foreach (var kind in EventCatalog.All)
        {
            var ids = history.Where(e => e.Event.GetType() == kind.ClrType).Select(e => e.Meta.EventId).ToList();
            switch (kind.Timeline)
            {
                case TimelineWording.Line or TimelineWording.Bulk:
                    Assert.True(ids.Any(lines.Contains), $"{kind.Type} has no line in the timeline");
                    break;
                case TimelineWording.Errata:
                    Assert.True(ids.All(errata.Contains), $"{kind.Type} is not shown as an erratum");
                    break;
                case TimelineWording.Omitted:
                    Assert.False(ids.Any(lines.Contains), $"{kind.Type} says it is no line, yet is one");
                    break;
                default:
                    Assert.Fail($"{kind.Type} has no timeline wording");
                    break;
            }
        }
    }

    [Fact]
    public void the_kinds_that_touch_an_area_name_it_in_its_history()
    {
        var history = AreaHistory.Of("a1", History(), Given.Catalog);
        var relations = history.Select(s => s.Relation).ToHashSet();
        foreach (var relation in new[] { "identified", "decided", "merged-into-this", "assigned-to-subteam", "cited-by-recommendation",
                     "community-input", "corrected" })
            Assert.Contains(relation, relations);
    }

    /// <summary>A small review with at least one entry of every kind, in valid-time order.</summary>
    private static List<LedgerEntry> History()
    {
        var events = new List<ReviewEvent>
        {
            new ReviewChartered("catalog", "Catalog review", "Bylaws 4.6(c)") { EffectiveAt = At(2, 3) },
            new BoardResolutionRecorded("2017.02.03.11", "Appointment", "ToR due") { EffectiveAt = At(2, 3, 1) },
            new MemberAppointed("ann", "Ann", "ccNSO", MemberRole.Member) { EffectiveAt = At(2, 14) },
            new MemberAppointed("bob", "Bob", "GAC", MemberRole.Member) { EffectiveAt = At(2, 14, 1) },
            new MemberRoleChanged("ann", MemberRole.Chair) { EffectiveAt = At(3, 30) },
            new MemberDeparted("bob", "Resigned") { EffectiveAt = At(4, 1) },
            new MeetingScheduled("Madrid", MeetingFormat.FaceToFace, "Madrid", At(5, 14), At(5, 15)) { EffectiveAt = At(4, 2), MeetingId = "madrid" },
            new MeetingScheduled("Call", MeetingFormat.Teleconference, "Online", At(6, 1), At(6, 1, 1)) { EffectiveAt = At(4, 2, 1), MeetingId = "call" },
            new TermsOfReferenceDrafted("1.0", "ToR", "First draft") { EffectiveAt = At(4, 29) },
            new TermsOfReferenceAmended("1.1", "1.0", ["Scope narrowed"], "Focus") { EffectiveAt = At(5, 2) },
            new TermsOfReferenceAdopted("1.1", DecisionMethod.Consensus) { EffectiveAt = At(5, 3) },
            new WorkPlanAdopted("1", [new WorkPlanItem("w1", "Draft report", new DateOnly(2018, 1, 31))]) { EffectiveAt = At(5, 3, 1) },
            new DeliveredToBoard("del-tor", Deliverable.TermsOfReference, "1.1", "2017.02.03.11") { EffectiveAt = At(5, 4) },
            new TopicAreaAgreed("t", "ICANN SSR", "d") { EffectiveAt = At(5, 14) },
            new AreaOfInterestIdentified("a1", "Root zone", "t") { EffectiveAt = At(5, 14, 1), MeetingId = "madrid" },
            new AreaOfInterestIdentified("a2", "Abuse", "t") { EffectiveAt = At(5, 14, 1), MeetingId = "madrid" },
            new StaffBriefingReceived("Office of the CTO", "Identifier security") { EffectiveAt = At(5, 14, 2), MeetingId = "madrid" },
            new ScopeDecided("d1", [new AreaChange("a1", ScopeStatus.InScope)], "Core", "ToR 3", DecisionMethod.Consensus)
                { EffectiveAt = At(5, 15), MeetingId = "madrid" },
            new ScopeDecided("d2", [new AreaChange("a2", ScopeStatus.Merged, "a1")], "Overlap", "ToR 3", DecisionMethod.Vote, "d1")
                { EffectiveAt = At(5, 15, 1), MeetingId = "madrid" },
            new MeetingHeld(["ann"], 4) { EffectiveAt = At(5, 15, 2), MeetingId = "madrid" },
            new MeetingCancelled("No quorum") { EffectiveAt = At(5, 30), MeetingId = "call" },
            new SubteamFormed("st1", "ICANN SSR", ["ann"], "ann") { EffectiveAt = At(5, 16) },
            new AreasAssignedToSubteam("st1", ["a1"]) { EffectiveAt = At(5, 16, 1) },
            new CommunityInputReceived("in1", InputChannel.MailingList, "A commenter", "Look at abuse", ["a1"]) { EffectiveAt = At(6, 2) },
            new RecommendationDrafted("rec-1", "Do X", "ICANN should do X", ["a1"], "st1") { EffectiveAt = At(7, 1) },
            new RecommendationDrafted("rec-2", "Do Y", "ICANN should do Y", ["a1"]) { EffectiveAt = At(7, 1) },
            new RecommendationRevised("rec-1", "ICANN should do X soon", "Deadline") { EffectiveAt = At(7, 2) },
            new RecommendationAdopted("rec-1", "full consensus") { EffectiveAt = At(7, 3) },
            new RecommendationWithdrawn("rec-2", "Duplicate") { EffectiveAt = At(7, 3, 1) },
            new SubteamDissolved("st1", "Folded into plenary") { EffectiveAt = At(7, 4) },
            new BoardResolutionRecorded("pause-1", "Pause", "Paused", "pause-review") { EffectiveAt = At(10, 28) },
            new ReviewPaused("Board paused", "pause-1") { EffectiveAt = At(10, 28, 1) },
            new ReviewResumed("Restarted") { EffectiveAt = At(11, 2) },
            new DeliveredToBoard("final", Deliverable.FinalReport) { EffectiveAt = At(12, 1) },
            new BoardResolutionRecorded("2017.12.20.01", "Action", "Acted") { EffectiveAt = At(12, 20) },
            new BoardActedOnRecommendation("rec-1", BoardAction.Approved, "2017.12.20.01") { EffectiveAt = At(12, 20, 1) },
        };
        var entries = events.Select((e, i) => new LedgerEntry(e, Meta(i + 1))).ToList();
        var area = entries.Single(e => e.Event is AreaOfInterestIdentified { AreaId: "a1" });
        var topic = entries.Single(e => e.Event is TopicAreaAgreed);
        entries.Add(new LedgerEntry(new EntryCorrected(area.Meta.EventId, "Typo",
            JsonSerializer.SerializeToElement(new { title = "Root zone management" })) { EffectiveAt = At(12, 21) }, Meta(entries.Count + 1)));
        entries.Add(new LedgerEntry(new EntryRetracted(topic.Meta.EventId, "Wrong review") { EffectiveAt = At(12, 21) }, Meta(entries.Count + 1)));
        return entries;
    }

    private static DateTimeOffset At(int month, int day, int minute = 0) => new(2017, month, day, 12, minute, 0, TimeSpan.Zero);

    private static EntryMeta Meta(int version) =>
        new(new Guid($"00000000-0000-0000-0000-{version:000000000000}"), version, version, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            "secretariat", new string('a', 64));
}
