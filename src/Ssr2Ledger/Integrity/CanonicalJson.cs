using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme): object members sorted by UTF-16 code units, no whitespace,
/// numbers in ECMAScript's shortest round-trip form, strings with the minimal escaping. Any other
/// implementation of the RFC recomputes the same bytes, and so the same hashes. Works on UTF-8 directly:
/// the verifier canonicalizes every stored entry, so no document tree is built.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonElement element)
    {
        var output = new ArrayBufferWriter<byte>();
        Write(Encoding.UTF8.GetBytes(element.GetRawText()), output);
        return output.WrittenSpan.ToArray();
    }

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

    private static void Ascii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        output.Advance(text.Length);
    }
}
