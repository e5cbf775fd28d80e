using System.Text;
using System.Text.Json;
using Ssr2Ledger.Hosting;

namespace Ssr2Ledger.Tests.Support;

/// <summary>
/// The reviews shipped in the source tree's data/ (what <c>demo</c> loads), each imported once per test database
/// into the review its ReviewChartered line names (the Idempotency-Key replays the import after).
/// </summary>
public static class ShippedData
{
    public static string Directory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "data", "generate_ssr2.py"))) return Path.Combine(dir.FullName, "data");
        throw new DirectoryNotFoundException("data/ (with generate_ssr2.py) above " + AppContext.BaseDirectory);
    }

    public static IReadOnlyList<ShippedReviews.ShippedFile> Files() => ShippedReviews.In(Directory());

    public static ShippedReviews.ShippedFile Review(string reviewId) => Files().Single(f => f.ReviewId == reviewId);

    public static async Task<JsonElement> ImportAsync(LedgerFixture ledger, string reviewId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{reviewId}/import")
        {
            Content = new StringContent(await System.IO.File.ReadAllTextAsync(Review(reviewId).Path), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Add("Idempotency-Key", $"{reviewId}-history");
        return await Body.Created(await ledger.Recorder().SendAsync(request));
    }

    /// <summary>Every entry of a review as the ledger serves it (the raw ledger, page by page).</summary>
    public static async Task<IReadOnlyList<JsonElement>> EntriesAsync(LedgerFixture ledger, string reviewId)
    {
        var entries = new List<JsonElement>();
        for (long? after = 0; after is not null;)
        {
            using var response = await ledger.Client().GetAsync($"/api/reviews/{reviewId}/events?after={after}&limit=500");
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            entries.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.Clone()));
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
        }
        return entries;
    }
}

/// <summary>The SSR2 history shipped in data/.</summary>
public static class Ssr2Data
{
    public const string ReviewId = "ssr2";

    public static string File() => ShippedData.Review(ReviewId).Path;

    public static Task<JsonElement> ImportAsync(LedgerFixture ledger) => ShippedData.ImportAsync(ledger, ReviewId);
}
