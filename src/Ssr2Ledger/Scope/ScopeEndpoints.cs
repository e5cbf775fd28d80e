using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Scope;

/// <summary>How scope was narrowed: the diff between two instants or meetings, and an area's lineage.</summary>
public static class ScopeEndpoints
{
    public sealed record DiffAnswer(string ReviewId, DateTimeOffset From, string? FromMeeting, DateTimeOffset To, string? ToMeeting,
        long Version, IReadOnlyList<AreaMove> Narrowed, IReadOnlyList<AreaMove> Widened, IReadOnlyList<AreaMove> Added,
        IReadOnlyList<AreaMove> Merged, IReadOnlyList<AreaMove> OtherChanges);

    public sealed record HistoryAnswer(string ReviewId, string AreaId, IReadOnlyList<AreaHistory.Step> History);

    public sealed record DecisionsAnswer(string ReviewId, DateTimeOffset? AsOf, string? AsOfMeeting, long Version,
        IReadOnlyList<ScopeDecisionRecord> Decisions);

    public static void MapScopeReads(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        app.MapGet("/api/reviews/{reviewId}/scope/decisions", async (string reviewId, string? asOf, string? knownAt, string? version,
                ReviewTimelines timelines, CancellationToken ct) =>
            {
                var (question, invalid) = AsOf.Parse(asOf, knownAt, version);
                if (invalid is not null) return Problems.From([invalid]);
                var (answer, refusal) = await timelines.WithTimelineAsync(reviewId,
                    timeline => HistoricalState.Answer(timeline, question!, catalog.Json), ct);
                if (refusal is not null) return Problems.From([refusal]);
                var decisions = answer!.State?.ScopeDecisions.Values.OrderBy(d => d.DecidedAt).ThenBy(d => d.DecisionId, StringComparer.Ordinal).ToList() ?? [];
                return Results.Ok(new DecisionsAnswer(reviewId, answer.AsOf, answer.AsOfMeeting, answer.Version, decisions));
            })
            .WithTags("Read").WithName("ScopeDecisions")
            .WithSummary("The scope decisions, with rationale, basis, method and supersessions; now or as of (asOf, knownAt, version)")
            .Produces<DecisionsAnswer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/scope/diff", async (string reviewId, string? from, string? to, ReviewTimelines timelines,
                CancellationToken ct) =>
            {
                if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
                    return Problems.From([.. Missing(from, "from"), .. Missing(to, "to")]);
                var (answer, refusal) = await timelines.WithTimelineAsync(reviewId, timeline => Diff(timeline, from, to), ct);
                return refusal is not null ? Problems.From([refusal]) : Results.Ok(answer);
            })
            .WithTags("Read").WithName("ScopeDiff")
            .WithSummary("Areas narrowed, widened, added and merged between two instants or meetings, with the decisions")
            .Produces<DiffAnswer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/areas/{areaId}/history", async (string reviewId, string areaId, ReviewTimelines timelines,
                CancellationToken ct) =>
            {
                var steps = await timelines.WithTimelineAsync(reviewId, timeline => AreaHistory.Of(areaId, timeline.Recorded, catalog), ct);
                return steps.Count == 0
                    ? Results.Problem(statusCode: 404, title: "No such area", detail: $"Review '{reviewId}' has no area of interest '{areaId}'.")
                    : Results.Ok(new HistoryAnswer(reviewId, areaId, steps));
            })
            .WithTags("Read").WithName("AreaHistory")
            .WithSummary("Every entry that touched an area of interest, in valid-time order, with recorded time and recorder")
            .Produces<HistoryAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static (DiffAnswer?, Refusal?) Diff(ReviewTimeline timeline, string from, string to)
    {
        if (timeline.Version == 0) return (null, Refusal.NotChartered(timeline.ReviewId));
        var (fromAt, fromMeeting, fromRefusal) = HistoricalState.Resolve(timeline, from, "from");
        if (fromRefusal is not null) return (null, fromRefusal);
        var (toAt, toMeeting, toRefusal) = HistoricalState.Resolve(timeline, to, "to");
        if (toRefusal is not null) return (null, toRefusal);
        if (toAt < fromAt) return (null, Refusal.Invalid("to", "must not be before from."));

        var diff = ScopeDiff.Between(timeline.StateAsOf(fromAt!.Value), timeline.StateAsOf(toAt!.Value));
        return (new DiffAnswer(timeline.ReviewId, fromAt.Value, fromMeeting, toAt.Value, toMeeting, timeline.Version,
            diff.Narrowed, diff.Widened, diff.Added, diff.Merged, diff.OtherChanges), null);
    }

    private static IEnumerable<Refusal> Missing(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) yield return Refusal.Invalid(field, "is required: an ISO 8601 timestamp or a meetingId.");
    }
}
