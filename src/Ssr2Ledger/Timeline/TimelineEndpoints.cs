using System.Text;
using System.Xml;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Timeline;

/// <summary>The decision timeline in every format, and the Atom feed of a review's decisions.</summary>
public static class TimelineEndpoints
{
    private static readonly string[] TextFormats =
        [.. TimelineFormats.MediaTypes.Values.Where(t => t != "application/json").Select(t => t.Split(';')[0])];

    public static void MapTimeline(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        app.MapGet("/api/reviews/{reviewId}/timeline", async (string reviewId, string? from, string? to, string? kinds, string? format,
                HttpResponse response, ReviewCaches reviews, CancellationToken ct) =>
            {
                format ??= "json";
                if (!TimelineFormats.MediaTypes.TryGetValue(format, out var contentType))
                    return Problems.Invalid("format", $"must be one of: {string.Join(", ", TimelineFormats.MediaTypes.Keys)}.");
                var (timeline, refusal) = await reviews.WithReviewAsync(reviewId, c => DecisionTimeline.Ask(c, from, to, kinds, catalog.Json), ct);
                if (refusal is not null) return Problems.From([refusal]);
                if (format == "html") Pages.ReviewPages.SecurityHeaders(response);
                return format == "json" ? Results.Ok(timeline)
                    : Results.Text(TimelineFormats.Render(timeline!, format), contentType, Encoding.UTF8);
            })
            .WithTags("Read").WithName("Timeline")
            .WithSummary("The decision timeline for the final report: json, md, html (prints on A4) or csv (RFC 4180)")
            .Produces<DecisionTimeline>()
            .WithMetadata(new LedgerOpenApi.AlsoAnswersText(TextFormats))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/feed.atom", async (string reviewId, PublicBaseUrl site, ReviewCaches reviews, CancellationToken ct) =>
            {
                var (timeline, refusal) = await reviews.WithReviewAsync(reviewId, c => DecisionTimeline.Ask(c, null, null, "scope,terms-of-reference,board,review", catalog.Json), ct);
                if (refusal is not null) return Problems.From([refusal]);
                return Results.Text(Atom(timeline!, site), "application/atom+xml; charset=utf-8", Encoding.UTF8);
            })
            .WithTags("Read").WithName("Feed").WithSummary("An Atom feed of the review's decisions, newest recorded first")
            .Produces<string>(StatusCodes.Status200OK, "application/atom+xml").ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// The feed's id is the same wherever it is read from (RFC 4287 4.2.6): under <c>Ledger:PublicBaseUrl</c> when
    /// configured, else a tag URI (RFC 4151) of the review, whose date is a fixed one so that the id never changes;
    /// links are absolute under that base, else relative.
    /// </summary>
    public static string FeedId(string reviewId, PublicBaseUrl site) =>
        site.Value is null ? $"tag:ssr2ledger,2026:reviews/{Uri.EscapeDataString(reviewId)}/feed" : site.Link(FeedPath(reviewId));

    private static string FeedPath(string reviewId) => $"/api/reviews/{Uri.EscapeDataString(reviewId)}/feed.atom";

    private static string Atom(DecisionTimeline timeline, PublicBaseUrl site)
    {
        var output = new StringBuilder();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            const string ns = "http://www.w3.org/2005/Atom";
            var page = site.Link($"/reviews/{Uri.EscapeDataString(timeline.ReviewId)}");
            var entries = timeline.Entries.OrderByDescending(e => e.RecordedAt).ThenByDescending(e => e.Version).Take(100).ToList();
            xml.WriteStartElement("feed", ns);
            // Stored text, shown plain: what XML cannot carry as U+FFFD, bidi controls spelled out (ShownText).
            xml.WriteElementString("title", ns, ShownText.Plain($"{timeline.Name}: decisions"));
            xml.WriteElementString("id", ns, FeedId(timeline.ReviewId, site));
            xml.WriteElementString("updated", ns, (entries.FirstOrDefault()?.RecordedAt ?? DateTimeOffset.UnixEpoch).ToString("O"));
            xml.WriteStartElement("link", ns); xml.WriteAttributeString("rel", "self"); xml.WriteAttributeString("type", "application/atom+xml");
            xml.WriteAttributeString("href", site.Link(FeedPath(timeline.ReviewId))); xml.WriteEndElement();
            xml.WriteStartElement("link", ns); xml.WriteAttributeString("rel", "alternate"); xml.WriteAttributeString("type", "text/html");
            xml.WriteAttributeString("href", page); xml.WriteEndElement();
            xml.WriteStartElement("author", ns); xml.WriteElementString("name", ns, "Ssr2Ledger"); xml.WriteEndElement();
            foreach (var e in entries)
            {
                xml.WriteStartElement("entry", ns);
                xml.WriteElementString("title", ns, ShownText.Plain((e.Retracted ? "[retracted] " : "") + e.Title));
                xml.WriteElementString("id", ns, $"urn:uuid:{e.EventId}");
                xml.WriteElementString("updated", ns, e.RecordedAt.ToString("O"));
                xml.WriteElementString("published", ns, e.Date.ToString("O"));
                xml.WriteStartElement("link", ns); xml.WriteAttributeString("href", $"{page}#e{e.Version}"); xml.WriteEndElement();
                xml.WriteStartElement("category", ns); xml.WriteAttributeString("term", e.Kind); xml.WriteEndElement();
                var summary = new[] { e.Rationale, e.Basis is null ? null : $"Basis: {e.Basis}",
                    e.Method is null ? null : $"Method: {e.Method}" }.Where(x => x is not null);
                xml.WriteElementString("summary", ns, ShownText.Plain(string.Join(" ", summary)));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"");
    }
}
