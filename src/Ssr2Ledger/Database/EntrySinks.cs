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

    /// <summary>
    /// Sends what is still held, with <paramref name="alongside"/> (the tree's nodes, the stream's version) in the same
    /// round trip where the method allows; answers the sequence number of the last row.
    /// </summary>
    Task<long> CompleteAsync(IReadOnlyList<NpgsqlBatchCommand> alongside, CancellationToken ct);

    /// <summary>The sequence number the entry at <paramref name="version"/> was given (known once complete).</summary>
    long SequenceOf(long version);
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
    private long _lastVersion;

    public async ValueTask WriteAsync(StoredEntry e, CancellationToken ct)
    {
        _copy ??= await connection.BeginBinaryImportAsync($"copy {schema}.mt_events ({EventTable.Columns}) from stdin (format binary)", ct);
        if (_sequence.Count == 0) await ReserveAsync(await readAhead(ct) + 1, ct);
        _last = _sequence.Dequeue();
        _lastVersion = e.Meta.Version;

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

    public async Task<long> CompleteAsync(IReadOnlyList<NpgsqlBatchCommand> alongside, CancellationToken ct)
    {
        if (_copy is not null)
        {
            await _copy.CompleteAsync(ct);
            // The connection is the writer's again only once the importer is closed.
            await _copy.DisposeAsync();
            _copy = null;
        }
        if (alongside.Count == 0) return _last;
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in alongside) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
        return _last;
    }

    /// <summary>Only the last row's is kept: an import answers with its last entry.</summary>
    public long SequenceOf(long version) =>
        version == _lastVersion ? _last : throw new InvalidOperationException($"A COPY keeps only its last row's sequence number.");

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

/// <summary>The reviews' stream rows and the event table's statistics (the lock itself is the recording loop's, for several reviews at once).</summary>
public static class ReviewStreams
{
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
