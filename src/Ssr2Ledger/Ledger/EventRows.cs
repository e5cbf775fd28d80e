using Npgsql;
using NpgsqlTypes;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Entries written as rows of Marten's event table by binary COPY, exactly as Marten would store them
/// (same serializer, type names, headers), the hash chain extended as they go.
/// </summary>
internal sealed class EventRows(NpgsqlConnection connection, NpgsqlDataSource dataSource, string schema, ImportHistory request,
    EventCatalog catalog, string head, long version) : IAsyncDisposable
{
    // Sequence numbers come in blocks from a second connection (the first is busy with the COPY), each as large
    // as the lines already read: a number taken and not used would stay a gap that Marten's daemon waits out.
    public const int MaxBlock = 8192;
    private readonly Queue<long> _sequence = new(MaxBlock);
    private NpgsqlConnection? _sequenceConnection;
    private NpgsqlBinaryImporter? _copy;

    public long Version { get; private set; } = version;
    public string Head { get; private set; } = head;
    public int Written { get; private set; }
    public Guid LastEventId => Last?.Meta.EventId ?? Guid.Empty;
    public LedgerEntry? Last { get; private set; }

    /// <param name="data">The entry as the store's serializer writes it.</param>
    /// <param name="preimage">What its hash covers (<see cref="HashChain.Preimage"/>), made for this position.</param>
    public async Task<EntryMeta> WriteAsync(ReviewEvent entry, string data, byte[] preimage, CancellationToken ct)
    {
        _copy ??= await connection.BeginBinaryImportAsync(
            $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, " +
            "correlation_id, headers, user_name, is_archived) from stdin (format binary)", ct);
        if (_sequence.Count == 0) throw new InvalidOperationException("No sequence number reserved for this row.");

        var kind = catalog.Of(entry);
        var next = Version + 1;
        var hash = HashChain.Link(Head, preimage);
        var meta = new EntryMeta(Guid.CreateVersion7(), next, _sequence.Dequeue(), DateTimeOffset.UtcNow, request.RecordedBy, hash);

        _copy.StartRow();
        _copy.Write(meta.Sequence, NpgsqlDbType.Bigint);
        _copy.Write(meta.EventId, NpgsqlDbType.Uuid);
        _copy.Write(request.ReviewId, NpgsqlDbType.Varchar);
        _copy.Write(next, NpgsqlDbType.Bigint);
        _copy.Write(data, NpgsqlDbType.Jsonb);
        _copy.Write(kind.Type, NpgsqlDbType.Varchar);
        _copy.Write(meta.RecordedAt, NpgsqlDbType.TimestampTz);
        _copy.Write("*DEFAULT*", NpgsqlDbType.Varchar);
        _copy.Write(DotnetType(kind.ClrType), NpgsqlDbType.Varchar);
        if (request.CorrelationId is null) _copy.WriteNull();
        else _copy.Write(request.CorrelationId, NpgsqlDbType.Varchar);
        _copy.Write($$"""{"{{Entries.HashHeader}}":"{{hash}}","{{Entries.PreviousHashHeader}}":"{{Head}}"}""", NpgsqlDbType.Jsonb);
        _copy.Write(request.RecordedBy, NpgsqlDbType.Varchar);
        _copy.Write(false, NpgsqlDbType.Boolean);

        (Version, Head, Last) = (next, hash, new LedgerEntry(entry, meta));
        Written++;
        return meta;
    }

    private readonly Dictionary<Type, string> _dotnetTypes = [];

    private string DotnetType(Type type) =>
        _dotnetTypes.TryGetValue(type, out var name) ? name : _dotnetTypes[type] = $"{type.FullName}, {type.Assembly.GetName().Name}";

    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_copy is not null) await _copy.CompleteAsync(ct);
    }

    /// <summary>How many rows can be written before <see cref="ReserveAsync"/> is needed again.</summary>
    public int Reserved => _sequence.Count;

    public async Task ReserveAsync(int count, CancellationToken ct)
    {
        _sequenceConnection ??= await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select nextval('{schema}.mt_events_sequence') from generate_series(1, {Math.Clamp(count, 1, MaxBlock)})", _sequenceConnection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) _sequence.Enqueue(reader.GetInt64(0));
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null) await _copy.DisposeAsync();
        if (_sequenceConnection is not null) await _sequenceConnection.DisposeAsync();
    }
}
