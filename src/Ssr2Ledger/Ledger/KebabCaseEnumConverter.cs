using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Enums travel as the SPEC's kebab-case words (<c>in-scope</c>, <c>face-to-face</c>) and nothing else:
/// unlike the framework's converter this one refuses numbers, other casings and flag combinations.
/// </summary>
public sealed class KebabCaseEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private static readonly Dictionary<T, string> WordOf =
        Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, T> ByWord = WordOf.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Word(T value) => WordOf[value];

    public static IEnumerable<string> Words => ByWord.Keys;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && ByWord.TryGetValue(reader.GetString()!, out var value))
            return value;
        throw new JsonException($"must be one of: {string.Join(", ", ByWord.Keys)}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Word(value));
}

/// <summary>An enum's SPEC word wherever text is written (pages, timelines, problems, the command line).</summary>
public static class KebabCase
{
    public static string Word<T>(T value) where T : struct, Enum => KebabCaseEnumConverter<T>.Word(value);

    /// <summary>The words of an enum written by this converter (the OpenAPI document's enums); null for any other type.</summary>
    public static IReadOnlyList<string>? Words(Type type) =>
        type.GetCustomAttributes(typeof(JsonConverterAttribute), false)
            is [JsonConverterAttribute { ConverterType: { IsGenericType: true } c }] && c.GetGenericTypeDefinition() == typeof(KebabCaseEnumConverter<>)
            ? [.. (IEnumerable<string>)c.GetProperty(nameof(KebabCaseEnumConverter<DayOfWeek>.Words))!.GetValue(null)!]
            : null;
}
