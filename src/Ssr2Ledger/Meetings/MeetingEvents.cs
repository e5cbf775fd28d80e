using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Meetings;

[JsonConverter(typeof(KebabCaseEnumConverter<MeetingFormat>))]
public enum MeetingFormat { FaceToFace, Teleconference, Hybrid }

// MeetingId is inherited from ReviewEvent and required by these events' rules.
public sealed record MeetingScheduled(string Title, MeetingFormat Format, string Location,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt) : ReviewEvent;

public sealed record MeetingHeld(IReadOnlyList<string> Attendees, int Observers) : ReviewEvent;

public sealed record MeetingCancelled(string Reason) : ReviewEvent;

public sealed record StaffBriefingReceived(string By, string Topic) : ReviewEvent;
