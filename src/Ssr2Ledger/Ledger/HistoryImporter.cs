using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Marten;
using Npgsql;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Ledger;

/// <summary>An import of NDJSON history into one review. <c>FingerprintScope</c> is hashed before the body,
/// so that an Idempotency-Key matches only the same request to the same place.</summary>
public sealed record ImportHistory(string ReviewId, string RecordedBy, long? ExpectedVersion = null, string? IdempotencyKey = null,
    string? CorrelationId = null, string FingerprintScope = "");

public sealed record ImportResult(Import.ImportAnswer? Answer, IReadOnlyList<Refusal> Refusals, bool Replayed = false);

/// <summary>
/// Bulk import streamed into the event table with PostgreSQL's binary COPY: one line is read, checked by the
/// same deciders as a single write, hashed onto the chain and sent, so memory holds the review's state and not
/// the file. All or none: one transaction, under the same stream lock as every other write.
/// </summary>
public sealed class HistoryImporter(LedgerDatabase database, IDocumentStore store, EventCatalog catalog, LedgerSigner signer,
    ReviewTimelines timelines)
{
    private const int MaxReportedErrors = 50;
    private const int AnalyzeAfter = 10_000;

    public async Task<ImportResult> ImportAsync(ImportHistory request, Stream ndjson, Action<long>? progress, CancellationToken ct)
    {
        using var body = new FingerprintingStream(ndjson, Encoding.UTF8.GetBytes(request.FingerprintScope));
        using var lines = new StreamReader(body, Encoding.UTF8, false, 1 << 16);

        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var schema = store.Options.Events.DatabaseSchemaName;
        var version = await LockStreamAsync(connection, schema, request.ReviewId, ct);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));

        if (request.IdempotencyKey is { } key
            && await session.LoadAsync<IdempotentWrite>(IdempotentWrite.IdFor(request.ReviewId, key), ct) is { } earlier)
        {
            await body.CopyToAsync(Stream.Null, ct);
            return await ReplayAsync(session, earlier, body.Fingerprint(), key, ct);
        }
        if (request.ExpectedVersion is { } expected && expected != version)
            return new(null, [Refusal.Conflict($"If-Match expected version {expected}, but review '{request.ReviewId}' is at version {version}.")]);

        var state = version == 0 ? null : await timelines.WithTimelineAsync(request.ReviewId, t => t.Current, ct, connection, version);
        var rows = new EventRows(connection, database.DataSource, schema, request, catalog, state?.HeadHash ?? HashChain.Genesis, version);
        var (errors, inPlace, last) = await ReadAsync(lines, rows, request, state, session, progress, ct);
        // Left incomplete, the COPY is cancelled and the transaction rolls back: nothing is appended.
        if (errors.Count == 0) await rows.CompleteAsync(ct);
        await rows.DisposeAsync();
        if (errors.Count > 0) return new(null, errors);
        if (rows.Written == 0) return new(null, [Refusal.Invalid("body", "has no entries: send one { \"type\", \"data\" } object a line.")]);

        await using (var command = new NpgsqlCommand($"update {schema}.mt_streams set version = $1, timestamp = now() where id = $2", connection))
        {
            command.Parameters.Add(new() { Value = rows.Version });
            command.Parameters.Add(new() { Value = request.ReviewId });
            await command.ExecuteNonQueryAsync(ct);
        }
        // Entries out of valid-time order change what follows them: then the summary is replayed, as the projection does.
        session.Store(inPlace ? ReviewSummary.Of(last!)
            : await ReviewSummaryProjection.ReplayAsync(session, request.ReviewId, [], rows.Last!, catalog.Json, ct));
        var answer = new Import.ImportAnswer(rows.Written, rows.Version, rows.Head);
        if (request.IdempotencyKey is { } newKey)
            session.Insert(new IdempotentWrite(IdempotentWrite.IdFor(request.ReviewId, newKey), body.Fingerprint(),
                [rows.LastEventId], answer.Imported));
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (rows.Written >= AnalyzeAfter) await AnalyzeAsync(connection, schema, ct);
        return new(answer, []);
    }

    /// <summary>A line read and made ready on the reading core: the entry, its stored JSON and its hash's preimage.</summary>
    private sealed record Line(long Number, ReviewEvent? Entry, IReadOnlyList<Refusal> Refusals, string Data = "", byte[]? Preimage = null);

    /// <summary>
    /// One core reads, validates and serializes the lines (and writes what each hash covers, for the version it will
    /// have if every line before it is accepted); this one checks them in order, folds, chains and sends them.
    /// After the first refusal only reading goes on, to name more bad lines.
    /// </summary>
    private async Task<(List<Refusal> Errors, bool InPlace, ReviewState? State)> ReadAsync(StreamReader lines, EventRows rows,
        ImportHistory request, ReviewState? state, IDocumentSession session, Action<long>? progress, CancellationToken ct)
    {
        var ready = Channel.CreateBounded<Line>(new BoundedChannelOptions(EventRows.MaxBlock) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => PrepareAsync(lines, ready.Writer, rows.Version, request.RecordedBy, stop.Token), stop.Token);

        var errors = new List<Refusal>();
        var retracted = new HashSet<Guid>();
        var inPlace = true;
        await foreach (var line in ready.Reader.ReadAllAsync(ct))
        {
            if (line.Number % 10_000 == 0) progress?.Invoke(line.Number);
            var refusals = line.Refusals;
            if (line.Entry is { } entry && errors.Count == 0)
            {
                var context = entry is EntryCorrected or EntryRetracted
                    ? await LoadContextAsync(request.ReviewId, entry, retracted, ct)
                    : RecordingContext.For(request.ReviewId);
                refusals = catalog.Check(state, entry, context);
                if (refusals.Count == 0)
                {
                    if (entry is EntryRetracted r) retracted.Add(r.RetractsEventId);
                    inPlace &= state is null || ReviewSummaryProjection.FoldsInPlace(state, entry);
                    if (rows.Reserved == 0)
                    {
                        // Numbers for this line and those read after it, once a good many are read or the file has ended.
                        while (!reading.IsCompleted && ready.Reader.Count < EventRows.MaxBlock / 2) await Task.Delay(1, ct);
                        await rows.ReserveAsync(ready.Reader.Count + 1, ct);
                    }
                    var meta = await rows.WriteAsync(entry, line.Data, line.Preimage!, ct);
                    state = ReviewState.Fold(state, entry, meta);
                    if (entry is MeetingHeld { MeetingId: { } meetingId })
                        session.Insert(Checkpoint.Seal(signer, request.ReviewId, meetingId, meta.Version, meta.Hash, DateTimeOffset.UtcNow));
                }
            }
            errors.AddRange(refusals.Select(r => Import.AtLine(r, line.Number)));
            if (errors.Count >= MaxReportedErrors) break;
        }
        await stop.CancelAsync();
        try { await reading; } catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        return (errors, inPlace, state);
    }

    private async Task PrepareAsync(StreamReader lines, ChannelWriter<Line> ready, long version, string recordedBy, CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        try
        {
            var number = 0L;
            while (await lines.ReadLineAsync(ct) is { } text)
            {
                number++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                var (entry, refusals) = Import.ReadLine(text, catalog);
                if (entry is null) { await ready.WriteAsync(new Line(number, null, refusals), ct); continue; }
                var data = serializer.ToJson(entry);
                var preimage = HashChain.Preimage(catalog.Of(entry).Type, Encoding.UTF8.GetBytes(data), recordedBy, ++version, entry.EffectiveAt);
                await ready.WriteAsync(new Line(number, entry, refusals, data, preimage), ct);
            }
        }
        finally
        {
            ready.TryComplete();
        }
    }

    /// <summary>
    /// A bulk load leaves the planner's statistics describing a much smaller table until autovacuum comes round;
    /// meanwhile queries over the events (a projection rebuild's among them) can pick plans many times slower.
    /// </summary>
    private static async Task AnalyzeAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var analyze = new NpgsqlCommand($"analyze {schema}.mt_events; analyze {schema}.mt_streams", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Corrections point at committed entries (an import's own have no ids yet), read apart from the COPY.</summary>
    private async Task<RecordingContext> LoadContextAsync(string reviewId, ReviewEvent entry, IReadOnlySet<Guid> retracted, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await RecordingContext.LoadAsync(query, reviewId, [entry], retracted, ct);
    }

    /// <summary>Locks the review's stream row, creating it (uncommitted, so first writers queue behind) when new.</summary>
    private static async Task<long> LockStreamAsync(NpgsqlConnection connection, string schema, string reviewId, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand(
            $"insert into {schema}.mt_streams (id, type, version, timestamp, created) values ($1, 'review_summary', 0, now(), now()) on conflict (id) do nothing",
            connection) { Parameters = { new() { Value = reviewId } } })
            await create.ExecuteNonQueryAsync(ct);
        await using var locking = new NpgsqlCommand($"select version from {schema}.mt_streams where id = $1 for update", connection)
            { Parameters = { new() { Value = reviewId } } };
        return (long)(await locking.ExecuteScalarAsync(ct) ?? 0L);
    }

    private static async Task<ImportResult> ReplayAsync(IQuerySession session, IdempotentWrite earlier, string fingerprint, string key, CancellationToken ct)
    {
        if (earlier.RequestSha256 != fingerprint)
            return new(null, [new Refusal(422, "Idempotency-Key reused",
                $"Idempotency-Key '{key}' was already used with a different request; use a new key for a new request.")]);
        var last = (await session.Events.LoadAsync(earlier.EventIds[^1], ct))!;
        return new(new Import.ImportAnswer(earlier.Imported ?? earlier.EventIds.Count, last.Version, Entries.Header(last, Entries.HashHeader) ?? ""), [], true);
    }
}
