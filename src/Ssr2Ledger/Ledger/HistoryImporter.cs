using System.Text;
using System.Threading.Channels;
using Marten;
using Ssr2Ledger.Database;

namespace Ssr2Ledger.Ledger;

/// <summary>An import of NDJSON history into one review. <c>FingerprintScope</c> is hashed before the body,
/// so that an Idempotency-Key matches only the same request to the same place.</summary>
public sealed record ImportHistory(string ReviewId, string RecordedBy, long? ExpectedVersion = null, string? IdempotencyKey = null,
    string? CorrelationId = null, string FingerprintScope = "");

/// <summary>An import from the API, handed to Wolverine with its body (read as it streams in, never held whole).</summary>
public sealed record ImportNdjson(ImportHistory Request, Stream Body);

public sealed record ImportResult(Import.ImportAnswer? Answer, IReadOnlyList<Refusal> Refusals, bool Replayed = false);

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
        // Invalid UTF-8 is refused (I-JSON), not replaced: what is stored is what was sent.
        using var lines = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true), false, 1 << 16);
        var ready = Channel.CreateBounded<Proposal>(new BoundedChannelOptions(CopySink.MaxBlock) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task? reading = null;

        async IAsyncEnumerable<Proposal> Read(long version)
        {
            reading = Task.Run(() => PrepareAsync(lines, ready.Writer, version, request.RecordedBy, stop.Token), stop.Token);
            await foreach (var proposal in ready.Reader.ReadAllAsync(ct)) yield return proposal;
        }

        // Sequence numbers for the lines read ahead, once a good many are read or the file has ended.
        async ValueTask<int> ReadAhead(CancellationToken token)
        {
            while (reading is { IsCompleted: false } && ready.Reader.Count < CopySink.MaxBlock / 2) await Task.Delay(1, token);
            return ready.Reader.Count;
        }

        RecordingOutcome outcome;
        try
        {
            outcome = await loop.RecordAsync(
                new RecordingRequest(request.ReviewId, request.RecordedBy, request.ExpectedVersion, request.IdempotencyKey,
                    body.Fingerprint, request.CorrelationId, ByLine: true),
                Read, connection => new CopySink(connection, database.DataSource, loop.Schema, ReadAhead), progress, ct);
        }
        finally
        {
            await stop.CancelAsync();
            if (reading is not null)
                try { await reading; } catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
        return outcome switch
        {
            Recorded r => new(new Import.ImportAnswer(r.Count, r.Last.Version, r.Last.Hash), [], r.Replayed),
            Refused r => new(null, r.Refusals),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}"),
        };
    }

    private async Task PrepareAsync(StreamReader lines, ChannelWriter<Proposal> ready, long version, string recordedBy, CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        var number = 0L;
        try
        {
            while (await lines.ReadLineAsync(ct) is { } text)
            {
                number++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                var (entry, refusals) = Import.ReadLine(text, catalog);
                // The store's time is fixed as the line is prepared, so that its hash can cover it.
                var prepared = entry is null ? null
                    : RecordingLoop.Prepare(serializer, catalog.Of(entry), entry, recordedBy, ++version, DateTimeOffset.UtcNow);
                await ready.WriteAsync(new Proposal(number, entry, refusals, prepared), ct);
            }
        }
        catch (DecoderFallbackException)
        {
            await ready.WriteAsync(new Proposal(number + 1, null, [Refusal.Invalid("", "is not valid UTF-8 (I-JSON).")]), ct);
        }
        finally
        {
            ready.TryComplete();
        }
    }
}
