using System.Globalization;
using System.Net;
using System.Text;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Pages;

/// <summary>
/// An SVG drawn on the server: how many areas were in scope, out of scope, deferred, merged and proposed over
/// time, sampled at every instant the scope changed and at every meeting's end, with the meetings marked.
/// </summary>
public static class ScopeChart
{
    private const int Width = 900, Height = 300, Left = 50, Right = 20, Top = 20, Bottom = 60;

    private static readonly (ScopeStatus Status, string Label, string Colour, string Dash)[] Series =
    [
        (ScopeStatus.InScope, "in scope", "#1f6f43", ""), (ScopeStatus.OutOfScope, "out of scope", "#b22222", "6 3"),
        (ScopeStatus.Deferred, "deferred", "#b8860b", "2 3"), (ScopeStatus.Merged, "merged", "#4b4bb4", "8 3 2 3"),
        (ScopeStatus.Proposed, "proposed", "#777777", "1 2"),
    ];

    /// <summary>The chart of the review as it stands: drawn once a version (it samples up to 400 states).</summary>
    public static string Render(ReviewCache timeline, ReviewState current) => timeline.Derived("scope-chart", c => Draw(c, current));

    private static string Draw(ReviewCache timeline, ReviewState current)
    {
        var instants = timeline.Recorded.Where(e => e.Event is ScopeDecided or AreaOfInterestIdentified).Select(e => e.Event.EffectiveAt)
            .Concat(current.Meetings.Values.Select(m => m.EndsAt)).Distinct().Order().ToList();
        if (instants.Count == 0) return "<p>No areas of interest yet.</p>";
        // Bounded work on long reviews: at most 400 samples, evenly spread over the changes.
        if (instants.Count > 400) instants = Enumerable.Range(0, 400).Select(i => instants[i * instants.Count / 400]).ToList();
        var samples = instants.Select(t => (t, Counts(timeline.StateAsOf(t)))).ToList();

        var (start, end) = (instants[0], instants[^1] > instants[0] ? instants[^1] : instants[0].AddDays(1));
        var max = Math.Max(1, samples.Max(s => s.Item2.Values.Max()));
        double X(DateTimeOffset t) => Left + (Width - Left - Right) * (t - start).TotalSeconds / (end - start).TotalSeconds;
        double Y(int n) => Top + (Height - Top - Bottom) * (1 - (double)n / max);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" class=\"chart\">")
            .Append("<title id=\"chart-title\">Areas of interest by scope status over time</title>")
            .Append($"<desc id=\"chart-desc\">From {start:d MMM yyyy} to {end:d MMM yyyy}. Now: ")
            .Append(WebUtility.HtmlEncode(string.Join(", ", Series.Select(s => $"{samples[^1].Item2[s.Status]} {s.Label}")))).Append(".</desc>");
        // Axes and grid.
        svg.Append($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>")
            .Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
        foreach (var n in new[] { 0, max / 2, max }.Distinct())
            svg.Append($"<text x=\"{Left - 6}\" y=\"{F(Y(n) + 4)}\" text-anchor=\"end\" font-size=\"11\">{n}</text>")
                .Append($"<line x1=\"{Left}\" y1=\"{F(Y(n))}\" x2=\"{Width - Right}\" y2=\"{F(Y(n))}\" stroke=\"#ddd\"/>");
        for (var year = start.Year + 1; year <= end.Year; year++)
        {
            var x = X(new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero));
            svg.Append($"<text x=\"{F(x)}\" y=\"{Height - Bottom + 28}\" text-anchor=\"middle\" font-size=\"11\">{year}</text>");
        }
        // Meetings as ticks under the axis, each with its name on hover.
        foreach (var m in current.Meetings.Values.Where(m => m.Status != MeetingStatus.Cancelled && m.EndsAt >= start && m.EndsAt <= end))
            svg.Append($"<line x1=\"{F(X(m.EndsAt))}\" y1=\"{Height - Bottom + 2}\" x2=\"{F(X(m.EndsAt))}\" y2=\"{Height - Bottom + 12}\" stroke=\"#555\">")
                .Append($"<title>{Timeline.ShownText.Attribute($"{m.Title} ({m.EndsAt:d MMM yyyy})")}</title></line>");
        // One step line a status.
        foreach (var (status, label, colour, dash) in Series)
        {
            var points = new StringBuilder();
            int? previous = null;
            foreach (var (t, counts) in samples)
            {
                if (previous is { } p) points.Append($"{F(X(t))},{F(Y(p))} ");
                points.Append($"{F(X(t))},{F(Y(counts[status]))} ");
                previous = counts[status];
            }
            points.Append($"{F(X(end))},{F(Y(previous ?? 0))}");
            svg.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{points}\"><title>{label}</title></polyline>");
        }
        // Legend.
        for (var i = 0; i < Series.Length; i++)
        {
            var x = Left + i * 150;
            svg.Append($"<line x1=\"{x}\" y1=\"{Height - 12}\" x2=\"{x + 24}\" y2=\"{Height - 12}\" stroke=\"{Series[i].Colour}\" stroke-width=\"2\" stroke-dasharray=\"{Series[i].Dash}\"/>")
                .Append($"<text x=\"{x + 30}\" y=\"{Height - 8}\" font-size=\"12\">{Series[i].Label}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static Dictionary<ScopeStatus, int> Counts(ReviewState? state)
    {
        var counts = Enum.GetValues<ScopeStatus>().ToDictionary(s => s, _ => 0);
        foreach (var area in state?.Areas.Values ?? []) counts[area.Status]++;
        return counts;
    }
}
