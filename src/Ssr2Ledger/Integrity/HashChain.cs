using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// Each review's entries form a SHA-256 chain:
/// <c>hash = SHA-256(previousHash bytes || RFC 8785 JSON of { type, data, effectiveAt, recordedAt, recordedBy, version })</c>,
/// with 32 zero bytes before the first entry. Hashes are written as lowercase hex. Scheme 1 (entries written before
/// the store's time was hashed, with no <c>scheme</c> header) is the same without <c>recordedAt</c>.
/// </summary>
public static class HashChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The scheme new entries are chained with (written in each entry's <c>scheme</c> header).</summary>
    public const int Scheme = 2;

    /// <summary>The store's time as PostgreSQL keeps it (microseconds, UTC): what scheme 2 hashes must survive a round trip.</summary>
    public static DateTimeOffset StoreTime(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    /// <param name="dataJson">The event's data exactly as stored.</param>
    public static string Next(string previousHash, string type, JsonElement dataJson, DateTimeOffset effectiveAt,
        string recordedBy, long version, DateTimeOffset? recordedAt = null) =>
        Next(previousHash, type, Encoding.UTF8.GetBytes(dataJson.GetRawText()), recordedBy, version, effectiveAt, recordedAt)!;

    /// <summary>
    /// The hash of an entry whose data is given as UTF-8 JSON. The valid time is the data's own
    /// <c>effectiveAt</c> unless given; null when the data has none.
    /// </summary>
    /// <param name="recordedAt">Scheme 2 hashes the store's time; null for scheme 1.</param>
    public static string? Next(string previousHash, string type, ReadOnlySpan<byte> dataUtf8, string recordedBy, long version,
        DateTimeOffset? effectiveAt = null, DateTimeOffset? recordedAt = null) =>
        Preimage(type, dataUtf8, recordedBy, version, effectiveAt, recordedAt) is { } preimage ? Link(previousHash, preimage) : null;

    /// <summary>
    /// What an entry's hash covers, with room for its predecessor's hash in the first 32 bytes: it can be made
    /// before the predecessor is known (an import makes it on another core). Null when the data has no valid time.
    /// </summary>
    public static byte[]? Preimage(string type, ReadOnlySpan<byte> dataUtf8, string recordedBy, long version, DateTimeOffset? effectiveAt = null,
        DateTimeOffset? recordedAt = null)
    {
        var output = new ArrayBufferWriter<byte>(160 + dataUtf8.Length);
        return WritePreimage(output, type, dataUtf8, recordedBy, version, effectiveAt, recordedAt) ? output.WrittenSpan.ToArray() : null;
    }

    /// <summary>Writes <see cref="Preimage"/> into <paramref name="output"/>; false when the data has no valid time.</summary>
    public static bool WritePreimage(IBufferWriter<byte> output, string type, ReadOnlySpan<byte> dataUtf8, string recordedBy, long version,
        DateTimeOffset? effectiveAt = null, DateTimeOffset? recordedAt = null)
    {
        // The RFC 8785 form of { type, data, effectiveAt, [recordedAt,] recordedBy, version }, written directly: members in
        // code-unit order.
        output.Advance(32);
        output.Write("{\"data\":"u8);
        var stored = CanonicalJson.Write(dataUtf8, output);
        if ((effectiveAt ?? stored) is not { } at) return false;
        output.Write(",\"effectiveAt\":"u8);
        WriteTime(at, output);
        if (recordedAt is { } stored2)
        {
            output.Write(",\"recordedAt\":"u8);
            WriteTime(stored2, output);
        }
        output.Write(",\"recordedBy\":"u8);
        CanonicalJson.WriteString(recordedBy, output);
        output.Write(",\"type\":"u8);
        CanonicalJson.WriteString(type, output);
        output.Write(",\"version\":"u8);
        var span = output.GetSpan(21);
        version.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)'}';
        output.Advance(written + 1);
        return true;
    }

    /// <summary>Chains a preimage onto its predecessor: SHA-256 of the predecessor's hash and the preimage.</summary>
    public static string Link(string previousHash, byte[] preimage) => Link(previousHash, preimage.AsSpan());

    /// <inheritdoc cref="Link(string, byte[])"/>
    public static string Link(string previousHash, Span<byte> preimage)
    {
        Convert.FromHexString(previousHash, preimage[..32], out _, out _);
        Span<byte> hash = stackalloc byte[32];
        // One reused context a thread: OpenSSL 3 spends more setting up a one-shot digest than hashing a short entry.
        var sha256 = digest ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(preimage);
        sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    [ThreadStatic] private static IncrementalHash? digest;

    /// <summary>Valid time (and the store's time) as hashed: UTC, ISO 8601 with seven fractional digits.</summary>
    public static string EffectiveAtText(DateTimeOffset effectiveAt)
    {
        Span<byte> text = stackalloc byte[28];
        TimeText(effectiveAt, text);
        return Encoding.ASCII.GetString(text);
    }

    /// <summary><see cref="EffectiveAtText"/> as a JSON string (it needs no escaping).</summary>
    private static void WriteTime(DateTimeOffset time, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(30);
        span[0] = (byte)'"';
        TimeText(time, span.Slice(1, 28));
        span[29] = (byte)'"';
        output.Advance(30);
    }

    private static void TimeText(DateTimeOffset time, Span<byte> s)
    {
        var t = time.UtcDateTime;
        Digits(s[..4], t.Year); s[4] = (byte)'-'; Digits(s[5..7], t.Month); s[7] = (byte)'-'; Digits(s[8..10], t.Day); s[10] = (byte)'T';
        Digits(s[11..13], t.Hour); s[13] = (byte)':'; Digits(s[14..16], t.Minute); s[16] = (byte)':'; Digits(s[17..19], t.Second); s[19] = (byte)'.';
        Digits(s[20..27], (int)(t.Ticks % TimeSpan.TicksPerSecond)); s[27] = (byte)'Z';
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (byte)('0' + value % 10);
    }
}
