using System.Collections.Immutable;
using Ssr2Ledger.Members;

namespace Ssr2Ledger.Ledger;

public sealed record Member(string MemberId, string Name, string AppointedBy, MemberRole Role,
    DateTimeOffset AppointedAt, bool Active = true, string? DepartureReason = null, DateTimeOffset? DepartedAt = null);

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, Member> Members { get; init; } = ImmutableDictionary<string, Member>.Empty;

    internal ReviewState On(MemberAppointed e) =>
        this with { Members = Members.SetItem(e.MemberId, new Member(e.MemberId, e.Name, e.AppointedBy, e.Role, e.EffectiveAt)) };

    internal ReviewState On(MemberRoleChanged e) => UpdateMember(e.MemberId, m => m with { Role = e.Role });

    internal ReviewState On(MemberDeparted e) =>
        UpdateMember(e.MemberId, m => m with { Active = false, DepartureReason = e.Reason, DepartedAt = e.EffectiveAt });

    private ReviewState UpdateMember(string memberId, Func<Member, Member> change) =>
        Members.TryGetValue(memberId, out var member) ? this with { Members = Members.SetItem(memberId, change(member)) } : this;
}
