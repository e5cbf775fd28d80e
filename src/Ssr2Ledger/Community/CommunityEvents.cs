using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Community;

[JsonConverter(typeof(KebabCaseEnumConverter<InputChannel>))]
public enum InputChannel { MailingList, PublicComment, Meeting, Survey }

/// <summary>What the input asks of the areas it names, when it says: the scope audit flags a narrowing it argued against.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<InputPosition>))]
public enum InputPosition { KeepInScope, TakeOutOfScope }

public sealed record CommunityInputReceived(string InputId, InputChannel Channel, string From, string Summary,
    IReadOnlyList<string>? AreaIds = null, InputPosition? Position = null) : ReviewEvent;
