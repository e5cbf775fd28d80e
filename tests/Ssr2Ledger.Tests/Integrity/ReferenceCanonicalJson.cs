using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// The canonicalizer and hash preimage as they were before the byte-level rewrite (commit f80ae1e), kept unchanged
/// as the oracle of the differential tests: member names decoded to strings and sorted with
/// <see cref="string.CompareOrdinal(string, string)"/>, numbers through <see cref="double"/>, strings re-encoded.
/// </summary>
public static class ReferenceCanonicalJson
{
    /// <summary>Writes the canonical form of a JSON value; returns its top-level <c>effectiveAt</c>, if any.</summary>
    public static DateTimeOffset? Write(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return WriteValue(ref reader, json, output, topLevel: true);
    }

    private static DateTimeOffset? WriteValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, IBufferWriter<byte> output, bool topLevel = false)
    {
        DateTimeOffset? effectiveAt = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<(string Name, int Start, int Length)>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    if (topLevel && name == "effectiveAt" && reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at))
                        effectiveAt = at;
                    reader.Skip();
                    members.Add((name, start, (int)reader.BytesConsumed - start));
                }
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                Ascii(output, "{");
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) Ascii(output, ",");
                    WriteString(members[i].Name, output);
                    Ascii(output, ":");
                    var value = json.Slice(members[i].Start, members[i].Length);
                    var inner = new Utf8JsonReader(value);
                    inner.Read();
                    WriteValue(ref inner, value, output);
                }
                Ascii(output, "}");
                break;
            case JsonTokenType.StartArray:
                Ascii(output, "[");
                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first) Ascii(output, ",");
                    first = false;
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var value = json[start..(int)reader.BytesConsumed];
                    var inner = new Utf8JsonReader(value);
                    inner.Read();
                    WriteValue(ref inner, value, output);
                }
                Ascii(output, "]");
                break;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped) WriteString(reader.GetString()!, output);
                else
                {
                    // Unescaped JSON text holds no quote, backslash or control character: it is already canonical.
                    Ascii(output, "\"");
                    output.Write(reader.ValueSpan);
                    Ascii(output, "\"");
                }
                break;
            case JsonTokenType.Number: Ascii(output, Number(reader.GetDouble())); break;
            case JsonTokenType.True: Ascii(output, "true"); break;
            case JsonTokenType.False: Ascii(output, "false"); break;
            default: Ascii(output, "null"); break;
        }
        return effectiveAt;
    }

    /// <summary>ECMAScript's Number.prototype.toString, as RFC 8785 requires.</summary>
    private static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentException("JSON has no NaN or Infinity");
        if (value == 0) return "0";
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = r.IndexOf('E');
        if (exponentAt < 0) return r;

        // .NET writes 1E+21; ECMAScript writes 1e+21, and plain digits from 1e-6 up to 1e21.
        var mantissa = r[..exponentAt];
        var exponent = int.Parse(r[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        if (exponent is >= -6 and < 21)
            return decimal.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return $"{mantissa}e{(exponent > 0 ? "+" : "-")}{Math.Abs(exponent)}";
    }

    public static void WriteString(string value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length) + 2);
        // Most text needs no escaping at all.
        if (!value.AsSpan().ContainsAnyInRange('\0', '\x1f') && !value.AsSpan().ContainsAny('"', '\\'))
        {
            span[0] = (byte)'"';
            var length = Encoding.UTF8.GetBytes(value, span[1..]);
            span[length + 1] = (byte)'"';
            output.Advance(length + 2);
            return;
        }

        var escaped = new StringBuilder(value.Length + 8).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': escaped.Append("\\\""); break;
                case '\\': escaped.Append("\\\\"); break;
                case '\b': escaped.Append("\\b"); break;
                case '\f': escaped.Append("\\f"); break;
                case '\n': escaped.Append("\\n"); break;
                case '\r': escaped.Append("\\r"); break;
                case '\t': escaped.Append("\\t"); break;
                default:
                    if (c < 0x20) escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else escaped.Append(c);
                    break;
            }
        }
        var text = escaped.Append('"').ToString();
        span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public static byte[]? Preimage(string type, ReadOnlySpan<byte> dataUtf8, string recordedBy, long version, DateTimeOffset? effectiveAt,
        DateTimeOffset? recordedAt)
    {
        var output = new ArrayBufferWriter<byte>(64 + dataUtf8.Length * 2);
        output.Advance(32);
        Utf8(output, "{\"data\":");
        var stored = Write(dataUtf8, output);
        if ((effectiveAt ?? stored) is not { } at) return null;
        Utf8(output, ",\"effectiveAt\":");
        WriteString(Time(at), output);
        if (recordedAt is { } stored2)
        {
            Utf8(output, ",\"recordedAt\":");
            WriteString(Time(stored2), output);
        }
        Utf8(output, ",\"recordedBy\":");
        WriteString(recordedBy, output);
        Utf8(output, ",\"type\":");
        WriteString(type, output);
        Utf8(output, ",\"version\":");
        Utf8(output, version.ToString(CultureInfo.InvariantCulture));
        Utf8(output, "}");
        return output.WrittenSpan.ToArray();
    }

    private static string Time(DateTimeOffset effectiveAt)
    {
        var t = effectiveAt.UtcDateTime;
        return string.Create(28, t, static (s, t) =>
        {
            Digits(s[..4], t.Year); s[4] = '-'; Digits(s[5..7], t.Month); s[7] = '-'; Digits(s[8..10], t.Day); s[10] = 'T';
            Digits(s[11..13], t.Hour); s[13] = ':'; Digits(s[14..16], t.Minute); s[16] = ':'; Digits(s[17..19], t.Second); s[19] = '.';
            Digits(s[20..27], (int)(t.Ticks % TimeSpan.TicksPerSecond)); s[27] = 'Z';
        });
    }

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (char)('0' + value % 10);
    }

    private static void Utf8(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void Ascii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        output.Advance(text.Length);
    }
}
