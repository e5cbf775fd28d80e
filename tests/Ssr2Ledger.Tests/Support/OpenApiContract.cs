using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Ssr2Ledger.Tests.Support;

/// <summary>
/// The server's own OpenAPI document as a contract: every answer to a documented route must have a documented
/// status and media type, and a JSON body must match the schema given for it (JSON Schema 2020-12, as OpenAPI 3.1).
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly List<(Regex Pattern, int Literals, string Template)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContract(string openApiJson)
    {
        _document = JsonNode.Parse(openApiJson)!.AsObject();
        _definitions = Rewrite(_document["components"]?["schemas"] ?? new JsonObject()).AsObject();
        // The most literal template first: /api/reviews/{reviewId}/events before a template that would also match it.
        _paths = [.. _document["paths"]!.AsObject()
            .Select(p => (Pattern(p.Key), p.Key.Split('/').Count(s => s.Length > 0 && s[0] != '{'), p.Key))
            .OrderByDescending(p => p.Item2)];
    }

    /// <summary>Each documented operation's statuses that were checked ("GET /api/reviews/{reviewId}/state 404").</summary>
    public IReadOnlyCollection<string> Seen => _seen.Keys.ToList();
    private readonly ConcurrentDictionary<string, bool> _seen = new();

    /// <summary>Every operation of the document, as "METHOD template".</summary>
    public IReadOnlyList<string> Operations =>
        [.. _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))];

    /// <summary>The operation's path template for a request path, or null when the document does not describe it.</summary>
    public string? Template(string path) => _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;

    /// <summary>What is wrong with an answer, or null when the document describes it (or does not list the route).</summary>
    public string? Check(string method, string path, int status, string? mediaType, string body)
    {
        if (Template(path) is not { } template) return null;
        if (_document["paths"]![template]![method.ToLowerInvariant()] is not JsonObject operation) return null;
        _seen[$"{method} {template} {status}"] = true;
        var where = $"{method} {path} → {status} {mediaType}";
        if (operation["responses"]![status.ToString()] is not JsonObject response)
            return $"{where}: status {status} is not documented for {method} {template}. Body: {Cut(body)}";
        if (response["content"] is not JsonObject content || content.Count == 0)
            return body.Length == 0 ? null : $"{where}: the document gives no content for {status}, the server sent {Cut(body)}";
        if (mediaType is null || content[mediaType] is not JsonObject media)
            return $"{where}: media type {mediaType} is not documented ({string.Join(", ", content.Select(c => c.Key))} are)";
        if (media["schema"] is not { } schemaNode) return null;

        JsonElement instance;
        if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            try { instance = JsonDocument.Parse(body).RootElement; }
            catch (JsonException ex) { return $"{where}: not JSON ({ex.Message}): {Cut(body)}"; }
        }
        else instance = JsonSerializer.SerializeToElement(body);

        var key = $"{template} {method} {status} {mediaType}";
        var schema = _schemas.GetOrAdd(key, _ => Build(schemaNode, key));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return null;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).Take(8);
        return $"{where}: the body does not match the documented schema:\n  {string.Join("\n  ", errors)}\n  Body: {Cut(body)}";
    }

    /// <summary>A response schema with every component it refers to, as one JSON Schema document.</summary>
    private JsonSchema Build(JsonNode schemaNode, string key)
    {
        var schema = Rewrite(schemaNode) as JsonObject ?? new JsonObject { ["allOf"] = new JsonArray(Rewrite(schemaNode)) };
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["$defs"] = _definitions.DeepClone();
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var id = new Uri($"https://contract.invalid/{Uri.EscapeDataString(key)}");
        return JsonSchema.FromText(schema.ToJsonString(), options, id);
    }

    /// <summary>OpenAPI's <c>#/components/schemas/X</c> as JSON Schema's <c>#/$defs/X</c>.</summary>
    private static JsonNode Rewrite(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!;

    private static Regex Pattern(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template).Replace(@"\{", "{"), "{[^/}]+}", "[^/]+") + "$");

    private static string Cut(string text) => text.Length > 400 ? text[..400] + "…" : text;
}

/// <summary>
/// Checks every answer the tests' clients receive against the contract; an undocumented answer fails the request (and
/// so the test that made it) with what the document lacks.
/// </summary>
public sealed class ContractCheckingHandler(Func<OpenApiContract> contract, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal) && path != "/health") return response;
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = contract().Check(request.Method.Method, path, (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType, body);
        if (problem is not null) throw new OpenApiContractException(problem);
        return response;
    }
}

public sealed class OpenApiContractException(string message) : Exception("Not as /openapi/v1.json says: " + message);
