using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Scope;

/// <summary>
/// How scope moved in a window, following each area's path through it, not only its two ends: an area identified in the
/// window is <c>added</c>, and also <c>narrowed</c> (left in-scope or proposed for out-of-scope or deferred) or
/// <c>merged</c> when it did so within the window; one narrowed and widened again (entered in-scope) is in both lists.
/// Areas that only moved otherwise are <c>otherChanges</c>. Each area carries its status at both ends and every decision
/// along its path, in valid-time order. So a diff from the charter to now answers "how was scope narrowed?" in full.
/// </summary>
public sealed record ScopeDiff(IReadOnlyList<AreaMove> Narrowed, IReadOnlyList<AreaMove> Widened,
    IReadOnlyList<AreaMove> Added, IReadOnlyList<AreaMove> Merged, IReadOnlyList<AreaMove> OtherChanges)
{
    /// <summary>The answer to a diff question: the window as resolved, and the moves.</summary>
    public sealed record Answer(string ReviewId, DateTimeOffset From, string? FromMeeting, DateTimeOffset To, string? ToMeeting,
        long Version, IReadOnlyList<AreaMove> Narrowed, IReadOnlyList<AreaMove> Widened, IReadOnlyList<AreaMove> Added,
        IReadOnlyList<AreaMove> Merged, IReadOnlyList<AreaMove> OtherChanges);

    /// <summary>
    /// The diff between two instants or meetings of a review, as the ledger knows it now; either end left out means the
    /// review's charter, or now.
    /// </summary>
    public static (Answer?, Refusal?) Ask(ReviewCache timeline, string? from, string? to)
    {
        if (timeline.Version == 0) return (null, Refusal.NotChartered(timeline.ReviewId));
        var (fromAt, fromMeeting, fromRefusal) = HistoricalState.Resolve(timeline, Given(from), "from");
        if (fromRefusal is not null) return (null, fromRefusal);
        var (toAt, toMeeting, toRefusal) = HistoricalState.Resolve(timeline, Given(to), "to");
        if (toRefusal is not null) return (null, toRefusal);
        var current = timeline.Current!;
        var (start, end) = (fromAt ?? current.CharteredAt, toAt ?? Latest(current));
        if (end < start) return (null, Refusal.Invalid("to", "must not be before from."));
        // Before the charter there is no review to follow: a window opening earlier opens at the charter.
        if (start < current.CharteredAt) start = current.CharteredAt;

        var diff = Over(timeline.StateAsOf(start), timeline.EffectiveBetween(start, end));
        return (new Answer(timeline.ReviewId, start, fromMeeting, end, toMeeting, timeline.Version,
            diff.Narrowed, diff.Widened, diff.Added, diff.Merged, diff.OtherChanges), null);
    }

    private static string? Given(string? instant) => string.IsNullOrWhiteSpace(instant) ? null : instant;

    private static DateTimeOffset Latest(ReviewState state) =>
        state.LastEffectiveAt > state.CharteredAt ? state.LastEffectiveAt : state.CharteredAt;

    /// <summary>
    /// Follows each area from <paramref name="start"/> through the entries of the window (as known now, in valid-time
    /// order). Only the entries that identify areas and decide scope are folded, with the one fold: nothing else moves an
    /// area's status.
    /// </summary>
    public static ScopeDiff Over(ReviewState? start, IEnumerable<LedgerEntry> window)
    {
        var state = start;
        var paths = new Dictionary<string, List<PathStep>>();
        var identified = new HashSet<string>();
        foreach (var entry in window)
        {
            if (entry.Event is not (AreaOfInterestIdentified or ScopeDecided)) continue;
            var before = state;
            state = ReviewState.Fold(state, entry.Event, entry.Meta);
            if (state is null) continue;
            if (entry.Event is AreaOfInterestIdentified a && before?.Areas.ContainsKey(a.AreaId) != true) identified.Add(a.AreaId);
            if (entry.Event is not ScopeDecided d) continue;
            foreach (var change in d.Changes)
            {
                if (before?.Areas.GetValueOrDefault(change.AreaId) is not { } was || state.Areas.GetValueOrDefault(change.AreaId) is not { } now)
                    continue;
                if (!paths.TryGetValue(change.AreaId, out var path)) paths[change.AreaId] = path = [];
                path.Add(PathStep.Of(d, was.Status, now));
            }
        }

        List<AreaMove> narrowed = [], widened = [], added = [], merged = [], other = [];
        if (state is null) return new ScopeDiff(narrowed, widened, added, merged, other);
        foreach (var area in state.Areas.Values.OrderBy(a => a.TopicId, StringComparer.Ordinal).ThenBy(a => a.IdentifiedAt)
                     .ThenBy(a => a.AreaId, StringComparer.Ordinal))
        {
            var path = paths.GetValueOrDefault(area.AreaId) ?? [];
            var isAdded = identified.Contains(area.AreaId);
            if (!isAdded && path.Count == 0) continue;
            var move = AreaMove.Of(isAdded ? null : start?.Areas.GetValueOrDefault(area.AreaId)?.Status, area, state, path);
            var listed = false;
            if (isAdded) { added.Add(move); listed = true; }
            if (path.Any(s => s.IsNarrowing)) { narrowed.Add(move); listed = true; }
            if (path.Any(s => s.To == ScopeStatus.Merged && s.From != ScopeStatus.Merged)) { merged.Add(move); listed = true; }
            if (path.Any(s => s.To == ScopeStatus.InScope && s.From != ScopeStatus.InScope)) { widened.Add(move); listed = true; }
            if (!listed && path.Any(s => s.From != s.To || s.MergedInto is not null)) other.Add(move);
        }
        return new ScopeDiff(narrowed, widened, added, merged, other);
    }

    /// <summary>How one decision's areas moved, from the state before it to the state after (a timeline line's words).</summary>
    public static ScopeDiff Between(ReviewState? before, ReviewState after, ScopeDecided decision)
    {
        var steps = decision.Changes
            .Where(c => before?.Areas.ContainsKey(c.AreaId) == true && after.Areas.ContainsKey(c.AreaId))
            .Select(c => (Area: after.Areas[c.AreaId], Step: PathStep.Of(decision, before!.Areas[c.AreaId].Status, after.Areas[c.AreaId])))
            .ToList();
        List<AreaMove> Where(Func<PathStep, bool> test) =>
            steps.Where(s => test(s.Step)).Select(s => AreaMove.Of(s.Step.From, s.Area, after, [s.Step])).ToList();
        return new ScopeDiff(
            Where(s => s.IsNarrowing), Where(s => s.To == ScopeStatus.InScope && s.From != ScopeStatus.InScope), [],
            Where(s => s.To == ScopeStatus.Merged && s.From != ScopeStatus.Merged),
            Where(s => s.From != s.To && !s.IsNarrowing && s.To is not (ScopeStatus.InScope or ScopeStatus.Merged)));
    }
}

/// <summary>One decision on an area's path: the status it moved the area from and to, with why, how and where.</summary>
public sealed record PathStep(string DecisionId, ScopeStatus From, ScopeStatus To, string? MergedInto, DateTimeOffset DecidedAt,
    string? MeetingId, DecisionMethod Method, string Basis, string Rationale, string? Supersedes)
{
    /// <summary>Narrowing: leaving in-scope or proposed for out-of-scope, deferred or merged.</summary>
    public bool IsNarrowing => From is ScopeStatus.InScope or ScopeStatus.Proposed
                               && To is ScopeStatus.OutOfScope or ScopeStatus.Deferred;

    public static PathStep Of(ScopeDecided d, ScopeStatus from, AreaOfInterest after) =>
        new(d.DecisionId, from, after.Status, after.MergedInto, d.EffectiveAt, d.MeetingId, d.Method, d.Basis, d.Rationale, d.Supersedes);
}

/// <summary>An area that moved: its status at both ends of the window, the last decision and the whole path.</summary>
public sealed record AreaMove(string AreaId, string Title, string TopicId, ScopeStatus? From, ScopeStatus To, string? MergedInto,
    string? DecisionId, string? Rationale, string? Basis, DecisionMethod? Method, string? MeetingId, DateTimeOffset? DecidedAt,
    IReadOnlyList<PathStep> Path)
{
    public static AreaMove Of(ScopeStatus? from, AreaOfInterest area, ReviewState state, IReadOnlyList<PathStep> path)
    {
        var decision = area.LastDecisionId is { } id ? state.ScopeDecisions.GetValueOrDefault(id) : null;
        // The state keeps no decision's words: an area moves only by decisions, each a step of its path, so the last
        // decision is the path's last step, which has them from its entry.
        var words = path.Count > 0 && path[^1].DecisionId == decision?.DecisionId ? path[^1] : null;
        return new AreaMove(area.AreaId, area.Title, area.TopicId, from, area.Status, area.MergedInto, decision?.DecisionId,
            words?.Rationale, words?.Basis, decision?.Method, decision?.MeetingId, decision?.DecidedAt, path);
    }
}
