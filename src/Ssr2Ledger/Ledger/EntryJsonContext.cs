using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// The entry catalog's kinds, their JSON contract generated at compile time: reading a million entries (a rebuild, a
/// review's first question) no longer builds and walks the contract by reflection (about a sixth of a payload's
/// deserialization, measured in docs/benchmarks.md). The same contract as reflection's; a kind missing here would still
/// be read by reflection, and a test says so (every kind of <see cref="EventCatalog.All"/> is listed).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Scope.AreaOfInterestIdentified))]
[JsonSerializable(typeof(Scope.AreasAssignedToSubteam))]
[JsonSerializable(typeof(Board.BoardActedOnRecommendation))]
[JsonSerializable(typeof(Board.BoardResolutionRecorded))]
[JsonSerializable(typeof(Community.CommunityInputReceived))]
[JsonSerializable(typeof(Board.DeliveredToBoard))]
[JsonSerializable(typeof(Meetings.MeetingCancelled))]
[JsonSerializable(typeof(Meetings.MeetingHeld))]
[JsonSerializable(typeof(Meetings.MeetingScheduled))]
[JsonSerializable(typeof(Members.MemberAppointed))]
[JsonSerializable(typeof(Members.MemberDeparted))]
[JsonSerializable(typeof(Members.MemberRoleChanged))]
[JsonSerializable(typeof(Recommendations.RecommendationAdopted))]
[JsonSerializable(typeof(Recommendations.RecommendationDrafted))]
[JsonSerializable(typeof(Recommendations.RecommendationRevised))]
[JsonSerializable(typeof(Recommendations.RecommendationWithdrawn))]
[JsonSerializable(typeof(ReviewPaused))]
[JsonSerializable(typeof(ReviewResumed))]
[JsonSerializable(typeof(Scope.ScopeDecided))]
[JsonSerializable(typeof(Meetings.StaffBriefingReceived))]
[JsonSerializable(typeof(Scope.SubteamDissolved))]
[JsonSerializable(typeof(Scope.SubteamFormed))]
[JsonSerializable(typeof(TermsOfReference.TermsOfReferenceAdopted))]
[JsonSerializable(typeof(TermsOfReference.TermsOfReferenceAmended))]
[JsonSerializable(typeof(TermsOfReference.TermsOfReferenceDrafted))]
[JsonSerializable(typeof(Scope.TopicAreaAgreed))]
[JsonSerializable(typeof(TermsOfReference.WorkPlanAdopted))]
[JsonSerializable(typeof(ReviewChartered))]
[JsonSerializable(typeof(Corrections.EntryCorrected))]
[JsonSerializable(typeof(Corrections.EntryRetracted))]
public sealed partial class EntryJsonContext : JsonSerializerContext
{
    /// <summary>The generated contracts for the entries, reflection for every other type (the API's answers and requests).</summary>
    public static IJsonTypeInfoResolver Resolver { get; } = JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver());
}
