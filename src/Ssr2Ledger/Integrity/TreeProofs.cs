using Marten;
using Npgsql;
using Ssr2Ledger.Database;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// Inclusion and consistency proofs, roots and checkpoints of a review's Merkle tree, read from the stored subtrees
/// (O(log n) rows, never the review). Sizes up to the review's committed version are final: a write commits its
/// subtrees with its entries and the stream's version.
/// </summary>
public sealed class TreeProofs(LedgerDatabase database, IDocumentStore store, LedgerSigner signer)
{
    private string Schema => store.Options.Events.DatabaseSchemaName;

    /// <summary>
    /// Complete subtrees never change, so the upper ones (each covering 64 entries or more: one row in 64, about 2 MB a
    /// million entries) are kept once read, up to a bound; a proof then reads the few lower ones and its leaf.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Review, int Level, long Index), byte[]> _upper = new();
    private const int UpperLevel = ReviewTrees.StoredFromLevel, UpperBound = 500_000;

    /// <summary>What a proof question is answered with: the review's version (null: not chartered), and the proof or why not.</summary>
    public sealed record Answer(long? Version, IReadOnlyList<byte[]>? Hashes, Refusal? Refusal);

    public Task<Answer> InclusionAsync(string reviewId, long version, long? treeSize, CancellationToken ct) =>
        AnswerAsync(reviewId, treeSize, "treeSize",
            size => version < 1 || version > size ? Refusal.Invalid("version", $"must be between 1 and the tree size, {size}.") : null,
            (size, node) => MerkleTree.InclusionProof(version - 1, size, node), ct);

    public Task<Answer> ConsistencyAsync(string reviewId, long from, long? to, CancellationToken ct) =>
        AnswerAsync(reviewId, to, "to",
            size => from < 1 || from > size ? Refusal.Invalid("from", $"must be between 1 and the tree size, {size}.") : null,
            (size, node) => MerkleTree.ConsistencyProof(from, size, node), ct);

    /// <summary>
    /// A proof in one round trip when the tree size is given (the review's version and the subtrees read together, the size
    /// checked against that version afterwards); two when it is not (the version first, to know which subtrees to read).
    /// </summary>
    private async Task<Answer> AnswerAsync(string reviewId, long? treeSize, string sizeField, Func<long, Refusal?> check,
        Func<long, NodeReader, List<byte[]>> prove, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        long? current = null;
        Dictionary<(int Level, long Index), byte[]>? found = null;
        if (treeSize is { } wanted && wanted >= 1 && check(wanted) is null)
            (current, found) = await ReadAsync(connection, reviewId, wanted, prove, ct);
        else current = await VersionAsync(connection, reviewId, ct);
        if (current is null) return new(null, null, null);
        var size = treeSize ?? current.Value;
        if (size < 1 || size > current)
            return new(current, null, Refusal.Invalid(sizeField, $"must be between 1 and the review's version, {current}."));
        if (check(size) is { } refusal) return new(current, null, refusal);
        found ??= (await ReadAsync(connection, reviewId, size, prove, ct)).Found;
        return new(current, prove(size, (level, index) => found.TryGetValue((level, index), out var hash) ? hash
            : throw new InvalidDataException($"The Merkle tree of review '{reviewId}' lacks the subtree {level}/{index}.")), null);
    }

    /// <summary>The review's version and the subtrees a proof at this size reads: the upper ones kept, the rest in one query.</summary>
    private async Task<(long? Version, Dictionary<(int Level, long Index), byte[]> Found)> ReadAsync(NpgsqlConnection connection,
        string reviewId, long size, Func<long, NodeReader, List<byte[]>> prove, CancellationToken ct)
    {
        var keys = MerkleTree.NodesRead(node => prove(size, node));
        var kept = new Dictionary<(int Level, long Index), byte[]>();
        foreach (var key in keys)
            if (key.Level >= UpperLevel && _upper.TryGetValue((reviewId, key.Level, key.Index), out var hash)) kept[key] = hash;
        var (version, found) = await ReviewTrees.ReadForProofAsync(connection, Schema, reviewId, [.. keys.Where(k => !kept.ContainsKey(k))], ct);
        foreach (var (key, hash) in found)
            if (key.Level >= UpperLevel && _upper.Count < UpperBound) _upper.TryAdd((reviewId, key.Level, key.Index), hash);
        foreach (var (key, hash) in kept) found[key] = hash;
        return (version, found);
    }

    /// <summary>
    /// Seals a checkpoint of the review as it stands (an auditor's or a witness's request between meetings); answers the
    /// one already sealed at that version when there is one. Null when the review has no entries.
    /// </summary>
    public async Task<Checkpoint?> SealAsync(string reviewId, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        if (await VersionAsync(connection, reviewId, ct) is not ({ } version and > 0)) return null;
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        if (await session.LoadAsync<Checkpoint>($"{reviewId}/{version}", ct) is { Note: not null } sealedAlready) return sealedAlready;

        var root = await RootAsync(connection, reviewId, version, ct);
        await using var head = new NpgsqlCommand(
            $"select headers ->> 'hash' from {Schema}.mt_events where stream_id = $1 and version = $2", connection)
            { Parameters = { new() { Value = reviewId }, new() { Value = version } } };
        var headHash = (string)(await head.ExecuteScalarAsync(ct))!;
        var checkpoint = Checkpoint.Seal(signer, reviewId, null, version, headHash, root, HashChain.StoreTime(DateTimeOffset.UtcNow));
        session.Store(checkpoint);
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return checkpoint;
    }

    /// <summary>The review's latest checkpoint note; null when none has been sealed.</summary>
    public async Task<Checkpoint?> LatestAsync(string reviewId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<Checkpoint>().Where(c => c.ReviewId == reviewId && c.Note != null)
            .OrderByDescending(c => c.Version).FirstOrDefaultAsync(ct);
    }

    /// <summary>MTH of the review's first <paramref name="size"/> entries.</summary>
    public async Task<byte[]> RootAsync(NpgsqlConnection connection, string reviewId, long size, CancellationToken ct)
    {
        var keys = TreeFrontier.Keys(size).ToList();
        var found = await ReviewTrees.ReadAsync(connection, Schema, reviewId, keys, ct);
        if (!keys.All(found.ContainsKey))
            throw new InvalidDataException($"The Merkle tree of review '{reviewId}' lacks subtrees below size {size}.");
        return new TreeFrontier(size, keys.Select(k => found[k])).Root();
    }

    /// <summary>A C2SP tlog-proof of the entry at <paramref name="version"/> in the tree a checkpoint signed.</summary>
    public async Task<string?> TlogProofAsync(string reviewId, long version, Checkpoint checkpoint, CancellationToken ct)
    {
        var proof = (await InclusionAsync(reviewId, version, checkpoint.Version, ct)).Hashes
                    ?? throw new InvalidDataException($"No proof of version {version} in the tree of {checkpoint.Version}.");
        var text = new System.Text.StringBuilder("c2sp.org/tlog-proof@v1\n");
        text.Append($"index {version - 1}\n");
        foreach (var hash in proof) text.Append(Convert.ToBase64String(hash)).Append('\n');
        return text.Append('\n').Append(checkpoint.Note).ToString();
    }

    private async Task<long?> VersionAsync(NpgsqlConnection connection, string reviewId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select version from {Schema}.mt_streams where id = $1", connection)
            { Parameters = { new() { Value = reviewId } } };
        return await command.ExecuteScalarAsync(ct) as long?;
    }
}
