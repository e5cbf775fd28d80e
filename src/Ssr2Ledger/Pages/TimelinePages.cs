using System.Globalization;
using System.Text;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Pages;

/// <summary>
/// The timeline on the review's page is its most recent part; the rest is read a page at a time, by phase or by year,
/// through plain links (they work with JavaScript off), and whole as an export. So a review of any length sends a
/// browser a page of bounded size.
/// </summary>
public static class TimelinePages
{
    /// <summary>How many of the latest lines the review's page shows.</summary>
    public const int Recent = 50;

    /// <summary>How many lines a page of the timeline shows.</summary>
    public const int PageSize = 200;

    public static void MapTimelinePages(this RouteGroupBuilder pages, EventCatalog catalog) =>
        pages.MapGet("/reviews/{reviewId}/timeline", async (string reviewId, string? phase, int? year, int? page, HttpContext http,
            ReviewCaches reviews, CancellationToken ct) =>
        {
            var html = await reviews.WithReviewAsync(reviewId, c =>
                c.Version == 0 ? null : Anonymous(http) && Freshness.Unchanged(http, Freshness.Tag(c.Version)) ? "" : Part(c, phase, year, page, catalog), ct);
            return html switch
            {
                null => ReviewPages.Missing(reviewId, Refusal.NotChartered(reviewId)),
                "" => Freshness.NotModified,
                _ => ReviewPages.Page($"Decision timeline: {reviewId}", html),
            };
        });

    /// <summary>
    /// Whether the request carries no cookie: only then is a page the same for everyone who asks, and so tagged for
    /// revalidation (a signed-in reader's page may show more).
    /// </summary>
    public static bool Anonymous(HttpContext http) => http.Request.Headers.Cookie.Count == 0;

    /// <summary>The section of the review's page: its latest lines, and the links to every part of the rest.</summary>
    public static string Section(ReviewCache review, EventCatalog catalog)
    {
        var lines = DecisionTimeline.Lines(review, catalog.Json);
        var latest = lines.Entries.Skip(Math.Max(0, lines.Entries.Count - Recent)).ToList();
        var shown = Slice(review, lines, latest, latest.Count > 0 && latest.Count < lines.Entries.Count ? latest[0].Date : null);
        var html = new StringBuilder("<section id=\"timeline\" class=\"timeline\">")
            .Append(TimelineFormats.HtmlBody(shown, level: 2));
        return html.Append(Index(review, lines, null, null)).Append("</section>").ToString();
    }

    private static string? Part(ReviewCache review, string? phase, int? year, int? page, EventCatalog catalog)
    {
        var lines = DecisionTimeline.Lines(review, catalog.Json);
        var chosen = lines.Entries.Where(e => (phase is null || e.Phase == phase) && (year is null || e.Date.UtcDateTime.Year == year)).ToList();
        var pages = Math.Max(1, (chosen.Count + PageSize - 1) / PageSize);
        var at = Math.Clamp(page ?? 1, 1, pages);
        var id = Uri.EscapeDataString(review.ReviewId);
        var shown = chosen.Skip((at - 1) * PageSize).Take(PageSize).ToList();
        var html = new StringBuilder($"<nav><a href=\"/reviews/{id}\">Back to the review</a> · The whole timeline: ")
            .Append($"<a href=\"/api/reviews/{id}/timeline?format=html\">HTML (print)</a>, <a href=\"/api/reviews/{id}/timeline?format=md\">Markdown</a>, ")
            .Append($"<a href=\"/api/reviews/{id}/timeline?format=csv\">CSV</a></nav>");
        html.Append(TimelineFormats.HtmlBody(Slice(review, lines, shown, shown.Count > 0 ? shown[0].Date : null, shown.Count > 0 ? shown[^1].Date : null)));
        html.Append("<nav class=\"pages\"><p>");
        html.Append(phase is null && year is null ? "Every line" : $"Lines {(phase is null ? "" : $"of phase {ShownText.Html(phase)}")}{(year is null ? "" : $" of {year}")}")
            .Append($": page {at} of {pages} ({chosen.Count} lines).");
        string Link(int to, string label) =>
            $" <a href=\"/reviews/{id}/timeline?{Query(phase, year)}page={to}\"{(to == at ? " aria-current=\"page\"" : "")}>{label}</a>";
        if (at > 1) html.Append(Link(1, "First")).Append(Link(at - 1, "Previous"));
        if (at < pages) html.Append(Link(at + 1, "Next")).Append(Link(pages, "Last"));
        html.Append("</p></nav>");
        return html.Append(Index(review, lines, phase, year)).ToString();
    }

    /// <summary>The lines shown, as a timeline of their own window (its footer still names the review's version and head).</summary>
    private static DecisionTimeline Slice(ReviewCache review, TimelineLines lines, List<TimelineEntry> shown, DateTimeOffset? from,
        DateTimeOffset? to = null)
    {
        var head = review.Recorded[^1].Meta;
        return new DecisionTimeline(review.ReviewId, lines.Name ?? review.ReviewId, from, to, DecisionTimeline.AllKinds, head.Version,
            head.Hash, shown);
    }

    /// <summary>Links to the timeline a phase and a year at a time, with how many lines each holds.</summary>
    private static string Index(ReviewCache review, TimelineLines lines, string? phase, int? year)
    {
        var id = Uri.EscapeDataString(review.ReviewId);
        var index = review.Derived("timeline-index", _ => new Parts(
            lines.Entries.GroupBy(e => e.Phase).Select(g => (g.Key, g.Count())).ToList(),
            lines.Entries.GroupBy(e => e.Date.UtcDateTime.Year).Select(g => (g.Key, g.Count())).ToList()));
        var html = new StringBuilder("<nav class=\"timeline-index\" aria-label=\"The whole timeline\"><p>The whole timeline, a part at a time. By phase:");
        foreach (var (name, count) in index.Phases)
            html.Append($" <a href=\"/reviews/{id}/timeline?phase={Uri.EscapeDataString(name)}\"{(name == phase && year is null ? " aria-current=\"page\"" : "")}>")
                .Append($"{(name.Length == 0 ? "before the first phase" : ShownText.Html(name))}</a> ({count})");
        html.Append(". By year:");
        foreach (var (y, count) in index.Years)
            html.Append($" <a href=\"/reviews/{id}/timeline?year={y}\"{(y == year && phase is null ? " aria-current=\"page\"" : "")}>{y}</a> ({count})");
        return html.Append($". <a href=\"/reviews/{id}/timeline\">Every line</a>, {PageSize} a page.</p></nav>").ToString();
    }

    private sealed record Parts(List<(string Name, int Count)> Phases, List<(int Year, int Count)> Years);

    private static string Query(string? phase, int? year) =>
        (phase is null ? "" : $"phase={Uri.EscapeDataString(phase)}&amp;") + (year is null ? "" : $"year={year.Value.ToString(CultureInfo.InvariantCulture)}&amp;");
}
