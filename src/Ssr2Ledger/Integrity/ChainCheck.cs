using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// Walks a review's entries in version order, as stored or as exported, and says what is wrong with the
/// first entry that does not fit: its place (version), its link (previousHash) or its content (hash).
/// </summary>
public sealed class ChainCheck
{
    public long Checked { get; private set; }
    public string HeadHash { get; private set; } = HashChain.Genesis;

    /// <returns>Null when the entry fits the chain; otherwise why it does not.</returns>
    public string? Next(long version, string type, string dataJson, string recordedBy, string? hash, string? previousHash)
    {
        Checked++;
        if (version != Checked) return $"expected version {Checked} here but found {version}: an entry was deleted, inserted or moved";
        if (previousHash != HeadHash) return "its previousHash does not point at the entry before it";
        var recomputed = Recompute(HeadHash, type, dataJson, recordedBy, version);
        if (recomputed is null || recomputed != hash) return "its content (type, data, effectiveAt or recorder) no longer matches its hash";
        HeadHash = recomputed;
        return null;
    }

    private static string? Recompute(string previous, string type, string data, string recordedBy, long version)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("effectiveAt", out var at)
                || !at.TryGetDateTimeOffset(out var effectiveAt)) return null;
            return HashChain.Next(previous, type, root, effectiveAt, recordedBy, version);
        }
        catch (JsonException) { return null; }
    }
}
