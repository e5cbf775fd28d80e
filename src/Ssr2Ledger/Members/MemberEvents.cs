using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Members;

[JsonConverter(typeof(KebabCaseEnumConverter<MemberRole>))]
public enum MemberRole { Chair, ViceChair, Member, BoardLiaison }

public sealed record MemberAppointed(string MemberId, string Name, string AppointedBy, MemberRole Role) : ReviewEvent;

public sealed record MemberRoleChanged(string MemberId, MemberRole Role) : ReviewEvent;

public sealed record MemberDeparted(string MemberId, string Reason) : ReviewEvent;
