using System.Text;
using Marten;
using Npgsql;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Database;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// One entry offered for recording, as read from a request, a form or an import line. <c>Errors</c> are what reading
/// found; the entry may come with them (an id that is not a slug still makes an entry), so that the review's rules are
/// named in the same answer. <c>Prepared</c> is its stored form and hash preimage when made ahead (an import makes
/// them on another core).
/// </summary>
public sealed record Proposal(long Line, ReviewEvent? Entry, IReadOnlyList<Refusal> Errors, PreparedEntry? Prepared = null);

/// <summary>An entry's stored JSON and what its hash covers, made for the version and store's time it will have.</summary>
public sealed record PreparedEntry(string Data, byte[] Preimage, DateTimeOffset RecordedAt);

/// <summary>Who records into which review, with the request's If-Match and Idempotency-Key.</summary>
/// <param name="Fingerprint">The request's SHA-256 (an import's is known once its body has been read).</param>
/// <param name="ByLine">Refusals are named by line (an import) rather than by field alone.</param>
/// <param name="Caller">Whose Idempotency-Keys these are (<see cref="Access.Caller.IdempotencyScope"/>); null on the command
/// line.</param>
/// <param name="DryRun">Decide every entry as a write would, then roll back: nothing reaches the sink, nothing is committed.</param>
public sealed record RecordingRequest(string ReviewId, string RecordedBy, long? ExpectedVersion, string? IdempotencyKey,
    Func<string> Fingerprint, string? CorrelationId, bool ByLine = false, string? Caller = null, bool DryRun = false);

public abstract record RecordingOutcome;

/// <param name="Replayed">True when an Idempotency-Key matched an earlier request: nothing new was appended.</param>
public sealed record Recorded(RecordedEntry Last, int Count, bool Replayed) : RecordingOutcome;

public sealed record Refused(IReadOnlyList<Refusal> Refusals) : RecordingOutcome;

/// <summary>A dry run's answer: what the write would have recorded, had it not been a dry run.</summary>
public sealed record WouldRecord(RecordedEntry Last, int Count) : RecordingOutcome;

/// <summary>The SPEC's answer to a write.</summary>
public sealed record RecordedEntry(Guid EventId, string ReviewId, long Version, long Sequence, string Hash);

/// <summary>What an Idempotency-Key remembers, stored in the same transaction as the entries.</summary>
public sealed record IdempotentWrite(string Id, string RequestSha256, IReadOnlyList<Guid> EventIds, int? Imported = null)
{
    /// <summary>
    /// A key is the caller's own within a review. Earlier versions stored <c>review/key</c> (as the command line still
    /// does); a caller's form starts with its scope and a colon, which no review id holds, so the two never meet.
    /// </summary>
    public static string IdFor(string reviewId, string? caller, string key) =>
        caller is null ? $"{reviewId}/{key}" : $"{caller}:{reviewId}/{key}";

    /// <summary>
    /// The caller's earlier write with this key. A record kept by an earlier version names no caller: it answers only a
    /// caller under whose key name the entry it answered was recorded.
    /// </summary>
    public static async Task<IdempotentWrite?> EarlierAsync(IQuerySession session, RecordingRequest request, string key,
        CancellationToken ct)
    {
        if (await session.LoadAsync<IdempotentWrite>(IdFor(request.ReviewId, request.Caller, key), ct) is { } own) return own;
        if (request.Caller is null) return null;
        if (await session.LoadAsync<IdempotentWrite>(IdFor(request.ReviewId, null, key), ct) is not { } legacy) return null;
        var answered = await session.Events.LoadAsync(legacy.EventIds[^1], ct);
        return answered?.UserName == request.RecordedBy ? legacy : null;
    }
}

/// <summary>
/// The one way entries enter a review's ledger, whatever brought them (one entry, a batch, an import, a form): the
/// review's stream row is locked; an Idempotency-Key replays its first answer; If-Match is checked; each entry is
/// checked by the review's rules against the state the entries before it make, chained onto the head and handed to a
/// sink; a meeting held seals a checkpoint; the summary and the stream's version are written; one commit, all or none.
/// The state is the review's held in memory, brought up to date under the lock, so a write costs the same however
/// long the review is; writers on a review queue on the lock, so the chain never forks.
/// </summary>
public sealed class RecordingLoop(LedgerDatabase database, IDocumentStore store, EventCatalog catalog, LedgerSigner signer,
    ReviewCaches reviews)
{
    public const int MaxReportedErrors = 50;
    private const int AnalyzeAfter = 10_000;

    public string Schema => store.Options.Events.DatabaseSchemaName;

    /// <param name="read">The proposals, given the version the review's stream is at under the lock.</param>
    /// <param name="sinkFor">The storage method, on the writer's connection.</param>
    public async Task<RecordingOutcome> RecordAsync(RecordingRequest request, Func<long, IAsyncEnumerable<Proposal>> read,
        Func<NpgsqlConnection, IEntrySink> sinkFor, Action<long>? progress, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var version = await ReviewStreams.LockAsync(connection, Schema, request.ReviewId, ct);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        var proposals = read(version);

        if (request.IdempotencyKey is { } key
            && await IdempotentWrite.EarlierAsync(session, request, key, ct) is { } earlier)
        {
            await foreach (var _ in proposals.WithCancellation(ct)) { } // the fingerprint covers the whole request
            return await ReplayAsync(session, request, earlier, ct);
        }
        if (request.ExpectedVersion is { } expected && expected != version)
            return new Refused([Refusal.Conflict($"If-Match expected version {expected}, but review '{request.ReviewId}' is at version {version}.")]);

        var tree = await ReviewTrees.OpenAsync(connection, Schema, request.ReviewId, version, ct);
        var state = version == 0 ? null
            : await reviews.WithReviewAsync(request.ReviewId, t => t.Current, ct, connection, version);
        var serializer = store.Options.Serializer();
        await using var sink = sinkFor(connection);

        var errors = new List<Refusal>();
        var errata = new List<LedgerEntry>(); // corrections and retractions recorded by this write
        var summaryInPlace = true;
        var head = state?.HeadHash ?? HashChain.Genesis;
        LedgerEntry? last = null;
        var count = 0;
        await foreach (var proposal in proposals.WithCancellation(ct))
        {
            if (proposal.Line % 10_000 == 0) progress?.Invoke(proposal.Line);
            var refusals = proposal.Errors;
            // After the first refusal the state is no longer the one later entries would meet: only reading goes on.
            if (proposal.Entry is { } entry && errors.Count == 0)
            {
                var context = await ContextAsync(request.ReviewId, entry, errata, connection, version, ct);
                refusals = [.. proposal.Errors, .. CorrectionRules.InOneWrite(entry, count, errata.Count),
                    .. catalog.Check(state, entry, context)];
                if (refusals.Count == 0)
                {
                    var position = version + count + 1;
                    var kind = catalog.Of(entry);
                    var prepared = proposal.Prepared ?? Prepare(serializer, kind, entry, request.RecordedBy, position, DateTimeOffset.UtcNow);
                    var hash = HashChain.Link(head, prepared.Preimage);
                    var meta = new EntryMeta(Guid.CreateVersion7(), position, 0, prepared.RecordedAt, request.RecordedBy, hash);
                    if (!request.DryRun)
                        await sink.WriteAsync(new StoredEntry(request.ReviewId, kind, prepared.Data, meta, head, request.CorrelationId), ct);
                    tree.Append(Convert.FromHexString(hash));

                    summaryInPlace &= state is null || ReviewSummaryProjection.FoldsInPlace(state, entry);
                    state = ReviewState.Fold(state, entry, meta);
                    // A meeting held seals the review's record up to it.
                    if (entry is MeetingHeld { MeetingId: { } meetingId })
                        session.Insert(Checkpoint.Seal(signer, request.ReviewId, meetingId, position, hash, tree.Root(),
                            meta.RecordedAt));
                    (head, last) = (hash, new LedgerEntry(entry, meta));
                    if (entry is CorrectiveEntry) errata.Add(last);
                    count++;
                }
            }
            errors.AddRange(request.ByLine ? refusals.Select(r => Import.AtLine(r, proposal.Line)) : refusals);
            if (errors.Count >= MaxReportedErrors) break;
        }
        if (errors.Count == 0 && last is null)
            errors.Add(Refusal.Invalid("body", "has no entries: send one { \"type\", \"data\" } object a line."));
        // Returning without completing disposes the sink and the transaction: nothing is appended.
        if (errors.Count > 0) return new Refused(errors);
        if (request.DryRun)
            return new WouldRecord(new RecordedEntry(last!.Meta.EventId, request.ReviewId, last.Meta.Version, 0, last.Meta.Hash), count);

        var sequence = await sink.CompleteAsync(ct);
        await ReviewTrees.SaveAsync(connection, Schema, request.ReviewId, tree, ct);
        session.QueueSqlCommand($"update {Schema}.mt_streams set version = ?, timestamp = now() where id = ?", last!.Meta.Version, request.ReviewId);
        // Entries out of valid-time order change what follows them: then the summary is replayed, as the projection does.
        var summary = !summaryInPlace ? await ReviewSummaryProjection.ReplayAsync(session, request.ReviewId, [], last, catalog.Json, ct)
            : state is null ? null : ReviewSummary.Of(state);
        if (summary is not null) session.Store(summary);
        if (request.IdempotencyKey is { } newKey)
            session.Insert(new IdempotentWrite(IdempotentWrite.IdFor(request.ReviewId, request.Caller, newKey), request.Fingerprint(),
                [last.Meta.EventId], count));
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (count >= AnalyzeAfter) await ReviewStreams.AnalyzeAsync(connection, Schema, ct);
        return new Recorded(new RecordedEntry(last.Meta.EventId, request.ReviewId, last.Meta.Version, sequence, last.Meta.Hash), count, false);
    }

    /// <summary>An entry as stored, and what its hash covers at <paramref name="version"/>, recorded at <paramref name="now"/>.</summary>
    public static PreparedEntry Prepare(Marten.ISerializer serializer, EventKind kind, ReviewEvent entry, string recordedBy, long version,
        DateTimeOffset now)
    {
        var data = serializer.ToJson(entry);
        var recordedAt = HashChain.StoreTime(now);
        return new(data, HashChain.Preimage(kind.Type, Encoding.UTF8.GetBytes(data), recordedBy, version, entry.EffectiveAt, recordedAt)!,
            recordedAt);
    }

    /// <summary>
    /// What a correction or retraction points at, and the review's entries it is replayed with, from the review's entries
    /// held in memory (no read while a COPY holds the connection) and the errata of this write not yet committed.
    /// </summary>
    private async Task<RecordingContext> ContextAsync(string reviewId, ReviewEvent entry, IReadOnlyList<LedgerEntry> errataHere,
        NpgsqlConnection connection, long version, CancellationToken ct)
    {
        if (entry is not CorrectiveEntry { Target: var id } || version == 0) return RecordingContext.For(reviewId);
        // The cache holds no errata of this write: after one, the whole review as it would be is replayed.
        var (found, retracted, replay) = await reviews.WithReviewAsync(reviewId, t => t.Entry(id) is not { } target
            ? (null, false, null)
            : (target, t.IsRetracted(id), errataHere.Count == 0 ? t.WindowFor((CorrectiveEntry)entry, target)
                : Consistency.Whole([.. t.Recorded, .. errataHere], catalog.Json)), ct, connection, version);
        return new RecordingContext(reviewId,
            found is null ? new Dictionary<Guid, LedgerEntry>() : new Dictionary<Guid, LedgerEntry> { [id] = found },
            retracted || errataHere.Any(e => e.Event is EntryRetracted r && r.RetractsEventId == id) ? new HashSet<Guid> { id } : [],
            replay);
    }

    private static async Task<RecordingOutcome> ReplayAsync(IQuerySession session, RecordingRequest request, IdempotentWrite earlier,
        CancellationToken ct)
    {
        if (earlier.RequestSha256 != request.Fingerprint())
            return new Refused([new Refusal(422, "Idempotency-Key reused",
                $"Idempotency-Key '{request.IdempotencyKey}' was already used with a different request; use a new key for a new request.")]);
        var last = (await session.Events.LoadAsync(earlier.EventIds[^1], ct))!;
        return new Recorded(new RecordedEntry(last.Id, request.ReviewId, last.Version, last.Sequence, Entries.Header(last, Entries.HashHeader) ?? ""),
            earlier.Imported ?? earlier.EventIds.Count, true);
    }
}
