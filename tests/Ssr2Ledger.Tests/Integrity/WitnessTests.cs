using System.Security.Cryptography;
using System.Text;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Witnessing;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// A witness on its own (no ledger, no database): it cosigns a checkpoint only when a consistency proof links it to the
/// last one it cosigned, and refuses another key, a rollback, a fork and an inconsistent tree without cosigning.
/// </summary>
public sealed class WitnessTests : IDisposable
{
    private const string Origin = "ssr2ledger/reviews/ssr2";
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"ssr2ledger-witness-{Guid.NewGuid():N}");
    private readonly NoteSigner _log = NoteSigner.FromSeed(SHA256.HashData("the ledger"u8), "ssr2ledger");
    private readonly Cosigner _cosigner = Cosigner.FromSeed(SHA256.HashData("the witness"u8), "witness.example/w1");
    private readonly WitnessState _witnessState;
    private readonly Witness _witness;

    public WitnessTests()
    {
        _witnessState = new WitnessState(_state);
        _witness = new Witness(_cosigner, [_log.VerifierKey], _witnessState, TimeProvider.System);
    }

    /// <summary>A review's entries' hashes: the leaves of its tree; <paramref name="fork"/> changes the third.</summary>
    private static List<byte[]> Leaves(int count, bool fork = false) =>
        [.. Enumerable.Range(1, count).Select(i => SHA256.HashData(Encoding.UTF8.GetBytes(fork && i == 3 ? "forked" : $"entry {i}")))];

    private string Note(IReadOnlyList<byte[]> leaves, NoteSigner? signer = null) =>
        (signer ?? _log).Sign(new SignedNote.Body(Origin, leaves.Count, MerkleTree.Root(leaves)).Text);

    private static List<byte[]> Consistency(IReadOnlyList<byte[]> leaves, long from)
    {
        byte[] Node(int level, long index) => MerkleTree.Root(leaves.Skip((int)(index << level)).Take(1 << level).ToList());
        return MerkleTree.ConsistencyProof(from, leaves.Count, Node);
    }

    private static string Request(long old, IEnumerable<byte[]> proof, string note) =>
        $"old {old}\n{string.Concat(proof.Select(h => Convert.ToBase64String(h) + "\n"))}\n{note}";

    private Task<Witness.Answer> Add(long old, IEnumerable<byte[]> proof, string note) => _witness.AddCheckpointAsync(Request(old, proof, note), default);

    /// <summary>The witness has cosigned the tree of five entries.</summary>
    private async Task<List<byte[]>> CosignedAtFive()
    {
        var five = Leaves(5);
        Assert.Equal(200, (await Add(0, [], Note(five))).Status);
        return five;
    }

    [Fact]
    public async Task a_witness_cosigns_the_first_checkpoint_and_then_a_consistent_extension()
    {
        var five = await CosignedAtFive();
        var eight = Leaves(8);
        var answer = await Add(5, Consistency(eight, 5), Note(eight));
        Assert.Equal(200, answer.Status);
        var note = Note(eight);
        var found = CosignatureV1.Find(note + answer.Body, _cosigner.Key);
        Assert.NotNull(found);
        Assert.True(DateTimeOffset.UtcNow - found.Value.Time < TimeSpan.FromMinutes(5));
        Assert.Equal(8, _witnessState.Last(Origin)!.TreeSize);
        // The same tree again is cosigned again (a retry after a lost answer).
        Assert.Equal(200, (await Add(8, [], note)).Status);
        Assert.Equal(5, five.Count);
    }

    [Fact]
    public async Task a_cosignature_verifies_only_for_its_checkpoint_and_its_key()
    {
        var eight = Leaves(8);
        var answer = await Add(0, [], Note(eight));
        Assert.NotNull(CosignatureV1.Find(Note(eight) + answer.Body, _cosigner.Key));
        Assert.Null(CosignatureV1.Find(Note(Leaves(9)) + answer.Body, _cosigner.Key));
        using var other = Cosigner.FromSeed(SHA256.HashData("another witness"u8), "witness.example/w1");
        Assert.Null(CosignatureV1.Find(Note(eight) + answer.Body, other.Key));
        Assert.Equal(_cosigner.Key.VerifierKey, CosignatureV1.ParseKey(_cosigner.Key.VerifierKey)!.VerifierKey);
        Assert.Null(CosignatureV1.ParseKey(_log.VerifierKey)); // a note key (type 0x01) is not a cosignature key (0x04)
    }

    [Fact]
    public async Task an_inconsistent_tree_is_refused_and_not_cosigned()
    {
        await CosignedAtFive();
        var rewritten = Leaves(8, fork: true); // entry 3 changed: the tree of 8 does not extend the tree of 5 cosigned
        var answer = await Add(5, Consistency(rewritten, 5), Note(rewritten));
        Assert.Equal(422, answer.Status);
        Assert.DoesNotContain(SignedNote.Dash, answer.Body);
        Assert.Equal(5, _witnessState.Last(Origin)!.TreeSize);
        Assert.Single(Directory.GetFiles(Path.Combine(_state, "evidence")));
    }

    [Fact]
    public async Task a_checkpoint_re_signed_with_another_key_is_refused()
    {
        using var other = NoteSigner.FromSeed(SHA256.HashData("not the ledger"u8), "ssr2ledger");
        var answer = await Add(0, [], Note(Leaves(5), other));
        Assert.Equal(403, answer.Status);
        Assert.Null(_witnessState.Last(Origin));
    }

    [Fact]
    public async Task a_fork_of_the_same_size_with_another_root_is_detected()
    {
        await CosignedAtFive();
        var answer = await Add(5, [], Note(Leaves(5, fork: true)));
        Assert.Equal(409, answer.Status);
        Assert.Contains("Fork", answer.Body, StringComparison.Ordinal);
        Assert.True(MerkleTree.Root(Leaves(5)).AsSpan().SequenceEqual(_witnessState.Last(Origin)!.Root));
        Assert.Contains("fork", File.ReadAllText(Directory.GetFiles(Path.Combine(_state, "evidence")).Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_rollback_to_a_smaller_tree_is_refused()
    {
        await CosignedAtFive();
        var three = Leaves(3);
        var fromLast = await Add(5, [], Note(three)); // the old size is larger than the checkpoint's
        Assert.Equal(400, fromLast.Status);
        var fromThree = await Add(3, [], Note(three)); // claiming the witness last saw 3: it answers the size it has
        Assert.Equal((409, Witness.SizeContentType, "5\n"), (fromThree.Status, fromThree.ContentType, fromThree.Body));
        Assert.Equal(5, _witnessState.Last(Origin)!.TreeSize);
    }

    [Fact]
    public async Task an_unknown_log_or_a_malformed_request_is_refused()
    {
        var foreign = _log.Sign(new SignedNote.Body("example.org/log", 5, MerkleTree.Root(Leaves(5))).Text);
        Assert.Equal(404, (await Add(0, [], foreign)).Status);
        Assert.Equal(400, (await _witness.AddCheckpointAsync("old 05\n\n" + Note(Leaves(5)), default)).Status);
        Assert.Equal(400, (await _witness.AddCheckpointAsync("old 0\nnot base64\n\n" + Note(Leaves(5)), default)).Status);
        Assert.Equal(400, (await Add(0, Consistency(Leaves(5), 3), Note(Leaves(5)))).Status); // a proof from size 0
        Assert.Equal(400, (await _witness.AddCheckpointAsync("old 0\n\nnot a note\n", default)).Status);
        Assert.Null(_witnessState.Last(Origin));
    }

    [Fact]
    public void a_second_witness_cannot_share_the_state_folder()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new WitnessState(_state));
        Assert.Contains("Another witness", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_witness_key_is_made_once_readable_by_its_owner_alone_and_kept()
    {
        var file = Path.Combine(_state, "keys", "witness.pem");
        using var made = Cosigner.Open(file, "witness.example/w2");
        using var reopened = Cosigner.Open(file, "witness.example/w2");
        Assert.Equal(made.Key.VerifierKey, reopened.Key.VerifierKey);
        Assert.StartsWith("witness.example/w2+", made.Key.VerifierKey, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    public void Dispose()
    {
        _witnessState.Dispose();
        _log.Dispose();
        _cosigner.Dispose();
        Directory.Delete(_state, true);
    }
}
