using Ssr2Ledger.Database;
using Marten;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Ledger;

/// <summary>Public reads: the reviews, a review's current state, the ledger's vocabulary, health.</summary>
public static class ReadEndpoints
{
    public sealed record ReviewListing(string ReviewId, string Name, ReviewStatus Status, long Version);

    public sealed record EventTypeInfo(string Type, string Route, string Summary);

    public sealed record Health(string Status, string Database);

    public static void MapLedgerReads(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        var reads = app.MapGroup("/api").WithTags("Read");

        reads.MapGet("/reviews", async (IQuerySession session, CancellationToken ct) =>
            (await session.Query<ReviewSummary>().OrderBy(s => s.Id, StringComparer.Ordinal).ToListAsync(ct))
                .Select(s => new ReviewListing(s.Id, s.Name, s.Status, s.Version)).ToList())
            .WithName("ListReviews").WithSummary("The reviews in the ledger, with name, status and version");

        reads.MapGet("/reviews/{reviewId}/state", async (string reviewId, string? asOf, string? knownAt, string? version,
                HttpContext http, ReviewCaches reviews, RenderedAnswers rendered, CancellationToken ct) =>
            {
                var (question, invalid) = AsOf.Parse(asOf, knownAt, version);
                if (invalid is not null) return Problems.From([invalid]);
                var unchanged = false;
                var coding = rendered.CodingFor(http);
                RenderedAnswers.Key key = default;
                byte[]? sent = null;
                var (answer, refusal) = await reviews.WithReviewAsync(reviewId, timeline =>
                {
                    if (timeline.Version > 0 && (unchanged = Freshness.Unchanged(http, Freshness.Tag(timeline.Version)))) return (null, null);
                    // The same question of the same version was answered before: the same bytes, already coded.
                    key = new RenderedAnswers.Key(reviewId, timeline.Version, question!.Normalized, coding);
                    return (sent = rendered.Find(key)) is not null ? (null, null) : HistoricalState.Answer(timeline, question, catalog.Json);
                }, ct);
                if (unchanged) return Freshness.NotModified;
                if (refusal is not null) return Problems.From([refusal]);
                // Rendered outside the review's lock: the state is immutable.
                return RenderedAnswers.Send(http, key, sent ?? rendered.Render(key, StateDocument.From(reviewId, answer!), http));
            })
            .WithMetadata(new LedgerOpenApi.RevalidatedByVersion())
            .WithName("ReviewState")
            .WithSummary("The review's state: now, or as of a timestamp or meetingId (asOf), as known at an instant (knownAt) or version")
            .Produces<StateDocument>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        reads.MapGet("/event-types", () => catalog.Kinds
                .Select(k => new EventTypeInfo(k.Type, k.ClrType == typeof(ReviewChartered) ? "/api/reviews" : $"/api/reviews/{{reviewId}}/{k.Route}", k.Summary)))
            .WithName("EventTypes").WithSummary("Every kind of entry and its typed route");

        app.MapGet("/health", async (LedgerDatabase database, CancellationToken ct) =>
        {
            try
            {
                await using var command = database.DataSource.CreateCommand("select 1");
                await command.ExecuteScalarAsync(ct);
                return Results.Ok(new Health("healthy", "reachable"));
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                return Results.Json(new Health("unhealthy", "unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).WithTags("Health").WithName("Health").WithSummary("Whether the ledger answers and reaches its database")
            .Produces<Health>().Produces<Health>(StatusCodes.Status503ServiceUnavailable);
    }
}
