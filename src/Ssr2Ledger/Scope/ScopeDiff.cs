using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Scope;

/// <summary>
/// How scope moved between two instants: areas <c>narrowed</c> (left in-scope or proposed for out-of-scope
/// or deferred), <c>merged</c> (into another area), <c>widened</c> (entered in-scope), <c>added</c>
/// (identified within the period) and any <c>otherChanges</c>; each with the decision that moved it.
/// </summary>
public sealed record ScopeDiff(IReadOnlyList<AreaMove> Narrowed, IReadOnlyList<AreaMove> Widened,
    IReadOnlyList<AreaMove> Added, IReadOnlyList<AreaMove> Merged, IReadOnlyList<AreaMove> OtherChanges)
{
    public static ScopeDiff Between(ReviewState? from, ReviewState? to)
    {
        List<AreaMove> narrowed = [], widened = [], added = [], merged = [], other = [];
        if (to is not null)
        {
            foreach (var area in to.Areas.Values.OrderBy(a => a.TopicId, StringComparer.Ordinal).ThenBy(a => a.IdentifiedAt).ThenBy(a => a.AreaId, StringComparer.Ordinal))
            {
                var before = from?.Areas.GetValueOrDefault(area.AreaId);
                var move = AreaMove.Of(before?.Status, area, to);
                if (before is null) added.Add(move);
                else if (before.Status == area.Status && before.MergedInto == area.MergedInto) continue;
                else if (area.Status == ScopeStatus.Merged) merged.Add(move);
                else if (area.Status == ScopeStatus.InScope) widened.Add(move);
                else if (area.Status is ScopeStatus.OutOfScope or ScopeStatus.Deferred && before.Status is ScopeStatus.InScope or ScopeStatus.Proposed)
                    narrowed.Add(move);
                else other.Add(move);
            }
        }
        return new ScopeDiff(narrowed, widened, added, merged, other);
    }
}

public sealed record AreaMove(string AreaId, string Title, string TopicId, ScopeStatus? From, ScopeStatus To, string? MergedInto,
    string? DecisionId, string? Rationale, string? Basis, DecisionMethod? Method, string? MeetingId, DateTimeOffset? DecidedAt)
{
    public static AreaMove Of(ScopeStatus? from, AreaOfInterest area, ReviewState state)
    {
        var decision = area.LastDecisionId is { } id ? state.ScopeDecisions.GetValueOrDefault(id) : null;
        return new AreaMove(area.AreaId, area.Title, area.TopicId, from, area.Status, area.MergedInto, decision?.DecisionId,
            decision?.Rationale, decision?.Basis, decision?.Method, decision?.MeetingId, decision?.DecidedAt);
    }
}
