using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Scope;

namespace Ssr2Ledger.Bench;

/// <summary>
/// A large review for benchmarks: 500 meetings, 2,000 areas under 20 topics, and scope decisions between
/// the meetings up to the requested number of entries; one entry in fifty arrives late (effective earlier).
/// </summary>
public static class GeneratedReview
{
    public static (List<ReviewEvent> Entries, List<string> MeetingIds) Build(string reviewId, int size, int meetings, int seed = 7)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var entries = new List<ReviewEvent> { new ReviewChartered(reviewId, "Generated review", "Benchmark") { EffectiveAt = start } };
        for (var t = 0; t < 20; t++) entries.Add(new TopicAreaAgreed($"topic-{t}", $"Topic {t}", "generated") { EffectiveAt = start.AddHours(1) });
        var areas = Enumerable.Range(0, 2000).Select(i => $"area-{i}").ToList();
        entries.AddRange(areas.Select((a, i) => new AreaOfInterestIdentified(a, $"Area {i}", $"topic-{i % 20}") { EffectiveAt = start.AddHours(2) }));

        var meetingIds = new List<string>();
        var perMeeting = (size - entries.Count - 2 * meetings) / meetings;
        var statuses = new[] { ScopeStatus.InScope, ScopeStatus.OutOfScope, ScopeStatus.Deferred, ScopeStatus.InScope };
        var decision = 0;
        for (var m = 0; m < meetings; m++)
        {
            var id = $"meeting-{m:000}";
            var starts = start.AddDays(3 + m * 3);
            meetingIds.Add(id);
            entries.Add(new MeetingScheduled($"Plenary {m}", MeetingFormat.Teleconference, "Online", starts, starts.AddHours(2))
                { EffectiveAt = starts.AddDays(-1), MeetingId = id });
            for (var d = 0; d < perMeeting; d++)
            {
                var late = random.Next(50) == 0 && m > 0;
                var earliest = start.AddHours(3);
                var at = late ? Max(starts.AddDays(-random.Next(3, 30)), earliest) : starts.AddMinutes(1 + d * 100.0 / perMeeting);
                var changes = areas.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(a => new AreaChange(a, statuses[random.Next(statuses.Length)])).ToList();
                entries.Add(new ScopeDecided($"d-{decision++}", changes, "generated rationale", "ToR section 3", DecisionMethod.Consensus)
                    { EffectiveAt = at, MeetingId = late ? null : id });
            }
            entries.Add(new MeetingHeld([], random.Next(0, 40)) { EffectiveAt = starts.AddHours(2), MeetingId = id });
        }
        return (entries, meetingIds);
    }

    /// <summary>A long review whose state stays small: a chair handing the role back and forth.</summary>
    public static IEnumerable<ReviewEvent> Churn(string reviewId, int size)
    {
        var start = new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero);
        yield return new ReviewChartered(reviewId, "Verify benchmark", "Benchmark") { EffectiveAt = start };
        yield return new Ssr2Ledger.Members.MemberAppointed("m1", "Member one", "GNSO", Ssr2Ledger.Members.MemberRole.Member) { EffectiveAt = start };
        for (var i = 2; i < size; i++)
            yield return new Ssr2Ledger.Members.MemberRoleChanged("m1", i % 2 == 0 ? Ssr2Ledger.Members.MemberRole.Chair : Ssr2Ledger.Members.MemberRole.Member)
                { EffectiveAt = start.AddMinutes(i), Note = $"rotation {i}" };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
