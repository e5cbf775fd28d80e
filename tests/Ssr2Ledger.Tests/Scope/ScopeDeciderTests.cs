using Ssr2Ledger.Ledger;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Tests.Support;
using static Ssr2Ledger.Tests.Support.Given;

namespace Ssr2Ledger.Tests.Scope;

public sealed class ScopeDeciderTests
{
    private static Given A_review_with_areas(params string[] areas) =>
        A_chartered_review()
            .And(new TopicAreaAgreed("icann-ssr", "ICANN internal security processes", "…") { EffectiveAt = Day(5, 14) })
            .And(areas.Select(a => (ReviewEvent)new AreaOfInterestIdentified(a, $"Area {a}", "icann-ssr") { EffectiveAt = Day(5, 14) }).ToArray());

    private static ScopeDecided Decision(string id, params IReadOnlyList<AreaChange> changes) =>
        new(id, changes, "Narrowed to what the Bylaws require", "Bylaws 4.6(c)", DecisionMethod.Consensus) { EffectiveAt = Day(5, 15) };

    [Fact]
    public void a_decision_about_known_areas_is_accepted() =>
        Assert.Empty(A_review_with_areas("a1", "a2").When(Decision("d1", new AreaChange("a1", ScopeStatus.InScope), new AreaChange("a2", ScopeStatus.Deferred))));

    [Fact]
    public void a_decision_about_an_unknown_area_is_refused()
    {
        var refusal = Assert.Single(A_review_with_areas("a1").When(Decision("d1", new AreaChange("a404", ScopeStatus.InScope))));
        Assert.Equal((400, "changes[0].areaId"), (refusal.Status, refusal.Field));
    }

    [Fact]
    public void a_decision_id_is_used_once()
    {
        var given = A_review_with_areas("a1").And(Decision("d1", new AreaChange("a1", ScopeStatus.InScope)));
        var refusal = Assert.Single(given.When(Decision("d1", new AreaChange("a1", ScopeStatus.OutOfScope))));
        Assert.Equal((409, "decisionId"), (refusal.Status, refusal.Field));
    }

    [Fact]
    public void merging_needs_another_existing_area()
    {
        var given = A_review_with_areas("a1", "a2");
        Assert.Equal("changes[0].mergedInto", Assert.Single(given.When(Decision("d1", new AreaChange("a1", ScopeStatus.Merged)))).Field);
        Assert.Equal("changes[0].mergedInto", Assert.Single(given.When(Decision("d1", new AreaChange("a1", ScopeStatus.Merged, "a1")))).Field);
        Assert.Equal("changes[0].mergedInto", Assert.Single(given.When(Decision("d1", new AreaChange("a1", ScopeStatus.Merged, "zz")))).Field);
        Assert.Equal("changes[0].mergedInto", Assert.Single(given.When(Decision("d1", new AreaChange("a1", ScopeStatus.InScope, "a2")))).Field);
        Assert.Empty(given.When(Decision("d1", new AreaChange("a1", ScopeStatus.Merged, "a2"))));
    }

    [Fact]
    public void an_area_listed_twice_in_one_decision_is_refused() =>
        Assert.Equal("changes[1]", Assert.Single(A_review_with_areas("a1").When(
            Decision("d1", new AreaChange("a1", ScopeStatus.InScope), new AreaChange("a1", ScopeStatus.OutOfScope)))).Field);

    [Fact]
    public void superseding_names_an_earlier_decision()
    {
        var given = A_review_with_areas("a1").And(Decision("d1", new AreaChange("a1", ScopeStatus.InScope)));
        Assert.Empty(given.When(Decision("d2", new AreaChange("a1", ScopeStatus.OutOfScope)) with { Supersedes = "d1" }));
        Assert.Equal("supersedes", Assert.Single(given.When(Decision("d2", new AreaChange("a1", ScopeStatus.OutOfScope)) with { Supersedes = "d0" })).Field);
    }

    [Fact]
    public void a_decision_effective_before_its_area_was_identified_is_refused() =>
        Assert.Equal("changes[0].areaId", Assert.Single(A_review_with_areas("a1").When(
            Decision("d1", new AreaChange("a1", ScopeStatus.InScope)) with { EffectiveAt = Day(3, 1) })).Field);

    [Fact]
    public void an_area_needs_a_known_topic_and_a_new_id()
    {
        var given = A_review_with_areas("a1");
        Assert.Equal("topicId", Assert.Single(given.When(new AreaOfInterestIdentified("a2", "x", "nope") { EffectiveAt = Day(6, 1) })).Field);
        Assert.Equal(409, Assert.Single(given.When(new AreaOfInterestIdentified("a1", "x", "icann-ssr") { EffectiveAt = Day(6, 1) })).Status);
    }

    [Fact]
    public void a_subteam_is_made_of_members_and_takes_areas_while_active()
    {
        var given = A_review_with_areas("a1")
            .And(new Ssr2Ledger.Members.MemberAppointed("ann", "Ann", "ccNSO", Ssr2Ledger.Members.MemberRole.Member) { EffectiveAt = Day(2, 14) });
        Assert.Equal("members[1]", Assert.Single(given.When(new SubteamFormed("st", "ICANN SSR", ["ann", "ghost"]) { EffectiveAt = Day(6, 1) })).Field);
        Assert.Equal("rapporteur", Assert.Single(given.When(new SubteamFormed("st", "ICANN SSR", ["ann"], "bob") { EffectiveAt = Day(6, 1) })).Field);

        var formed = given.And(new SubteamFormed("st", "ICANN SSR", ["ann"]) { EffectiveAt = Day(6, 1) });
        Assert.Empty(formed.When(new AreasAssignedToSubteam("st", ["a1"]) { EffectiveAt = Day(6, 2) }));
        var dissolved = formed.And(new SubteamDissolved("st", "Folded into plenary") { EffectiveAt = Day(8, 30, 2018) });
        Assert.Equal(409, Assert.Single(dissolved.When(new AreasAssignedToSubteam("st", ["a1"]) { EffectiveAt = Day(9, 1, 2018) })).Status);
    }

    [Fact]
    public void narrowing_an_area_folds_into_its_status_and_last_decision()
    {
        var state = A_review_with_areas("a1", "a2")
            .And(Decision("d1", new AreaChange("a1", ScopeStatus.InScope), new AreaChange("a2", ScopeStatus.InScope)))
            .And(Decision("d2", new AreaChange("a2", ScopeStatus.Merged, "a1")) with { EffectiveAt = Day(6, 1) })
            .State()!;
        Assert.Equal(ScopeStatus.InScope, state.Areas["a1"].Status);
        Assert.Equal((ScopeStatus.Merged, "a1", "d2"), (state.Areas["a2"].Status, state.Areas["a2"].MergedInto, state.Areas["a2"].LastDecisionId));
    }
}
