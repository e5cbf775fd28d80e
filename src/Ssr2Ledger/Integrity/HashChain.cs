using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

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
        var linked = new JsonObject
        {
            ["type"] = type,
            ["data"] = JsonNode.Parse(dataJson.GetRawText()),
            ["effectiveAt"] = EffectiveAtText(effectiveAt),
            ["recordedBy"] = recordedBy,
            ["version"] = version,
        };
        var canonical = CanonicalJson.Serialize(JsonSerializer.SerializeToElement(linked));
        var buffer = new byte[32 + canonical.Length];
        Convert.FromHexString(previousHash).CopyTo(buffer, 0);
        canonical.CopyTo(buffer, 32);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    /// <summary>Valid time as hashed: UTC, ISO 8601 with seven fractional digits.</summary>
    public static string EffectiveAtText(DateTimeOffset effectiveAt) =>
        effectiveAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
