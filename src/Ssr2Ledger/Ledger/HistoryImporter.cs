using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
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
    private const int SequenceBlock = 8192;
    private const int MaxReportedErrors = 50;

    public async Task<ImportResult> ImportAsync(ImportHistory request, Stream ndjson, Action<long>? progress, CancellationToken ct)
    {
        using var fingerprint = SHA256.Create();
        var scope = Encoding.UTF8.GetBytes(request.FingerprintScope);
        fingerprint.TransformBlock(scope, 0, scope.Length, null, 0);
        await using var body = new CryptoStream(ndjson, fingerprint, CryptoStreamMode.Read, leaveOpen: true);
        using var lines = new StreamReader(body, Encoding.UTF8);

        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var schema = store.Options.Events.DatabaseSchemaName;
        var version = await LockStreamAsync(connection, schema, request.ReviewId, ct);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));

        if (request.IdempotencyKey is { } key
            && await session.LoadAsync<IdempotentWrite>(IdempotentWrite.IdFor(request.ReviewId, key), ct) is { } earlier)
        {
            await body.CopyToAsync(Stream.Null, ct);
            return await ReplayAsync(session, earlier, Convert.ToHexStringLower(fingerprint.Hash!), key, ct);
        }
        if (request.ExpectedVersion is { } expected && expected != version)
            return new(null, [Refusal.Conflict($"If-Match expected version {expected}, but review '{request.ReviewId}' is at version {version}.")]);

        var state = version == 0 ? null : await timelines.WithTimelineAsync(request.ReviewId, t => t.Current, ct);
        var rows = new EventRows(connection, database.DataSource, schema, request, catalog, store.Options.Serializer(),
            state?.HeadHash ?? HashChain.Genesis, version);
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
            session.Insert(new IdempotentWrite(IdempotentWrite.IdFor(request.ReviewId, newKey), Convert.ToHexStringLower(fingerprint.Hash!),
                [rows.LastEventId], answer.Imported));
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(answer, []);
    }

    /// <summary>Reads, checks, folds and sends each line; after the first refusal only reads on, to name more bad lines.</summary>
    private async Task<(List<Refusal> Errors, bool InPlace, ReviewState? State)> ReadAsync(StreamReader lines, EventRows rows,
        ImportHistory request, ReviewState? state, IDocumentSession session, Action<long>? progress, CancellationToken ct)
    {
        var errors = new List<Refusal>();
        var retracted = new HashSet<Guid>();
        var inPlace = true;
        var number = 0L;
        while (await lines.ReadLineAsync(ct) is { } line && errors.Count < MaxReportedErrors)
        {
            if (++number % 10_000 == 0) progress?.Invoke(number);
            if (string.IsNullOrWhiteSpace(line)) continue;
            var (entry, refusals) = Import.ReadLine(line, catalog);
            if (entry is not null && errors.Count == 0)
            {
                var context = entry is EntryCorrected or EntryRetracted
                    ? await LoadContextAsync(request.ReviewId, entry, retracted, ct)
                    : RecordingContext.For(request.ReviewId);
                refusals = catalog.Check(state, entry, context);
                if (refusals.Count == 0)
                {
                    if (entry is EntryRetracted r) retracted.Add(r.RetractsEventId);
                    inPlace &= state is null || ReviewSummaryProjection.FoldsInPlace(state, entry);
                    var meta = await rows.WriteAsync(entry, ct);
                    state = ReviewState.Fold(state, entry, meta);
                    if (entry is MeetingHeld { MeetingId: { } meetingId })
                        session.Insert(Checkpoint.Seal(signer, request.ReviewId, meetingId, meta.Version, meta.Hash, DateTimeOffset.UtcNow));
                }
            }
            errors.AddRange(refusals.Select(r => Import.AtLine(r, number)));
        }
        return (errors, inPlace, state);
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
