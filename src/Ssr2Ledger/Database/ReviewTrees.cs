using Npgsql;
using NpgsqlTypes;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Database;

/// <summary>
/// Each review's Merkle tree, kept as the hashes of its complete subtrees of 64 leaves or more (a leaf's hash is
/// SHA-256(0x00 || its entry's hash), read from the entry), written in the transaction that records the entries:
/// a tree of n entries holds about n / 64 such rows, and a proof reads O(log n) of them and hashes up the few lower
/// subtrees it needs from their leaves, read in the same query.
/// </summary>
public static class ReviewTrees
{
    public const string Table = "ssr2_tree_nodes";

    /// <summary>One row in 64 writes instead of one a write (issue 15); a lower subtree is at most 63 leaves to hash up.</summary>
    public const int StoredFromLevel = 6;
    private const int CopyAbove = 512;

    /// <summary>The table, as Marten creates it with the rest of the store's schema.</summary>
    public static Weasel.Postgresql.Tables.Table Definition(string schema)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(schema, Table));
        table.AddColumn<string>("review_id").AsPrimaryKey();
        table.AddColumn<int>("level").AsPrimaryKey();
        table.AddColumn<long>("idx").AsPrimaryKey();
        table.AddColumn("hash", "bytea").NotNull();
        return table;
    }

    /// <summary>The table refuses UPDATE and DELETE like the entries.</summary>
    public static string GuardSql(string schema) => $"""
        drop trigger if exists ssr2_append_only on {schema}.{Table};
        create trigger ssr2_append_only before update or delete on {schema}.{Table}
          for each row execute function {schema}.ssr2_refuse_change();
        """;

    /// <summary>
    /// The right edge of the review's tree at <paramref name="size"/>. A review recorded before trees were kept has none:
    /// its tree is built from its entries' hashes once, and saved with the next write.
    /// </summary>
    public static async Task<TreeFrontier> OpenAsync(NpgsqlConnection connection, string schema, string reviewId, long size,
        CancellationToken ct)
    {
        var keys = TreeFrontier.Keys(size).ToList();
        var found = await ReadAsync(connection, schema, reviewId, keys, ct);
        if (keys.All(found.ContainsKey)) return new TreeFrontier(size, keys.Select(k => found[k]), StoredFromLevel);

        var tree = new TreeFrontier(0, [], StoredFromLevel);
        await using var rows = new NpgsqlCommand(
            $"select headers ->> 'hash' from {schema}.mt_events where stream_id = $1 and version between 1 and $2 order by version",
            connection) { Parameters = { new() { Value = reviewId }, new() { Value = size } } };
        await using var reader = await rows.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) tree.Append(Convert.FromHexString(reader.GetString(0)));
        if (tree.Size != size) throw new InvalidDataException($"Review '{reviewId}' is at version {size} but holds {tree.Size} entries.");
        return tree;
    }

    /// <summary>Builds the trees of reviews recorded before trees were kept, each under its review's lock.</summary>
    public static async Task FillMissingAsync(NpgsqlDataSource dataSource, string schema, CancellationToken ct)
    {
        var reviews = new List<string>();
        // One query at start, and no review's lock taken, unless some review lacks its tree (a ledger kept by an earlier
        // version); a review of fewer than 64 entries has no subtree to store (rows of lower levels kept by an earlier
        // version are not read).
        await using (var list = dataSource.CreateCommand(
            $"select s.id from {schema}.mt_streams s where s.version >= {1L << StoredFromLevel} and s.id not like 'mt\\_%' " +
            $"and not exists (select 1 from {schema}.{Table} t where t.review_id = s.id and t.level >= {StoredFromLevel})"))
        await using (var reader = await list.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) reviews.Add(reader.GetString(0));
        foreach (var reviewId in reviews)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var locking = new NpgsqlCommand($"select version from {schema}.mt_streams where id = $1 for update", connection)
                { Parameters = { new() { Value = reviewId } } };
            var version = (long)(await locking.ExecuteScalarAsync(ct))!;
            var tree = await OpenAsync(connection, schema, reviewId, version, ct);
            if (Stored(tree).Count == 0) continue;
            await SaveAsync(connection, schema, reviewId, tree, ct);
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>The subtrees the writes made that are stored (of <see cref="StoredFromLevel"/> or above).</summary>
    private static List<(int Level, long Index, byte[] Hash)> Stored(TreeFrontier tree) =>
        tree.Made.Where(m => m.Level >= StoredFromLevel).ToList();

    /// <summary>Stores the subtrees the writes made (the caller commits them with the entries).</summary>
    public static async Task SaveAsync(NpgsqlConnection connection, string schema, string reviewId, TreeFrontier tree, CancellationToken ct)
    {
        var stored = Stored(tree);
        if (stored.Count <= CopyAbove)
        {
            if (InsertCommand(schema, reviewId, tree) is not { } insert) return;
            await using var batch = new NpgsqlBatch(connection) { BatchCommands = { insert } };
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
                         $"copy {schema}.{Table} (review_id, level, idx, hash) from stdin (format binary)", ct))
        {
            foreach (var (level, index, hash) in stored)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(reviewId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(level, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(index, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea, ct);
            }
            await copy.CompleteAsync(ct);
        }
        tree.Made.Clear();
    }

    /// <summary>
    /// The subtrees the writes made as one statement to send with the entries (null when there are so many that a COPY
    /// is the better way, or none); the subtrees count as stored once it is sent.
    /// </summary>
    public static NpgsqlBatchCommand? InsertCommand(string schema, string reviewId, TreeFrontier tree)
    {
        var made = Stored(tree);
        if (made.Count > CopyAbove) return null;
        tree.Made.Clear();
        if (made.Count == 0) return null;
        var insert = new NpgsqlBatchCommand(
            $"insert into {schema}.{Table} (review_id, level, idx, hash) select $1, * from unnest($2::integer[], $3::bigint[], $4::bytea[])")
        {
            Parameters =
            {
                new() { Value = reviewId }, new() { Value = made.Select(m => m.Level).ToArray() },
                new() { Value = made.Select(m => m.Index).ToArray() }, new() { Value = made.Select(m => m.Hash).ToArray() },
            },
        };
        return insert;
    }

    /// <summary>
    /// A proof's reads in one round trip: the review's committed version (null: no such review) and the hashes of these
    /// complete subtrees that exist, those below <see cref="StoredFromLevel"/> hashed up from their entries' and the rest
    /// from the table. Prepared once per connection.
    /// </summary>
    public static async Task<(long? Version, Dictionary<(int Level, long Index), byte[]> Found)> ReadForProofAsync(NpgsqlConnection connection,
        string schema, string reviewId, IReadOnlyCollection<(int Level, long Index)> keys, CancellationToken ct)
    {
        var (versions, nodes) = Expand(keys);
        await using var command = new NpgsqlCommand(
            $"select -1, version, null::bytea from {schema}.mt_streams where id = $1 " +
            $"union all select 0, version - 1, decode(headers ->> 'hash', 'hex') from {schema}.mt_events " +
            "where stream_id = $1 and version = any($2) and headers ->> 'hash' is not null " +
            $"union all select n.level, n.idx, n.hash from unnest($3::integer[], $4::bigint[]) k(level, idx) " +
            $"join {schema}.{Table} n on n.review_id = $1 and n.level = k.level and n.idx = k.idx", connection)
        {
            Parameters =
            {
                new() { Value = reviewId }, new() { Value = versions },
                new() { Value = nodes.Select(k => k.Level).ToArray() }, new() { Value = nodes.Select(k => k.Index).ToArray() },
            },
        };
        await command.PrepareAsync(ct);
        long? version = null;
        var found = new Dictionary<(int, long), byte[]>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var level = reader.GetInt32(0);
            if (level < 0) version = reader.GetInt64(1);
            else found[(level, reader.GetInt64(1))] = level == 0 ? MerkleTree.LeafHash(reader.GetFieldValue<byte[]>(2)) : reader.GetFieldValue<byte[]>(2);
        }
        HashUp(found, keys);
        return (version, found);
    }

    /// <summary>
    /// What is read for these subtrees: the stored ones by key, and for each lower one its leaves' versions (leaf i is the
    /// entry at version i + 1).
    /// </summary>
    private static (long[] Versions, (int Level, long Index)[] Nodes) Expand(IEnumerable<(int Level, long Index)> keys)
    {
        var versions = new HashSet<long>();
        var nodes = new List<(int Level, long Index)>();
        foreach (var (level, index) in keys)
            if (level >= StoredFromLevel) nodes.Add((level, index));
            else for (var leaf = index << level; leaf < (index + 1) << level; leaf++) versions.Add(leaf + 1);
        return ([.. versions], [.. nodes]);
    }

    /// <summary>Adds the lower subtrees asked for, hashed up from the leaves read (one lacking a leaf stays missing).</summary>
    private static void HashUp(Dictionary<(int Level, long Index), byte[]> found, IEnumerable<(int Level, long Index)> keys)
    {
        foreach (var (level, index) in keys)
            if (level is > 0 and < StoredFromLevel && Subtree(level, index) is { } hash) found[(level, index)] = hash;

        byte[]? Subtree(int level, long index) => level == 0 ? found.GetValueOrDefault((0, index))
            : Subtree(level - 1, 2 * index) is { } left && Subtree(level - 1, 2 * index + 1) is { } right ? MerkleTree.NodeHash(left, right) : null;
    }

    /// <summary>
    /// The hashes of these complete subtrees that exist (those below <see cref="StoredFromLevel"/> hashed up from their
    /// entries', the rest from the table).
    /// </summary>
    public static async Task<Dictionary<(int Level, long Index), byte[]>> ReadAsync(NpgsqlConnection connection, string schema,
        string reviewId, IReadOnlyCollection<(int Level, long Index)> keys, CancellationToken ct)
    {
        var found = new Dictionary<(int, long), byte[]>();
        var (leaves, nodes) = Expand(keys);
        if (leaves.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"select version, headers ->> 'hash' from {schema}.mt_events where stream_id = $1 and version = any($2)", connection)
                { Parameters = { new() { Value = reviewId }, new() { Value = leaves } } };
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (!reader.IsDBNull(1)) found[(0, reader.GetInt64(0) - 1)] = MerkleTree.LeafHash(Convert.FromHexString(reader.GetString(1)));
        }
        if (nodes.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"select level, idx, hash from {schema}.{Table} where review_id = $1 " +
                "and (level, idx) in (select * from unnest($2::integer[], $3::bigint[]))", connection)
            {
                Parameters =
                {
                    new() { Value = reviewId }, new() { Value = nodes.Select(k => k.Level).ToArray() },
                    new() { Value = nodes.Select(k => k.Index).ToArray() },
                },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) found[(reader.GetInt32(0), reader.GetInt64(1))] = reader.GetFieldValue<byte[]>(2);
        }
        HashUp(found, keys);
        return found;
    }
}
