using System.Buffers;
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

    /// <summary>Control characters other than line ends and tabs, and U+FFFE/U+FFFF: what XML 1.0 cannot carry.</summary>
    private static readonly SearchValues<char> Unsendable = SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || c is '\uFFFE' or '\uFFFF')]);

    // \z, not $: "$" also matches before a final newline, and "d1\n" would pass as a look-alike of "d1".
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex Slug();

    /// <summary>Whether the text is an id: a slug of letters, digits, '.', '-' and '_' (no bidi control, no line end).</summary>
    public static bool IsId(string text) => text.Length <= MaxIdLength && Slug().IsMatch(text);

    /// <summary>
    /// The entry, and everything wrong with the request at once. The entry comes back beside value errors (blank text,
    /// an id that is not a slug) so that the review's rules can be checked too and named in the same answer; it is
    /// null only when the payload cannot make an entry (a required field missing, a value of the wrong type).
    /// </summary>
    public static (ReviewEvent? Event, IReadOnlyList<Refusal> Errors) Read(Type type, JsonElement data, JsonSerializerOptions json)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return (null, [Refusal.Invalid("data", $"must be a JSON object with the fields of {type.Name}.")]);

        var errors = new List<Refusal>();
        var readable = Check(type, data, "", json, errors);
        if (!readable) return (null, errors);

        ReviewEvent? @event;
        try
        {
            @event = (ReviewEvent?)data.Deserialize(type, json);
        }
        catch (JsonException ex)
        {
            // Every member was read on its own above; what is left is a rule of the whole (none today).
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "data";
            return (null, [.. errors, Refusal.Invalid(field, "has a value of the wrong type or format.")]);
        }
        if (@event is null) return (null, [Refusal.Invalid("data", "must not be null.")]);
        // Valid time is kept in UTC so that it sorts, hashes and prints one way.
        return (@event.EffectiveAt.Offset == TimeSpan.Zero ? @event : @event with { EffectiveAt = @event.EffectiveAt.ToUniversalTime() }, errors);
    }

    /// <summary>
    /// Required members present, no unknown ones, each present member read on its own (so one of the wrong type does
    /// not hide the rest) and its value checked; records in lists likewise. False when no entry can be made.
    /// </summary>
    private static bool Check(Type type, JsonElement data, string prefix, JsonSerializerOptions json, List<Refusal> errors)
    {
        var readable = true;
        var members = MembersOf.GetOrAdd(type, Members);
        foreach (var member in members)
        {
            var field = prefix + member.JsonName;
            var has = data.TryGetProperty(member.JsonName, out var value) && value.ValueKind != JsonValueKind.Null;
            if (!has)
            {
                if (member.Required) { errors.Add(Refusal.Invalid(field, "is required.")); readable = false; }
                continue;
            }
            if (member.ElementRecord is { } nested && value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var at = $"{field}[{i++}]";
                    if (item.ValueKind != JsonValueKind.Object) { errors.Add(Refusal.Invalid(at, "must be an object.")); readable = false; }
                    else readable &= Check(nested, item, at + ".", json, errors);
                }
                if (i > MaxListLength) errors.Add(Refusal.Invalid(field, $"must list at most {MaxListLength} items."));
                continue;
            }
            object? read;
            try
            {
                read = Read(value, member.Type, json);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                var reason = ex.Message.StartsWith("must ", StringComparison.Ordinal) ? ex.Message : $"must be {Expected(member.Type)}.";
                errors.Add(Refusal.Invalid(field, reason));
                readable = false;
                continue;
            }
            errors.AddRange(Value(read, field, member.IsId));
        }
        foreach (var property in data.EnumerateObject())
            if (members.All(m => m.JsonName != property.Name))
                errors.Add(Refusal.Invalid(prefix + property.Name, $"is not a field of {type.Name}."));
        return readable;
    }

    /// <summary>
    /// A member's value as the serializer reads it. Text and instants are most of an entry: read straight from the
    /// document, which parses them as the serializer's own converters do (a value they refuse goes to the serializer, to
    /// be refused in its words); a call of the serializer per member cost more than the rest of the check.
    /// </summary>
    private static object? Read(JsonElement value, Type type, JsonSerializerOptions json)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (type == typeof(string)) return value.GetString();
            if ((type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?)) && value.TryGetDateTimeOffset(out var at)) return at;
        }
        return value.Deserialize(type, json);
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(DateTimeOffset)) return "an ISO 8601 date and time with its offset, e.g. 2017-05-14T09:00:00Z";
        if (type == typeof(string)) return "a string";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName));
        if (typeof(IEnumerable).IsAssignableFrom(type)) return "a list";
        return $"a value of type {type.Name}";
    }

    /// <summary>Text is not blank nor oversized, ids are slugs, dates in range, lists bounded, nested records alike.</summary>
    private static IEnumerable<Refusal> Value(object? value, string field, bool isId)
    {
        switch (value)
        {
            case string text:
                foreach (var r in Text(text, field, isId)) yield return r;
                break;
            case DateTimeOffset at when at < Earliest || at > Latest:
                yield return Refusal.Invalid(field, $"must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
                break;
            case IList list:
                if (list.Count > MaxListLength) { yield return Refusal.Invalid(field, $"must list at most {MaxListLength} items."); break; }
                for (var i = 0; i < list.Count; i++)
                    foreach (var r in Value(list[i], $"{field}[{i}]", isId)) yield return r;
                break;
            case JsonElement:
                break;
            case { } record when record.GetType().IsClass:
                foreach (var (property, name, id) in FieldsOf.GetOrAdd(record.GetType(), Fields))
                    foreach (var r in Value(property.GetValue(record), $"{field}.{name}", id)) yield return r;
                break;
        }
    }

    private static IEnumerable<Refusal> Text(string text, string field, bool isId)
    {
        if (isId)
        {
            if (!IsId(text))
                yield return Refusal.Invalid(field, $"must be an id of letters, digits, '.', '-' and '_' (at most {MaxIdLength}), starting with a letter or digit.");
        }
        else if (string.IsNullOrWhiteSpace(text)) yield return Refusal.Invalid(field, "must not be blank.");
        else if (text.Length > MaxTextLength) yield return Refusal.Invalid(field, $"must be at most {MaxTextLength} characters.");
        else if (text.AsSpan().ContainsAny(Unsendable))
            yield return Refusal.Invalid(field, "must not contain control characters or U+FFFE/U+FFFF (XML 1.0 cannot carry them).");
    }

    private sealed record Member(string JsonName, bool Required, Type? ElementRecord, Type Type, bool IsId);

    private sealed record Field(PropertyInfo Property, string JsonName, bool IsId);

    private static IReadOnlyList<Field> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Field(p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), IsIdName(p.Name)))
            .ToList();

    private static bool IsIdName(string name) =>
        name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("Ids", StringComparison.Ordinal) || IdFields.Contains(name);

    /// <summary>The JSON members of a record: its constructor's parameters and the settable properties of its base.</summary>
    private static IReadOnlyList<Member> Members(Type type)
    {
        // NullabilityInfoContext caches as it goes and is not thread-safe: one per type read, never shared.
        var nullability = new NullabilityInfoContext();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var fromConstructor = constructor.GetParameters().Select(p => new Member(
            JsonNamingPolicy.CamelCase.ConvertName(p.Name!),
            !p.HasDefaultValue && nullability.Create(p).WriteState != NullabilityState.Nullable,
            RecordElement(p.ParameterType), p.ParameterType, IsIdName(PascalCase(p.Name!))));
        var inherited = type.GetProperties()
            .Where(p => p.DeclaringType != type && p.SetMethod is not null && p.Name != "EqualityContract")
            .Select(p => new Member(JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null, null, p.PropertyType, IsIdName(p.Name)));
        return fromConstructor.Concat(inherited).ToList();
    }

    private static string PascalCase(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private static Type? RecordElement(Type type)
    {
        var element = type.IsGenericType && type.GetGenericArguments() is [var arg] && typeof(IEnumerable).IsAssignableFrom(type) ? arg : null;
        return element is { IsClass: true } && element != typeof(string) ? element : null;
    }
}
