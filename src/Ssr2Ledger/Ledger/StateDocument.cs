using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Ledger;

/// <summary>The review's state as the API shows it (SPEC: "The state document").</summary>
public sealed record StateDocument(
    string ReviewId, string Name, string Mandate, ReviewStatus Status, bool Chartered, DateTimeOffset? AsOf,
    string? AsOfMeeting, DateTimeOffset? KnownAt, long Version, string HeadHash, TermsOfReferenceSummary TermsOfReference, IReadOnlyList<Member> Members,
    IReadOnlyList<Meeting> Meetings, IReadOnlyList<TopicArea> Topics, IReadOnlyList<AreaView> Areas,
    IReadOnlyList<Subteam> Subteams,
    IReadOnlyList<BoardResolution> BoardResolutions, IReadOnlyList<BoardDelivery> BoardDeliveries,
    IReadOnlyList<Recommendation> Recommendations, IReadOnlyList<WorkPlan> WorkPlans,
    ScopeCounts Counts)
{
    /// <summary>The state as of a question; before the charter, an empty state of that review.</summary>
    public static StateDocument From(string reviewId, StateAsOf answer) =>
        answer.State is { } state
            ? From(state, answer.AsOf, answer.AsOfMeeting, answer.KnownAt) with { Version = answer.Version }
            : From(new ReviewState { Id = reviewId }, answer.AsOf, answer.AsOfMeeting, answer.KnownAt) with
            {
                Chartered = false, Version = answer.Version,
            };

    public static StateDocument From(ReviewState s, DateTimeOffset? asOf = null, string? asOfMeeting = null, DateTimeOffset? knownAt = null) => new(
        s.Id, s.Name, s.Mandate, s.Status, true, asOf, asOfMeeting, knownAt, s.Version, s.HeadHash,
        new TermsOfReferenceSummary(s.LatestTermsOfReference, s.AdoptedTermsOfReference, s.DeliveredTermsOfReference,
            s.TermsOfReference.Values.OrderBy(v => v.DraftedAt).ThenBy(v => v.Version, StringComparer.Ordinal).ToList()),
        s.Members.Values.OrderBy(m => m.AppointedAt).ThenBy(m => m.MemberId, StringComparer.Ordinal).ToList(),
        s.Meetings.Values.OrderBy(m => m.StartsAt).ThenBy(m => m.MeetingId, StringComparer.Ordinal).ToList(),
        s.Topics.Values.OrderBy(t => t.AgreedAt).ThenBy(t => t.TopicId, StringComparer.Ordinal).ToList(),
        s.Areas.Values.OrderBy(a => a.TopicId, StringComparer.Ordinal).ThenBy(a => a.IdentifiedAt).ThenBy(a => a.AreaId, StringComparer.Ordinal)
            .Select(a => new AreaView(a.AreaId, a.Title, a.TopicId, a.Status, a.MergedInto, a.SubteamId, a.LastDecisionId)).ToList(),
        s.Subteams.Values.OrderBy(t => t.FormedAt).ThenBy(t => t.SubteamId, StringComparer.Ordinal).ToList(),
        s.BoardResolutions.Values.OrderBy(r => r.PassedAt).ThenBy(r => r.ResolutionId, StringComparer.Ordinal).ToList(),
        s.BoardDeliveries.Values.OrderBy(d => d.DeliveredAt).ThenBy(d => d.DeliveryId, StringComparer.Ordinal).ToList(),
        s.Recommendations.Values.OrderBy(r => r.DraftedAt).ThenBy(r => r.RecommendationId, StringComparer.Ordinal).ToList(),
        s.WorkPlans.Values.OrderBy(w => w.AdoptedAt).ToList(),
        ScopeCounts.Of(s));
}

public sealed record TermsOfReferenceSummary(string? LatestVersion, string? AdoptedVersion, string? DeliveredVersion,
    IReadOnlyList<TermsOfReferenceVersion> Versions);

public sealed record AreaView(string AreaId, string Title, string TopicId, ScopeStatus Status, string? MergedInto,
    string? SubteamId, string? LastDecisionId);

/// <summary>
/// The counts of the state document. Decisions and community input can run to thousands in a long review,
/// so the document counts them; <c>/scope/decisions</c> lists the decisions.
/// </summary>
public sealed record ScopeCounts(int AreasInScope, int AreasOutOfScope, int AreasDeferred, int AreasMerged, int AreasProposed,
    int ScopeDecisions, int CommunityInputs)
{
    public static ScopeCounts Of(ReviewState s)
    {
        int Count(ScopeStatus status) => s.Areas.Values.Count(a => a.Status == status);
        return new(Count(ScopeStatus.InScope), Count(ScopeStatus.OutOfScope), Count(ScopeStatus.Deferred),
            Count(ScopeStatus.Merged), Count(ScopeStatus.Proposed), s.ScopeDecisions.Count, s.CommunityInputs.Count);
    }
}
