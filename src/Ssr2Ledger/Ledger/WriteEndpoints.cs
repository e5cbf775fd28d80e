using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Ssr2Ledger.Access;
using Wolverine;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// The write routes: <c>POST /api/reviews</c>, the generic <c>/events</c>, and one typed route per kind
/// of entry. Each reads and shapes the request, then hands a <see cref="RecordEntries"/> command to Wolverine.
/// </summary>
public static class WriteEndpoints
{
    public const long MaxEntryBytes = 1 << 20;

    public static void MapLedgerWrites(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        var writes = app.MapGroup("/api/reviews").RequireAuthorization(Roles.MayRecord).RequireRateLimiting(WriteRateLimit.Policy).WithTags("Record");

        writes.MapPost("", (HttpContext http, IMessageBus bus) =>
                RecordOneAsync(http, bus, null, body => catalog.Read(nameof(ReviewChartered), body)))
            .WithName("CharterReview").WithSummary("Charter a review (ReviewChartered)")
            .Accepts<ReviewChartered>("application/json").Describe();

        writes.MapPost("/{reviewId}/events", (string reviewId, HttpContext http, IMessageBus bus) =>
                RecordOneAsync(http, bus, reviewId, body => ReadTyped(catalog, body)))
            .WithName("RecordEntry").WithSummary("Record any entry: { \"type\": \"ScopeDecided\", \"data\": { … } }")
            .Accepts<TypedEntry>("application/json").Describe();

        foreach (var kind in catalog.Kinds.Where(k => k.ClrType != typeof(ReviewChartered)))
        {
            writes.MapPost($"/{{reviewId}}/{kind.Route}", (string reviewId, HttpContext http, IMessageBus bus) =>
                    RecordOneAsync(http, bus, reviewId, body => catalog.Read(kind.Type, body)))
                .WithName(kind.Type).WithSummary($"{kind.Summary} ({kind.Type})")
                .Accepts(kind.ClrType, "application/json").Describe();
        }
    }

    /// <summary>The body of the generic route.</summary>
    public sealed record TypedEntry(string Type, JsonElement Data);

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder route) =>
        route.Produces<RecordedEntry>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static (ReviewEvent?, IReadOnlyList<Refusal>) ReadTyped(EventCatalog catalog, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return (null, [Refusal.Invalid("body", "must be { \"type\": …, \"data\": { … } }.")]);
        var extra = body.EnumerateObject().Select(p => p.Name).Where(n => n is not ("type" or "data"))
            .Select(n => Refusal.Invalid(n, "is not a field of an entry; put the event's fields under data.")).ToList();
        if (extra.Count > 0) return (null, extra);
        var type = body.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!body.TryGetProperty("data", out var data)) return (null, [Refusal.Invalid("data", "is required.")]);
        var (e, errors) = catalog.Read(type, data);
        return (e, errors.Select(r => r.Field is null || r.Field == "type" ? r : r with { Field = "data." + r.Field }).ToList());
    }

    private static async Task<IResult> RecordOneAsync(HttpContext http, IMessageBus bus, string? reviewId,
        Func<JsonElement, (ReviewEvent?, IReadOnlyList<Refusal>)> read)
    {
        if (Before(http, reviewId) is { } notNow) return notNow;
        var body = await ReadBodyAsync(http, MaxEntryBytes);
        if (body.Problem is not null) return body.Problem;

        // I-JSON before anything else reads the body: what is hashed must be what is stored.
        if (IJson.Check(body.Bytes) is { Count: > 0 } notIJson) return Problems.From(notIJson);
        using var document = JsonDocument.Parse(body.Bytes);
        var (entry, errors) = read(document.RootElement);
        if (entry is null) return Problems.From(errors);
        if (reviewId is null)
        {
            reviewId = ((ReviewChartered)entry).ReviewId;
            if (Caller.RefusedIn(http.User, reviewId) is { } notHere) return notHere;
        }

        // Reading's errors go with the entry, so the review's rules are named in the same answer.
        var (command, problem) = Command(http, reviewId, [new Proposal(0, entry, errors)], body.Bytes);
        if (problem is not null) return problem;
        return await bus.InvokeAsync<RecordingOutcome>(command!, http.RequestAborted) switch
        {
            Recorded recorded => Created(recorded.Last),
            Refused refused => Problems.From(refused.Refusals),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    /// <summary>
    /// What is refused before a body is read: no Content-Type at all (routing lets it through as any type), a review id in
    /// the path that cannot be one, a key limited to other reviews.
    /// </summary>
    public static IResult? Before(HttpContext http, string? reviewId)
    {
        if (string.IsNullOrEmpty(http.Request.ContentType))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Content-Type required",
                detail: "Say what the body is: Content-Type: application/json (application/x-ndjson for an import).");
        if (reviewId is null) return null;
        if (!EventPayload.IsId(reviewId))
            return Problems.Invalid("reviewId",
                $"must be an id of letters, digits, '.', '-' and '_' (at most {EventPayload.MaxIdLength}).");
        return Caller.RefusedIn(http.User, reviewId);
    }

    /// <summary>
    /// Escaped although the review id is a slug by now: a header that cannot be written would turn a committed write into a 500.
    /// </summary>
    public static IResult Created(RecordedEntry entry) =>
        Results.Created($"/api/reviews/{Uri.EscapeDataString(entry.ReviewId)}/events?after={entry.Version - 1}&limit=1", entry);

    /// <summary>Who records, and the request's If-Match and Idempotency-Key (the caller's own).</summary>
    public sealed record WritePreconditions(string RecordedBy, long? ExpectedVersion, string? IdempotencyKey,
        string? Caller = null);

    public static (WritePreconditions?, IResult?) Preconditions(HttpContext http)
    {
        long? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (!long.TryParse(ifMatch.Replace("W/", "").Trim('"', ' '), out var v) || v < 0)
                return (null, Problems.Invalid("If-Match", "must be the review's expected stream version, a whole number."));
            expected = v;
        }
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200) return (null, Problems.Invalid("Idempotency-Key", "must be at most 200 characters."));
        return (new(http.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous", expected, key.Length > 0 ? key : null,
            Caller.IdempotencyScope(http.User)), null);
    }

    /// <summary>The command for a request, with the request's fingerprint for its Idempotency-Key.</summary>
    public static (RecordEntries? Command, IResult? Problem) Command(HttpContext http, string reviewId,
        IReadOnlyList<Proposal> entries, byte[] body)
    {
        var (preconditions, problem) = Preconditions(http);
        if (problem is not null) return (null, problem);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(http.Request.Path.Value ?? ""), .. body]));
        return (new RecordEntries(reviewId, entries, preconditions!.RecordedBy, preconditions.ExpectedVersion, preconditions.IdempotencyKey,
            fingerprint, http.TraceIdentifier, preconditions.Caller), null);
    }

    public static async Task<(byte[] Bytes, IResult? Problem)> ReadBodyAsync(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (http.Request.ContentLength > limit) return ([], TooLarge(limit));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit) return ([], TooLarge(limit));
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge) { return ([], TooLarge(limit)); }
        return (buffer.ToArray(), null);
    }

    public static IResult TooLarge(long limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
            detail: $"The body must be at most {limit:N0} bytes.");
}
