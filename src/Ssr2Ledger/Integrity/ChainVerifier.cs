using Ssr2Ledger.Database;
using System.Data;
using Marten;
using Npgsql;
using Ssr2Ledger.Hosting;

namespace Ssr2Ledger.Integrity;

/// <param name="FirstBadEventId">The first entry whose place or content does not match the chain.</param>
public sealed record VerifyReport(string ReviewId, bool Ok, long EventsChecked, string HeadHash, Guid? FirstBadEventId,
    long? FirstBadVersion, string? Problem);

/// <summary>
/// Recomputes a review's hash chain from the stored rows, trusting nothing but the algorithm: each row must
/// sit at the next version, point at the hash before it, and hash to what it claims. It names the first
/// row that does not: an edited payload, valid time or recorder, a deleted, inserted or reordered row.
/// </summary>
public sealed class ChainVerifier(LedgerDatabase database, IDocumentStore store)
{
    private string Schema => store.Options.Events.DatabaseSchemaName;

    public async Task<IReadOnlyList<string>> ReviewIdsAsync(CancellationToken cancellation)
    {
        await using var command = database.DataSource.CreateCommand($"select id from {Schema}.mt_streams where id not like 'mt\\_%' order by id");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <returns>Null when the review has no stream at all.</returns>
    public async Task<VerifyReport?> VerifyAsync(string reviewId, long? upToVersion = null, Action<long>? progress = null,
        CancellationToken cancellation = default)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        await using var head = new NpgsqlCommand($"select version from {Schema}.mt_streams where id = $1", connection)
            { Parameters = { new() { Value = reviewId } } };
        if (await head.ExecuteScalarAsync(cancellation) is not long streamVersion) return null;

        await using var rows = new NpgsqlCommand(
            $"select id, version, type, data::text, coalesce(user_name, ''), headers ->> 'hash', headers ->> 'previousHash', " +
            $"(headers ->> 'scheme')::int, timestamp " +
            $"from {Schema}.mt_events where stream_id = $1 and version <= $2 order by version, seq_id", connection)
        {
            Parameters = { new() { Value = reviewId }, new() { Value = upToVersion ?? long.MaxValue } },
        };
        await using var reader = await rows.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation);

        // Reading and hashing overlap: one batch is hashed (on every core) while the next is read.
        var chain = new ChainCheck();
        var batch = new Batch();
        Task? hashing = null;
        Batch? hashed = null, spare = null;
        while (true)
        {
            var more = await reader.ReadAsync(cancellation);
            if (more) batch.Add(reader);
            if (batch.Count < BatchSize && more) continue;

            if (hashing is not null)
            {
                await hashing;
                if (Link(chain, hashed!, progress) is { } bad) return bad with { ReviewId = reviewId };
            }
            (spare, hashed, hashing) = (hashed, batch, batch.HashAsync());
            batch = spare ?? new Batch();
            batch.Clear();
            if (!more) break;
        }
        await hashing!;
        if (Link(chain, hashed!, progress) is { } last) return last with { ReviewId = reviewId };
        var checkedCount = chain.Checked;
        var previous = chain.HeadHash;

        var expectedLast = upToVersion is { } v ? Math.Min(v, streamVersion) : streamVersion;
        if (checkedCount != expectedLast)
            return new VerifyReport(reviewId, false, checkedCount, previous, null, checkedCount + 1,
                $"The stream is at version {expectedLast} but its entries end at {checkedCount}: entries were deleted.");
        return new VerifyReport(reviewId, true, checkedCount, previous, null, null, null);
    }

    private const int BatchSize = 4096;

    private record struct StoredEntry(Guid Id, long Version, string Type, int DataStart, int DataLength, string RecordedBy, string? Hash,
        string? PreviousHash, int? Scheme, DateTimeOffset RecordedAt);

    /// <summary>Rows read and their recomputed hashes; the entries' data as UTF-8 in one buffer, as the server sent it.</summary>
    private sealed class Batch
    {
        public readonly StoredEntry[] Entries = new StoredEntry[BatchSize];
        public readonly string?[] Hashes = new string?[BatchSize];
        public int Count;
        private byte[] data = new byte[BatchSize * 256];
        private int dataLength;

        public void Clear() => Count = dataLength = 0;

        public void Add(NpgsqlDataReader reader)
        {
            var id = reader.GetGuid(0);
            var version = reader.GetInt64(1);
            var type = reader.GetString(2);
            var length = (int)reader.GetBytes(3, 0, null, 0, 0);
            if (dataLength + length > data.Length) Array.Resize(ref data, Math.Max(data.Length * 2, dataLength + length));
            reader.GetBytes(3, 0, data, dataLength, length);
            Entries[Count++] = new StoredEntry(id, version, type, dataLength, length, reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8));
            dataLength += length;
        }

        public Task HashAsync() => Task.Run(() => Parallel.For(0, Count, i =>
        {
            ref readonly var e = ref Entries[i];
            Hashes[i] = ChainCheck.Recompute(e.PreviousHash, e.Type, data.AsSpan(e.DataStart, e.DataLength), e.RecordedBy, e.Version, e.Scheme,
                e.RecordedAt);
        }));
    }

    private static VerifyReport? Link(ChainCheck chain, Batch batch, Action<long>? progress)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            ref readonly var e = ref batch.Entries[i];
            var previousHead = chain.HeadHash;
            if (chain.Next(e.Version, e.Hash, e.PreviousHash, batch.Hashes[i]) is { } problem)
                return new VerifyReport("", false, chain.Checked, previousHead, e.Id, e.Version, $"Entry {e.Id} (version {e.Version}): {problem}.");
            if (chain.Checked % 100_000 == 0) progress?.Invoke(chain.Checked);
        }
        return null;
    }
}
