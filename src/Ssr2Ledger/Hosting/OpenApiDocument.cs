using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// <c>/openapi/v1.json</c>, built from the routes (and so from the entry catalog that makes them). A route declares
/// what it answers itself; what the pipeline adds is declared here from the route's own metadata: a bearer key and
/// 401/403/409/422 and the two write headers where authorization is required, <c>security: []</c> where it is not,
/// 413/415 where a body is accepted, 429 where writes are rate limited, 414/431 (request line, headers) and 503 (database
/// unreachable) everywhere.
/// Enums are the SPEC's words, so a nullable enum is a string enum or null and nothing else.
/// </summary>
public static class LedgerOpenApi
{
    public const string BearerScheme = "bearer";
    private const string Problem = "ProblemDetails";

    public static IServiceCollection AddLedgerOpenApi(this IServiceCollection services, PublicBaseUrl publicBaseUrl) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer((schema, context, _) =>
            {
                EnumWords(schema, context.JsonTypeInfo.Type);
                if (context.JsonTypeInfo.Type == typeof(ProblemDetails)) ProblemFields(schema);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context.Description.ActionDescriptor.EndpointMetadata, context.Document!);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, context, _) =>
            {
                Document(document, context.ApplicationServices.GetRequiredService<EventCatalog>(), publicBaseUrl);
                return Task.CompletedTask;
            });
        });

    /// <summary>An enum travels as its kebab-case word (<see cref="KebabCaseEnumConverter{T}"/>), so say which words.</summary>
    private static void EnumWords(OpenApiSchema schema, Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (KebabCase.Words(nullable ?? type) is not { } words) return;
        schema.Type = nullable is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        schema.Enum = [.. words.Select(w => (JsonNode)JsonValue.Create(w))];
        if (nullable is not null) schema.Enum.Add(null!);
    }

    /// <summary>What <see cref="Problems"/> adds to RFC 7807: the field errors and the request's trace id.</summary>
    private static void ProblemFields(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Each refused field (for an import, `line N: field`) with what is wrong with it",
            AdditionalProperties = new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String };
    }

    private static void Describe(OpenApiOperation operation, IList<object> metadata, OpenApiDocument document)
    {
        operation.Responses ??= [];
        foreach (var text in metadata.OfType<AlsoAnswersText>())
            if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse response)
                foreach (var mediaType in text.MediaTypes)
                    (response.Content ??= new Dictionary<string, OpenApiMediaType>())[mediaType] =
                        new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        if (metadata.OfType<RevalidatedByVersion>().Any()) Revalidated(operation);
        var problems = new List<(int Status, string Description)>();
        if (metadata.OfType<IAuthorizeData>().Any())
        {
            var bearer = new OpenApiSecuritySchemeReference(BearerScheme, document);
            operation.Security = [new OpenApiSecurityRequirement { [bearer] = [] }];
            problems.AddRange([
                (401, "No API key, or not one the ledger knows"),
                (403, "The key may read but not record (role reader), or is limited to other reviews"),
                (404, "The review is not chartered"),
                (409, "If-Match is not the review's version, an id is taken, the entry conflicts with the review's state, "
                      + "or entries depend on what a correction or retraction would change (named)"),
                (422, "The Idempotency-Key was used before with another request")]);
            operation.Parameters ??= [];
            operation.Parameters.Add(Header("Idempotency-Key",
                "The same key and body again returns the first answer and records nothing; the same key with another body is 422.",
                new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 }));
            operation.Parameters.Add(Header("If-Match", "Record only if the review's stream is at this version (else 409).",
                new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(W/)?\"?[0-9]+\"?$" }));
        }
        else operation.Security = [];
        if (metadata.OfType<IAcceptsMetadata>().Any())
            problems.AddRange([(413, "The body is larger than the route accepts"),
                (415, "The body is not of the media type the route accepts")]);
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
            problems.Add((429, "Too many writes with this API key; retry after Retry-After"));
        problems.AddRange([(414, "The request line is longer than 8 KiB"), (431, "The request's headers take more than 32 KiB"),
            (503, "The ledger's database is unreachable; nothing was recorded, retry after Retry-After")]);

        foreach (var (status, description) in problems)
        {
            if (operation.Responses.ContainsKey(status.ToString())) continue;
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, document) },
                },
            };
        }
    }

    /// <summary>Route metadata: its 200 answer also comes as these text media types (a format the query chooses).</summary>
    public sealed record AlsoAnswersText(IReadOnlyList<string> MediaTypes);

    /// <summary>Route metadata: its answer carries an ETag of the review's version (<see cref="Freshness"/>).</summary>
    public sealed record RevalidatedByVersion;

    private static void Revalidated(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(Header("If-None-Match",
            "The ETag of an answer already held: 304, with no body, while the review is at the version it names.",
            new OpenApiSchema { Type = JsonSchemaType.String }));
        if (operation.Responses!.TryGetValue("200", out var ok) && ok is OpenApiResponse response)
            (response.Headers ??= new Dictionary<string, IOpenApiHeader>())["ETag"] = new OpenApiHeader
            {
                Description = "A weak tag of the review's version (and this build): the same for every answer to the same request until an entry is recorded",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: the review is still at the version If-None-Match names" };
    }

    private static OpenApiParameter Header(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Required = false, Description = description, Schema = schema };

    private static void Document(OpenApiDocument document, EventCatalog catalog, PublicBaseUrl publicBaseUrl)
    {
        document.Info.Title = "Ssr2Ledger";
        document.Info.Description = "An event-sourced audit ledger for ICANN Specific Reviews. Reads are public; writes need "
            + "`Authorization: Bearer <api key>` of role recorder or admin.";
        // The request's Host is the client's word, not the ledger's: a configured address, else relative to this document.
        document.Servers = [new OpenApiServer { Url = publicBaseUrl.Value?.AbsoluteUri.TrimEnd('/') ?? "/" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "An API key of role recorder or admin (`keys add --name N --role recorder`)",
            },
        };
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            tag.Description = tag.Name switch
            {
                "Record" => "Writes: every entry goes through one recording path (rules, hash chain, summary)",
                "Read" => "Public reads: state as of any instant or meeting, scope, timeline, the raw ledger",
                "Integrity" => "What an auditor checks: hash chains, the digest, signed checkpoints",
                "Health" => "Whether the ledger and its database answer",
                _ => tag.Description,
            };

        // The generic route's body, from the same catalog as the typed routes: one { type, data } shape a kind.
        if (document.Components.Schemas is { } schemas && schemas.TryGetValue(nameof(WriteEndpoints.TypedEntry), out var typed)
            && typed is OpenApiSchema entry)
        {
            entry.Type = JsonSchemaType.Object;
            entry.Properties = null;
            entry.Required = null;
            entry.OneOf = [.. catalog.Kinds.Select(kind => (IOpenApiSchema)new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "type", "data" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(kind.Type)] },
                    ["data"] = new OpenApiSchemaReference(kind.ClrType.Name, document),
                },
                AdditionalPropertiesAllowed = false,
            })];
        }
    }
}
