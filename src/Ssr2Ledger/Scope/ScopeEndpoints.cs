using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Scope;

/// <summary>How scope was narrowed: the diff between two instants or meetings, the scope audit, and an area's lineage.</summary>
public static class ScopeEndpoints
{
    public sealed record HistoryAnswer(string ReviewId, string AreaId, IReadOnlyList<AreaHistory.Step> History);

    public sealed record DecisionsAnswer(string ReviewId, DateTimeOffset? AsOf, string? AsOfMeeting, long Version,
        IReadOnlyList<ScopeDecisionRecord> Decisions);

    public static void MapScopeReads(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        app.MapGet("/api/reviews/{reviewId}/scope/decisions", async (string reviewId, string? asOf, string? knownAt, string? version,
                ReviewCaches reviews, CancellationToken ct) =>
            {
                var (question, invalid) = AsOf.Parse(asOf, knownAt, version);
                if (invalid is not null) return Problems.From([invalid]);
                var (answer, refusal, decisions) = await reviews.WithReviewAsync(reviewId, timeline =>
                {
                    var (answer, refusal) = HistoricalState.Answer(timeline, question!, catalog.Json);
                    // The decisions' words are in their entries, as known to the question.
                    return (answer, refusal, answer?.State is { } state
                        ? ScopeDecisionRecord.Of(state, question!.LooksBack ? timeline.Recorded.Where(question.Knows).ToList() : timeline.Recorded,
                            answer.AsOf ?? DateTimeOffset.MaxValue, catalog.Json)
                        : []);
                }, ct);
                if (refusal is not null) return Problems.From([refusal]);
                return Results.Ok(new DecisionsAnswer(reviewId, answer!.AsOf, answer.AsOfMeeting, answer.Version, decisions));
            })
            .WithTags("Read").WithName("ScopeDecisions")
            .WithSummary("The scope decisions, with rationale, basis, method and supersessions; now or as of (asOf, knownAt, version)")
            .Produces<DecisionsAnswer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/scope/diff", async (string reviewId, string? from, string? to, ReviewCaches reviews,
                CancellationToken ct) =>
            {
                // Both ends are named: a client states its window (the pages default to the whole review).
                if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
                    return Problems.From([.. Missing(from, "from"), .. Missing(to, "to")]);
                var (answer, refusal) = await reviews.WithReviewAsync(reviewId, timeline => ScopeDiff.Ask(timeline, from, to), ct);
                return refusal is not null ? Problems.From([refusal]) : Results.Ok(answer);
            })
            .WithTags("Read").WithName("ScopeDiff")
            .WithSummary("Areas narrowed, widened, added and merged between two instants or meetings, following each area's path, " +
                         "with every decision along it")
            .Produces<ScopeDiff.Answer>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/scope/audit", async (string reviewId, string? from, string? to, string? format,
                HttpResponse response, ReviewCaches reviews, CancellationToken ct) =>
            {
                format ??= "json";
                if (!ScopeAuditFormats.Formats.TryGetValue(format, out var contentType))
                    return Problems.Invalid("format", $"must be one of: {string.Join(", ", ScopeAuditFormats.Formats.Keys)}.");
                var (audit, refusal) = await reviews.WithReviewAsync(reviewId, timeline => ScopeAudit.Ask(timeline, from, to), ct);
                if (refusal is not null) return Problems.From([refusal]);
                if (format == "html") Pages.ReviewPages.SecurityHeaders(response);
                return format == "json" ? Results.Ok(audit)
                    : Results.Text(ScopeAuditFormats.Render(audit!, format, catalog.Json), contentType, System.Text.Encoding.UTF8);
            })
            .WithTags("Read").WithName("ScopeAudit")
            .WithSummary("The scope audit: every narrowing and merge in the window (default: charter to now) with its context, and " +
                         "the findings an auditor should look at, each with the entries that prove it; json, md, html or csv")
            .Produces<ScopeAudit>()
            .WithMetadata(new Hosting.LedgerOpenApi.AlsoAnswersText(["text/markdown", "text/html", "text/csv"]))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/areas/{areaId}/history", async (string reviewId, string areaId, ReviewCaches reviews,
                CancellationToken ct) =>
            {
                var steps = await reviews.WithReviewAsync(reviewId, timeline => AreaHistory.Of(areaId, timeline.Recorded, catalog), ct);
                return steps.Count == 0
                    ? Results.Problem(statusCode: 404, title: "No such area", detail: $"Review '{reviewId}' has no area of interest '{areaId}'.")
                    : Results.Ok(new HistoryAnswer(reviewId, areaId, steps));
            })
            .WithTags("Read").WithName("AreaHistory")
            .WithSummary("Every entry that touched an area of interest, in valid-time order, with recorded time and recorder")
            .Produces<HistoryAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IEnumerable<Refusal> Missing(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) yield return Refusal.Invalid(field, "is required: an ISO 8601 timestamp or a meetingId.");
    }
}
