using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Ssr2Ledger.Meetings;

namespace Ssr2Ledger.Ledger;

[JsonConverter(typeof(KebabCaseEnumConverter<MeetingStatus>))]
public enum MeetingStatus { Scheduled, Held, Cancelled }

public sealed record StaffBriefing(string By, string Topic, DateTimeOffset ReceivedAt);

public sealed record Meeting(string MeetingId, string Title, MeetingFormat Format, string Location,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, MeetingStatus Status = MeetingStatus.Scheduled)
{
    public IReadOnlyList<string> Attendees { get; init; } = [];
    public int Observers { get; init; }
    public string? CancellationReason { get; init; }
    public ImmutableList<StaffBriefing> Briefings { get; init; } = [];
}

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, Meeting> Meetings { get; init; } = ImmutableDictionary<string, Meeting>.Empty;

    internal ReviewState On(MeetingScheduled e) => this with
    {
        Meetings = Meetings.SetItem(e.MeetingId!, new Meeting(e.MeetingId!, e.Title, e.Format, e.Location, e.StartsAt, e.EndsAt)),
    };

    internal ReviewState On(MeetingHeld e) =>
        UpdateMeeting(e.MeetingId, m => m with { Status = MeetingStatus.Held, Attendees = e.Attendees, Observers = e.Observers });

    internal ReviewState On(MeetingCancelled e) =>
        UpdateMeeting(e.MeetingId, m => m with { Status = MeetingStatus.Cancelled, CancellationReason = e.Reason });

    internal ReviewState On(StaffBriefingReceived e) =>
        UpdateMeeting(e.MeetingId, m => m with { Briefings = m.Briefings.Add(new StaffBriefing(e.By, e.Topic, e.EffectiveAt)) });

    private ReviewState UpdateMeeting(string? meetingId, Func<Meeting, Meeting> change) =>
        meetingId is not null && Meetings.TryGetValue(meetingId, out var meeting)
            ? this with { Meetings = Meetings.SetItem(meetingId, change(meeting)) }
            : this;
}
