using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Corrections;

public static class Overlay
{
    /// <summary>The recorded entry's JSON with a correction's fields laid over it.</summary>
    public static JsonElement Apply(ReviewEvent original, JsonElement corrected, JsonSerializerOptions json)
    {
        var merged = JsonSerializer.SerializeToNode(original, original.GetType(), json)!.AsObject();
        foreach (var field in corrected.EnumerateObject()) merged[field.Name] = JsonNode.Parse(field.Value.GetRawText());
        return JsonSerializer.SerializeToElement(merged, json);
    }
}
