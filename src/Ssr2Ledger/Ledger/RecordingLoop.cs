using System.Collections.Concurrent;
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
/// sink; a meeting held seals a checkpoint; the summary and the stream's version are written; one commit.
/// The state is the review's held in memory, brought up to date under the lock, so a write costs the same however
/// long the review is.
/// <para>
/// Group commit: writers queue here (per process) rather than on the row locks. While a commit is in flight, those that
/// arrive wait; the next transaction takes every writer waiting, of one review or many: a review's writers are decided in
/// arrival order against the state the earlier ones make, each all or none on its own (a refused writer changes nothing
/// for the ones after it); all are appended by one INSERT and committed once, and each is answered only once that commit
/// has returned. The reviews' stream rows are locked in one order (their ids'), so servers sharing one database queue on
/// them and cannot deadlock, and no chain forks. An import (streamed) or a dry run is a transaction of its own.
/// </para>
/// </summary>
public sealed class RecordingLoop(LedgerDatabase database, IDocumentStore store, EventCatalog catalog, LedgerSigner signer,
    ReviewCaches reviews)
{
    public const int MaxReportedErrors = 50;
    private const int AnalyzeAfter = 10_000;
    /// <summary>The most writers one commit takes (the rest go with the next): bounds one INSERT and one answer's wait.</summary>
    public const int MaxGroup = 128;
    /// <summary>
    /// Grouped transactions in flight at once: a second lets one be decided while the other commits, and keeps writes
    /// moving while one waits on a review's lock held by another server. Writers arriving while both are out wait.
    /// </summary>
    public const int MaxInFlight = 2;

    /// <summary>
    /// How long a transaction of several reviews waits for their locks before each of them goes in a transaction of its
    /// own: a review another server holds for long (its import, say) does not hold up the reviews grouped with it here.
    /// </summary>
    internal TimeSpan SharedLockWait { get; set; } = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Review> _reviews = new();
    /// <summary>Guards every review's queue, the reviews ready to record and the count of transactions in flight.</summary>
    private readonly Lock _gate = new();
    private readonly Queue<Review> _ready = new();
    private int _inFlight;

    public string Schema => store.Options.Events.DatabaseSchemaName;

    /// <summary>
    /// Records without keeping the Merkle trees: only for the benchmark, which measures what the tree costs a write
    /// (a ledger run so has reviews without trees until its next start builds them).
    /// </summary>
    internal bool WithoutTrees { get; set; }

    /// <summary>One write of a few entries (the API's, a form's): recorded with whatever else arrives meanwhile.</summary>
    public Task<RecordingOutcome> RecordAsync(RecordingRequest request, IReadOnlyList<Proposal> proposals, CancellationToken ct) =>
        QueueAsync(new Writer(request, _ => proposals.ToAsyncEnumerable(), null, null, ct));

    /// <summary>A streamed write (an import): recorded alone, in its turn.</summary>
    /// <param name="read">The proposals, given the version the review's stream is at under the lock.</param>
    /// <param name="sinkFor">The storage method, on the writer's connection.</param>
    public Task<RecordingOutcome> RecordAsync(RecordingRequest request, Func<long, IAsyncEnumerable<Proposal>> read,
        Func<NpgsqlConnection, IEntrySink> sinkFor, Action<long>? progress, CancellationToken ct) =>
        QueueAsync(new Writer(request, read, sinkFor, progress, ct));

    /// <summary>How many of the review's writers wait for its next group, and whether a group of it is being recorded.</summary>
    public (int Waiting, bool Recording) QueueOf(string reviewId)
    {
        if (!_reviews.TryGetValue(reviewId, out var review)) return (0, false);
        lock (_gate) return (review.Waiting.Count, review.Recording);
    }

    /// <summary>A writer waiting for its answer.</summary>
    /// <param name="SinkFor">Null for a write that joins a group (held, then one INSERT for the transaction).</param>
    private sealed record Writer(RecordingRequest Request, Func<long, IAsyncEnumerable<Proposal>> Read,
        Func<NpgsqlConnection, IEntrySink>? SinkFor, Action<long>? Progress, CancellationToken Cancellation)
    {
        public TaskCompletionSource<RecordingOutcome> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// A review's writers waiting, whether a group of it is being recorded or it waits in the ready queue, and its tree's
    /// right edge as last committed here.
    /// </summary>
    private sealed class Review(string id)
    {
        public readonly string Id = id;
        public readonly Queue<Writer> Waiting = new();
        public bool Recording;
        public bool Ready;
        public TreeFrontier? Edge;
    }

    /// <summary>One review's writers in a transaction.</summary>
    private sealed record Share(Review Review, List<Writer> Writers);

    private Task<RecordingOutcome> QueueAsync(Writer writer)
    {
        var review = _reviews.GetOrAdd(writer.Request.ReviewId, id => new Review(id));
        lock (_gate)
        {
            review.Waiting.Enqueue(writer);
            if (!review.Recording) MakeReady(review);
            StartTransactions();
        }
        return writer.Answer.Task;
    }

    /// <summary>Puts the review in the ready queue, once (under the gate).</summary>
    private void MakeReady(Review review)
    {
        if (review.Ready) return;
        review.Ready = true;
        _ready.Enqueue(review);
    }

    /// <summary>
    /// Starts what can start (under the gate): a streamed write or a dry run at once and alone; grouped writers, of every
    /// review ready, in one transaction while fewer than <see cref="MaxInFlight"/> are out.
    /// </summary>
    private void StartTransactions()
    {
        while (true)
        {
            var shares = new List<Share>();
            var count = 0;
            var later = new List<Review>();
            while (_ready.TryDequeue(out var review))
            {
                review.Ready = false;
                var alone = !Joins(review.Waiting.Peek());
                if (!alone && (_inFlight >= MaxInFlight || count >= MaxGroup))
                {
                    later.Add(review);
                    continue;
                }
                var writers = Take(review, alone ? 1 : MaxGroup - count);
                if (writers.Count == 0)
                {
                    if (review.Waiting.Count > 0) later.Add(review);
                    continue;
                }
                alone = !Joins(writers[0]); // the first may have gone, cancelled
                review.Recording = true;
                if (alone) _ = Task.Run(() => RecordAsync([new Share(review, writers)], counted: false));
                else
                {
                    shares.Add(new Share(review, writers));
                    count += writers.Count;
                }
            }
            foreach (var review in later) MakeReady(review);
            if (shares.Count == 0) return;
            _inFlight++;
            _ = Task.Run(() => RecordAsync(shares, counted: true));
        }
    }

    /// <summary>The review's next writers, in arrival order, up to a streamed write or a dry run (which goes alone).</summary>
    private static List<Writer> Take(Review review, int most)
    {
        var writers = new List<Writer>();
        while (review.Waiting.TryPeek(out var next) && writers.Count < most
               && (writers.Count == 0 || (Joins(next) && Joins(writers[0]))))
        {
            review.Waiting.Dequeue();
            // A caller gone before its turn is not recorded.
            if (next.Cancellation.IsCancellationRequested) next.Answer.TrySetCanceled(next.Cancellation);
            else writers.Add(next);
        }
        return writers;
    }

    /// <summary>Records one transaction's shares, answers a failure to all its writers, then lets their reviews go on.</summary>
    private async Task RecordAsync(List<Share> shares, bool counted)
    {
        try
        {
            await RecordTransactionAsync(shares);
        }
        catch (PostgresException held) when (held.SqlState == PostgresErrorCodes.LockNotAvailable && shares.Count > 1)
        {
            // Nothing was decided for good: each review goes alone, and only the one held waits for it.
            await Task.WhenAll(shares.Select(share => RecordAsync([share])));
        }
        catch (Exception failed)
        {
            Fail(shares, failed);
        }
        lock (_gate)
        {
            foreach (var share in shares)
            {
                share.Review.Recording = false;
                if (share.Review.Waiting.Count > 0) MakeReady(share.Review);
            }
            if (counted) _inFlight--;
            StartTransactions();
        }
    }

    private async Task RecordAsync(List<Share> shares)
    {
        try
        {
            await RecordTransactionAsync(shares);
        }
        catch (Exception failed)
        {
            Fail(shares, failed);
        }
    }

    /// <summary>The commit did not happen (or its answer never came): every writer of the transaction gets the same failure.</summary>
    private static void Fail(List<Share> shares, Exception failed)
    {
        foreach (var writer in shares.SelectMany(s => s.Writers)) writer.Answer.TrySetException(failed);
    }

    /// <summary>A write of a few entries joins others; a streamed write or a dry run is a transaction of its own.</summary>
    private static bool Joins(Writer writer) => writer.SinkFor is null && !writer.Request.DryRun;

    /// <summary>What one writer of a group came to while it was decided.</summary>
    private sealed class Decision(Writer writer)
    {
        public Writer Writer { get; } = writer;
        public RecordingOutcome? Outcome;
        public LedgerEntry? Last;
        public int Count;
        /// <summary>An earlier writer of the group with the same Idempotency-Key and request: this one replays its answer.</summary>
        public Decision? Replays;
    }

    /// <summary>One review's state as its writers in the transaction are decided in turn: what each one meets.</summary>
    private sealed class Group(Share share, long version, ReviewState? state, TreeFrontier tree)
    {
        public readonly Share Share = share;
        public readonly long StartVersion = version;
        public ReviewState? State = state;
        public readonly string StartHead = state?.HeadHash ?? HashChain.Genesis;
        public string Head = state?.HeadHash ?? HashChain.Genesis;
        public TreeFrontier Tree = tree;
        public bool SummaryInPlace = true;
        /// <summary>Entries accepted so far (a grouped write's; a streamed one sends them on and keeps only its last).</summary>
        public readonly List<LedgerEntry> Entries = [];
        public readonly List<StoredEntry> Stored = [];
        public readonly List<Checkpoint> Checkpoints = [];
        public readonly Dictionary<string, Decision> Keys = [];
        public readonly List<Decision> Decisions = [];
        public NpgsqlBatchCommand? StreamUpdate;
        public LedgerEntry? Last;
        public long Version => Last?.Meta.Version ?? StartVersion;
        public string ReviewId => Share.Review.Id;
    }

    private async Task RecordTransactionAsync(List<Share> shares)
    {
        var streamed = shares[0].Writers[0].SinkFor is not null;
        // A transaction is not cut short by one caller going away: the others are waiting on its commit.
        var ct = streamed ? shares[0].Writers[0].Cancellation : CancellationToken.None;

        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(ct);
            try
            {
                await RecordTransactionAsync(shares, connection, streamed, ct);
                return;
            }
            catch (InvalidOperationException lost) when (connection.State != System.Data.ConnectionState.Open)
            {
                // Marten retries a read whose connection the database dropped, on the now closed connection: the cause is the
                // outage (answered 503, retried by the client), not the retry's complaint.
                throw new NpgsqlException("The connection to the ledger's database was lost during the write.", new IOException(lost.Message, lost));
            }
            catch (HeadMoved) when (attempt == 1 && !streamed)
            {
                // Nothing was committed; the transaction is decided again, the review that moved from its rows as they are
                // (a streamed write cannot be read twice, and fails).
            }
            catch (HeadMoved moved)
            {
                throw new InvalidDataException(moved.Message);
            }
        }
    }

    /// <summary>
    /// A review's head in the table is not the one held in memory: its rows were changed under this server (only by
    /// going round the append-only triggers). What is held of the review is dropped.
    /// </summary>
    private sealed class HeadMoved(string reviewId) : Exception($"Review '{reviewId}' changed under this server: its head is not the one held.");

    private async Task RecordTransactionAsync(List<Share> shares, NpgsqlConnection connection, bool streamed, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One order for every server, so that two transactions locking the same reviews cannot wait on each other.
        shares = [.. shares.OrderBy(s => s.Review.Id, StringComparer.Ordinal)];
        var versions = await LockAsync(connection, shares.Select(s => s.Review.Id).ToArray(), ct);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        await using var sink = streamed ? shares[0].Writers[0].SinkFor!(connection) : null;
        var insert = new GroupInsert(Schema);

        var groups = new List<Group>(shares.Count);
        foreach (var share in shares)
        {
            var (reviewId, version) = (share.Review.Id, versions[share.Review.Id]);
            // The edge kept from this process's last commit, unless another server has written since.
            var tree = WithoutTrees ? new TreeFrontier(0, [])
                : share.Review.Edge is { } edge && edge.Size == version ? edge.Fork()
                : await ReviewTrees.OpenAsync(connection, Schema, reviewId, version, ct);
            var state = version == 0 ? null : await reviews.WithReviewAsync(reviewId, t => t.Current, ct, connection, version);
            var group = new Group(share, version, state, tree);
            foreach (var writer in share.Writers)
                group.Decisions.Add(await DecideAsync(writer, group, session, connection, sink, ct));
            groups.Add(group);
        }
        // Returning without completing disposes the sink and the transaction: nothing is appended.
        if (groups.All(g => g.Last is null))
        {
            foreach (var decision in groups.SelectMany(g => g.Decisions)) Answer(decision, null);
            return;
        }
        if (shares[0].Writers[0].Request.DryRun)
        {
            // Decided, and no further: nothing is sent, committed or remembered (a dry run is a transaction of its own).
            foreach (var decision in groups[0].Decisions)
                decision.Writer.Answer.TrySetResult(decision.Outcome ?? new WouldRecord(new RecordedEntry(decision.Last!.Meta.EventId,
                    groups[0].ReviewId, decision.Last.Meta.Version, 0, decision.Last.Meta.Hash), decision.Count));
            return;
        }

        var alongside = new List<NpgsqlBatchCommand>();
        foreach (var group in groups.Where(g => g.Last is not null))
        {
            foreach (var stored in group.Stored) insert.Add(stored);
            alongside.AddRange(Alongside(group));
        }
        Func<string, long, long> sequenceOf;
        if (sink is not null)
        {
            await sink.CompleteAsync(alongside, ct);
            sequenceOf = (_, version) => sink.SequenceOf(version);
        }
        else
        {
            await insert.ExecuteAsync(connection, alongside, ct);
            sequenceOf = insert.SequenceOf;
        }
        if (groups.FirstOrDefault(g => g.StreamUpdate is { RecordsAffected: not 1 }) is { } moved)
        {
            moved.Share.Review.Edge = null;
            reviews.Forget(moved.ReviewId);
            throw new HeadMoved(moved.ReviewId);
        }

        var marten = false;
        foreach (var group in groups.Where(g => g.Last is not null))
        {
            // Only when too many for one statement.
            if (!WithoutTrees) await ReviewTrees.SaveAsync(connection, Schema, group.ReviewId, group.Tree, ct);
            // Entries out of valid-time order change what follows them: then the summary is replayed, as the projection does.
            marten |= !group.SummaryInPlace || group.Checkpoints.Count > 0 || group.Keys.Count > 0;
            if (!group.SummaryInPlace)
                session.Store(await ReviewSummaryProjection.ReplayAsync(session, group.ReviewId, [], group.Last!, catalog.Json, ct));
            foreach (var checkpoint in group.Checkpoints) session.Insert(checkpoint);
            foreach (var (id, decision) in group.Keys)
                session.Insert(new IdempotentWrite(id, decision.Writer.Request.Fingerprint(), [decision.Last!.Meta.EventId], decision.Count));
        }
        if (marten) await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        // Committed: only now is anyone answered, and only now does the memory of each review move on.
        foreach (var group in groups)
        {
            if (group.Last is not null) group.Share.Review.Edge = WithoutTrees ? null : group.Tree;
            foreach (var decision in group.Decisions) Answer(decision, sequenceOf);
            if (group.Last is null) continue;
            if (!streamed)
                await reviews.CommittedAsync(group.ReviewId, group.Entries
                    .Select(e => e with { Meta = e.Meta with { Sequence = sequenceOf(group.ReviewId, e.Meta.Version) } }).ToList());
            if (group.Last.Meta.Version - group.StartVersion >= AnalyzeAfter)
                await ReviewStreams.AnalyzeAsync(connection, Schema, CancellationToken.None);
        }
    }

    /// <summary>
    /// What goes with a review's entries in the same round trip: its stream's version, the tree nodes its writes complete,
    /// its summary. The stream moves on only from the head the review's writers chained onto, checked in that statement:
    /// the state and tree edge held in memory are trusted, not read back, and a review rewritten under this server is
    /// caught here.
    /// </summary>
    private IEnumerable<NpgsqlBatchCommand> Alongside(Group group)
    {
        group.StreamUpdate = new NpgsqlBatchCommand(
            $"update {Schema}.mt_streams set version = $1, timestamp = now() where id = $2 and ($3 = 0 or exists (select 1 " +
            $"from {Schema}.mt_events where stream_id = $2 and version = $3 and headers ->> '{Entries.HashHeader}' = $4))")
        {
            Parameters =
            {
                new() { Value = group.Last!.Meta.Version }, new() { Value = group.ReviewId }, new() { Value = group.StartVersion },
                new() { Value = group.StartHead },
            },
        };
        yield return group.StreamUpdate;
        if (!WithoutTrees && ReviewTrees.InsertCommand(Schema, group.ReviewId, group.Tree) is { } nodes) yield return nodes;
        if (group.SummaryInPlace && group.State is { } folded) yield return SummaryCommand(ReviewSummary.Of(folded));
    }

    /// <summary>
    /// Locks the reviews' stream rows in the order given, creating those that are new (uncommitted, so first writers queue
    /// behind), in one statement; answers each one's version. Marten's own exclusive fetch takes the same row lock.
    /// </summary>
    private async Task<Dictionary<string, long>> LockAsync(NpgsqlConnection connection, string[] reviewIds, CancellationToken ct)
    {
        await using var locking = new NpgsqlBatch(connection);
        // Several reviews wait at most SharedLockWait for their locks (then each goes alone); one review waits its turn.
        if (reviewIds.Length > 1)
            locking.BatchCommands.Add(new($"set local lock_timeout = {(long)SharedLockWait.TotalMilliseconds}"));
        locking.BatchCommands.Add(new(
            $"insert into {Schema}.mt_streams (id, type, version, timestamp, created) " +
            "select r.id, 'review_summary', 0, now(), now() from unnest($1::varchar[]) with ordinality as r (id, n) order by r.n " +
            "on conflict (id) do update set timestamp = excluded.timestamp returning id, version")
            { Parameters = { new() { Value = reviewIds } } });
        if (reviewIds.Length > 1) locking.BatchCommands.Add(new("set local lock_timeout to default"));
        var versions = new Dictionary<string, long>(reviewIds.Length);
        await using var reader = await locking.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) versions[reader.GetString(0)] = reader.GetInt64(1);
        return versions;
    }

    /// <summary>
    /// The review's summary written as Marten's inline projection writes it (its document row: the JSON, the type, the
    /// stream version as its revision), sent with the entries instead of in a session's round trip of its own.
    /// </summary>
    private NpgsqlBatchCommand SummaryCommand(ReviewSummary summary)
    {
        var table = store.Options.FindOrResolveDocumentType(typeof(ReviewSummary)).TableName.QualifiedName;
        return new NpgsqlBatchCommand(
            $"insert into {table} (id, data, mt_last_modified, mt_dotnet_type, mt_version) values ($1, $2::jsonb, transaction_timestamp(), $3, $4) " +
            "on conflict (id) do update set data = excluded.data, mt_last_modified = excluded.mt_last_modified, " +
            "mt_dotnet_type = excluded.mt_dotnet_type, mt_version = excluded.mt_version")
        {
            Parameters =
            {
                new() { Value = summary.Id }, new() { Value = store.Options.Serializer().ToJson(summary) },
                new() { Value = typeof(ReviewSummary).FullName }, new() { Value = summary.Version },
            },
        };
    }

    private static void Answer(Decision decision, Func<string, long, long>? sequenceOf)
    {
        var answered = decision.Replays ?? decision;
        var reviewId = decision.Writer.Request.ReviewId;
        RecordingOutcome outcome = decision.Outcome
            ?? new Recorded(new RecordedEntry(answered.Last!.Meta.EventId, reviewId, answered.Last.Meta.Version,
                sequenceOf!(reviewId, answered.Last.Meta.Version), answered.Last.Meta.Hash), answered.Count, decision.Replays is not null);
        decision.Writer.Answer.TrySetResult(outcome);
    }

    /// <summary>
    /// One writer's turn in a group: its Idempotency-Key, its If-Match at its own position, its entries by the rules
    /// against the state the accepted writers before it make. Refused, it leaves the group as it found it.
    /// </summary>
    /// <param name="streamTo">A streamed write's sink, which takes each entry as it is decided; otherwise entries are held.</param>
    private async Task<Decision> DecideAsync(Writer writer, Group group, IDocumentSession session, NpgsqlConnection connection,
        IEntrySink? streamTo, CancellationToken ct)
    {
        var request = writer.Request;
        var decision = new Decision(writer);
        var version = group.Version;
        var proposals = writer.Read(version);

        if (request.IdempotencyKey is { } key)
        {
            if (group.Keys.TryGetValue(IdempotentWrite.IdFor(request.ReviewId, request.Caller, key), out var sameKey))
            {
                if (sameKey.Writer.Request.Fingerprint() == request.Fingerprint()) decision.Replays = sameKey;
                else decision.Outcome = KeyReused(request);
                return decision;
            }
            if (await IdempotentWrite.EarlierAsync(session, request, key, ct) is { } earlier)
            {
                await foreach (var _ in proposals.WithCancellation(ct)) { } // the fingerprint covers the whole request
                decision.Outcome = await ReplayAsync(session, request, earlier, ct);
                return decision;
            }
        }
        if (request.ExpectedVersion is { } expected && expected != version)
        {
            decision.Outcome = new Refused([Refusal.Conflict($"If-Match expected version {expected}, but review '{request.ReviewId}' is at version {version}.")]);
            return decision;
        }

        var before = (group.State, group.Head, Tree: group.Tree, group.SummaryInPlace, group.Last, Entries: group.Entries.Count,
            Stored: group.Stored.Count, Checkpoints: group.Checkpoints.Count);
        group.Tree = group.Tree.Fork();
        var serializer = store.Options.Serializer();
        var errors = new List<Refusal>();
        var errata = new List<LedgerEntry>(); // corrections and retractions recorded by this write
        await foreach (var proposal in proposals.WithCancellation(ct))
        {
            if (proposal.Line % 10_000 == 0) writer.Progress?.Invoke(proposal.Line);
            var refusals = proposal.Errors;
            // After the first refusal the state is no longer the one later entries would meet: only reading goes on.
            if (proposal.Entry is { } entry && errors.Count == 0)
            {
                var context = await ContextAsync(request.ReviewId, entry, streamTo is null ? group.Entries : errata,
                    streamTo is not null && decision.Count > 0, group.State?.LastEffectiveAt ?? DateTimeOffset.MinValue, connection,
                    group.StartVersion, ct);
                refusals = [.. proposal.Errors, .. CorrectionRules.InOneWrite(entry, decision.Count, errata.Count),
                    .. catalog.Check(group.State, entry, context)];
                if (refusals.Count == 0)
                {
                    var position = group.Version + 1;
                    var kind = catalog.Of(entry);
                    var prepared = proposal.Prepared ?? Prepare(serializer, kind, entry, request.RecordedBy, position, DateTimeOffset.UtcNow);
                    var hash = HashChain.Link(group.Head, prepared.Preimage);
                    var meta = new EntryMeta(Guid.CreateVersion7(), position, 0, prepared.RecordedAt, request.RecordedBy, hash);
                    var stored = new StoredEntry(request.ReviewId, kind, prepared.Data, meta, group.Head, request.CorrelationId);
                    // A dry run decides only: nothing reaches the sink.
                    if (!request.DryRun)
                    {
                        if (streamTo is not null) await streamTo.WriteAsync(stored, ct);
                        else group.Stored.Add(stored);
                    }
                    if (!WithoutTrees) group.Tree.Append(Convert.FromHexString(hash));

                    group.SummaryInPlace &= group.State is null || ReviewSummaryProjection.FoldsInPlace(group.State, entry);
                    group.State = ReviewState.Fold(group.State, entry, meta);
                    // A meeting held seals the review's record up to it.
                    if (entry is MeetingHeld { MeetingId: { } meetingId })
                        group.Checkpoints.Add(Checkpoint.Seal(signer, request.ReviewId, meetingId, position, hash, group.Tree.Root(),
                            meta.RecordedAt));
                    var recorded = new LedgerEntry(entry, meta);
                    (group.Head, group.Last, decision.Last) = (hash, recorded, recorded);
                    if (streamTo is null) group.Entries.Add(recorded);
                    if (entry is CorrectiveEntry) errata.Add(recorded);
                    decision.Count++;
                }
            }
            errors.AddRange(request.ByLine ? refusals.Select(r => Import.AtLine(r, proposal.Line)) : refusals);
            if (errors.Count >= MaxReportedErrors) break;
        }
        if (errors.Count == 0 && decision.Last is null)
            errors.Add(Refusal.Invalid("body", "has no entries: send one { \"type\", \"data\" } object a line."));
        if (errors.Count == 0)
        {
            if (request.IdempotencyKey is { } newKey) group.Keys[IdempotentWrite.IdFor(request.ReviewId, request.Caller, newKey)] = decision;
            return decision;
        }

        // Refused: the group goes on from where this writer found it (a streamed write is alone, and abandoned).
        (group.State, group.Head, group.Tree, group.SummaryInPlace, group.Last) =
            (before.State, before.Head, before.Tree, before.SummaryInPlace, before.Last);
        group.Entries.RemoveRange(before.Entries, group.Entries.Count - before.Entries);
        group.Stored.RemoveRange(before.Stored, group.Stored.Count - before.Stored);
        group.Checkpoints.RemoveRange(before.Checkpoints, group.Checkpoints.Count - before.Checkpoints);
        (decision.Outcome, decision.Last, decision.Count) = (new Refused(errors), null, 0);
        return decision;
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
    /// What the rules know of an entry beyond the state: for a correction or retraction, what it points at and the review's
    /// entries it is replayed with; for a late entry (effective before entries already recorded), the part of the review it
    /// lands in. From the review's entries held in memory (no read while a COPY holds the connection), with the entries
    /// of earlier writers of its group and of this write, none of them committed yet.
    /// </summary>
    /// <param name="uncommitted">The group's entries so far, this write's included (a streamed write keeps only its errata).</param>
    /// <param name="linesUnkept">A streamed write has recorded lines before this one, which it does not keep.</param>
    /// <param name="lastEffective">The latest valid time the review reaches with them.</param>
    private async Task<RecordingContext> ContextAsync(string reviewId, ReviewEvent entry, IReadOnlyList<LedgerEntry> uncommitted,
        bool linesUnkept, DateTimeOffset lastEffective, NpgsqlConnection connection, long version, CancellationToken ct) =>
        // A streamed import does not keep its lines, so its late lines after the first are checked against the state alone.
        version + uncommitted.Count == 0 || (linesUnkept && entry is not CorrectiveEntry) ? RecordingContext.For(reviewId)
            : await reviews.WithReviewAsync(reviewId, t => t.ContextFor(entry, uncommitted, lastEffective, catalog.Json), ct, connection,
                version);

    private static async Task<RecordingOutcome> ReplayAsync(IQuerySession session, RecordingRequest request, IdempotentWrite earlier,
        CancellationToken ct)
    {
        if (earlier.RequestSha256 != request.Fingerprint()) return KeyReused(request);
        var last = (await session.Events.LoadAsync(earlier.EventIds[^1], ct))!;
        return new Recorded(new RecordedEntry(last.Id, request.ReviewId, last.Version, last.Sequence, Entries.Header(last, Entries.HashHeader) ?? ""),
            earlier.Imported ?? earlier.EventIds.Count, true);
    }

    private static Refused KeyReused(RecordingRequest request) =>
        new([new Refusal(422, "Idempotency-Key reused",
            $"Idempotency-Key '{request.IdempotencyKey}' was already used with a different request; use a new key for a new request.")]);
}
