using System.Text.Json.Serialization;
using Ssr2Ledger.Board;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;

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

    /// <summary>Folds one entry in. Entries other than the charter are ignored until the review is chartered.</summary>
    public static ReviewState? Fold(ReviewState? state, ReviewEvent @event, EntryMeta meta)
    {
        var next = @event switch
        {
            ReviewChartered e => Charter(e, meta),
            _ when state is null => null,
            _ => state.On(@event),
        };
        return next is null ? state : next with
        {
            Version = meta.Version,
            HeadHash = meta.Hash,
            LastEffectiveAt = next.LastEffectiveAt > @event.EffectiveAt ? next.LastEffectiveAt : @event.EffectiveAt,
            LastRecordedAt = meta.RecordedAt,
        };
    }

    /// <summary>Whether an entry can be folded onto this state as it stands, without replaying the stream.</summary>
    public bool CanFoldInPlace(ReviewEvent @event) =>
        @event is not (EntryCorrected or EntryRetracted) && @event.EffectiveAt >= LastEffectiveAt;

    private static ReviewState Charter(ReviewChartered e, EntryMeta meta) => new()
    {
        Id = e.ReviewId, Name = e.Name, Mandate = e.Mandate, Status = ReviewStatus.Active,
        CharteredAt = e.EffectiveAt,
    };

    private ReviewState On(ReviewEvent @event) => @event switch
    {
        ReviewPaused => this with { Status = ReviewStatus.Paused },
        ReviewResumed => this with { Status = ReviewStatus.Active },
        MemberAppointed e => On(e),
        MemberRoleChanged e => On(e),
        MemberDeparted e => On(e),
        MeetingScheduled e => On(e),
        MeetingHeld e => On(e),
        MeetingCancelled e => On(e),
        StaffBriefingReceived e => On(e),
        TermsOfReferenceDrafted e => On(e),
        TermsOfReferenceAmended e => On(e),
        TermsOfReferenceAdopted e => On(e),
        WorkPlanAdopted e => On(e),
        BoardResolutionRecorded e => On(e),
        DeliveredToBoard e => On(e),
        BoardActedOnRecommendation e => On(e),
        TopicAreaAgreed e => On(e),
        AreaOfInterestIdentified e => On(e),
        ScopeDecided e => On(e),
        SubteamFormed e => On(e),
        AreasAssignedToSubteam e => On(e),
        SubteamDissolved e => On(e),
        CommunityInputReceived e => On(e),
        RecommendationDrafted e => On(e),
        RecommendationRevised e => On(e),
        RecommendationAdopted e => On(e),
        RecommendationWithdrawn e => On(e),
        // Corrections and retractions act on the entries they point at, before the fold (see ReviewFold).
        _ => this,
    };
}
