using System.Text;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Entries written as rows of Marten's event table by binary COPY, exactly as Marten would store them
/// (same serializer, type names, headers), the hash chain extended as they go.
/// </summary>
internal sealed class EventRows(NpgsqlConnection connection, NpgsqlDataSource dataSource, string schema, ImportHistory request,
    EventCatalog catalog, ISerializer serializer, string head, long version) : IAsyncDisposable
{
    // Sequence numbers come in blocks from a second connection: the first is busy with the COPY.
    private const int SequenceBlock = 8192;
    private readonly Queue<long> _sequence = new(SequenceBlock);
    private NpgsqlConnection? _sequenceConnection;
    private NpgsqlBinaryImporter? _copy;

    public long Version { get; private set; } = version;
    public string Head { get; private set; } = head;
    public int Written { get; private set; }
    public Guid LastEventId => Last?.Meta.EventId ?? Guid.Empty;
    public LedgerEntry? Last { get; private set; }

    public async Task<EntryMeta> WriteAsync(ReviewEvent entry, CancellationToken ct)
    {
        _copy ??= await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, " +
            "correlation_id, headers, user_name, is_archived) from stdin (format binary)", ct);
        if (_sequence.Count == 0) await ReserveSequenceAsync(ct);

        var kind = catalog.Of(entry);
        var data = serializer.ToJson(entry);
        var next = Version + 1;
        var hash = HashChain.Next(Head, kind.Type, Encoding.UTF8.GetBytes(data), request.RecordedBy, next, entry.EffectiveAt)!;
        var meta = new EntryMeta(Guid.CreateVersion7(), next, _sequence.Dequeue(), DateTimeOffset.UtcNow, request.RecordedBy, hash);

        await _copy.StartRowAsync(ct);
        await _copy.WriteAsync(meta.Sequence, NpgsqlDbType.Bigint, ct);
        await _copy.WriteAsync(meta.EventId, NpgsqlDbType.Uuid, ct);
        await _copy.WriteAsync(request.ReviewId, NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync(next, NpgsqlDbType.Bigint, ct);
        await _copy.WriteAsync(data, NpgsqlDbType.Jsonb, ct);
        await _copy.WriteAsync(kind.Type, NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync(meta.RecordedAt, NpgsqlDbType.TimestampTz, ct);
        await _copy.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync($"{kind.ClrType.FullName}, {kind.ClrType.Assembly.GetName().Name}", NpgsqlDbType.Varchar, ct);
        if (request.CorrelationId is null) await _copy.WriteNullAsync(ct);
        else await _copy.WriteAsync(request.CorrelationId, NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync($$"""{"{{Entries.HashHeader}}":"{{hash}}","{{Entries.PreviousHashHeader}}":"{{Head}}"}""", NpgsqlDbType.Jsonb, ct);
        await _copy.WriteAsync(request.RecordedBy, NpgsqlDbType.Varchar, ct);
        await _copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);

        (Version, Head, Last) = (next, hash, new LedgerEntry(entry, meta));
        Written++;
        return meta;
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_copy is not null) await _copy.CompleteAsync(ct);
    }

    private async Task ReserveSequenceAsync(CancellationToken ct)
    {
        _sequenceConnection ??= await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select nextval('{schema}.mt_events_sequence') from generate_series(1, {SequenceBlock})", _sequenceConnection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) _sequence.Enqueue(reader.GetInt64(0));
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null) await _copy.DisposeAsync();
        if (_sequenceConnection is not null) await _sequenceConnection.DisposeAsync();
    }
}
