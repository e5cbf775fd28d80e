using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// A sealed position of a review: when a meeting is recorded as held (or on demand), the ledger signs the review's
/// version, head hash and Merkle root. <see cref="Note"/> is the C2SP tlog-checkpoint signed note (Ed25519), which
/// any note verifier checks; <see cref="Signature"/> is the ECDSA signature of the JSON form, the only one that
/// checkpoints sealed before notes carry.
/// </summary>
/// <param name="MeetingId">The meeting held; null for a checkpoint sealed on demand.</param>
/// <param name="Note">The signed note: origin, tree size (the version) and root; null before notes.</param>
public sealed record Checkpoint(string Id, string ReviewId, string? MeetingId, long Version, string HeadHash, DateTimeOffset Time,
    string KeyId, string Signature, string? Note = null)
{
    public static Checkpoint Seal(LedgerSigner signer, string reviewId, string? meetingId, long version, string headHash, byte[] root,
        DateTimeOffset time)
    {
        var note = signer.Notes.Sign(new SignedNote.Body(Origin(signer.Notes.Name, reviewId), version, root).Text);
        var unsigned = new Checkpoint($"{reviewId}/{version}", reviewId, meetingId, version, headHash, time, signer.KeyId, "", note);
        return unsigned with { Signature = signer.Sign(unsigned.Payload()) };
    }

    /// <summary>A review's log origin (the note's first line): the note key's name, then <c>/reviews/</c> and the review.</summary>
    public static string Origin(string noteKeyName, string reviewId) => $"{noteKeyName}/reviews/{reviewId}";

    /// <summary>What ECDSA signs: the RFC 8785 JSON of review, meeting, version, head hash and time.</summary>
    public byte[] Payload() => CanonicalJson.Serialize(JsonSerializer.SerializeToElement(new JsonObject
    {
        ["reviewId"] = ReviewId, ["meetingId"] = MeetingId, ["version"] = Version, ["headHash"] = HeadHash,
        ["time"] = Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
    }));

    public bool IsSignedBy(string publicKeyPem) => LedgerSigner.Verify(publicKeyPem, Payload(), Signature);
}
