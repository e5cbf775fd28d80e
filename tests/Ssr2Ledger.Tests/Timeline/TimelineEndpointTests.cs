using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Timeline;

[Collection(LedgerCollection.Name)]
public sealed class TimelineEndpointTests(LedgerFixture ledger)
{
    private const string Url = $"/api/reviews/{Ssr2Data.ReviewId}/timeline";

    [Fact]
    public async Task the_ssr2_timeline_reads_like_an_appendix_in_every_format()
    {
        await Ssr2Data.ImportAsync(ledger);
        var json = await ledger.Client().GetFromJsonAsync<JsonElement>(Url);
        var entries = json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("title").GetString()!.StartsWith("Scope: ", StringComparison.Ordinal)
                                      && e.GetProperty("meetingId").GetString() == "madrid-2017");
        Assert.Contains(entries, e => e.GetProperty("title").GetString() == "Board resolution 2021.07.22.11-13: 13 approved, 34 pending, 16 rejected");
        Assert.Equal(entries.Select(e => e.GetProperty("date").GetDateTimeOffset()).Order(), entries.Select(e => e.GetProperty("date").GetDateTimeOffset()));

        var state = await ledger.StateAsync(Ssr2Data.ReviewId);
        var version = File.ReadLines(Ssr2Data.File()).Count(l => l.Length > 0);
        foreach (var (format, type) in new[] { ("md", "text/markdown"), ("html", "text/html"), ("csv", "text/csv") })
        {
            var response = await ledger.Client().GetAsync($"{Url}?format={format}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains(state.GetProperty("headHash").GetString()!, text);
            Assert.Contains($"version {version}", text);
        }
    }

    [Fact]
    public async Task the_timeline_can_be_cut_by_meetings_and_kinds()
    {
        await Ssr2Data.ImportAsync(ledger);
        var cut = await ledger.Client().GetFromJsonAsync<JsonElement>($"{Url}?from=madrid-2017&to=washington-2018&kinds=scope");
        var entries = cut.GetProperty("entries").EnumerateArray().ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal("scope", e.GetProperty("kind").GetString()));
        Assert.All(entries, e => Assert.InRange(e.GetProperty("date").GetDateTimeOffset(),
            DateTimeOffset.Parse("2017-05-14T00:00:00Z"), DateTimeOffset.Parse("2018-08-25T00:00:00Z")));

        await Body.Problem(await ledger.Client().GetAsync($"{Url}?format=pdf"), 400);
        await Body.Problem(await ledger.Client().GetAsync($"{Url}?kinds=gossip"), 400);
        await Body.Problem(await ledger.Client().GetAsync($"{Url}?from=atlantis"), 404);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{Body.NewReviewId()}/timeline"), 404);
    }

    [Fact]
    public async Task the_atom_feed_lists_the_decisions_newest_first()
    {
        await Ssr2Data.ImportAsync(ledger);
        var response = await ledger.Client().GetAsync($"/api/reviews/{Ssr2Data.ReviewId}/feed.atom");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = feed.Root!.Elements(atom + "entry").ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", e.Element(atom + "id")!.Value));
        var updated = entries.Select(e => DateTimeOffset.Parse(e.Element(atom + "updated")!.Value)).ToList();
        Assert.Equal(updated.OrderDescending(), updated);
    }
}
