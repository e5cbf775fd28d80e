namespace Ssr2Ledger.Ledger;

/// <summary>What the store adds to an event: identity, position, system time, recorder and hash.</summary>
public sealed record EntryMeta(Guid EventId, long Version, long Sequence, DateTimeOffset RecordedAt,
    string RecordedBy, string Hash);

/// <summary>One recorded entry of a review's ledger: the event and what the store added to it.</summary>
public sealed record LedgerEntry(ReviewEvent Event, EntryMeta Meta);
