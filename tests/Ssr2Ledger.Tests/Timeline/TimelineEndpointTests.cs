using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Alba;
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
        // Decisions are entries of the ledger; checkpoints (their notes) are the other kind of entry in the feed.
        Assert.All(entries.Where(e => (string?)e.Element(atom + "category")!.Attribute("term") != "checkpoint"),
            e => Assert.StartsWith("urn:uuid:", e.Element(atom + "id")!.Value));
        var updated = entries.Select(e => DateTimeOffset.Parse(e.Element(atom + "updated")!.Value)).ToList();
        Assert.Equal(updated.OrderDescending(), updated);
    }

    [Fact]
    public async Task the_feed_keeps_its_id_whatever_host_it_is_read_through_and_links_to_itself()
    {
        await Ssr2Data.ImportAsync(ledger);
        XNamespace atom = "http://www.w3.org/2005/Atom";
        async Task<(XElement Feed, string Text)> Read(string host)
        {
            var text = await ledger.Client().GetStringAsync($"http://{host}/api/reviews/{Ssr2Data.ReviewId}/feed.atom");
            return (XDocument.Parse(text).Root!, text);
        }

        var (feed, _) = await Read("ledger.example.org");
        var (other, text) = await Read("evil.example");

        Assert.Equal(feed.Element(atom + "id")!.Value, other.Element(atom + "id")!.Value);
        Assert.StartsWith("tag:ssr2ledger,", feed.Element(atom + "id")!.Value);
        Assert.DoesNotContain("evil.example", text);
        var self = Assert.Single(feed.Elements(atom + "link"), l => (string?)l.Attribute("rel") == "self");
        Assert.Equal($"/api/reviews/{Ssr2Data.ReviewId}/feed.atom", (string?)self.Attribute("href"));
        var servers = (await ledger.Client().GetFromJsonAsync<JsonElement>("http://evil.example/openapi/v1.json")).GetProperty("servers");
        Assert.Equal("/", Assert.Single(servers.EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task a_configured_public_base_url_makes_the_feed_and_the_openapi_servers_absolute_under_it()
    {
        await Ssr2Data.ImportAsync(ledger);
        await using var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Ledger", ledger.ConnectionString);
            builder.UseSetting("Ledger:SigningKeyPath", ledger.SigningKeyPath);
            builder.UseSetting("Ledger:PublicBaseUrl", "https://ledger.example.org/icann/");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        var client = host.Server.CreateClient();
        XNamespace atom = "http://www.w3.org/2005/Atom";

        var feed = XDocument.Parse(await client.GetStringAsync($"http://evil.example/api/reviews/{Ssr2Data.ReviewId}/feed.atom")).Root!;

        Assert.Equal($"https://ledger.example.org/icann/api/reviews/{Ssr2Data.ReviewId}/feed.atom", feed.Element(atom + "id")!.Value);
        Assert.Equal($"https://ledger.example.org/icann/reviews/{Ssr2Data.ReviewId}",
            (string?)feed.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate").Attribute("href"));
        Assert.All(feed.Descendants(atom + "link"), l => Assert.StartsWith("https://ledger.example.org/icann/", (string?)l.Attribute("href")));
        var servers = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("servers");
        Assert.Equal("https://ledger.example.org/icann", Assert.Single(servers.EnumerateArray()).GetProperty("url").GetString());
    }
}
