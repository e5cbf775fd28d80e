using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme): object members sorted by UTF-16 code units, no whitespace,
/// numbers in their shortest round-trip form, strings with the minimal escaping. Any other
/// implementation of the RFC recomputes the same bytes, and so the same hashes.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(element, builder);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static void Write(JsonElement element, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Append('{');
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var property in element.EnumerateObject()) members.Add((property.Name, property.Value));
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) output.Append(',');
                    WriteString(members[i].Name, output);
                    output.Append(':');
                    Write(members[i].Value, output);
                }
                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0) output.Append(',');
                    Write(item, output);
                }
                output.Append(']');
                break;
            case JsonValueKind.String: WriteString(element.GetString()!, output); break;
            case JsonValueKind.Number: output.Append(Number(element.GetDouble())); break;
            case JsonValueKind.True: output.Append("true"); break;
            case JsonValueKind.False: output.Append("false"); break;
            default: output.Append("null"); break;
        }
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

    public static void WriteString(string value, StringBuilder output)
    {
        output.Append('"');
        // Most text needs no escaping at all.
        if (!value.AsSpan().ContainsAnyInRange('\0', '\x1f') && !value.AsSpan().ContainsAny('"', '\\'))
        {
            output.Append(value).Append('"');
            return;
        }
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20) output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else output.Append(c);
                    break;
            }
        }
        output.Append('"');
    }
}
