using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// Each review's entries form a SHA-256 chain:
/// <c>hash = SHA-256(previousHash bytes || RFC 8785 JSON of { type, data, effectiveAt, recordedBy, version })</c>,
/// with 32 zero bytes before the first entry. Hashes are written as lowercase hex.
/// </summary>
public static class HashChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <param name="dataJson">The event's data exactly as stored.</param>
    public static string Next(string previousHash, string type, JsonElement dataJson, DateTimeOffset effectiveAt,
        string recordedBy, long version)
    {
        // The RFC 8785 form of { type, data, effectiveAt, recordedBy, version }, written directly: members in code-unit order.
        var canonical = new StringBuilder(256);
        canonical.Append("{\"data\":");
        CanonicalJson.Write(dataJson, canonical);
        canonical.Append(",\"effectiveAt\":");
        CanonicalJson.WriteString(EffectiveAtText(effectiveAt), canonical);
        canonical.Append(",\"recordedBy\":");
        CanonicalJson.WriteString(recordedBy, canonical);
        canonical.Append(",\"type\":");
        CanonicalJson.WriteString(type, canonical);
        canonical.Append(",\"version\":").Append(version.ToString(CultureInfo.InvariantCulture)).Append('}');

        var text = canonical.ToString();
        var buffer = ArrayPool<byte>.Shared.Rent(32 + Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            Convert.FromHexString(previousHash, buffer.AsSpan(0, 32), out _, out _);
            var length = 32 + Encoding.UTF8.GetBytes(text, buffer.AsSpan(32));
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Valid time as hashed: UTC, ISO 8601 with seven fractional digits.</summary>
    public static string EffectiveAtText(DateTimeOffset effectiveAt) =>
        effectiveAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
