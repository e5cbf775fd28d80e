using Npgsql;
using NpgsqlTypes;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Database;

/// <summary>An entry ready to store: decided, chained (<paramref name="Meta"/> holds its hash) and serialized.</summary>
/// <param name="Data">The entry as the store's serializer writes it: exactly what its hash covers.</param>
public sealed record StoredEntry(string ReviewId, EventKind Kind, string Data, EntryMeta Meta, string PreviousHash, string? CorrelationId);

/// <summary>
/// Where the recording loop puts entries: rows of Marten's event table written exactly as Marten writes them
/// (same columns, serializer, type names and headers), so Marten's reads, rebuilds and daemon see them as its own.
/// One sink per storage method; the loop owns everything else (lock, rules, chain, summary, commit).
/// </summary>
public interface IEntrySink : IAsyncDisposable
{
    ValueTask WriteAsync(StoredEntry entry, CancellationToken ct);

    /// <summary>Sends what is still held; answers the sequence number of the last row.</summary>
    Task<long> CompleteAsync(CancellationToken ct);
}

internal static class EventTable
{
    public const string Columns =
        "seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, headers, user_name, is_archived";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> DotnetTypes = new();

    /// <summary>The type name Marten writes (<c>mt_dotnet_type</c>).</summary>
    public static string DotnetType(Type type) => DotnetTypes.GetOrAdd(type, t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    public static string Headers(StoredEntry e) =>
        $"{{\"{Entries.HashHeader}\":\"{e.Meta.Hash}\",\"{Entries.PreviousHashHeader}\":\"{e.PreviousHash}\"," +
        $"\"{Entries.SchemeHeader}\":{Integrity.HashChain.Scheme}}}";
}

/// <summary>
/// A few entries (one write, a small batch): held until the end, then one INSERT that takes its sequence numbers as
/// it goes, in one round trip.
/// </summary>
public sealed class InsertSink(NpgsqlConnection connection, string schema) : IEntrySink
{
    private readonly List<StoredEntry> _entries = [];

    public ValueTask WriteAsync(StoredEntry entry, CancellationToken ct)
    {
        _entries.Add(entry);
        return ValueTask.CompletedTask;
    }

    public async Task<long> CompleteAsync(CancellationToken ct)
    {
        var values = string.Join(", ", _entries.Select((_, i) =>
        {
            var p = i * 10;
            return $"(nextval('{schema}.mt_events_sequence'), ${p + 1}, ${p + 2}, ${p + 3}, ${p + 4}, ${p + 5}, ${p + 6}, '*DEFAULT*', " +
                   $"${p + 7}, ${p + 8}, ${p + 9}, ${p + 10}, false)";
        }));
        await using var insert = new NpgsqlCommand(
            $"insert into {schema}.mt_events ({EventTable.Columns}) values {values} returning seq_id", connection);
        foreach (var e in _entries)
        {
            insert.Parameters.Add(new() { Value = e.Meta.EventId, NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new() { Value = e.ReviewId, NpgsqlDbType = NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = e.Meta.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new() { Value = e.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = e.Kind.Type, NpgsqlDbType = NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = e.Meta.RecordedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new() { Value = EventTable.DotnetType(e.Kind.ClrType), NpgsqlDbType = NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = (object?)e.CorrelationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
            insert.Parameters.Add(new() { Value = EventTable.Headers(e), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = e.Meta.RecordedBy, NpgsqlDbType = NpgsqlDbType.Varchar });
        }
        long last = 0;
        await using var reader = await insert.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) last = Math.Max(last, reader.GetInt64(0));
        return last;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Entries streamed by binary COPY: an import of a million lines holds the review's state, not the file.
/// Sequence numbers come in blocks from a second connection (the first is busy with the COPY), each as large as
/// the lines already read: a number taken and not used would stay a gap that Marten's daemon waits out.
/// </summary>
/// <param name="readAhead">How many lines are read and waiting, once enough are (or the input has ended).</param>
public sealed class CopySink(NpgsqlConnection connection, NpgsqlDataSource dataSource, string schema,
    Func<CancellationToken, ValueTask<int>> readAhead) : IEntrySink
{
    public const int MaxBlock = 8192;
    private readonly Queue<long> _sequence = new(MaxBlock);
    private NpgsqlConnection? _sequenceConnection;
    private NpgsqlBinaryImporter? _copy;
    private long _last;

    public async ValueTask WriteAsync(StoredEntry e, CancellationToken ct)
    {
        _copy ??= await connection.BeginBinaryImportAsync($"copy {schema}.mt_events ({EventTable.Columns}) from stdin (format binary)", ct);
        if (_sequence.Count == 0) await ReserveAsync(await readAhead(ct) + 1, ct);
        _last = _sequence.Dequeue();

        _copy.StartRow();
        _copy.Write(_last, NpgsqlDbType.Bigint);
        _copy.Write(e.Meta.EventId, NpgsqlDbType.Uuid);
        _copy.Write(e.ReviewId, NpgsqlDbType.Varchar);
        _copy.Write(e.Meta.Version, NpgsqlDbType.Bigint);
        _copy.Write(e.Data, NpgsqlDbType.Jsonb);
        _copy.Write(e.Kind.Type, NpgsqlDbType.Varchar);
        _copy.Write(e.Meta.RecordedAt, NpgsqlDbType.TimestampTz);
        _copy.Write("*DEFAULT*", NpgsqlDbType.Varchar);
        _copy.Write(EventTable.DotnetType(e.Kind.ClrType), NpgsqlDbType.Varchar);
        if (e.CorrelationId is null) _copy.WriteNull();
        else _copy.Write(e.CorrelationId, NpgsqlDbType.Varchar);
        _copy.Write(EventTable.Headers(e), NpgsqlDbType.Jsonb);
        _copy.Write(e.Meta.RecordedBy, NpgsqlDbType.Varchar);
        _copy.Write(false, NpgsqlDbType.Boolean);
    }

    public async Task<long> CompleteAsync(CancellationToken ct)
    {
        if (_copy is null) return _last;
        await _copy.CompleteAsync(ct);
        // The connection is the writer's again only once the importer is closed.
        await _copy.DisposeAsync();
        _copy = null;
        return _last;
    }

    private async Task ReserveAsync(int count, CancellationToken ct)
    {
        _sequenceConnection ??= await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select nextval('{schema}.mt_events_sequence') from generate_series(1, {Math.Clamp(count, 1, MaxBlock)})", _sequenceConnection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) _sequence.Enqueue(reader.GetInt64(0));
    }

    /// <summary>Left incomplete, the COPY is cancelled, and with it the transaction: nothing is appended.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_copy is not null) await _copy.DisposeAsync();
        if (_sequenceConnection is not null) await _sequenceConnection.DisposeAsync();
    }
}

/// <summary>The review's stream row: the lock every writer takes, and the version it ends at.</summary>
public static class ReviewStreams
{
    /// <summary>
    /// Locks the review's stream row, creating it (uncommitted, so first writers queue behind) when new; answers its
    /// version. Marten's own exclusive fetch takes the same row lock.
    /// </summary>
    public static async Task<long> LockAsync(NpgsqlConnection connection, string schema, string reviewId, CancellationToken ct)
    {
        await using var locking = new NpgsqlCommand(
            $"insert into {schema}.mt_streams (id, type, version, timestamp, created) values ($1, 'review_summary', 0, now(), now()) " +
            "on conflict (id) do update set timestamp = excluded.timestamp returning version", connection)
            { Parameters = { new() { Value = reviewId } } };
        return (long)(await locking.ExecuteScalarAsync(ct) ?? 0L);
    }

    /// <summary>
    /// A bulk load leaves the planner's statistics describing a much smaller table until autovacuum comes round;
    /// meanwhile queries over the events (a projection rebuild's among them) can pick plans many times slower.
    /// </summary>
    public static async Task AnalyzeAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var analyze = new NpgsqlCommand($"analyze {schema}.mt_events; analyze {schema}.mt_streams", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }
}
