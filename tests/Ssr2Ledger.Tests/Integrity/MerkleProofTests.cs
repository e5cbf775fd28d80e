using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>RFC 6962's tree hash and proofs, checked against the test vectors Certificate Transparency publishes.</summary>
public sealed class MerkleProofTests
{
    // The eight leaves of certificate-transparency's reference tests, and the root of each prefix of them.
    private static readonly byte[][] Leaves =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString).ToArray();

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    /// <summary>Every complete subtree of the vectors' tree, as the ledger stores them, leaves included.</summary>
    private static NodeReader Stored(IReadOnlyList<byte[]> leaves) => (level, index) =>
        MerkleTree.Root(leaves.Skip((int)(index << level)).Take(1 << level).ToList());

    private static string Hex(IEnumerable<byte[]> hashes) => string.Join(",", hashes.Select(Convert.ToHexStringLower));

    [Fact]
    public void the_roots_of_the_rfc_6962_vectors_come_out_from_all_leaves_and_from_complete_subtrees()
    {
        for (var size = 1; size <= Leaves.Length; size++)
        {
            Assert.Equal(Roots[size - 1], Convert.ToHexStringLower(MerkleTree.Root(Leaves[..size])));
            Assert.Equal(Roots[size - 1], Convert.ToHexStringLower(MerkleTree.SubtreeHash(0, size, Stored(Leaves))));
        }
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.Root([])));
    }

    [Fact]
    public void the_published_inclusion_proofs_are_produced_and_verify()
    {
        var proof = MerkleTree.InclusionProof(0, 8, Stored(Leaves));
        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7," +
                     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e," +
                     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4", Hex(proof));
        Assert.Equal("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b," +
                     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0," +
                     "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            Hex(MerkleTree.InclusionProof(5, 8, Stored(Leaves))));
        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", Hex(MerkleTree.InclusionProof(2, 3, Stored(Leaves))));
        Assert.True(MerkleTree.VerifyInclusion(0, 8, MerkleTree.LeafHash(Leaves[0]), proof, Convert.FromHexString(Roots[7])));
    }

    [Fact]
    public void the_published_consistency_proofs_are_produced_and_verify()
    {
        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7," +
                     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e," +
                     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            Hex(MerkleTree.ConsistencyProof(1, 8, Stored(Leaves))));
        Assert.Equal("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a," +
                     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0," +
                     "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            Hex(MerkleTree.ConsistencyProof(6, 8, Stored(Leaves))));
        Assert.Equal("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e," +
                     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            Hex(MerkleTree.ConsistencyProof(2, 5, Stored(Leaves))));
        Assert.Empty(MerkleTree.ConsistencyProof(8, 8, Stored(Leaves)));
    }

    [Fact]
    public void every_proof_over_the_frontiers_stored_subtrees_verifies_and_a_changed_hash_does_not()
    {
        var entries = Enumerable.Range(0, 37).Select(i => System.Security.Cryptography.SHA256.HashData([(byte)i])).ToList();
        var frontier = new TreeFrontier(0, []);
        var stored = new Dictionary<(int, long), byte[]>();
        var roots = new List<byte[]>();
        foreach (var entry in entries)
        {
            stored[(0, frontier.Size)] = MerkleTree.LeafHash(entry);
            frontier.Append(entry);
            roots.Add(frontier.Root());
        }
        foreach (var (level, index, hash) in frontier.Made) stored[(level, index)] = hash;
        NodeReader node = (level, index) => stored[(level, index)];

        for (var size = 1; size <= entries.Count; size++)
        {
            Assert.Equal(MerkleTree.Root(entries.Take(size).ToList()), roots[size - 1]);
            // Reopened from its right edge alone, the tree has the same root.
            Assert.Equal(roots[size - 1], new TreeFrontier(size, TreeFrontier.Keys(size).Select(k => node(k.Level, k.Index))).Root());
            for (var m = 0; m < size; m++)
            {
                var proof = MerkleTree.InclusionProof(m, size, node);
                Assert.True(MerkleTree.VerifyInclusion(m, size, MerkleTree.LeafHash(entries[m]), proof, roots[size - 1]));
                Assert.False(MerkleTree.VerifyInclusion(m, size, MerkleTree.LeafHash(entries[(m + 1) % entries.Count]), proof, roots[size - 1]));
                var from = m + 1;
                var consistency = MerkleTree.ConsistencyProof(from, size, node);
                Assert.True(MerkleTree.VerifyConsistency(from, size, roots[from - 1], roots[size - 1], consistency), $"{from}->{size}");
                if (from < size)
                    Assert.False(MerkleTree.VerifyConsistency(from, size, roots[from - 1], roots[size - 2], consistency));
            }
        }
    }
}
