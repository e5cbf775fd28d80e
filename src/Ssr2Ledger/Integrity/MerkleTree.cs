using System.Numerics;
using System.Security.Cryptography;

namespace Ssr2Ledger.Integrity;

/// <summary>Reads the hash of a complete subtree: leaves [index·2^level, (index+1)·2^level).</summary>
public delegate byte[] NodeReader(int level, long index);

/// <summary>
/// RFC 6962 (Certificate Transparency) Merkle tree hash: leaves prefixed 0x00, nodes 0x01. Proofs are built from the
/// hashes of complete subtrees (what <see cref="TreeFrontier"/> stores as entries are recorded), so a proof reads
/// O(log n) stored hashes and never the whole tree; they are verified as RFC 9162 §2.1.3.2 and §2.1.4.2 say.
/// </summary>
public static class MerkleTree
{
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => leaves.Count == 0 ? SHA256.HashData([]) : Hash(leaves, 0, leaves.Count);

    private static byte[] Hash(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1) return LeafHash(leaves[start]);
        var split = 1;
        while (split * 2 < count) split *= 2;
        return NodeHash(Hash(leaves, start, split), Hash(leaves, start + split, count - split));
    }

    public static byte[] LeafHash(ReadOnlySpan<byte> data) => SHA256.HashData([0x00, .. data]);

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n ≥ 2).</summary>
    private static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>MTH(D[lo:hi]) from complete subtrees.</summary>
    public static byte[] SubtreeHash(long lo, long hi, NodeReader node)
    {
        var n = hi - lo;
        if (BitOperations.IsPow2(n) && lo % n == 0) return node(BitOperations.Log2((ulong)n), lo / n);
        var k = Split(n);
        return NodeHash(SubtreeHash(lo, lo + k, node), SubtreeHash(lo + k, hi, node));
    }

    /// <summary>RFC 6962 PATH(index, D[size]): the audit path of leaf <paramref name="index"/> (0-based), leaf first.</summary>
    public static List<byte[]> InclusionProof(long index, long size, NodeReader node)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index));
        var proof = new List<byte[]>();
        Path(index, 0, size, node, proof);
        return proof;
    }

    private static void Path(long m, long lo, long hi, NodeReader node, List<byte[]> proof)
    {
        if (hi - lo == 1) return;
        var k = Split(hi - lo);
        if (m < lo + k)
        {
            Path(m, lo, lo + k, node, proof);
            proof.Add(SubtreeHash(lo + k, hi, node));
        }
        else
        {
            Path(m, lo + k, hi, node, proof);
            proof.Add(SubtreeHash(lo, lo + k, node));
        }
    }

    /// <summary>RFC 6962 PROOF(from, D[to]): that the tree of size <paramref name="to"/> extends the one of size <paramref name="from"/>.</summary>
    public static List<byte[]> ConsistencyProof(long from, long to, NodeReader node)
    {
        if (from < 1 || from > to) throw new ArgumentOutOfRangeException(nameof(from));
        var proof = new List<byte[]>();
        if (from < to) SubProof(from, 0, to, true, node, proof);
        return proof;
    }

    private static void SubProof(long m, long lo, long hi, bool complete, NodeReader node, List<byte[]> proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!complete) proof.Add(SubtreeHash(lo, hi, node));
            return;
        }
        var k = Split(n);
        if (m <= k)
        {
            SubProof(m, lo, lo + k, complete, node, proof);
            proof.Add(SubtreeHash(lo + k, hi, node));
        }
        else
        {
            SubProof(m - k, lo + k, hi, false, node, proof);
            proof.Add(SubtreeHash(lo, lo + k, node));
        }
    }

    /// <summary>The stored subtrees a proof reads, found by building it once over placeholders.</summary>
    public static HashSet<(int Level, long Index)> NodesRead(Action<NodeReader> build)
    {
        var keys = new HashSet<(int, long)>();
        build((level, index) =>
        {
            keys.Add((level, index));
            return new byte[32];
        });
        return keys;
    }

    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) (fn, sn) = (fn >> 1, sn >> 1);
            }
            else r = NodeHash(r, p);
            (fn, sn) = (fn >> 1, sn >> 1);
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    public static bool VerifyConsistency(long from, long to, ReadOnlySpan<byte> fromRoot, ReadOnlySpan<byte> toRoot, IReadOnlyList<byte[]> proof)
    {
        if (from < 1 || from > to) return false;
        if (from == to) return proof.Count == 0 && fromRoot.SequenceEqual(toRoot);
        var path = BitOperations.IsPow2(from) ? [fromRoot.ToArray(), .. proof] : proof.ToList();
        if (path.Count == 0) return false;
        long fn = from - 1, sn = to - 1;
        while ((fn & 1) == 1) (fn, sn) = (fn >> 1, sn >> 1);
        byte[] fr = path[0], sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                (fr, sr) = (NodeHash(c, fr), NodeHash(c, sr));
                while ((fn & 1) == 0 && fn != 0) (fn, sn) = (fn >> 1, sn >> 1);
            }
            else sr = NodeHash(sr, c);
            (fn, sn) = (fn >> 1, sn >> 1);
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(fromRoot) && sr.AsSpan().SequenceEqual(toRoot);
    }
}

/// <summary>
/// The right edge of a review's tree: the complete subtrees a tree of <see cref="Size"/> leaves is made of, largest
/// first. Appending a leaf merges equal subtrees and notes every complete subtree it makes, so that those are stored
/// with the entries and a proof reads them instead of the review.
/// </summary>
public sealed class TreeFrontier
{
    private readonly List<(int Level, byte[] Hash)> _edge;
    private readonly int _madeFrom;

    /// <param name="madeFrom">The lowest level of subtree <see cref="Made"/> notes: one that keeps only what it stores
    /// notes none below it (an import of a million entries otherwise held a million subtrees, 80 MB, to store 16,000).</param>
    public TreeFrontier(long size, IEnumerable<byte[]> edge, int madeFrom = 1)
    {
        Size = size;
        _madeFrom = madeFrom;
        _edge = Keys(size).Zip(edge, (k, h) => (k.Level, h)).ToList();
        if (_edge.Count != BitOperations.PopCount((ulong)size)) throw new ArgumentException("The edge does not fit the size.", nameof(edge));
    }

    public long Size { get; private set; }

    /// <summary>Complete subtrees made since the frontier was opened, above the leaves (a leaf's hash is its entry's).</summary>
    public List<(int Level, long Index, byte[] Hash)> Made { get; } = [];

    /// <summary>The complete subtrees a tree of <paramref name="size"/> leaves is made of, largest (leftmost) first.</summary>
    public static IEnumerable<(int Level, long Index)> Keys(long size)
    {
        for (var level = 62; level >= 0; level--)
            if ((size >> level & 1) == 1) yield return (level, (size >> level) - 1);
    }

    /// <param name="entryHash">The 32 bytes of the entry's hash: the leaf's data.</param>
    public void Append(ReadOnlySpan<byte> entryHash)
    {
        var hash = MerkleTree.LeafHash(entryHash);
        var level = 0;
        while (_edge.Count > 0 && _edge[^1].Level == level)
        {
            hash = MerkleTree.NodeHash(_edge[^1].Hash, hash);
            _edge.RemoveAt(_edge.Count - 1);
            level++;
            if (level >= _madeFrom) Made.Add((level, Size >> level, hash));
        }
        _edge.Add((level, hash));
        Size++;
    }

    /// <summary>
    /// A copy to append to (with the subtrees made so far): a recording keeps its tree's edge between writes and appends
    /// to a copy, so a write that is refused or whose commit fails leaves the kept edge as committed.
    /// </summary>
    public TreeFrontier Fork()
    {
        var fork = new TreeFrontier(Size, _edge.Select(e => e.Hash), _madeFrom);
        fork.Made.AddRange(Made);
        return fork;
    }

    /// <summary>The tree's root (MTH of every leaf so far).</summary>
    public byte[] Root()
    {
        if (_edge.Count == 0) return System.Security.Cryptography.SHA256.HashData([]);
        var root = _edge[^1].Hash;
        for (var i = _edge.Count - 2; i >= 0; i--) root = MerkleTree.NodeHash(_edge[i].Hash, root);
        return root;
    }
}
