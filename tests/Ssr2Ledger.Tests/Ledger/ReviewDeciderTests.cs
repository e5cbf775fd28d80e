using Ssr2Ledger.Board;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;
using Ssr2Ledger.Tests.Support;
using static Ssr2Ledger.Tests.Support.Given;

namespace Ssr2Ledger.Tests.Ledger;

public sealed class ReviewDeciderTests
{
    [Fact]
    public void nothing_but_a_charter_is_recorded_before_the_review_is_chartered()
    {
        var refusal = Assert.Single(Nothing().When(new TopicAreaAgreed("t", "T", "d") { EffectiveAt = Day(5, 1) }));
        Assert.Equal(404, refusal.Status);
        Assert.Empty(Nothing().When(new ReviewChartered(ReviewId, "SSR2", "m") { EffectiveAt = Day(2, 3) }));
    }

    [Fact]
    public void a_review_is_chartered_once_and_under_its_own_id()
    {
        Assert.Equal(409, Assert.Single(A_chartered_review().When(new ReviewChartered(ReviewId, "SSR2", "m") { EffectiveAt = Day(2, 3) })).Status);
        Assert.Equal("reviewId", Assert.Single(Nothing().When(new ReviewChartered("other", "X", "m") { EffectiveAt = Day(2, 3) })).Field);
    }

    [Fact]
    public void a_review_pauses_when_active_and_resumes_when_paused()
    {
        var paused = A_chartered_review().And(new ReviewPaused("Board letter") { EffectiveAt = Day(10, 28) });
        Assert.Equal(409, Assert.Single(paused.When(new ReviewPaused("again") { EffectiveAt = Day(11, 1) })).Status);
        Assert.Empty(paused.When(new ReviewResumed("Restart") { EffectiveAt = Day(6, 7, 2018) }));
        Assert.Equal(409, Assert.Single(A_chartered_review().When(new ReviewResumed("x") { EffectiveAt = Day(6, 7, 2018) })).Status);
        Assert.Equal(ReviewStatus.Paused, paused.State()!.Status);
    }

    [Fact]
    public void a_meeting_ends_after_it_starts_and_is_held_or_cancelled_once()
    {
        var given = A_chartered_review();
        Assert.Equal("endsAt", Assert.Single(given.When(new MeetingScheduled("Madrid", MeetingFormat.FaceToFace, "Madrid", Day(5, 15), Day(5, 14)) { EffectiveAt = Day(4, 1), MeetingId = "madrid" })).Field);
        var held = given
            .And(new MeetingScheduled("Madrid", MeetingFormat.FaceToFace, "Madrid", Day(5, 14), Day(5, 15)) { EffectiveAt = Day(4, 1), MeetingId = "madrid" })
            .And(new MeetingHeld([], 3) { EffectiveAt = Day(5, 15), MeetingId = "madrid" });
        Assert.Equal(409, Assert.Single(held.When(new MeetingCancelled("late") { EffectiveAt = Day(5, 16), MeetingId = "madrid" })).Status);
        Assert.Equal("meetingId", Assert.Single(held.When(new StaffBriefingReceived("OCTO", "x") { EffectiveAt = Day(5, 16), MeetingId = "nowhere" })).Field);
        Assert.Equal("attendees[0]", Assert.Single(given
            .And(new MeetingScheduled("Call", MeetingFormat.Teleconference, "Zoom", Day(3, 2), Day(3, 2)) { EffectiveAt = Day(3, 1), MeetingId = "call" })
            .When(new MeetingHeld(["ghost"], 0) { EffectiveAt = Day(3, 2), MeetingId = "call" })).Field);
    }

    [Fact]
    public void terms_of_reference_are_amended_from_and_adopted_as_known_versions()
    {
        var drafted = A_chartered_review().And(new TermsOfReferenceDrafted("1.0", "ToR", "first") { EffectiveAt = Day(4, 1) });
        Assert.Equal("basedOn", Assert.Single(drafted.When(new TermsOfReferenceAmended("1.1", "0.9", ["x"], "r") { EffectiveAt = Day(4, 2) })).Field);
        Assert.Equal("version", Assert.Single(drafted.When(new TermsOfReferenceAdopted("2.0", DecisionMethod.Consensus) { EffectiveAt = Day(4, 2) })).Field);
        var adopted = drafted.And(new TermsOfReferenceAdopted("1.0", DecisionMethod.Consensus) { EffectiveAt = Day(5, 2) });
        Assert.Equal(409, Assert.Single(adopted.When(new TermsOfReferenceAdopted("1.0", DecisionMethod.Vote) { EffectiveAt = Day(5, 3) })).Status);
        Assert.Equal("1.0", adopted.State()!.AdoptedTermsOfReference);
    }

    [Fact]
    public void a_delivery_answers_a_known_resolution_with_a_known_version()
    {
        var given = A_chartered_review()
            .And(new BoardResolutionRecorded("2017.02.03.11", "SSR2", "ToR due") { EffectiveAt = Day(2, 3) })
            .And(new TermsOfReferenceDrafted("3.0", "ToR", "v3") { EffectiveAt = Day(4, 29) });
        Assert.Empty(given.When(new DeliveredToBoard("tor", Deliverable.TermsOfReference, "3.0", "2017.02.03.11") { EffectiveAt = Day(5, 10) }));
        Assert.Equal("inResponseTo", Assert.Single(given.When(new DeliveredToBoard("tor", Deliverable.TermsOfReference, "3.0", "2099.01.01.01") { EffectiveAt = Day(5, 10) })).Field);
        Assert.Equal("version", Assert.Single(given.When(new DeliveredToBoard("tor", Deliverable.TermsOfReference, "9.9") { EffectiveAt = Day(5, 10) })).Field);
    }

    [Fact]
    public void a_withdrawn_recommendation_is_not_adopted_and_the_board_acts_on_known_ones()
    {
        var given = A_chartered_review()
            .And(new RecommendationDrafted("rec-1", "Do X", "text", []) { EffectiveAt = Day(1, 1, 2020) })
            .And(new RecommendationWithdrawn("rec-1", "duplicate") { EffectiveAt = Day(2, 1, 2020) })
            .And(new BoardResolutionRecorded("2021.07.22.11", "Action", "acted") { EffectiveAt = Day(7, 22, 2021) });
        Assert.Equal(409, Assert.Single(given.When(new RecommendationAdopted("rec-1", "full consensus") { EffectiveAt = Day(3, 1, 2020) })).Status);
        Assert.Equal("recommendationId", Assert.Single(given.When(new BoardActedOnRecommendation("rec-9", BoardAction.Approved, "2021.07.22.11") { EffectiveAt = Day(7, 22, 2021) })).Field);
        Assert.Equal("resolutionId", Assert.Single(given.When(new BoardActedOnRecommendation("rec-1", BoardAction.Approved, "x") { EffectiveAt = Day(7, 22, 2021) })).Field);
    }

    [Fact]
    public void a_member_departs_once_and_roles_change_only_while_serving()
    {
        var departed = A_chartered_review()
            .And(new MemberAppointed("ann", "Ann", "ccNSO", MemberRole.Member) { EffectiveAt = Day(2, 14) })
            .And(new MemberDeparted("ann", "resigned") { EffectiveAt = Day(6, 1) });
        Assert.Equal(409, Assert.Single(departed.When(new MemberDeparted("ann", "again") { EffectiveAt = Day(6, 2) })).Status);
        Assert.Equal(409, Assert.Single(departed.When(new MemberRoleChanged("ann", MemberRole.Chair) { EffectiveAt = Day(6, 2) })).Status);
        Assert.Equal(409, Assert.Single(departed.When(new MemberAppointed("ann", "Ann", "ccNSO", MemberRole.Member) { EffectiveAt = Day(6, 2) })).Status);
    }
}
