using Npgsql;

namespace Ssr2Ledger.Database;

/// <summary>
/// The entries of one transaction's grouped writers, of one review or several: held until the end, then one INSERT of
/// arrays (one statement text whatever the count, so it is prepared once) that takes its sequence numbers as it goes,
/// sent in one round trip with whatever goes alongside it. A row's sequence number is known by its review and version.
/// </summary>
public sealed class GroupInsert(string schema)
{
    private readonly List<StoredEntry> _entries = [];
    private readonly Dictionary<(string ReviewId, long Version), long> _sequences = [];

    public void Add(StoredEntry entry) => _entries.Add(entry);

    public async Task ExecuteAsync(NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand> alongside, CancellationToken ct)
    {
        var insert = new NpgsqlBatchCommand(
            $"insert into {schema}.mt_events ({EventTable.Columns}) " +
            $"select nextval('{schema}.mt_events_sequence'), e.id, e.stream_id, e.version, e.data::jsonb, e.type, e.timestamp, '*DEFAULT*', " +
            "e.dotnet_type, e.correlation_id, e.headers::jsonb, e.user_name, false " +
            "from unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::text[], $5::varchar[], $6::timestamptz[], $7::varchar[], " +
            "$8::varchar[], $9::text[], $10::varchar[]) " +
            "as e (id, stream_id, version, data, type, timestamp, dotnet_type, correlation_id, headers, user_name) " +
            "returning stream_id, version, seq_id")
        {
            Parameters =
            {
                new() { Value = _entries.Select(e => e.Meta.EventId).ToArray() },
                new() { Value = _entries.Select(e => e.ReviewId).ToArray() },
                new() { Value = _entries.Select(e => e.Meta.Version).ToArray() },
                new() { Value = _entries.Select(e => e.Data).ToArray() },
                new() { Value = _entries.Select(e => e.Kind.Type).ToArray() },
                new() { Value = _entries.Select(e => e.Meta.RecordedAt).ToArray() },
                new() { Value = _entries.Select(e => EventTable.DotnetType(e.Kind.ClrType)).ToArray() },
                new() { Value = _entries.Select(e => e.CorrelationId).ToArray() },
                new() { Value = _entries.Select(EventTable.Headers).ToArray() },
                new() { Value = _entries.Select(e => e.Meta.RecordedBy).ToArray() },
            },
        };
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { insert } };
        foreach (var command in alongside) batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) _sequences[(reader.GetString(0), reader.GetInt64(1))] = reader.GetInt64(2);
        while (await reader.NextResultAsync(ct)) { }
    }

    public long SequenceOf(string reviewId, long version) => _sequences[(reviewId, version)];
}
