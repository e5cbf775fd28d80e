using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Board;

[JsonConverter(typeof(KebabCaseEnumConverter<Deliverable>))]
public enum Deliverable { TermsOfReference, WorkPlan, DraftReport, FinalReport, Other }

/// <summary><c>passed-through</c>: the Board passed the recommendation to a community group (e.g. the GNSO Council).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<BoardAction>))]
public enum BoardAction { Approved, Rejected, Pending, ApprovedInPrinciple, PassedThrough }

/// <summary>Directive is open-ended (<c>deliver-terms-of-reference</c>, <c>pause-review</c>, …).</summary>
public sealed record BoardResolutionRecorded(string ResolutionId, string Title, string Summary,
    string? Directive = null) : ReviewEvent;

public sealed record DeliveredToBoard(string DeliveryId, Deliverable Deliverable, string? Version = null,
    string? InResponseTo = null) : ReviewEvent;

public sealed record BoardActedOnRecommendation(string RecommendationId, BoardAction Action,
    string ResolutionId) : ReviewEvent;
