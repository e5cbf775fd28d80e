using System.Security.Cryptography;

namespace Ssr2Ledger.Integrity;

/// <summary>RFC 6962 (Certificate Transparency) Merkle tree hash: leaves prefixed 0x00, nodes 0x01.</summary>
public static class MerkleTree
{
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => leaves.Count == 0 ? SHA256.HashData([]) : Hash(leaves, 0, leaves.Count);

    private static byte[] Hash(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1) return SHA256.HashData([0x00, .. leaves[start]]);
        var split = 1;
        while (split * 2 < count) split *= 2;
        return SHA256.HashData([0x01, .. Hash(leaves, start, split), .. Hash(leaves, start + split, count - split)]);
    }
}
