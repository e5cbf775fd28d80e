using static Ssr2Ledger.Ledger.KebabCase;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Meetings;

public static class MeetingRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<MeetingScheduled>("meetings", "Schedule a meeting", Schedule, (s, e) => s.On(e),
            new TimelineWording.Omitted("A meeting enters the timeline when it is held or cancelled.")),
        EventKind.For<MeetingHeld>("meetings-held", "Record that a meeting was held, with its attendance", Hold, (s, e) => s.On(e),
            TimelineWording.LineOf<MeetingHeld>((h, _, after) => after.Meetings.GetValueOrDefault(h.MeetingId!) is { } m
                ? new("meeting", $"Meeting held: {m.Title} ({Word(m.Format)}, {m.Location})",
                    $"{Say.Count(h.Attendees.Count, "member", "members")} attending, {Say.Count(h.Observers, "observer", "observers")}")
                : null)),
        EventKind.For<MeetingCancelled>("meeting-cancellations", "Cancel a scheduled meeting", Cancel, (s, e) => s.On(e),
            TimelineWording.LineOf<MeetingCancelled>((c, _, after) => after.Meetings.GetValueOrDefault(c.MeetingId!) is { } m
                ? new("meeting", $"Meeting cancelled: {m.Title}", c.Reason) : null)),
        EventKind.For<StaffBriefingReceived>("staff-briefings", "Record a staff briefing received at a meeting", Brief, (s, e) => s.On(e),
            TimelineWording.LineOf<StaffBriefingReceived>((b, _, _) => new("meeting", $"Briefing from {b.By}: {b.Topic}"))),
    ];

    public static IEnumerable<Refusal> Schedule(ReviewState state, MeetingScheduled e)
    {
        if (e.MeetingId is null) { yield return MeetingIdRequired; yield break; }
        foreach (var r in Checks.Unique(state.Meetings, e.MeetingId, "meetingId", "Meeting")) yield return r;
        if (e.EndsAt < e.StartsAt) yield return Refusal.Invalid("endsAt", "must not be before startsAt.");
    }

    public static IEnumerable<Refusal> Hold(ReviewState state, MeetingHeld e)
    {
        foreach (var r in Scheduled(state, e.MeetingId, "held")) yield return r;
        foreach (var r in Checks.AllKnown(state.Members, e.Attendees, "attendees", "Member")) yield return r;
        foreach (var r in Checks.Distinct(e.Attendees, "attendees")) yield return r;
        if (e.Observers < 0) yield return Refusal.Invalid("observers", "must not be negative.");
    }

    public static IEnumerable<Refusal> Cancel(ReviewState state, MeetingCancelled e) => Scheduled(state, e.MeetingId, "cancelled");

    public static IEnumerable<Refusal> Brief(ReviewState state, StaffBriefingReceived e)
    {
        if (e.MeetingId is null) yield return MeetingIdRequired;
    }

    private static Refusal MeetingIdRequired => Refusal.Invalid("meetingId", "is required.");

    /// <summary>Only a meeting still scheduled can be held or cancelled.</summary>
    private static IEnumerable<Refusal> Scheduled(ReviewState state, string? meetingId, string outcome)
    {
        if (meetingId is null) yield return MeetingIdRequired;
        else if (state.Meetings.TryGetValue(meetingId, out var meeting) && meeting.Status != MeetingStatus.Scheduled)
            yield return Refusal.Conflict(
                $"Meeting '{meetingId}' is already {KebabCase.Word(meeting.Status)}; it cannot be {outcome}.",
                "meetingId");
    }
}
