using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using System.Threading.Channels;
using Marten;
using Ssr2Ledger.Database;

namespace Ssr2Ledger.Ledger;

/// <summary>An import of NDJSON history into one review. <c>FingerprintScope</c> is hashed before the body,
/// so that an Idempotency-Key matches only the same request to the same place; <c>Caller</c> owns the key. A <c>DryRun</c>
/// decides every line as the import would and writes nothing (its Idempotency-Key is not kept).</summary>
public sealed record ImportHistory(string ReviewId, string RecordedBy, long? ExpectedVersion = null, string? IdempotencyKey = null,
    string? CorrelationId = null, string FingerprintScope = "", string? Caller = null, bool DryRun = false);

/// <summary>An import from the API, handed to Wolverine with its body (read as it streams in, never held whole).</summary>
public sealed record ImportNdjson(ImportHistory Request, Stream Body);

/// <param name="Kinds">The file's entries by kind (what an import records when nothing is refused).</param>
public sealed record ImportResult(Import.ImportAnswer? Answer, IReadOnlyList<Refusal> Refusals, bool Replayed = false,
    IReadOnlyDictionary<string, int>? Kinds = null);

public static class ImportNdjsonHandler
{
    public static Task<ImportResult> Handle(ImportNdjson command, HistoryImporter importer, CancellationToken cancellation) =>
        importer.ImportAsync(command.Request, command.Body, null, cancellation);
}

/// <summary>
/// Bulk import: NDJSON lines become proposals for the recording loop, streamed into the event table by binary COPY,
/// so memory holds the review's state and not the file. One core reads, validates and serializes the lines (and
/// writes what each hash covers, for the version it will have if every line before it is accepted); the loop, on
/// this one, decides, chains and sends them.
/// </summary>
public sealed class HistoryImporter(RecordingLoop loop, IDocumentStore store, EventCatalog catalog, LedgerDatabase database)
{
    public async Task<ImportResult> ImportAsync(ImportHistory request, Stream ndjson, Action<long>? progress, CancellationToken ct)
    {
        using var body = new FingerprintingStream(ndjson, Encoding.UTF8.GetBytes(request.FingerprintScope));
        var ready = new PreparedLines();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task? reading = null;
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);

        async IAsyncEnumerable<Proposal> Read(long version)
        {
            reading = Task.Run(() => PrepareAsync(body, ready, request.ReviewId, version, request.RecordedBy, stop.Token),
                stop.Token);
            await foreach (var proposal in ready.ReadAllAsync(ct))
            {
                if (proposal.Entry is { } entry) CollectionsMarshal.GetValueRefOrAddDefault(kinds, catalog.Of(entry).Type, out _)++;
                yield return proposal;
            }
        }

        // Sequence numbers for the lines read ahead, once a good many are read or the file has ended.
        async ValueTask<int> ReadAhead(CancellationToken token)
        {
            while (reading is { IsCompleted: false } && ready.Waiting < CopySink.MaxBlock / 2) await Task.Delay(1, token);
            return ready.Waiting;
        }

        RecordingOutcome outcome;
        try
        {
            outcome = await loop.RecordAsync(
                new RecordingRequest(request.ReviewId, request.RecordedBy, request.ExpectedVersion,
                    request.DryRun ? null : request.IdempotencyKey, body.Fingerprint, request.CorrelationId, ByLine: true, request.Caller,
                    request.DryRun),
                Read, connection => new CopySink(connection, database.DataSource, loop.Schema, ReadAhead), progress, ct);
        }
        finally
        {
            await stop.CancelAsync();
            if (reading is not null)
                try { await reading; } catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
        SortedDictionary<string, int> Sorted() => new(kinds, StringComparer.Ordinal);
        return outcome switch
        {
            Recorded r => new(new Import.ImportAnswer(r.Count, r.Last.Version, r.Last.Hash), [], r.Replayed, Sorted()),
            WouldRecord r => new(new Import.ImportAnswer(r.Count, r.Last.Version, r.Last.Hash), [], false, Sorted()),
            Refused r => new(null, r.Refusals, false, Sorted()),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}"),
        };
    }

    /// <summary>
    /// Reads, validates and prepares the lines. A line longer than one entry may be ends the reading (never held whole).
    /// Into a review that does not exist, only the first line is read unless it charters the review: the body of an
    /// import into an unknown review is not read to answer 404.
    /// </summary>
    private async Task PrepareAsync(Stream body, PreparedLines ready, string reviewId, long version, string recordedBy,
        CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        var exists = version > 0;
        try
        {
            await foreach (var (number, utf8) in NdjsonLines.ReadAsync(body, (int)WriteEndpoints.MaxEntryBytes, ct))
            {
                if (utf8 is null)
                {
                    ready.Add(new Proposal(number, null, [new Refusal(413, "Request too large",
                        $"is longer than {WriteEndpoints.MaxEntryBytes:N0} bytes, the most one entry may take; nothing was recorded.",
                        "")]));
                    break;
                }
                if (utf8.AsSpan().IndexOfAnyExcept(" \t\r"u8) < 0) continue;
                // Invalid UTF-8 is refused (I-JSON), not replaced: what is stored is what was sent.
                var (entry, refusals) = Utf8.IsValid(utf8) ? Import.ReadLine(utf8, catalog)
                    : (null, [Refusal.Invalid("", "is not valid UTF-8 (I-JSON).")]);
                if (!exists && entry is not ReviewChartered)
                {
                    var notChartered = entry is null ? [.. refusals, Refusal.NotChartered(reviewId)] : refusals;
                    ready.Add(new Proposal(number, entry, notChartered));
                    break;
                }
                exists = true;
                // The store's time is fixed as the line is prepared, so that its hash can cover it.
                var prepared = entry is null ? null
                    : RecordingLoop.Prepare(serializer, catalog.Of(entry), entry, recordedBy, ++version, DateTimeOffset.UtcNow);
                if (ready.Add(new Proposal(number, entry, refusals, prepared))) await ready.SendAsync(ct);
            }
            await ready.SendAsync(ct);
        }
        catch (Exception ex)
        {
            // A body that breaks off (a client gone, a body over the limit) fails the loop before its commit: what was read
            // of it is not an import. Completing the channel normally would commit the lines read so far.
            ready.Complete(ex);
            throw;
        }
        finally
        {
            ready.Complete();
        }
    }

    /// <summary>
    /// The prepared lines on their way from the reading core to the recording loop, handed over a batch at a time: one
    /// hand-over (the channel's lock, a wake-up of the other thread) per line cost more than the loop's own work on it.
    /// </summary>
    private sealed class PreparedLines
    {
        private const int Batch = 256;
        private readonly Channel<List<Proposal>> _channel = Channel.CreateBounded<List<Proposal>>(
            new BoundedChannelOptions(CopySink.MaxBlock / Batch) { SingleReader = true, SingleWriter = true });
        private List<Proposal> _batch = new(Batch);
        private int _waiting;

        /// <summary>Lines prepared and handed over, not yet taken by the loop.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        /// <summary>Adds a line to the batch; true when the batch is full and should be sent.</summary>
        public bool Add(Proposal proposal)
        {
            _batch.Add(proposal);
            return _batch.Count == Batch;
        }

        public async ValueTask SendAsync(CancellationToken ct)
        {
            if (_batch.Count == 0) return;
            var full = _batch;
            _batch = new(Batch);
            Interlocked.Add(ref _waiting, full.Count);
            await _channel.Writer.WriteAsync(full, ct);
        }

        public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

        public async IAsyncEnumerable<Proposal> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var batch in _channel.Reader.ReadAllAsync(ct))
                foreach (var proposal in batch)
                {
                    Interlocked.Decrement(ref _waiting);
                    yield return proposal;
                }
        }
    }
}
