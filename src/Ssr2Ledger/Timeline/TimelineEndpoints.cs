using System.Text;
using System.Xml;
using Marten;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Timeline;

/// <summary>The decision timeline in every format, and the Atom feed of a review's decisions.</summary>
public static class TimelineEndpoints
{
    private static readonly string[] TextFormats =
        [.. TimelineFormats.MediaTypes.Values.Where(t => t != "application/json").Select(t => t.Split(';')[0])];

    /// <summary>How many entries the feed carries: the newest decisions and checkpoints; older ones are in the timeline.</summary>
    public const int FeedSize = 100;

    /// <summary>The kinds of line the feed follows.</summary>
    private static readonly string[] FeedKinds = ["scope", "terms-of-reference", "board", "review"];

    public static void MapTimeline(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        app.MapGet("/api/reviews/{reviewId}/timeline", async (string reviewId, string? from, string? to, string? kinds, string? format,
                HttpContext http, ReviewCaches reviews, CancellationToken ct) =>
            {
                format ??= "json";
                if (!TimelineFormats.MediaTypes.TryGetValue(format, out var contentType))
                    return Problems.Invalid("format", $"must be one of: {string.Join(", ", TimelineFormats.MediaTypes.Keys)}.");
                // The lines are chosen under the review's gate; they are rendered and sent after it, a part at a time.
                var (timeline, refusal) = await reviews.WithReviewAsync(reviewId, c =>
                    c.Version > 0 && Freshness.Unchanged(http, Freshness.Tag(c.Version)) ? (null, null)
                        : DecisionTimeline.Ask(c, from, to, kinds, catalog.Json), ct);
                if (refusal is not null) return Problems.From([refusal]);
                if (timeline is null) return Freshness.NotModified;
                if (format == "html") Pages.ReviewPages.SecurityHeaders(http.Response);
                return format == "json" ? Results.Ok(timeline) : Streamed(TimelineFormats.Parts(timeline, format), contentType);
            })
            .WithTags("Read").WithName("Timeline")
            .WithSummary("The decision timeline for the final report: json, md, html (prints on A4) or csv (RFC 4180)")
            .Produces<DecisionTimeline>()
            .WithMetadata(new LedgerOpenApi.AlsoAnswersText(TextFormats), new LedgerOpenApi.RevalidatedByVersion())
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/reviews/{reviewId}/feed.atom", async (string reviewId, PublicBaseUrl site, HttpContext http, ReviewCaches reviews,
                IQuerySession session, CancellationToken ct) =>
            {
                var checkpoints = await session.Query<Checkpoint>().Where(c => c.ReviewId == reviewId && c.Note != null)
                    .OrderByDescending(c => c.Version).Take(FeedSize).ToListAsync(ct);
                var tag = Freshness.Digest(string.Concat(checkpoints.Select(c => c.Note)));
                var (chartered, feed) = await reviews.WithReviewAsync(reviewId, c =>
                    (c.Version > 0, c.Version == 0 || Freshness.Unchanged(http, Freshness.Tag(c.Version, tag)) ? null : NewestOf(c, catalog)), ct);
                if (!chartered) return Problems.From([Refusal.NotChartered(reviewId)]);
                if (feed is null) return Freshness.NotModified;
                return Results.Text(Atom(feed, checkpoints, site), "application/atom+xml; charset=utf-8", Encoding.UTF8);
            })
            .WithTags("Read").WithName("Feed")
            .WithSummary("An Atom feed of the review's newest decisions and checkpoint notes, newest first")
            .Produces<string>(StatusCodes.Status200OK, "application/atom+xml").ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new LedgerOpenApi.RevalidatedByVersion());
    }

    /// <summary>
    /// A text answer written as it is rendered: each part is sent as soon as it is made (the first within milliseconds,
    /// whatever the review's length), and only one part is held at a time.
    /// </summary>
    public static IResult Streamed(IEnumerable<string> parts, string contentType) => Results.Stream(async body =>
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 16 * 1024);
        foreach (var part in parts)
        {
            await writer.WriteAsync(part);
            await writer.FlushAsync();
        }
    }, contentType);

    /// <summary>The feed's newest lines (by recorded time), chosen once a version from the timeline's lines.</summary>
    private static Newest NewestOf(ReviewCache review, EventCatalog catalog) => review.Derived("feed", c =>
    {
        var lines = DecisionTimeline.Lines(c, catalog.Json);
        var newest = lines.Entries.Where(e => FeedKinds.Contains(e.Kind))
            .OrderByDescending(e => e.RecordedAt).ThenByDescending(e => e.Version).Take(FeedSize).ToList();
        return new Newest(c.ReviewId, lines.Name ?? c.ReviewId, newest);
    });

    private sealed record Newest(string ReviewId, string Name, IReadOnlyList<TimelineEntry> Entries);

    /// <summary>
    /// The feed's id is the same wherever it is read from (RFC 4287 4.2.6): under <c>Ledger:PublicBaseUrl</c> when
    /// configured, else a tag URI (RFC 4151) of the review, whose date is a fixed one so that the id never changes;
    /// links are absolute under that base, else relative.
    /// </summary>
    public static string FeedId(string reviewId, PublicBaseUrl site) =>
        site.Value is null ? $"tag:ssr2ledger,2026:reviews/{Uri.EscapeDataString(reviewId)}/feed" : site.Link(FeedPath(reviewId));

    private static string FeedPath(string reviewId) => $"/api/reviews/{Uri.EscapeDataString(reviewId)}/feed.atom";

    private static string Atom(Newest timeline, IReadOnlyList<Checkpoint> checkpoints, PublicBaseUrl site)
    {
        var output = new StringBuilder();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            const string ns = "http://www.w3.org/2005/Atom";
            var page = site.Link($"/reviews/{Uri.EscapeDataString(timeline.ReviewId)}");
            // Decisions by the time they were recorded and checkpoints by the time they were sealed, newest first.
            var entries = timeline.Entries.Select(e => (Updated: e.RecordedAt, Order: e.Version, Decision: e, Checkpoint: (Checkpoint?)null))
                .Concat(checkpoints.Select(c => (Updated: c.Time, Order: c.Version, Decision: (TimelineEntry?)null, Checkpoint: (Checkpoint?)c)))
                .OrderByDescending(e => e.Updated).ThenByDescending(e => e.Order).Take(FeedSize).ToList();
            xml.WriteStartElement("feed", ns);
            // Stored text, shown plain: what XML cannot carry as U+FFFD, bidi controls spelled out (ShownText).
            xml.WriteElementString("title", ns, ShownText.Plain($"{timeline.Name}: decisions"));
            xml.WriteElementString("id", ns, FeedId(timeline.ReviewId, site));
            xml.WriteElementString("updated", ns, (entries.Count > 0 ? entries[0].Updated : DateTimeOffset.UnixEpoch).ToString("O"));
            xml.WriteStartElement("link", ns); xml.WriteAttributeString("rel", "self"); xml.WriteAttributeString("type", "application/atom+xml");
            xml.WriteAttributeString("href", site.Link(FeedPath(timeline.ReviewId))); xml.WriteEndElement();
            xml.WriteStartElement("link", ns); xml.WriteAttributeString("rel", "alternate"); xml.WriteAttributeString("type", "text/html");
            xml.WriteAttributeString("href", page); xml.WriteEndElement();
            xml.WriteStartElement("author", ns); xml.WriteElementString("name", ns, "Ssr2Ledger"); xml.WriteEndElement();
            foreach (var (_, _, e, checkpoint) in entries)
            {
                xml.WriteStartElement("entry", ns);
                if (e is not null) Decision(xml, e, page);
                else CheckpointNote(xml, checkpoint!, timeline.ReviewId, site);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"");
    }

    private static void Decision(XmlWriter xml, TimelineEntry e, string page)
    {
        const string ns = "http://www.w3.org/2005/Atom";
        xml.WriteElementString("title", ns, ShownText.Plain((e.Retracted ? "[retracted] " : "") + e.Title));
        xml.WriteElementString("id", ns, $"urn:uuid:{e.EventId}");
        xml.WriteElementString("updated", ns, e.RecordedAt.ToString("O"));
        xml.WriteElementString("published", ns, e.Date.ToString("O"));
        // The entry's own page: the review's page shows only its latest lines.
        xml.WriteStartElement("link", ns); xml.WriteAttributeString("href", $"{page}/entries/{e.EventId}"); xml.WriteEndElement();
        xml.WriteStartElement("category", ns); xml.WriteAttributeString("term", e.Kind); xml.WriteEndElement();
        var summary = new[] { e.Rationale, e.Basis is null ? null : $"Basis: {e.Basis}",
            e.Method is null ? null : $"Method: {e.Method}" }.Where(x => x is not null);
        xml.WriteElementString("summary", ns, ShownText.Plain(string.Join(" ", summary)));
    }

    /// <summary>
    /// A checkpoint as an entry whose content is its signed note, as <c>GET …/checkpoint</c> answers it: a reader of the
    /// feed keeps every note it sees, and can later ask for a consistency proof between any two.
    /// </summary>
    private static void CheckpointNote(XmlWriter xml, Checkpoint c, string reviewId, PublicBaseUrl site)
    {
        const string ns = "http://www.w3.org/2005/Atom";
        xml.WriteElementString("title", ns, ShownText.Plain(c.MeetingId is { } m
            ? $"Checkpoint at version {c.Version}, sealed when meeting {m} was held" : $"Checkpoint at version {c.Version}, sealed on request"));
        // The same id wherever the feed is read from, as the feed's own (a checkpoint is one a version).
        xml.WriteElementString("id", ns, $"tag:ssr2ledger,2026:reviews/{Uri.EscapeDataString(reviewId)}/checkpoints/{c.Version}");
        xml.WriteElementString("updated", ns, c.Time.ToString("O"));
        xml.WriteStartElement("link", ns); xml.WriteAttributeString("href", site.Link($"/api/reviews/{Uri.EscapeDataString(reviewId)}/checkpoints"));
        xml.WriteEndElement();
        xml.WriteStartElement("category", ns); xml.WriteAttributeString("term", "checkpoint"); xml.WriteEndElement();
        xml.WriteStartElement("content", ns); xml.WriteAttributeString("type", "text"); xml.WriteString(c.Note); xml.WriteEndElement();
    }
}
