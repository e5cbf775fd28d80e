using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// A sealed meeting: when a meeting is recorded as held, the ledger signs the review's position at that
/// moment (version and head hash). Anyone with the public key can check it; no later rewrite of the entries
/// up to that version can match it.
/// </summary>
public sealed record Checkpoint(string Id, string ReviewId, string MeetingId, long Version, string HeadHash, DateTimeOffset Time,
    string KeyId, string Signature)
{
    public static Checkpoint Seal(LedgerSigner signer, string reviewId, string meetingId, long version, string headHash, DateTimeOffset time)
    {
        var unsigned = new Checkpoint($"{reviewId}/{version}", reviewId, meetingId, version, headHash, time, signer.KeyId, "");
        return unsigned with { Signature = signer.Sign(unsigned.Payload()) };
    }

    /// <summary>What is signed: the RFC 8785 JSON of review, meeting, version, head hash and time.</summary>
    public byte[] Payload() => CanonicalJson.Serialize(JsonSerializer.SerializeToElement(new JsonObject
    {
        ["reviewId"] = ReviewId, ["meetingId"] = MeetingId, ["version"] = Version, ["headHash"] = HeadHash,
        ["time"] = Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
    }));

    public bool IsSignedBy(string publicKeyPem) => LedgerSigner.Verify(publicKeyPem, Payload(), Signature);
}
