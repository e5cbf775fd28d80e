using System.Data;
using System.Text.Json;
using Marten;
using Npgsql;

using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Database;

/// <summary>
/// Reads a review's entries straight from the event table, the rows of one batch turned into events on every
/// core while the next batch is read: a timeline of a million entries is built at the speed of the read.
/// </summary>
public sealed class LedgerReader(LedgerDatabase database, IDocumentStore store, EventCatalog catalog)
{
    private const int BatchSize = 4096;

    private sealed record Row(Guid Id, long Version, long Sequence, DateTimeOffset RecordedAt, string RecordedBy, string Hash, string Type, byte[] Data);

    /// <summary>The review's entries from a version on, in recorded order.</summary>
    /// <param name="connection">The caller's open connection (a writer's, holding the review's lock); otherwise one from the pool.</param>
    /// <param name="streamVersion">The review's version when the caller knows it (a writer holding the lock).</param>
    public async Task<List<LedgerEntry>> ReadAsync(string reviewId, long fromVersion, CancellationToken cancellation,
        NpgsqlConnection? connection = null, long? streamVersion = null)
    {
        // A writer already holds a connection: asking the pool for a second could wait on writers doing the same.
        await using var own = connection is null ? await database.DataSource.OpenConnectionAsync(cancellation) : null;
        connection ??= own!;
        var schema = store.Options.Events.DatabaseSchemaName;
        var upTo = streamVersion ?? await StreamVersionAsync(connection, schema, reviewId, cancellation);
        if (upTo < fromVersion) return [];

        // Bounded on both sides: prepared, an open-ended range is planned for a third of a stream, in parallel.
        // The payload comes as UTF-8 bytes, what the deserializer reads: as text it would be decoded to a .NET string
        // and encoded back, twice its size held meanwhile.
        await using var command = new NpgsqlCommand(
            $"select id, version, seq_id, timestamp, coalesce(user_name, ''), coalesce(headers ->> 'hash', ''), type, convert_to(data::text, 'UTF8') " +
            $"from {schema}.mt_events where stream_id = $1 and version between $2 and $3 order by version", connection)
        {
            Parameters = { new() { Value = reviewId }, new() { Value = fromVersion }, new() { Value = upTo } },
        };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation);

        var entries = new List<LedgerEntry>();
        var batch = new List<Row>(BatchSize);
        Task<LedgerEntry[]>? reading = null;
        while (true)
        {
            var more = await reader.ReadAsync(cancellation);
            if (more)
                batch.Add(new Row(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetFieldValue<byte[]>(7)));
            if (batch.Count < BatchSize && more) continue;
            if (reading is not null) entries.AddRange(await reading);
            var rows = batch;
            reading = batch.Count == 1 ? Task.FromResult(new[] { Entry(rows[0]) }) : Task.Run(() => Entries(rows), cancellation);
            batch = new List<Row>(BatchSize);
            if (!more) break;
        }
        entries.AddRange(await reading!);
        return entries;
    }

    private static async Task<long> StreamVersionAsync(NpgsqlConnection connection, string schema, string reviewId, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select version from {schema}.mt_streams where id = $1", connection)
            { Parameters = { new() { Value = reviewId } } };
        return await command.ExecuteScalarAsync(cancellation) as long? ?? 0;
    }

    private LedgerEntry[] Entries(List<Row> rows)
    {
        var entries = new LedgerEntry[rows.Count];
        Parallel.For(0, rows.Count, i => entries[i] = Entry(rows[i]));
        return entries;
    }

    private LedgerEntry Entry(Row row)
    {
        var kind = catalog.Find(row.Type) ?? throw new InvalidDataException($"Entry {row.Id} has type '{row.Type}', which the ledger does not know.");
        var entry = (ReviewEvent)JsonSerializer.Deserialize(row.Data, kind.ClrType, catalog.Json)!;
        return new LedgerEntry(entry, new EntryMeta(row.Id, row.Version, row.Sequence, row.RecordedAt, row.RecordedBy, row.Hash));
    }
}
