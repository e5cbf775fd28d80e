namespace Ssr2Ledger.Ledger;

/// <summary>
/// What every entry of a review's ledger carries. <c>EffectiveAt</c> is valid time (when it happened
/// in the world); the store adds the recorded time, the recorder and the integrity hash.
/// </summary>
public abstract record ReviewEvent
{
    public required DateTimeOffset EffectiveAt { get; init; }
    public string? MeetingId { get; init; }
    public string? Source { get; init; }
    public string? Note { get; init; }
}
