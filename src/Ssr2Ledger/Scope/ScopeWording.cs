using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Scope;

/// <summary>How scope entries read in the decision timeline.</summary>
public static class ScopeWording
{
    /// <summary>"Scope: 3 areas narrowed, 1 widened (decision d-7)", from the state before and after the decision.</summary>
    public static string Title(ScopeDecided d, ReviewState? before, ReviewState after)
    {
        var diff = ScopeDiff.Between(before, after, d);
        var parts = new[]
        {
            (diff.Narrowed.Count, "narrowed"), (diff.Merged.Count, "merged"), (diff.Widened.Count, "put in scope"),
            (diff.Added.Count + diff.OtherChanges.Count, "otherwise changed"),
        }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}").ToList();
        var supersedes = d.Supersedes is null ? "" : $", superseding {d.Supersedes}";
        var areas = Say.Count(d.Changes.Count, "area", "areas");
        var summary = parts.Count switch
        {
            0 => $"{areas} confirmed",
            1 when parts[0].StartsWith($"{d.Changes.Count} ", StringComparison.Ordinal) => $"{areas}{parts[0][parts[0].IndexOf(' ')..]}",
            _ => $"{areas}: {string.Join(", ", parts)}",
        };
        return $"Scope: {summary} (decision {d.DecisionId}{supersedes})";
    }

    public static string Subteam(ReviewState state, string id) => state.Subteams.GetValueOrDefault(id)?.Name ?? id;
}
