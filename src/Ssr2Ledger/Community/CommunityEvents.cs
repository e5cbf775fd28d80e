using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Community;

[JsonConverter(typeof(KebabCaseEnumConverter<InputChannel>))]
public enum InputChannel { MailingList, PublicComment, Meeting, Survey }

public sealed record CommunityInputReceived(string InputId, InputChannel Channel, string From, string Summary,
    IReadOnlyList<string>? AreaIds = null) : ReviewEvent;
