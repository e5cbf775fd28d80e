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

    /// <summary>A dry run's answer: what the import would record (nothing was written), and the file's entries by kind.</summary>
    public sealed record DryRunAnswer(bool DryRun, int WouldImport, long Version, string HeadHash,
        IReadOnlyDictionary<string, int> Kinds);

    public static void MapImport(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/reviews/{reviewId}/import", ImportAsync)
            .RequireAuthorization(Roles.MayRecord).RequireRateLimiting(WriteRateLimit.Policy).WithTags("Record").WithName("ImportHistory")
            .WithSummary("Import NDJSON history, one { type, data } a line, all lines or none; dryRun=true decides and writes nothing")
            .Accepts<string>("application/x-ndjson")
            .Produces<ImportAnswer>(StatusCodes.Status201Created).Produces<DryRunAnswer>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <param name="dryRun">Decide every line as the import would (refusals by line), answer what it would record, write nothing.</param>
    private static async Task<IResult> ImportAsync(string reviewId, bool? dryRun, HttpContext http, Wolverine.IMessageBus bus)
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
                preconditions.Caller, dryRun == true),
                http.Request.Body), http.RequestAborted, Timeout.InfiniteTimeSpan);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return WriteEndpoints.TooLarge(MaxImportBytes);
        }
        if (dryRun == true && result.Answer is { } would)
            return Results.Ok(new DryRunAnswer(true, would.Imported, would.Version, would.HeadHash,
                result.Kinds ?? new Dictionary<string, int>()));
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
