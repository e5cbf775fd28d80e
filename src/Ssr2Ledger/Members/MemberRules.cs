using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Members;

public static class MemberRules
{
    private static readonly TimelineWording TeamChange =
        new TimelineWording.Omitted("The team's make-up is in the state and the meetings' attendance, not a decision.");

    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<MemberAppointed>("members", "Appoint a member to the review team", Appoint, (s, e) => s.On(e), TeamChange),
        EventKind.For<MemberRoleChanged>("member-role-changes", "Change a member's role", ChangeRole, (s, e) => s.On(e), TeamChange),
        EventKind.For<MemberDeparted>("member-departures", "Record a member's departure", Depart, (s, e) => s.On(e), TeamChange),
    ];

    public static IEnumerable<Refusal> Appoint(ReviewState state, MemberAppointed e) =>
        Checks.Unique(state.Members, e.MemberId, "memberId", "Member");

    public static IEnumerable<Refusal> ChangeRole(ReviewState state, MemberRoleChanged e) => Serving(state, e.MemberId);

    public static IEnumerable<Refusal> Depart(ReviewState state, MemberDeparted e) => Serving(state, e.MemberId);

    private static IEnumerable<Refusal> Serving(ReviewState state, string memberId)
    {
        if (!state.Members.TryGetValue(memberId, out var member)) yield return Refusal.Unknown("memberId", "Member", memberId);
        else if (!member.Active) yield return Refusal.Conflict($"Member '{memberId}' has already departed.", "memberId");
    }
}
