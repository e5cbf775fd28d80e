using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Turns the <c>data</c> of a request into an event, answering every wrong field at once rather than
/// the first one the deserializer trips on: missing and unknown fields, wrong types, ids that are not
/// slugs, blank or oversized text, dates out of range.
/// </summary>
public static partial class EventPayload
{
    public const int MaxIdLength = 100;
    public const int MaxTextLength = 20_000;
    public const int MaxListLength = 5_000;
    private static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Fields holding ids (or lists of them) beyond those whose name ends in Id/Ids.</summary>
    private static readonly HashSet<string> IdFields =
        ["Version", "BasedOn", "Supersedes", "InResponseTo", "Rapporteur", "MergedInto", "Attendees", "Members"];

    // Reflection is read once per type: a bulk import reads a million payloads.
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Member>> MembersOf = new();
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Field>> FieldsOf = new();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Slug();

    public static (ReviewEvent? Event, IReadOnlyList<Refusal> Errors) Read(Type type, JsonElement data, JsonSerializerOptions json)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return (null, [Refusal.Invalid("data", $"must be a JSON object with the fields of {type.Name}.")]);

        var errors = Shape(type, data, "").ToList();
        if (errors.Count > 0) return (null, errors);

        ReviewEvent? @event;
        try
        {
            @event = (ReviewEvent?)data.Deserialize(type, json);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "data";
            var reason = ex.Message.StartsWith("must ", StringComparison.Ordinal) ? ex.Message : "has a value of the wrong type or format.";
            return (null, [Refusal.Invalid(field, reason)]);
        }
        if (@event is null) return (null, [Refusal.Invalid("data", "must not be null.")]);

        errors.AddRange(Values(@event, ""));
        if (@event.EffectiveAt < Earliest || @event.EffectiveAt > Latest)
            errors.Add(Refusal.Invalid("effectiveAt", $"must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}."));
        // Valid time is kept in UTC so that it sorts, hashes and prints one way.
        return errors.Count > 0 ? (null, errors) : (@event with { EffectiveAt = @event.EffectiveAt.ToUniversalTime() }, errors);
    }

    /// <summary>Required fields present, no unknown fields; nested records checked likewise.</summary>
    private static IEnumerable<Refusal> Shape(Type type, JsonElement data, string prefix)
    {
        var members = MembersOf.GetOrAdd(type, Members);
        foreach (var member in members)
        {
            var has = data.TryGetProperty(member.JsonName, out var value) && value.ValueKind != JsonValueKind.Null;
            if (!has && member.Required) yield return Refusal.Invalid(prefix + member.JsonName, "is required.");
            if (has && member.ElementRecord is { } nested && value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var at = $"{prefix}{member.JsonName}[{i++}]";
                    if (item.ValueKind != JsonValueKind.Object) yield return Refusal.Invalid(at, "must be an object.");
                    else foreach (var r in Shape(nested, item, at + ".")) yield return r;
                }
            }
        }
        foreach (var property in data.EnumerateObject())
            if (members.All(m => m.JsonName != property.Name))
                yield return Refusal.Invalid(prefix + property.Name, $"is not a field of {type.Name}.");
    }

    /// <summary>Text is not blank nor oversized, ids are slugs, lists are bounded.</summary>
    private static IEnumerable<Refusal> Values(object value, string prefix)
    {
        foreach (var (property, name, isId) in FieldsOf.GetOrAdd(value.GetType(), Fields))
        {
            var field = prefix + name;
            switch (property.GetValue(value))
            {
                case string text:
                    foreach (var r in Text(text, field, isId)) yield return r;
                    break;
                case IList list:
                    if (list.Count > MaxListLength) { yield return Refusal.Invalid(field, $"must list at most {MaxListLength} items."); break; }
                    for (var i = 0; i < list.Count; i++)
                    {
                        var at = $"{field}[{i}]";
                        if (list[i] is string s) foreach (var r in Text(s, at, isId)) yield return r;
                        else if (list[i] is { } item && item.GetType().IsClass) foreach (var r in Values(item, at + ".")) yield return r;
                    }
                    break;
            }
        }
    }

    private static IEnumerable<Refusal> Text(string text, string field, bool isId)
    {
        if (isId)
        {
            if (text.Length > MaxIdLength || !Slug().IsMatch(text))
                yield return Refusal.Invalid(field, $"must be an id of letters, digits, '.', '-' and '_' (at most {MaxIdLength}), starting with a letter or digit.");
        }
        else if (string.IsNullOrWhiteSpace(text)) yield return Refusal.Invalid(field, "must not be blank.");
        else if (text.Length > MaxTextLength) yield return Refusal.Invalid(field, $"must be at most {MaxTextLength} characters.");
        else if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            yield return Refusal.Invalid(field, "must not contain control characters.");
    }

    private sealed record Member(string JsonName, bool Required, Type? ElementRecord);

    private sealed record Field(PropertyInfo Property, string JsonName, bool IsId);

    private static IReadOnlyList<Field> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Field(p, JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.Name.EndsWith("Id", StringComparison.Ordinal) || p.Name.EndsWith("Ids", StringComparison.Ordinal) || IdFields.Contains(p.Name)))
            .ToList();

    /// <summary>The JSON members of a record: its constructor's parameters and the settable properties of its base.</summary>
    private static IReadOnlyList<Member> Members(Type type)
    {
        // NullabilityInfoContext caches as it goes and is not thread-safe: one per type read, never shared.
        var nullability = new NullabilityInfoContext();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var fromConstructor = constructor.GetParameters().Select(p => new Member(
            JsonNamingPolicy.CamelCase.ConvertName(p.Name!),
            !p.HasDefaultValue && nullability.Create(p).WriteState != NullabilityState.Nullable,
            RecordElement(p.ParameterType)));
        var inherited = type.GetProperties()
            .Where(p => p.DeclaringType != type && p.SetMethod is not null && p.Name != "EqualityContract")
            .Select(p => new Member(JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null, null));
        return fromConstructor.Concat(inherited).ToList();
    }

    private static Type? RecordElement(Type type)
    {
        var element = type.IsGenericType && type.GetGenericArguments() is [var arg] && typeof(IEnumerable).IsAssignableFrom(type) ? arg : null;
        return element is { IsClass: true } && element != typeof(string) ? element : null;
    }
}
