using System.Text;
using System.Text.Json;

namespace Ssr2Ledger.Tests.Support;

/// <summary>The SSR2 history shipped in data/, imported once per test database (the Idempotency-Key replays it after).</summary>
public static class Ssr2Data
{
    public const string ReviewId = "ssr2";

    public static string File()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "data", "ssr2.ndjson"))) return Path.Combine(dir.FullName, "data", "ssr2.ndjson");
        throw new FileNotFoundException("data/ssr2.ndjson");
    }

    public static async Task<JsonElement> ImportAsync(LedgerFixture ledger)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{ReviewId}/import")
        {
            Content = new StringContent(await System.IO.File.ReadAllTextAsync(File()), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Add("Idempotency-Key", "ssr2-history");
        return await Body.Created(await ledger.Recorder().SendAsync(request));
    }
}
