using System.Text;
using System.Text.Json;
using Ssr2Ledger.Access;
using Wolverine;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// Bulk import of history: NDJSON, one <c>{ "type", "data" }</c> a line, recorded all or none.
/// A review that does not exist yet may be imported when its first line is ReviewChartered.
/// </summary>
public static class Import
{
    public const long MaxImportBytes = 512L << 20;
    private const int MaxReportedErrors = 50;

    public sealed record ImportAnswer(int Imported, long Version, string HeadHash);

    public sealed record Parsed(IReadOnlyList<ReviewEvent> Entries, IReadOnlyList<int> LineNumbers, IReadOnlyList<Refusal> Errors);

    public static void MapImport(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/reviews/{reviewId}/import", ImportAsync)
            .RequireAuthorization(Roles.MayRecord).RequireRateLimiting(WriteRateLimit.Policy).WithTags("Record").WithName("ImportHistory")
            .WithSummary("Import NDJSON history, one { type, data } a line, all lines or none")
            .Accepts<string>("application/x-ndjson")
            .Produces<ImportAnswer>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> ImportAsync(string reviewId, HttpContext http, IMessageBus bus, EventCatalog catalog)
    {
        var body = await WriteEndpoints.ReadBodyAsync(http, MaxImportBytes);
        if (body.Problem is not null) return body.Problem;

        var parsed = Parse(new StreamReader(new MemoryStream(body.Bytes), Encoding.UTF8), catalog);
        if (parsed.Errors.Count > 0) return Problems.From(parsed.Errors);
        if (parsed.Entries.Count == 0) return Problems.Invalid("body", "has no entries: send one { \"type\", \"data\" } object a line.");

        var (command, problem) = WriteEndpoints.Command(http, reviewId, parsed.Entries, body.Bytes);
        if (problem is not null) return problem;
        return Answer(await bus.InvokeAsync<RecordingOutcome>(command!, http.RequestAborted), parsed) switch
        {
            (ImportAnswer answer, _) => Results.Created($"/api/reviews/{reviewId}/state", answer),
            (_, var refusals) => Problems.From(refusals!),
        };
    }

    /// <summary>The import's answer, or its refusals with the offending line named.</summary>
    public static (ImportAnswer?, IReadOnlyList<Refusal>?) Answer(RecordingOutcome outcome, Parsed parsed) => outcome switch
    {
        Recorded { Entries: var entries } => (new ImportAnswer(entries.Count, entries[^1].Version, entries[^1].Hash), null),
        Refused { Index: { } index } refused => (null, refused.Refusals.Select(r => AtLine(r, parsed.LineNumbers[index])).ToList()),
        Refused refused => (null, refused.Refusals),
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}"),
    };

    public static Parsed Parse(TextReader reader, EventCatalog catalog)
    {
        var entries = new List<ReviewEvent>();
        var lineNumbers = new List<int>();
        var errors = new List<Refusal>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (errors.Count >= MaxReportedErrors) break;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString() : null;
                var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) ? d : default;
                var (entry, refusals) = catalog.Read(type, data);
                if (entry is null) errors.AddRange(refusals.Select(r => AtLine(r, number)));
                else { entries.Add(entry); lineNumbers.Add(number); }
            }
            catch (JsonException ex)
            {
                errors.Add(AtLine(Refusal.Invalid("", $"is not valid JSON: {ex.Message}"), number));
            }
        }
        return new Parsed(entries, lineNumbers, errors);
    }

    private static Refusal AtLine(Refusal refusal, int line) =>
        refusal with
        {
            Field = string.IsNullOrEmpty(refusal.Field) ? $"line {line}" : $"line {line}: {refusal.Field}",
            Detail = $"Line {line}: {refusal.Detail}",
        };
}
