using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Pages;

/// <summary>The review's page on a review built for it.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ReviewPageTests(LedgerFixture ledger)
{
    private async Task Record(string reviewId, string type, JsonObject data) =>
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{reviewId}/events", new JsonObject { ["type"] = type, ["data"] = data }));

    [Fact]
    public async Task each_resolutions_row_shows_the_disposition_after_the_actions_it_took_even_when_they_were_recorded_later_that_day()
    {
        var id = Body.NewReviewId("board");
        await ledger.Recorder().SeedAsync(id, "a1");
        foreach (var rec in new[] { "r1", "r2", "r3" })
            await Record(id, "RecommendationDrafted", new JsonObject
            {
                ["recommendationId"] = rec, ["title"] = rec, ["text"] = "t", ["areaIds"] = new JsonArray("a1"), ["effectiveAt"] = "2019-01-01T12:00:00Z",
            });
        await Record(id, "BoardResolutionRecorded", new JsonObject
        {
            ["resolutionId"] = "res-1", ["title"] = "Action", ["summary"] = "s", ["effectiveAt"] = "2020-03-01T10:00:00Z",
        });
        // The actions under that resolution took effect after it, later that day.
        foreach (var (rec, action) in new[] { ("r1", "approved"), ("r2", "rejected") })
            await Record(id, "BoardActedOnRecommendation", new JsonObject
            {
                ["recommendationId"] = rec, ["action"] = action, ["resolutionId"] = "res-1", ["effectiveAt"] = "2020-03-01T16:00:00Z",
            });

        var page = await ledger.Client().GetStringAsync($"/reviews/{id}");

        var start = page.IndexOf("data-resolution=\"res-1\"", StringComparison.Ordinal);
        Assert.True(start > 0, page);
        var row = page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
        Assert.Contains("<td data-action=\"approved\">1</td>", row);
        Assert.Contains("<td data-action=\"rejected\">1</td>", row);
        Assert.EndsWith("<td>1</td>", row);
    }
}
