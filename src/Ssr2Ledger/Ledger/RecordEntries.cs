using Ssr2Ledger.Database;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Record entries in a review's ledger, all or none: a write from the API or a form. <c>ExpectedVersion</c> is the
/// client's If-Match; <c>RequestSha256</c> fingerprints the request so that an Idempotency-Key replays only the same request,
/// and only to the same <c>Caller</c>.
/// </summary>
public sealed record RecordEntries(string ReviewId, IReadOnlyList<Proposal> Proposals, string RecordedBy,
    long? ExpectedVersion = null, string? IdempotencyKey = null, string RequestSha256 = "", string? CorrelationId = null,
    string? Caller = null);

/// <summary>The Wolverine handler behind every write of a few entries: the recording loop, grouped with the review's other writes.</summary>
public static class RecordEntriesHandler
{
    public static Task<RecordingOutcome> Handle(RecordEntries command, RecordingLoop loop, CancellationToken cancellation) =>
        loop.RecordAsync(
            new RecordingRequest(command.ReviewId, command.RecordedBy, command.ExpectedVersion, command.IdempotencyKey,
                () => command.RequestSha256, command.CorrelationId, Caller: command.Caller),
            command.Proposals, cancellation);
}
