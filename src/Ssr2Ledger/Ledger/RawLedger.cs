using System.Text.Json;
using Marten;

namespace Ssr2Ledger.Ledger;

/// <summary>The raw ledger of a review, paged by stream version: what an auditor reads entry by entry.</summary>
public static class RawLedger
{
    public const int MaxPage = 1000;

    public sealed record RawEntry(Guid EventId, long Sequence, long Version, string Type, JsonElement Data,
        DateTimeOffset EffectiveAt, DateTimeOffset RecordedAt, string RecordedBy, string? CorrelationId, string Hash,
        string PreviousHash);

    public sealed record Page(string ReviewId, IReadOnlyList<RawEntry> Entries, long? Next);

    public static void MapRawLedger(this IEndpointRouteBuilder app, EventCatalog catalog) =>
        app.MapGet("/api/reviews/{reviewId}/events", async (string reviewId, long? after, int? limit, IQuerySession session,
                CancellationToken ct) =>
            {
                if (after is < 0) return Problems.Invalid("after", "must be a stream version, 0 or more.");
                if (limit is < 1 or > MaxPage) return Problems.Invalid("limit", $"must be between 1 and {MaxPage}.");
                var (from, take) = (after ?? 0, limit ?? 100);
                var events = await session.Events.QueryAllRawEvents()
                    .Where(e => e.StreamKey == reviewId && e.Version > from)
                    .OrderBy(e => e.Version).Take(take).ToListAsync(ct);
                if (events.Count == 0 && await session.Events.FetchStreamStateAsync(reviewId, ct) is null)
                    return Problems.From([Refusal.NotChartered(reviewId)]);

                var entries = events.Where(e => e.Data is ReviewEvent).Select(e => new RawEntry(e.Id, e.Sequence, e.Version,
                    e.EventTypeName, JsonSerializer.SerializeToElement(e.Data, e.Data.GetType(), catalog.Json),
                    ((ReviewEvent)e.Data).EffectiveAt, e.Timestamp, e.UserName ?? "", e.CorrelationId,
                    Entries.Header(e, Entries.HashHeader) ?? "", Entries.Header(e, Entries.PreviousHashHeader) ?? "")).ToList();
                return Results.Ok(new Page(reviewId, entries, events.Count == take ? events[^1].Version : null));
            })
            .WithTags("Read").WithName("RawLedger")
            .WithSummary("The raw ledger: entries after a stream version, with recorded time, recorder and hashes")
            .Produces<Page>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
}
