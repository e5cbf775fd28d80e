using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Members;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Scope;

[JsonConverter(typeof(KebabCaseEnumConverter<FindingKind>))]
public enum FindingKind
{
    RecordedOutOfOrder, MeetingCancelled, MeetingNotHeld, DecidedWhilePaused, DecidedByChairAlone,
    BasisNamesNoTermsOfReferenceInForce, ChangedAfterReportDelivered, NarrowedAgainstCommunityInput,
}

[JsonConverter(typeof(KebabCaseEnumConverter<Severity>))]
public enum Severity { High, Medium, Low }

/// <summary>An entry that proves a finding, as the raw ledger serves it (id, version, hash), and what it proves.</summary>
public sealed record Evidence(Guid EventId, long Version, string Type, string Hash, DateTimeOffset EffectiveAt,
    DateTimeOffset RecordedAt, string Proves)
{
    public static Evidence Of(LedgerEntry entry, string proves) => new(entry.Meta.EventId, entry.Meta.Version,
        EventCatalog.KindOf(entry.Event).Type, entry.Meta.Hash, entry.Event.EffectiveAt, entry.Meta.RecordedAt, proves);
}

/// <summary>What an auditor should look at, with the entries that prove it; never made without them.</summary>
public sealed record Finding(FindingKind Kind, Severity Severity, string DecisionId, IReadOnlyList<string> AreaIds, string Summary,
    IReadOnlyList<Evidence> Evidence);

public sealed record InputBefore(string InputId, InputChannel Channel, string From, string Summary, InputPosition? Position,
    DateTimeOffset ReceivedAt, Guid EventId, string Hash);

/// <summary>One area a decision narrowed or merged: its status before and after, and the community input that named it.</summary>
public sealed record AuditedArea(string AreaId, string Title, string TopicId, string? TopicTitle, ScopeStatus From, ScopeStatus To,
    string? MergedInto, IReadOnlyList<InputBefore> CommunityInput);

/// <summary>The record of the meeting a decision names, as known now (flat: a decision may name none).</summary>
/// <remarks><c>Status</c> is the meeting's status word (scheduled, held, cancelled), null when the decision names no meeting.</remarks>
public sealed record MeetingRecord(string? Title, string? Status, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt,
    IReadOnlyList<string> Attendees, int Observers, string? CancellationReason)
{
    public static readonly MeetingRecord None = new(null, null, null, null, [], 0, null);
}

public sealed record ServingMember(string MemberId, string Name, MemberRole Role, bool Attended);

public sealed record DecisionErratum(Guid EventId, long Version, string Type, string Hash, string Reason, DateTimeOffset EffectiveAt,
    DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>A decision that narrowed or merged areas in the window, with the record around it at its valid time.</summary>
public sealed record AuditedDecision(string DecisionId, Guid EventId, long Version, string Hash, DateTimeOffset EffectiveAt,
    DateTimeOffset RecordedAt, string RecordedBy, string? MeetingId, DecisionMethod Method, string Basis, string Rationale,
    string? Source, string? Supersedes, IReadOnlyList<string> SupersededBy, bool Retracted, ReviewStatus ReviewStatus,
    MeetingRecord Meeting, IReadOnlyList<ServingMember> MembersServing, string? TermsOfReferenceInForce,
    DateTimeOffset? TermsOfReferenceAdoptedAt, IReadOnlyList<string> BasisNamesVersions, IReadOnlyList<AuditedArea> Areas,
    IReadOnlyList<DecisionErratum> Errata);

/// <summary>
/// The scope audit: every narrowing and merge in a window (the <see cref="ScopeDiff"/>'s paths, plus decisions since
/// retracted), each decision with its context at its valid time (meeting record, members serving, terms of reference in
/// force, community input naming the areas, errata, recorded time beside valid time), and the findings an auditor should
/// look at, each proved by entries. Pure: a function of the review's cached entries and states, read as known now.
/// </summary>
public sealed partial record ScopeAudit(string ReviewId, string Name, DateTimeOffset From, string? FromMeeting,
    DateTimeOffset To, string? ToMeeting, long Version, string HeadHash, int Narrowed, int Merged,
    IReadOnlyList<AuditedDecision> Decisions, IReadOnlyList<Finding> Findings)
{
    private static readonly Deliverable[] Reports = [Deliverable.DraftReport, Deliverable.FinalReport];

    /// <summary>One area a decision narrowed or merged.</summary>
    private sealed record Step(LedgerEntry Entry, string Area, ScopeStatus From, ScopeStatus To, string? MergedInto);

    /// <summary>The entries the audit looks up, indexed once (as known now, in valid-time order), so it stays linear.</summary>
    private sealed class Lookups(IReadOnlyList<LedgerEntry> known, IReadOnlyList<LedgerEntry> recorded, ReviewState current)
    {
        public readonly ILookup<string, LedgerEntry> InputsByArea = known
            .SelectMany(e => e.Event is CommunityInputReceived { AreaIds: { } ids } ? ids.Distinct().Select(id => (id, e)) : [])
            .ToLookup(x => x.id, x => x.e);
        public readonly ILookup<string, string> SupersededBy = current.ScopeDecisions.Values.Where(d => d.Supersedes is not null)
            .OrderBy(d => d.DecidedAt).ToLookup(d => d.Supersedes!, d => d.DecisionId);
        public readonly List<LedgerEntry> Reports =
            [.. known.Where(e => e.Event is DeliveredToBoard b && ScopeAudit.Reports.Contains(b.Deliverable))];
        public readonly List<LedgerEntry> Pauses = [.. known.Where(e => e.Event is ReviewPaused)];
        public readonly ILookup<Guid, LedgerEntry> Errata =
            recorded.Where(e => e.Event is CorrectiveEntry).ToLookup(e => ((CorrectiveEntry)e.Event).Target);
        public readonly ILookup<string, LedgerEntry> ByMeeting = known
            .Where(e => e.Event is Meetings.MeetingScheduled or Meetings.MeetingCancelled).ToLookup(e => e.Event.MeetingId ?? "");
        public readonly ILookup<string, LedgerEntry> Adoptions = known.Where(e => e.Event is TermsOfReference.TermsOfReferenceAdopted)
            .ToLookup(e => ((TermsOfReference.TermsOfReferenceAdopted)e.Event).Version);
        public readonly Func<LedgerEntry, LedgerEntry?> LaterBefore = LatestEffectiveRecordedBefore(known);
    }

    public static (ScopeAudit?, Refusal?) Ask(ReviewCache cache, string? from, string? to)
    {
        var (diff, refusal) = ScopeDiff.Ask(cache, from, to);
        if (refusal is not null) return (null, refusal);
        var current = cache.Current!;
        // As known now: corrected, retracted entries left out; each keeps its own id, version and hash.
        var known = cache.EffectiveBetween(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).ToList();
        var decisions = known.Where(e => e.Event is ScopeDecided).ToDictionary(e => ((ScopeDecided)e.Event).DecisionId);

        var steps = diff!.Narrowed.Concat(diff.Merged).DistinctBy(m => m.AreaId)
            .SelectMany(m => m.Path.Where(s => Narrows(s.From, s.To))
                .Select(s => new Step(decisions[s.DecisionId], m.AreaId, s.From, s.To, s.MergedInto)))
            .Concat(RetractedNarrowings(cache, diff.From, diff.To))
            .GroupBy(s => s.Entry.Meta.EventId)
            .OrderBy(g => g.First().Entry.Event.EffectiveAt).ThenBy(g => g.First().Entry.Meta.Version);

        var index = new Lookups(known, cache.Recorded, current);
        var audited = new List<AuditedDecision>();
        var findings = new List<Finding>();
        foreach (var group in steps)
        {
            var entry = group.First().Entry;
            var retracted = cache.IsRetracted(entry.Meta.EventId);
            var decision = Audit(cache, current, index, entry, retracted, group.ToList());
            audited.Add(decision);
            findings.AddRange(FindingsOf(decision, entry, retracted, index));
        }

        var areas = audited.Where(d => !d.Retracted).SelectMany(d => d.Areas).ToList();
        return (new ScopeAudit(cache.ReviewId, current.Name, diff.From, diff.FromMeeting, diff.To, diff.ToMeeting,
            cache.Version, current.HeadHash, areas.Count(a => a.To != ScopeStatus.Merged),
            areas.Count(a => a.To == ScopeStatus.Merged), audited, findings), null);
    }

    /// <summary>Decisions retracted since, with what they would have narrowed: a report may have relied on them.</summary>
    private static IEnumerable<Step> RetractedNarrowings(ReviewCache cache, DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var entry in cache.Recorded)
        {
            if (entry.Event is not ScopeDecided d || !cache.IsRetracted(entry.Meta.EventId)
                || d.EffectiveAt <= start || d.EffectiveAt > end)
                continue;
            var before = cache.StateAsOf(d.EffectiveAt);
            foreach (var change in d.Changes)
                if (before?.Areas.GetValueOrDefault(change.AreaId) is { } area && Narrows(area.Status, change.To))
                    yield return new Step(entry, change.AreaId, area.Status, change.To, change.MergedInto);
        }
    }

    /// <summary>A narrowing (in-scope or proposed to out-of-scope, deferred or merged), or any merge.</summary>
    private static bool Narrows(ScopeStatus from, ScopeStatus to) =>
        from is ScopeStatus.InScope or ScopeStatus.Proposed && to is ScopeStatus.OutOfScope or ScopeStatus.Deferred
        || to == ScopeStatus.Merged && from != ScopeStatus.Merged;

    /// <summary>The decision with the record at its valid time; meetings and areas as the ledger knows them now.</summary>
    private static AuditedDecision Audit(ReviewCache cache, ReviewState current, Lookups index, LedgerEntry entry, bool retracted,
        IReadOnlyList<Step> steps)
    {
        var d = (ScopeDecided)entry.Event;
        var at = d.EffectiveAt;
        var then = cache.StateAsOf(at) ?? current;
        var meeting = d.MeetingId is { } m ? current.Meetings.GetValueOrDefault(m) : null;
        var inForce = then.AdoptedTermsOfReference;

        var areas = steps.Select(c =>
        {
            var area = current.Areas.GetValueOrDefault(c.Area);
            var topic = area is null ? null : current.Topics.GetValueOrDefault(area.TopicId);
            var before = index.InputsByArea[c.Area].TakeWhile(e => e.Event.EffectiveAt <= at).Select(e =>
            {
                var i = (CommunityInputReceived)e.Event;
                return new InputBefore(i.InputId, i.Channel, i.From, i.Summary, i.Position, i.EffectiveAt, e.Meta.EventId,
                    e.Meta.Hash);
            }).ToList();
            return new AuditedArea(c.Area, area?.Title ?? c.Area, area?.TopicId ?? "", topic?.Title, c.From, c.To,
                c.MergedInto, before);
        }).ToList();

        var errata = index.Errata[entry.Meta.EventId].Select(e =>
            new DecisionErratum(e.Meta.EventId, e.Meta.Version, EventCatalog.KindOf(e.Event).Type, e.Meta.Hash,
                e.Event switch { EntryCorrected c => c.Reason, EntryRetracted r => r.Reason, _ => "" },
                e.Event.EffectiveAt, e.Meta.RecordedAt, e.Meta.RecordedBy)).ToList();
        var supersededBy = index.SupersededBy[d.DecisionId].ToList();
        var record = meeting is null ? MeetingRecord.None : new MeetingRecord(meeting.Title, KebabCase.Word(meeting.Status),
            meeting.StartsAt, meeting.EndsAt, meeting.Attendees, meeting.Observers, meeting.CancellationReason);
        var serving = then.Members.Values.Where(x => x.Active).OrderBy(x => x.Role).ThenBy(x => x.MemberId, StringComparer.Ordinal)
            .Select(x => new ServingMember(x.MemberId, x.Name, x.Role, meeting?.Attendees.Contains(x.MemberId) == true)).ToList();

        return new AuditedDecision(d.DecisionId, entry.Meta.EventId, entry.Meta.Version, entry.Meta.Hash, at,
            entry.Meta.RecordedAt, entry.Meta.RecordedBy, d.MeetingId, d.Method, d.Basis, d.Rationale, d.Source, d.Supersedes,
            supersededBy, retracted, then.Status, record, serving, inForce,
            inForce is null ? null : then.TermsOfReference.GetValueOrDefault(inForce)?.AdoptedAt, VersionsNamed(d.Basis),
            areas, errata);
    }

    private static IEnumerable<Finding> FindingsOf(AuditedDecision d, LedgerEntry entry, bool retracted, Lookups index)
    {
        var areaIds = d.Areas.Select(a => a.AreaId).ToList();
        var decision = Evidence.Of(entry, $"decision {d.DecisionId}");
        Finding Found(FindingKind kind, Severity severity, string summary, params Evidence[] more) =>
            new(kind, severity, d.DecisionId, areaIds, summary, [decision, .. more]);

        // What a report relied on and was changed after: also for a decision retracted since.
        foreach (var erratum in index.Errata[entry.Meta.EventId])
        {
            var report = index.Reports.FirstOrDefault(e => e.Event.EffectiveAt >= d.EffectiveAt
                                                           && e.Event.EffectiveAt < erratum.Event.EffectiveAt);
            if (report is null) continue;
            var b = (DeliveredToBoard)report.Event;
            var what = erratum.Event is EntryRetracted ? "retracted" : "corrected";
            yield return Found(FindingKind.ChangedAfterReportDelivered, Severity.High,
                $"Decision {d.DecisionId} was {what} on {Day(erratum.Event.EffectiveAt)}, after the {Words(b.Deliverable)} " +
                $"({b.DeliveryId}) that relied on it was delivered to the Board on {Day(b.EffectiveAt)}.",
                Evidence.Of(report, $"{Words(b.Deliverable)} delivered after the decision"),
                Evidence.Of(erratum, $"the decision {what}"));
        }
        if (retracted) yield break;

        if (index.LaterBefore(entry) is { } later)
            yield return Found(FindingKind.RecordedOutOfOrder, Severity.Low,
                $"Decision {d.DecisionId}, effective {Day(d.EffectiveAt)}, was recorded (entry {d.Version}, " +
                $"{Stamp(d.RecordedAt)}) after entry {later.Meta.Version} ({EventCatalog.KindOf(later.Event).Type}), " +
                $"effective later ({Day(later.Event.EffectiveAt)}), had been recorded ({Stamp(later.Meta.RecordedAt)}).",
                Evidence.Of(later, "an entry effective later, recorded before the decision"));

        var taken = $"Decision {d.DecisionId} is recorded as taken at {d.Meeting.Title} ({d.MeetingId})";
        if (d.Meeting.Status == KebabCase.Word(MeetingStatus.Cancelled)
            && index.ByMeeting[d.MeetingId ?? ""].LastOrDefault(e => e.Event is Meetings.MeetingCancelled) is { } cancellation)
            yield return Found(FindingKind.MeetingCancelled, Severity.High, $"{taken}, which was cancelled.",
                Evidence.Of(cancellation, "the meeting cancelled"));
        if (d.Meeting.Status == KebabCase.Word(MeetingStatus.Scheduled)
            && index.ByMeeting[d.MeetingId ?? ""].LastOrDefault(e => e.Event is Meetings.MeetingScheduled) is { } schedule)
            yield return Found(FindingKind.MeetingNotHeld, Severity.Medium, $"{taken}, which the ledger does not record as held.",
                Evidence.Of(schedule, "the meeting scheduled, and no entry says it was held"));

        if (d.ReviewStatus == ReviewStatus.Paused
            && index.Pauses.LastOrDefault(e => e.Event.EffectiveAt <= d.EffectiveAt) is { } pause)
            yield return Found(FindingKind.DecidedWhilePaused, Severity.High,
                $"Decision {d.DecisionId} took effect on {Day(d.EffectiveAt)}, while the review was paused " +
                $"(since {Day(pause.Event.EffectiveAt)}).", Evidence.Of(pause, "the review paused"));

        if (d.Method == DecisionMethod.Chair)
            yield return Found(FindingKind.DecidedByChairAlone, Severity.Medium,
                $"Decision {d.DecisionId} narrowed scope by the chair alone (method chair), not by the team.");

        if (d.TermsOfReferenceInForce is not { } inForce || !d.BasisNamesVersions.Contains(inForce))
        {
            var adoption = d.TermsOfReferenceInForce is { } v
                ? index.Adoptions[v].LastOrDefault(e => e.Event.EffectiveAt <= d.EffectiveAt)
                : null;
            var named = d.BasisNamesVersions.Count == 0 ? "names no version of the terms of reference"
                : $"names version {string.Join(", ", d.BasisNamesVersions)} of the terms of reference";
            var force = d.TermsOfReferenceInForce is null ? "none had been adopted" : $"version {d.TermsOfReferenceInForce} was in force";
            yield return Found(FindingKind.BasisNamesNoTermsOfReferenceInForce, Severity.Medium,
                $"Decision {d.DecisionId}'s basis \"{d.Basis}\" {named}; {force}.",
                adoption is null ? [] : [Evidence.Of(adoption, $"terms of reference {d.TermsOfReferenceInForce} adopted")]);
        }

        foreach (var area in d.Areas)
        {
            var against = area.CommunityInput.Where(i => i.Position == InputPosition.KeepInScope).ToList();
            if (against.Count == 0) continue;
            var ids = against.Select(i => i.EventId).ToHashSet();
            var inputs = index.InputsByArea[area.AreaId].Where(e => ids.Contains(e.Meta.EventId))
                .Select(e => Evidence.Of(e, $"community input {((CommunityInputReceived)e.Event).InputId} asking to keep {area.AreaId}"));
            yield return new Finding(FindingKind.NarrowedAgainstCommunityInput, Severity.Medium, d.DecisionId, [area.AreaId],
                $"Area {area.AreaId} was {NarrowedAs(area.To)} by decision {d.DecisionId} after community input asked for it to " +
                $"stay in scope ({string.Join(", ", against.Select(i => $"{i.InputId} from {i.From}"))}).", [decision, .. inputs]);
        }
    }

    /// <summary>
    /// "Recorded out of order": for each entry, the entry with the latest valid time (as known now) among those recorded before
    /// it, when that is later than its own. History imported in its own order never has one.
    /// </summary>
    private static Func<LedgerEntry, LedgerEntry?> LatestEffectiveRecordedBefore(IReadOnlyList<LedgerEntry> known)
    {
        var byVersion = known.OrderBy(e => e.Meta.Version).ToList();
        var latest = new Dictionary<Guid, LedgerEntry?>(byVersion.Count);
        LedgerEntry? max = null;
        foreach (var e in byVersion)
        {
            latest[e.Meta.EventId] = max;
            if (max is null || e.Event.EffectiveAt > max.Event.EffectiveAt) max = e;
        }
        return entry => latest.GetValueOrDefault(entry.Meta.EventId) is { } later && later.Event.EffectiveAt > entry.Event.EffectiveAt
            ? later : null;
    }

    /// <summary>The terms-of-reference versions a basis names: "ToR 3.0", "terms of reference v4", "ToR version 1.1".</summary>
    public static IReadOnlyList<string> VersionsNamed(string basis) =>
        BasisVersion().Matches(basis).Select(m => m.Groups["v"].Value).Distinct().ToList();

    private static string NarrowedAs(ScopeStatus to) =>
        to switch { ScopeStatus.OutOfScope => "taken out of scope", ScopeStatus.Deferred => "deferred", _ => "merged" };

    private static string Words<T>(T value) where T : struct, Enum => KebabCase.Word(value).Replace('-', ' ');
    private static string Day(DateTimeOffset at) => at.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
    private static string Stamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b(?:ToR|terms\s+of\s+reference)\s*(?:,\s*)?(?:v(?:ersion)?\.?\s*)?(?<v>\d+(?:\.\d+)*)", RegexOptions.IgnoreCase)]
    private static partial Regex BasisVersion();
}
