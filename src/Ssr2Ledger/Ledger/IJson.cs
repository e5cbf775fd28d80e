using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// I-JSON (RFC 7493), checked on the bytes received before anything else reads them: no member name twice in one
/// object, no unpaired surrogate, no number a double does not hold exactly. The hash covers the canonical form of
/// what is stored; jsonb keeps only the last of twin members and numbers beyond a double, so input outside I-JSON
/// could make a stored entry disagree with its own hash.
/// </summary>
public static class IJson
{
    private const int MaxReported = 50;

    /// <param name="whole">The field that names the whole when it is not JSON at all.</param>
    public static IReadOnlyList<Refusal> Check(ReadOnlySpan<byte> utf8, string whole = "body")
    {
        var errors = new List<Refusal>();
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read() && errors.Count < MaxReported)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        frames.Add(new Frame(Next(frames), reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        if (StringProblem(ref reader) is { } nameProblem)
                        {
                            errors.Add(Refusal.Invalid(Join(frame.Path, "(member name)"), nameProblem));
                            frame.Member = "?";
                            break;
                        }
                        frame.Member = reader.GetString()!;
                        if (!frame.Names!.Add(frame.Member))
                            errors.Add(Refusal.Invalid(Join(frame.Path, frame.Member),
                                $"appears twice in one object; send each member once (I-JSON, RFC 7493)."));
                        break;
                    case JsonTokenType.String:
                        var at = Next(frames);
                        if (StringProblem(ref reader) is { } problem) errors.Add(Refusal.Invalid(PathOf(at), problem));
                        break;
                    case JsonTokenType.Number:
                        var number = Next(frames);
                        if (!Exact(reader.ValueSpan))
                            errors.Add(Refusal.Invalid(PathOf(number),
                                "is a number a double cannot hold exactly; send at most 15-17 significant digits within ±1.8e308 (I-JSON)."));
                        break;
                    default:
                        Next(frames);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            errors.Add(Refusal.Invalid(whole, $"is not valid JSON: {ex.Message}"));
        }
        return errors;
    }

    /// <summary>Where a value stands: in its parent object under a member, or in its parent array at an index.</summary>
    private readonly record struct Position(Frame? Parent, string Member, int Index);

    /// <summary>An object or array being read. Its path is spelled out only when an error names it (most lines have none).</summary>
    private sealed class Frame(Position at, bool isObject)
    {
        private string? _path;
        public string Path => _path ??= PathOf(at);
        public HashSet<string>? Names { get; } = isObject ? new HashSet<string>(8, StringComparer.Ordinal) : null;
        public string Member { get; set; } = "";
        public int Index { get; set; }
    }

    /// <summary>The position of the value starting now, counting array items as it goes.</summary>
    private static Position Next(List<Frame> frames)
    {
        if (frames.Count == 0) return default;
        var parent = frames[^1];
        return parent.Names is not null ? new(parent, parent.Member, -1) : new(parent, "", parent.Index++);
    }

    /// <summary>The field name of a position (the root's is empty).</summary>
    private static string PathOf(Position at) =>
        at.Parent is null ? "" : at.Index < 0 ? Join(at.Parent.Path, at.Member) : $"{at.Parent.Path}[{at.Index}]";

    private static string Join(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    /// <summary>Invalid UTF-8, or an escaped surrogate without its other half.</summary>
    private static string? StringProblem(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        if (!Utf8.IsValid(raw)) return "is not valid UTF-8.";
        if (!reader.ValueIsEscaped) return null;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\') continue;
            if (raw[i + 1] != 'u') { i++; continue; }
            var unit = Hex(raw.Slice(i + 2, 4));
            i += 5;
            if (unit is >= 0xDC00 and <= 0xDFFF) return "holds an unpaired surrogate (\\u" + unit.ToString("x4") + ").";
            if (unit is < 0xD800 or > 0xDBFF) continue;
            var low = i + 6 < raw.Length && raw[i + 1] == '\\' && raw[i + 2] == 'u' ? Hex(raw.Slice(i + 3, 4)) : -1;
            if (low is < 0xDC00 or > 0xDFFF) return "holds an unpaired surrogate (\\u" + unit.ToString("x4") + ").";
            i += 6;
        }
        return null;
    }

    private static int Hex(ReadOnlySpan<byte> four) => int.Parse(Encoding.ASCII.GetString(four), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the number is the decimal value of the double it parses to: the canonical form (RFC 8785) writes that
    /// double, so any more digits, or a magnitude beyond a double, would be lost between what is sent and what is hashed.
    /// </summary>
    public static bool Exact(ReadOnlySpan<byte> text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            return false;
        try
        {
            return Decimal(Encoding.ASCII.GetString(text)) == Decimal(value.ToString("R", CultureInfo.InvariantCulture));
        }
        catch (OverflowException)
        {
            return false; // an exponent beyond any double's, on a zero
        }
    }

    /// <summary>A number as (sign, significant digits, exponent): equal for equal values however written.</summary>
    private static (bool Negative, string Digits, int Exponent) Decimal(string number)
    {
        var negative = number.StartsWith('-');
        var body = number.TrimStart('-', '+');
        var e = body.IndexOfAny(['e', 'E']);
        var exponent = e >= 0 ? int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? body[..e] : body;
        var dot = mantissa.IndexOf('.');
        if (dot >= 0) exponent -= mantissa.Length - dot - 1;
        var digits = mantissa.Replace(".", "");
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length == 0) return (false, "", 0);
        var trailing = trimmed.Length - trimmed.TrimEnd('0').Length;
        return (negative, trimmed.TrimEnd('0'), exponent + trailing);
    }
}
