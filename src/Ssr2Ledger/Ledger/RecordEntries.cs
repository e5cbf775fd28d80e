using JasperFx.Events;
using Marten;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Record entries in a review's ledger, all or none. <c>ExpectedVersion</c> is the client's If-Match;
/// <c>RequestSha256</c> fingerprints the request so that an Idempotency-Key replays only the same request.
/// </summary>
public sealed record RecordEntries(string ReviewId, IReadOnlyList<ReviewEvent> Events, string RecordedBy,
    long? ExpectedVersion = null, string? IdempotencyKey = null, string RequestSha256 = "", string? CorrelationId = null);

public abstract record RecordingOutcome;

/// <param name="Replayed">True when an Idempotency-Key matched an earlier request: nothing new was appended.</param>
public sealed record Recorded(IReadOnlyList<RecordedEntry> Entries, bool Replayed) : RecordingOutcome;

/// <summary>The SPEC's answer to a write.</summary>
public sealed record RecordedEntry(Guid EventId, string ReviewId, long Version, long Sequence, string Hash);

/// <param name="Index">For a batch, the position of the refused entry.</param>
public sealed record Refused(IReadOnlyList<Refusal> Refusals, int? Index = null) : RecordingOutcome;

/// <summary>What an Idempotency-Key remembers, stored in the same transaction as the entries.</summary>
public sealed record IdempotentWrite(string Id, string RequestSha256, IReadOnlyList<Guid> EventIds, int? Imported = null)
{
    public static string IdFor(string reviewId, string key) => $"{reviewId}/{key}";
}

/// <summary>
/// The Wolverine handler behind every write. The stream row is locked while the decider runs and the
/// hash chain is extended, so concurrent writers queue instead of forking the chain or losing an entry.
/// The decider checks against the review's state held in memory, brought up to date under that lock
/// (only the entries recorded since are read), so a write costs the same however long the review is.
/// </summary>
public static class RecordEntriesHandler
{
    public static async Task<RecordingOutcome> Handle(RecordEntries command, IDocumentStore store, EventCatalog catalog,
        LedgerSigner signer, ReviewTimelines timelines, CancellationToken cancellation)
    {
        try
        {
            return await RecordAsync(command, store, catalog, signer, timelines, cancellation);
        }
        catch (Exception ex) when (ex is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            // Only a first write racing another first write gets here: the stream row did not exist to be locked.
            if (command.IdempotencyKey is not null)
            {
                await using var query = store.QuerySession();
                if (await Replay(query, command, cancellation) is { } replay) return replay;
            }
            return new Refused([Refusal.Conflict($"Another write to review '{command.ReviewId}' was recorded first; read the state and try again.")]);
        }
    }

    private static async Task<RecordingOutcome> RecordAsync(RecordEntries command, IDocumentStore store, EventCatalog catalog,
        LedgerSigner signer, ReviewTimelines timelines, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = command.RecordedBy;
        session.CorrelationId = command.CorrelationId;

        var stream = await session.Events.FetchForExclusiveWriting<ReviewSummary>(command.ReviewId, cancellation);
        if (command.IdempotencyKey is not null && await Replay(session, command, cancellation) is { } replay) return replay;

        var version = stream.CurrentVersion ?? 0;
        if (command.ExpectedVersion is { } expected && expected != version)
            return new Refused([Refusal.Conflict($"If-Match expected version {expected}, but review '{command.ReviewId}' is at version {version}.")]);

        var context = await RecordingContext.LoadAsync(session, command.ReviewId, command.Events, null, cancellation);
        var state = version == 0 ? null : await timelines.WithTimelineAsync(command.ReviewId, t => t.Current, cancellation, session.Connection, version);
        for (var i = 0; i < command.Events.Count; i++)
        {
            var proposed = command.Events[i];
            var refusals = catalog.Check(state, proposed, context);
            if (refusals.Count > 0) return new Refused(refusals, i);
            // Later entries of the batch are checked against the state the earlier ones make.
            state = ReviewState.Fold(state, proposed, new EntryMeta(Guid.Empty, version + i + 1, 0, DateTimeOffset.UtcNow, command.RecordedBy, ""));
        }

        stream.AppendMany(command.Events);
        var appended = stream.Events.TakeLast(command.Events.Count).ToList();
        var previous = stream.Aggregate?.HeadHash ?? HashChain.Genesis;
        var serializer = store.Options.Serializer();
        for (var i = 0; i < appended.Count; i++)
        {
            // Hashed as Marten stores it: the same serializer, so verify recomputes the same bytes.
            var data = System.Text.Encoding.UTF8.GetBytes(serializer.ToJson(appended[i].Data));
            var hash = HashChain.Next(previous, catalog.Of(command.Events[i]).Type, data, command.RecordedBy, version + i + 1,
                command.Events[i].EffectiveAt)!;
            appended[i].SetHeader(Entries.PreviousHashHeader, previous);
            appended[i].SetHeader(Entries.HashHeader, hash);
            previous = hash;
            // A meeting held seals the review's record up to it.
            if (command.Events[i] is MeetingHeld { MeetingId: { } meetingId })
                session.Insert(Checkpoint.Seal(signer, command.ReviewId, meetingId, version + i + 1, hash, DateTimeOffset.UtcNow));
        }

        if (command.IdempotencyKey is { } key)
            session.Insert(new IdempotentWrite(IdempotentWrite.IdFor(command.ReviewId, key), command.RequestSha256,
                appended.Select(e => e.Id).ToList()));

        await session.SaveChangesAsync(cancellation);
        return new Recorded(appended.Select(e => new RecordedEntry(e.Id, command.ReviewId, e.Version, e.Sequence,
            Entries.Header(e, Entries.HashHeader)!)).ToList(), false);
    }

    /// <summary>The first answer again when this Idempotency-Key was used before with the same request.</summary>
    private static async Task<RecordingOutcome?> Replay(IQuerySession session, RecordEntries command, CancellationToken cancellation)
    {
        var earlier = await session.LoadAsync<IdempotentWrite>(IdempotentWrite.IdFor(command.ReviewId, command.IdempotencyKey!), cancellation);
        if (earlier is null) return null;
        if (earlier.RequestSha256 != command.RequestSha256)
            return new Refused([new Refusal(422, "Idempotency-Key reused",
                $"Idempotency-Key '{command.IdempotencyKey}' was already used with a different request; use a new key for a new request.")]);

        var entries = new List<RecordedEntry>();
        foreach (var id in earlier.EventIds)
        {
            var e = (await session.Events.LoadAsync(id, cancellation))!;
            entries.Add(new RecordedEntry(e.Id, command.ReviewId, e.Version, e.Sequence, Entries.Header(e, Entries.HashHeader) ?? ""));
        }
        return new Recorded(entries, true);
    }
}
