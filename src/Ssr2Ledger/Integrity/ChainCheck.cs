using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// Walks a review's entries in version order, as stored or as exported, and says what is wrong with the
/// first entry that does not fit: its place (version), its link (previousHash) or its content (hash).
/// The content check of each entry depends only on that entry (its stored previousHash included), so
/// callers may compute <see cref="Recompute"/> for many entries in parallel and link them here in order.
/// </summary>
public sealed class ChainCheck
{
    public long Checked { get; private set; }
    public string HeadHash { get; private set; } = HashChain.Genesis;

    /// <param name="recomputed">The entry's hash as <see cref="Recompute"/> computes it from the stored row.</param>
    /// <returns>Null when the entry fits the chain; otherwise why it does not.</returns>
    public string? Next(long version, string? hash, string? previousHash, string? recomputed)
    {
        Checked++;
        if (version != Checked) return $"expected version {Checked} here but found {version}: an entry was deleted, inserted or moved";
        if (previousHash != HeadHash) return "its previousHash does not point at the entry before it";
        if (recomputed is null || recomputed != hash)
            return "its content (type, data, effectiveAt, recordedAt or recorder) no longer matches its hash";
        HeadHash = recomputed;
        return null;
    }

    /// <summary>The hash a stored entry should carry, from its own fields; null when they cannot be read.</summary>
    /// <param name="scheme">The entry's <c>scheme</c> header: null or 1 for entries chained before scheme 2 hashed <paramref name="recordedAt"/>.</param>
    public static string? Recompute(string? previousHash, string type, string data, string recordedBy, long version, int? scheme,
        DateTimeOffset recordedAt) =>
        Recompute(previousHash, type, Encoding.UTF8.GetBytes(data), recordedBy, version, scheme, recordedAt);

    /// <inheritdoc cref="Recompute(string?, string, string, string, long, int?, DateTimeOffset)"/>
    /// <param name="data">The entry's data as UTF-8 JSON.</param>
    public static string? Recompute(string? previousHash, string type, ReadOnlySpan<byte> data, string recordedBy, long version, int? scheme,
        DateTimeOffset recordedAt)
    {
        if (previousHash is not { Length: 64 } || previousHash.AsSpan().ContainsAnyExcept(HexDigits)) return null;
        if (scheme is not (null or 1 or HashChain.Scheme)) return null;
        // One buffer a thread: the verifier recomputes every entry, on every core.
        var preimage = buffer ??= new ArrayBufferWriter<byte>(1024);
        preimage.ResetWrittenCount();
        try
        {
            return HashChain.WritePreimage(preimage, type, data, recordedBy, version, recordedAt: scheme == HashChain.Scheme ? recordedAt : null)
                ? HashChain.Link(previousHash, MemoryMarshal.AsMemory(preimage.WrittenMemory).Span)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException) { return null; }
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    [ThreadStatic] private static ArrayBufferWriter<byte>? buffer;
}
