using System.Globalization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Temporal;

/// <summary>
/// A bitemporal question: <c>asOf</c> (valid time: a timestamp or a meetingId, meaning that meeting's
/// <c>endsAt</c> as the ledger knows it), <c>knownAt</c> (system time) and <c>version</c> (the first N entries).
/// </summary>
public sealed record AsOf(string? Instant, DateTimeOffset? KnownAt, long? Version)
{
    public bool LooksBack => KnownAt is not null || Version is not null;

    /// <summary>Whether the ledger knew the entry, as the question asks: among the first N, recorded by knownAt.</summary>
    public bool Knows(LedgerEntry e) => (Version is not { } v || e.Meta.Version <= v) && (KnownAt is not { } k || e.Meta.RecordedAt <= k);

    /// <summary>The question as parsed, not as spelled: two spellings of one instant are one question (a cache's key).</summary>
    public string Normalized =>
        $"{(Instant is null ? "" : TryParseInstant(Instant, out var t) ? "t" + t.UtcTicks : "m" + Instant)}|{KnownAt?.UtcTicks}|{Version}";

    public static (AsOf?, Refusal?) Parse(string? asOf, string? knownAt, string? version)
    {
        DateTimeOffset? known = null;
        if (!string.IsNullOrEmpty(knownAt))
        {
            if (!TryParseInstant(knownAt, out var k)) return (null, Refusal.Invalid("knownAt", "must be an ISO 8601 timestamp."));
            known = k;
        }
        long? v = null;
        if (!string.IsNullOrEmpty(version))
        {
            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                return (null, Refusal.Invalid("version", "must be a whole number of at least 1."));
            v = n;
        }
        return (new AsOf(string.IsNullOrEmpty(asOf) ? null : asOf, known, v), null);
    }

    public static bool TryParseInstant(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant)
        && text.Length >= 10 && char.IsDigit(text[0]);
}

/// <summary>An answer to an <see cref="AsOf"/> question, with what it resolved to.</summary>
public sealed record StateAsOf(ReviewState? State, DateTimeOffset? AsOf, string? AsOfMeeting, DateTimeOffset? KnownAt, long Version);
