using System.Text;
using System.Text.Json;
using Ssr2Ledger.Access;
using Microsoft.AspNetCore.Http.Features;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Bulk import of history: NDJSON, one <c>{ "type", "data" }</c> a line, recorded all or none.
/// A review that does not exist yet may be imported when its first line is ReviewChartered. The body is
/// streamed through <see cref="HistoryImporter"/>, never held whole.
/// </summary>
public static class Import
{
    public const long MaxImportBytes = 512L << 20;
    public sealed record ImportAnswer(int Imported, long Version, string HeadHash);

    public static void MapImport(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/reviews/{reviewId}/import", ImportAsync)
            .RequireAuthorization(Roles.MayRecord).RequireRateLimiting(WriteRateLimit.Policy).WithTags("Record").WithName("ImportHistory")
            .WithSummary("Import NDJSON history, one { type, data } a line, all lines or none")
            .Accepts<string>("application/x-ndjson")
            .Produces<ImportAnswer>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> ImportAsync(string reviewId, HttpContext http, Wolverine.IMessageBus bus)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxImportBytes;
        if (http.Request.ContentLength > MaxImportBytes) return WriteEndpoints.TooLarge(MaxImportBytes);
        if (WriteEndpoints.Before(http, reviewId) is { } refused) return refused;
        var (preconditions, problem) = WriteEndpoints.Preconditions(http);
        if (problem is not null) return problem;

        ImportResult result;
        try
        {
            result = await bus.InvokeAsync<ImportResult>(new ImportNdjson(new ImportHistory(reviewId, preconditions!.RecordedBy,
                preconditions.ExpectedVersion, preconditions.IdempotencyKey, http.TraceIdentifier, http.Request.Path.Value ?? "",
                preconditions.Caller),
                http.Request.Body), http.RequestAborted, Timeout.InfiniteTimeSpan);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return WriteEndpoints.TooLarge(MaxImportBytes);
        }
        return result.Answer is { } answer
            ? Results.Created($"/api/reviews/{Uri.EscapeDataString(reviewId)}/state", answer)
            : Problems.From(result.Refusals);
    }

    /// <summary>One line of NDJSON: a <c>{ "type", "data" }</c> object read into an event, or what is wrong with it.</summary>
    public static (ReviewEvent? Entry, IReadOnlyList<Refusal> Errors) ReadLine(byte[] utf8, EventCatalog catalog)
    {
        if (IJson.Check(utf8, whole: "") is { Count: > 0 } notIJson) return (null, notIJson);
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() : null;
            var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) ? d : default;
            return catalog.Read(type, data);
        }
        catch (JsonException ex)
        {
            return (null, [Refusal.Invalid("", $"is not valid JSON: {ex.Message}")]);
        }
    }

    public static Refusal AtLine(Refusal refusal, long line) =>
        refusal with
        {
            Field = string.IsNullOrEmpty(refusal.Field) ? $"line {line}" : $"line {line}: {refusal.Field}",
            Detail = $"Line {line}: {refusal.Detail}",
        };
}
