namespace Ssr2Ledger.Ledger;

/// <summary>The references and uniqueness checks every slice's rules are made of.</summary>
public static class Checks
{
    public static IEnumerable<Refusal> Unique<T>(IReadOnlyDictionary<string, T> existing, string id, string field, string what)
    {
        if (existing.ContainsKey(id)) yield return Refusal.Duplicate(field, what, id);
    }

    public static IEnumerable<Refusal> Known<T>(IReadOnlyDictionary<string, T> existing, string? id, string field, string what)
    {
        if (id is not null && !existing.ContainsKey(id)) yield return Refusal.Unknown(field, what, id);
    }

    public static IEnumerable<Refusal> AllKnown<T>(IReadOnlyDictionary<string, T> existing, IEnumerable<string>? ids,
        string field, string what) =>
        (ids ?? []).Select((id, i) => (id, i)).Where(x => !existing.ContainsKey(x.id))
            .Select(x => Refusal.Unknown($"{field}[{x.i}]", what, x.id));

    public static IEnumerable<Refusal> NotEmpty<T>(IReadOnlyCollection<T>? items, string field)
    {
        if (items is null || items.Count == 0) yield return Refusal.Invalid(field, "must list at least one item.");
    }

    public static IEnumerable<Refusal> Distinct(IEnumerable<string> ids, string field)
    {
        var seen = new HashSet<string>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            if (!seen.Add(id)) yield return Refusal.Invalid($"{field}[{i}]", $"'{id}' is listed twice.");
    }
}
