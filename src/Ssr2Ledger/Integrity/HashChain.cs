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

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Convert.FromHexString(previousHash));
        sha.AppendData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Valid time as hashed: UTC, ISO 8601 with seven fractional digits.</summary>
    public static string EffectiveAtText(DateTimeOffset effectiveAt) =>
        effectiveAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
