using JasperFx.Events;

namespace Ssr2Ledger.Ledger;

/// <summary>Reads Marten's event envelopes as ledger entries.</summary>
public static class Entries
{
    public const string HashHeader = "hash";
    public const string PreviousHashHeader = "previousHash";
    /// <summary>Which hash scheme chained the entry (absent: scheme 1, written before the store's time was hashed).</summary>
    public const string SchemeHeader = "scheme";

    public static EntryMeta Meta(IEvent e) =>
        new(e.Id, e.Version, e.Sequence, e.Timestamp, e.UserName ?? "", Header(e, HashHeader) ?? "");

    public static LedgerEntry From(IEvent e) => new((ReviewEvent)e.Data, Meta(e));

    /// <summary>Headers read back from the database arrive as JSON elements, fresh ones as strings.</summary>
    public static string? Header(IEvent e, string name) => e.Headers?.GetValueOrDefault(name)?.ToString();
}
