using System.Text.Json.Serialization;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Corrections;

namespace Ssr2Ledger.Ledger;

[JsonConverter(typeof(KebabCaseEnumConverter<ReviewStatus>))]
public enum ReviewStatus { Active, Paused, Completed }

/// <summary>
/// The review as its ledger tells it: the one fold. Each slice adds its part (its Apply methods and
/// the collections they keep) in its own folder. The current state, the state as of a meeting and the
/// state a decider checks are all this fold over different sets of entries.
/// </summary>
public sealed partial record ReviewState
{
    /// <summary>The reviewId; also the id of the review's event stream.</summary>
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Mandate { get; init; } = "";
    public ReviewStatus Status { get; init; }
    public DateTimeOffset CharteredAt { get; init; }

    /// <summary>Stream version and head hash of the last entry recorded.</summary>
    public long Version { get; init; }
    public string HeadHash { get; init; } = HashChain.Genesis;
    /// <summary>The latest valid time folded in: an entry effective before it arrived late.</summary>
    public DateTimeOffset LastEffectiveAt { get; init; }
    public DateTimeOffset LastRecordedAt { get; init; }

    /// <summary>
    /// Folds one entry in, by its kind's registered fold. Entries other than the charter are ignored until the review is
    /// chartered; corrective entries act on their targets before the fold (see <see cref="ReviewFold"/>).
    /// </summary>
    public static ReviewState? Fold(ReviewState? state, ReviewEvent @event, EntryMeta meta)
    {
        var next = EventCatalog.KindOf(@event).Fold(state, @event);
        return next is null ? state : next with
        {
            Version = meta.Version,
            HeadHash = meta.Hash,
            LastEffectiveAt = next.LastEffectiveAt > @event.EffectiveAt ? next.LastEffectiveAt : @event.EffectiveAt,
            LastRecordedAt = meta.RecordedAt,
        };
    }

    /// <summary>Whether an entry can be folded onto this state as it stands, without replaying the stream.</summary>
    public bool CanFoldInPlace(ReviewEvent @event) => ReviewFold.InOrder(@event, LastEffectiveAt);

    internal static ReviewState Charter(ReviewChartered e) => new()
    {
        Id = e.ReviewId, Name = e.Name, Mandate = e.Mandate, Status = ReviewStatus.Active,
        CharteredAt = e.EffectiveAt,
    };
}
