using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme): object members sorted by UTF-16 code units, no whitespace,
/// numbers in ECMAScript's shortest round-trip form, strings with the minimal escaping. Any other
/// implementation of the RFC recomputes the same bytes, and so the same hashes. Works on UTF-8 directly and
/// allocates nothing for the usual entry: member names are sorted as bytes (see <see cref="Utf16Order"/>),
/// unescaped strings and plain integers are copied as they stand. The verifier canonicalizes every stored entry.
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
    /// <remarks>
    /// Reads only the first value (what follows it is not looked at) and throws what <see cref="Utf8JsonReader"/>
    /// throws on malformed JSON, <see cref="InvalidOperationException"/> on text that is not valid Unicode and
    /// <see cref="ArgumentException"/> on a number beyond a double's range: as the string-based canonicalizer
    /// before it did (the differential tests hold it to that).
    /// </remarks>
    public static DateTimeOffset? Write(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var workspace = Workspace.Rent();
        try { return WriteValue(ref reader, json, output, workspace, topLevel: true); }
        finally { Workspace.Return(workspace); }
    }

    /// <summary>
    /// An object's member as found in the text: where its name's bytes are (in the JSON, or unescaped in the
    /// workspace's name buffer) and where its value is.
    /// </summary>
    private struct Member
    {
        public int NameStart, NameLength, ValueStart, ValueLength;
        public bool NameInWorkspace, ValueEscaped;
        public JsonTokenType ValueType;
    }

    /// <summary>
    /// Scratch space for one canonicalization, used as two stacks (an object's members stay in it while its
    /// values are written, nested objects above them): one per thread, so nothing is allocated per entry.
    /// </summary>
    private sealed class Workspace : IComparer<Member>
    {
        public Member[] Members = new Member[64];
        public byte[] Names = new byte[256];
        public int MemberTop, NameTop;

        /// <summary>A copy of the JSON whose members are being sorted, for the comparer (a span cannot be a field).</summary>
        public byte[] Json = new byte[1024];

        [ThreadStatic] private static Workspace? cached;

        public static Workspace Rent()
        {
            var workspace = cached ?? new Workspace();
            cached = null;
            return workspace;
        }

        public static void Return(Workspace workspace)
        {
            workspace.MemberTop = workspace.NameTop = 0;
            cached = workspace;
        }

        public ReadOnlySpan<byte> Name(in Member member, ReadOnlySpan<byte> json) =>
            member.NameInWorkspace ? Names.AsSpan(member.NameStart, member.NameLength) : json.Slice(member.NameStart, member.NameLength);

        public int Compare(Member a, Member b) => Utf16Order(Name(a, Json), Name(b, Json));

        public Span<byte> Free(int length)
        {
            if (NameTop + length > Names.Length) Array.Resize(ref Names, Math.Max(Names.Length * 2, NameTop + length));
            return Names.AsSpan(NameTop, length);
        }
    }

    private static DateTimeOffset? WriteValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, IBufferWriter<byte> output,
        Workspace workspace, bool topLevel = false)
    {
        DateTimeOffset? effectiveAt = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var first = workspace.MemberTop;
                var nameTop = workspace.NameTop;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var member = new Member();
                    if (reader.ValueIsEscaped)
                    {
                        // Rare: a name written with escapes is sorted and written by what it stands for.
                        member.NameStart = workspace.NameTop;
                        member.NameLength = Unescape(ref reader, workspace).Length;
                        member.NameInWorkspace = true;
                        workspace.NameTop += member.NameLength;
                    }
                    else
                    {
                        Validate(reader.ValueSpan);
                        member.NameStart = (int)reader.TokenStartIndex + 1;
                        member.NameLength = reader.ValueSpan.Length;
                    }
                    var isEffectiveAt = topLevel && workspace.Name(member, json).SequenceEqual("effectiveAt"u8);
                    reader.Read();
                    member.ValueStart = (int)reader.TokenStartIndex;
                    member.ValueType = reader.TokenType;
                    member.ValueEscaped = reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped;
                    if (isEffectiveAt && reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at))
                        effectiveAt = at;
                    reader.Skip();
                    member.ValueLength = (int)reader.BytesConsumed - member.ValueStart;
                    if (workspace.MemberTop == workspace.Members.Length) Array.Resize(ref workspace.Members, workspace.Members.Length * 2);
                    workspace.Members[workspace.MemberTop++] = member;
                }
                var members = workspace.Members.AsSpan(first, workspace.MemberTop - first);
                if (members.Length > 1) Sort(members, json, workspace);

                Byte(output, (byte)'{');
                for (var i = 0; i < members.Length; i++)
                {
                    // Nested objects push their members above these (and the arrays may be replaced as they grow).
                    var member = workspace.Members[first + i];
                    if (i > 0) Byte(output, (byte)',');
                    WriteString(workspace.Name(member, json), output);
                    Byte(output, (byte)':');
                    WriteMemberOrElement(json, member.ValueStart, member.ValueLength, member.ValueType, member.ValueEscaped, output, workspace);
                }
                Byte(output, (byte)'}');
                workspace.MemberTop = first;
                workspace.NameTop = nameTop;
                break;
            case JsonTokenType.StartArray:
                Byte(output, (byte)'[');
                var firstElement = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!firstElement) Byte(output, (byte)',');
                    firstElement = false;
                    var start = (int)reader.TokenStartIndex;
                    var type = reader.TokenType;
                    var escaped = type == JsonTokenType.String && reader.ValueIsEscaped;
                    reader.Skip();
                    WriteMemberOrElement(json, start, (int)reader.BytesConsumed - start, type, escaped, output, workspace);
                }
                Byte(output, (byte)']');
                break;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped) WriteString(Unescape(ref reader, workspace), output);
                else
                {
                    // Unescaped JSON text holds no quote, backslash or control character: it is already canonical.
                    Byte(output, (byte)'"');
                    output.Write(reader.ValueSpan);
                    Byte(output, (byte)'"');
                }
                break;
            case JsonTokenType.Number:
                if (!IsPlainInteger(reader.ValueSpan, output)) Ascii(output, Number(reader.GetDouble()));
                break;
            case JsonTokenType.True: output.Write("true"u8); break;
            case JsonTokenType.False: output.Write("false"u8); break;
            default: output.Write("null"u8); break;
        }
        return effectiveAt;
    }

    /// <summary>
    /// A member's value or an array's element, already read past: the common kinds are copied from the text,
    /// the rest read again on their own.
    /// </summary>
    private static void WriteMemberOrElement(ReadOnlySpan<byte> json, int start, int length, JsonTokenType type, bool escaped,
        IBufferWriter<byte> output, Workspace workspace)
    {
        var value = json.Slice(start, length);
        switch (type)
        {
            case JsonTokenType.String when !escaped: output.Write(value); return;
            case JsonTokenType.Number when IsPlainInteger(value, output): return;
            case JsonTokenType.True: output.Write("true"u8); return;
            case JsonTokenType.False: output.Write("false"u8); return;
            case JsonTokenType.Null: output.Write("null"u8); return;
        }
        var inner = new Utf8JsonReader(value);
        inner.Read();
        WriteValue(ref inner, value, output, workspace);
    }

    /// <summary>
    /// Sorts members as <see cref="List{T}.Sort(Comparison{T})"/> over their names as strings did (the same
    /// introspective sort, so even duplicate names keep the order they had).
    /// </summary>
    private static void Sort(Span<Member> members, ReadOnlySpan<byte> json, Workspace workspace)
    {
        // Already in order, as a canonical or jsonb-sorted text often is: nothing to move.
        var sorted = true;
        for (var i = 1; i < members.Length && sorted; i++)
            sorted = Utf16Order(workspace.Name(members[i - 1], json), workspace.Name(members[i], json)) < 0;
        if (sorted) return;
        if (workspace.Json.Length < json.Length) workspace.Json = new byte[Math.Max(json.Length, workspace.Json.Length * 2)];
        json.CopyTo(workspace.Json);
        members.Sort(workspace);
    }

    /// <summary>
    /// Compares two valid UTF-8 strings as their UTF-16 forms compare by code unit, as RFC 8785 orders names.
    /// Byte order is code point order, which is UTF-16's except where U+E000–U+FFFF meets a code point beyond
    /// U+FFFF (UTF-16 writes that as a surrogate, D800–DFFF, so it sorts first); the two part at their lead bytes,
    /// EE–EF against F0–F4.
    /// </summary>
    public static int Utf16Order(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        int x = a[common], y = b[common];
        if (x >= 0xEE && y >= 0xEE && (x >= 0xF0) != (y >= 0xF0)) return x >= 0xF0 ? -1 : 1;
        return x - y;
    }

    /// <summary>
    /// Writes an integer token of up to 15 digits as it stands (ECMAScript prints such a number with the same
    /// digits; JSON allows no leading zero), <c>-0</c> as <c>0</c>. False for any other number.
    /// </summary>
    private static bool IsPlainInteger(ReadOnlySpan<byte> number, IBufferWriter<byte> output)
    {
        var digits = number.Length > 0 && number[0] == '-' ? number[1..] : number;
        if (digits.Length is 0 or > 15 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')) return false;
        if (digits is [(byte)'0']) output.Write("0"u8);
        else output.Write(number);
        return true;
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

    /// <summary>
    /// The string token's text with its escapes resolved, as UTF-8, in the workspace's free name space (claimed
    /// only if the caller moves <see cref="Workspace.NameTop"/>).
    /// </summary>
    private static ReadOnlySpan<byte> Unescape(ref Utf8JsonReader reader, Workspace workspace)
    {
        // Resolving escapes never lengthens the text.
        var free = workspace.Free(reader.ValueSpan.Length);
        var text = free[..reader.CopyString(free)];
        Validate(text);
        return text;
    }

    /// <summary>Text that is not valid UTF-8 (raw, or a lone surrogate escaped) is refused as it would be read as a string.</summary>
    private static void Validate(ReadOnlySpan<byte> text)
    {
        if (!Utf8.IsValid(text)) throw new InvalidOperationException("JSON text is not valid UTF-8");
    }

    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    /// <summary>A JSON string with RFC 8785's escaping: quote, backslash and control characters only.</summary>
    public static void WriteString(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        Byte(output, (byte)'"');
        while (true)
        {
            var at = utf8.IndexOfAny(NeedsEscape);
            if (at < 0) break;
            output.Write(utf8[..at]);
            Escape(utf8[at], output);
            utf8 = utf8[(at + 1)..];
        }
        output.Write(utf8);
        Byte(output, (byte)'"');
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
        WriteString(Encoding.UTF8.GetBytes(value), output);
    }

    private static void Escape(byte c, IBufferWriter<byte> output)
    {
        switch (c)
        {
            case (byte)'"': output.Write("\\\""u8); break;
            case (byte)'\\': output.Write("\\\\"u8); break;
            case (byte)'\b': output.Write("\\b"u8); break;
            case (byte)'\f': output.Write("\\f"u8); break;
            case (byte)'\n': output.Write("\\n"u8); break;
            case (byte)'\r': output.Write("\\r"u8); break;
            case (byte)'\t': output.Write("\\t"u8); break;
            default:
                var span = output.GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = (byte)"0123456789abcdef"[c >> 4];
                span[5] = (byte)"0123456789abcdef"[c & 0xf];
                output.Advance(6);
                break;
        }
    }

    private static void Byte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void Ascii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        output.Advance(text.Length);
    }
}
