using System.Buffers;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// The byte-level canonicalizer against the one it replaced (<see cref="ReferenceCanonicalJson"/>): for every input, the
/// same bytes and the same valid time, or the same kind of refusal. Every hash the ledger ever wrote depends on it.
/// Inputs are JSON texts drawn from choices (FsCheck shrinks a failure to a short text) with the cases RFC 8785 is
/// careful about: names that sort differently in UTF-16 and UTF-8, escapes of every kind, surrogates paired and lone,
/// numbers at ECMAScript's edges, duplicate names, deep nesting; and the same texts damaged byte by byte.
/// </summary>
public sealed class CanonicalJsonDifferentialTests
{
    private static readonly Arbitrary<int[]> Choices = Gen.Choose(0, int.MaxValue).ArrayOf().ToArbitrary();

    [Property(MaxTest = 2000, EndSize = 200)]
    public Property generated_json_canonicalizes_as_before() =>
        Prop.ForAll(Choices, choices => Same(Encoding.UTF8.GetBytes(new Generator(choices).Document())));

    [Property(MaxTest = 2000, EndSize = 200)]
    public Property damaged_json_is_canonicalized_or_refused_as_before() =>
        Prop.ForAll(Choices, choices =>
        {
            var generator = new Generator(choices);
            var text = Encoding.UTF8.GetBytes(generator.Document()).ToList();
            for (var i = generator.Next(4); i >= 0 && text.Count > 0; i--)
            {
                var at = generator.Next(text.Count + 1);
                if (generator.Next(2) == 0 && at < text.Count) text.RemoveAt(at);
                else text.Insert(at, Damage[generator.Next(Damage.Length)]);
            }
            Same(text.ToArray());
        });

    [Property(MaxTest = 500, EndSize = 100)]
    public Property hash_preimages_are_as_before() =>
        Prop.ForAll(Choices, choices =>
        {
            var generator = new Generator(choices);
            var data = Encoding.UTF8.GetBytes(generator.Document());
            var recordedBy = generator.Text();
            var type = generator.Text();
            var version = (long)generator.Next(int.MaxValue) * (generator.Next(3) - 1);
            var at = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks((long)generator.Next(int.MaxValue) * 1_000_003);
            DateTimeOffset? effectiveAt = generator.Next(2) == 0 ? null : at.AddDays(-generator.Next(9999)).ToOffset(TimeSpan.FromHours(generator.Next(27) - 13));
            DateTimeOffset? recordedAt = generator.Next(2) == 0 ? null : at;
            var expected = Outcome(() => ReferenceCanonicalJson.Preimage(type, data, recordedBy, version, effectiveAt, recordedAt));
            var actual = Outcome(() => HashChain.Preimage(type, data, recordedBy, version, effectiveAt, recordedAt));
            Assert.Equal(expected, actual);
        });

    [Theory]
    [InlineData("""{"\uE000":1,"\uD83D\uDE00":2}""", "{\"\U0001F600\":2,\"\uE000\":1}")]
    [InlineData("{\"\uE000\":1,\"\U0001F600\":2,\"\uFFFF\":3,\"\U00010000\":4,\"\uD7FF\":5}",
        "{\"\uD7FF\":5,\"\U00010000\":4,\"\U0001F600\":2,\"\uE000\":1,\"\uFFFF\":3}")]
    [InlineData("""[1e21, 1e20, 5e-7, 1e-6, -0, 0.0, 123456789012345, 1234567890123456, 9007199254740993]""",
        "[1e+21,100000000000000000000,5e-7,0.000001,0,0,123456789012345,1234567890123456,9007199254740992]")]
    [InlineData("""[1E400]""", null)]
    [InlineData("""{"a":1,"a":2,"b":0,"a":3}""", """{"a":1,"a":2,"a":3,"b":0}""")]
    [InlineData("""{"effective\u0041t":"2017-01-09T13:45:00+02:00","x":{"effectiveAt":"2019-01-01T00:00:00Z"}}""", null)]
    [InlineData("""{"a":"\uD800"}""", null)]
    [InlineData("""{"\uDC00\uD83D":1}""", null)]
    [InlineData("""{"a":1} trailing""", """{"a":1}""")]
    [InlineData("\"\\u0000\\b\\f\\n\\r\\t\\u001f\\\"\\\\\\/\\u007f\\u2028\"", "\"\\u0000\\b\\f\\n\\r\\t\\u001f\\\"\\\\/\u007f\u2028\"")]
    public void hostile_cases_canonicalize_as_before(string json, string? expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Same(bytes);
        if (expected is not null) Assert.Equal(expected, Encoding.UTF8.GetString(Canonical(bytes)));
    }

    [Theory]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void deep_nesting_is_canonicalized_or_refused_as_before(int depth)
    {
        Same(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth))));
        Same(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"b\":1,\"a\":", depth)) + "0" + new string('}', depth)));
    }

    [Fact]
    public void text_that_is_not_utf8_is_refused_as_before()
    {
        Same([.. "{\""u8, 0xFF, .. "\":1}"u8]);
        Same([.. "{\"\\n"u8, 0xC3, .. "\":1}"u8]);
        Same([.. "[\"\\n"u8, 0xED, 0xA0, 0x80, .. "\"]"u8]);
        Same([.. "\""u8, 0xC3, .. "\""u8]);
    }

    [Fact]
    public void many_members_with_duplicate_names_keep_the_order_they_had()
    {
        var random = new Random(17);
        for (var n = 0; n < 200; n++)
        {
            var members = Enumerable.Range(0, random.Next(2, 80)).Select(i => $"\"k{random.Next(6)}\":{i}");
            Same(Encoding.UTF8.GetBytes("{" + string.Join(",", members) + "}"));
        }
    }

    private static readonly byte[] Damage = "{}[]:,\"\\ue0-.+5\u0001"u8.ToArray().Concat(new byte[] { 0xFF, 0xC3, 0xED, 0xF0 }).ToArray();

    private static byte[] Canonical(byte[] json)
    {
        var output = new ArrayBufferWriter<byte>();
        CanonicalJson.Write(json, output);
        return output.WrittenSpan.ToArray();
    }

    private static void Same(byte[] json)
    {
        var expected = Outcome(() => Run(ReferenceCanonicalJson.Write, json));
        var actual = Outcome(() => Run(CanonicalJson.Write, json));
        Assert.True(expected == actual, $"input {Convert.ToHexString(json)} ({Encoding.UTF8.GetString(json)}):\nbefore {expected}\nnow    {actual}");
    }

    private delegate DateTimeOffset? Canonicalizer(ReadOnlySpan<byte> json, IBufferWriter<byte> output);

    private static string Run(Canonicalizer canonicalize, byte[] json)
    {
        var output = new ArrayBufferWriter<byte>();
        var at = canonicalize(json, output);
        return $"{Convert.ToHexString(output.WrittenSpan)} at {at?.ToString("O", CultureInfo.InvariantCulture) ?? "none"}";
    }

    /// <summary>What a call produced, or the kind of exception it threw.</summary>
    private static string Outcome<T>(Func<T> call)
    {
        try
        {
            return call() switch { byte[] bytes => Convert.ToHexString(bytes), var other => other?.ToString() ?? "null" };
        }
        catch (Exception ex) { return "throws " + ex.GetType().Name; }
    }

    /// <summary>JSON texts from a list of choices: an exhausted list always takes the first, simplest, option.</summary>
    private sealed class Generator(int[] choices)
    {
        private int used;

        public int Next(int options) => used < choices.Length ? choices[used++] % options : 0;

        private static readonly string[] Names =
        [
            "a", "", "b", "A", "aa", "effectiveAt", "\uE000", "\U0001F600", "\uFFFF", "\U00010000", "\uD7FF", "\u00e9", "e\u0301",
            "\u20ac", "\r", "\0", "\"", "\\", "/", "\u2028", "\u007f", "\U0001D11E", "\uFB01", "type", "data",
        ];

        private static readonly string[] Numbers =
        [
            "0", "-0", "1", "-1", "1e21", "1E21", "1e+21", "1e20", "999999999999999999999", "5e-7", "1e-7", "0.000001", "1e-6",
            "123456789012345", "-123456789012345", "1234567890123456", "999999999999999", "1000000000000000", "9007199254740993",
            "1.0", "4.5e3", "1E400", "-1e-400", "0.1", "1.7976931348623157e308", "5e-324", "2.5", "100", "1e15", "123.456e-10",
            "0.30000000000000004", "-0.0", "0e0", "1e-0", "12e1",
        ];

        private static readonly string[] Spaces = ["", " ", "\n", "\t ", "\r\n"];

        public string Document() => Value(0);

        private string Space() => Spaces[Next(Spaces.Length)];

        private string Value(int depth)
        {
            switch (depth > 6 ? 3 + Next(4) : Next(8))
            {
                case 0 or 1:
                    var members = Enumerable.Range(0, Next(7)).Select(_ => $"{Space()}{Quoted(Name())}{Space()}:{Value(depth + 1)}");
                    return $"{Space()}{{{string.Join(",", members)}{Space()}}}{Space()}";
                case 2:
                    return $"{Space()}[{string.Join(",", Enumerable.Range(0, Next(5)).Select(_ => Value(depth + 1)))}{Space()}]{Space()}";
                case 3: return Space() + Quoted(Text()) + Space();
                case 4: return Space() + Number() + Space();
                default: return Space() + new[] { "null", "true", "false" }[Next(3)] + Space();
            }
        }

        private string Name() => Next(3) == 0 ? Text() : Names[Next(Names.Length)];

        public string Text() => string.Concat(Enumerable.Range(0, Next(6)).Select(_ => Next(4) == 0 ? Names[Next(Names.Length)] : ((char)(' ' + Next(95))).ToString()));

        private string Number() => Next(3) switch
        {
            0 => Numbers[Next(Numbers.Length)],
            1 => (Next(2) == 0 ? "-" : "") + (Next(9) + 1) + string.Concat(Enumerable.Range(0, Next(22)).Select(_ => (char)('0' + Next(10)))),
            _ => (BitConverter.Int64BitsToDouble(((long)Next(int.MaxValue) << 32) | (uint)Next(int.MaxValue)) is var d && double.IsFinite(d) ? d : 1.5)
                .ToString(Next(2) == 0 ? "R" : "E10", CultureInfo.InvariantCulture),
        };

        /// <summary>A string as JSON: each character raw or escaped (as \u with either case of hex, or its short escape).</summary>
        private string Quoted(string text)
        {
            var quoted = new StringBuilder("\"");
            foreach (var c in text)
            {
                var mustEscape = c < 0x20 || c is '"' or '\\';
                quoted.Append((mustEscape ? Next(2) : Next(6)) switch
                {
                    0 when c is '"' or '\\' or '/' => "\\" + c,
                    0 when c is '\n' => "\\n",
                    0 when c is '\t' => "\\t",
                    0 or 1 => "\\u" + ((int)c).ToString(Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture),
                    _ => c.ToString(),
                });
            }
            // Now and then a lone or reversed surrogate, escaped (raw, it could not be UTF-8 at all).
            if (Next(20) == 0) quoted.Append(new[] { "\\uD800", "\\uDC00", "\\uDC00\\uD800", "\\udbff\\udfff" }[Next(4)]);
            return quoted.Append('"').ToString();
        }
    }
}
