using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Ssr2Ledger.Timeline;

/// <summary>
/// The timeline as a report appendix: Markdown to paste (a summary table, then one section a phase), HTML that
/// prints on A4, CSV for a spreadsheet (RFC 4180). Each ends with the review's version and head hash, so a
/// reader can check it with <c>verify</c>. User text is escaped for each format, never interpreted.
/// </summary>
public static partial class TimelineFormats
{
    /// <summary>The formats a timeline is exported in, with their media types.</summary>
    public static readonly IReadOnlyDictionary<string, string> MediaTypes = new Dictionary<string, string>
    {
        ["json"] = "application/json", ["md"] = "text/markdown; charset=utf-8", ["html"] = "text/html; charset=utf-8",
        ["csv"] = "text/csv; charset=utf-8",
    };

    public static string Render(DecisionTimeline timeline, string format) => format switch
    {
        "md" or "html" or "csv" => string.Concat(Parts(timeline, format)),
        _ => System.Text.Json.JsonSerializer.Serialize(timeline,
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }),
    };

    /// <summary>
    /// A text format rendered a part at a time, so that an answer is sent as it is written (its first bytes at once, and
    /// never the whole text in memory); the parts joined are <see cref="Render"/>'s text, byte for byte.
    /// </summary>
    public static IEnumerable<string> Parts(DecisionTimeline timeline, string format) => format switch
    {
        "md" => MarkdownParts(timeline),
        "html" => HtmlParts(timeline),
        "csv" => CsvParts(timeline),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Only the text formats are rendered in parts."),
    };

    /// <summary>About how much text a part holds before it is handed on.</summary>
    private const int PartSize = 16 * 1024;

    public static string Markdown(DecisionTimeline t) => string.Concat(MarkdownParts(t));

    private static IEnumerable<string> MarkdownParts(DecisionTimeline t)
    {
        var md = new StringBuilder();
        md.Append("# Decision timeline: ").AppendLine(Md(t.Name)).AppendLine();
        md.AppendLine($"Review `{t.ReviewId}`{Period(t)}. {t.Entries.Count} entries, in the order they took effect.").AppendLine();
        md.AppendLine("| Kind | Entries | First | Last |").AppendLine("| --- | ---: | --- | --- |");
        foreach (var (kind, count, first, last) in Summary(t))
            md.AppendLine($"| {Md(kind)} | {count} | {first} | {last} |");

        foreach (var phase in t.ByPhase)
        {
            md.AppendLine().Append("## ").AppendLine(Md(phase.Key)).AppendLine();
            foreach (var e in phase)
            {
                var title = e.Retracted ? $"~~{Md(e.Title)}~~ (retracted)" : $"**{Md(e.Title)}**";
                md.Append($"- {Day(e.Date)}").Append(e.MeetingId is null ? "" : $" · {Md(e.MeetingTitle ?? e.MeetingId)}")
                    .AppendLine($" · {Md(e.Kind)} — {title}");
                foreach (var (label, text) in Details(e))
                    md.AppendLine($"  - {label}: {Md(text)}");
                md.AppendLine($"  - Recorded {Stamp(e.RecordedAt)} by {Md(e.RecordedBy)} (entry {e.Version})");
                foreach (var x in e.Errata)
                    md.AppendLine($"  - *Erratum, recorded {Stamp(x.RecordedAt)} by {Md(x.RecordedBy)}:* {Md(x.Summary)} Reason: {Md(x.Reason)}");
                if (md.Length >= PartSize) yield return Taken(md);
            }
        }
        md.AppendLine().AppendLine("---").AppendLine().AppendLine(Md(Footer(t)));
        yield return md.ToString();
    }

    /// <summary>What the builder holds, handed on; the builder is emptied for the next part.</summary>
    private static string Taken(StringBuilder part)
    {
        var text = part.ToString();
        part.Clear();
        return text;
    }

    public static string Html(DecisionTimeline t) => string.Concat(HtmlParts(t));

    private static IEnumerable<string> HtmlParts(DecisionTimeline t)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .AppendLine($"<title>Decision timeline: {ShownText.Attribute(t.Name)}</title>")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .AppendLine($"<style>{PrintCss}</style></head><body>")
            .AppendLine("<main class=\"timeline\">");
        yield return Taken(html);
        foreach (var part in HtmlBodyParts(t)) yield return part;
        yield return Environment.NewLine + "</main></body></html>" + Environment.NewLine;
    }

    /// <summary>
    /// The timeline's content, also embedded in the review's page: there its heading is one level below the page's
    /// own <c>h1</c> (<paramref name="level"/> 2), so a page has one <c>h1</c> and an outline without gaps.
    /// </summary>
    public static string HtmlBody(DecisionTimeline t, int level = 1) => string.Concat(HtmlBodyParts(t, level));

    private static IEnumerable<string> HtmlBodyParts(DecisionTimeline t, int level = 1)
    {
        var html = new StringBuilder();
        html.AppendLine($"<h{level}>Decision timeline: {H(t.Name)}</h{level}>")
            .AppendLine($"<p>Review <code>{H(t.ReviewId)}</code>{H(Period(t))}. {t.Entries.Count} entries, in the order they took effect.</p>")
            .AppendLine("<table class=\"summary\"><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Entries</th><th scope=\"col\">First</th><th scope=\"col\">Last</th></tr></thead><tbody>");
        foreach (var (kind, count, first, last) in Summary(t))
            html.AppendLine($"<tr><td>{H(kind)}</td><td>{count}</td><td>{first}</td><td>{last}</td></tr>");
        html.AppendLine("</tbody></table>");
        foreach (var phase in t.ByPhase)
        {
            html.AppendLine($"<section class=\"phase\"><h{level + 1}>{H(phase.Key)}</h{level + 1}><ol class=\"entries\">");
            foreach (var e in phase)
            {
                html.Append($"<li class=\"entry kind-{ShownText.Attribute(e.Kind)}{(e.Retracted ? " retracted" : "")}\" id=\"e{e.Version}\">")
                    .Append($"<p class=\"when\"><time datetime=\"{HtmlDateTime(e.Date)}\">{Day(e.Date)}</time>")
                    .Append(e.MeetingId is null ? "" : $" · {H(e.MeetingTitle ?? e.MeetingId)}").Append($" · {H(e.Kind)}</p>")
                    .Append(e.Retracted ? $"<p class=\"title\"><del>{Html(e.Title)}</del> (retracted)</p>" : $"<p class=\"title\">{Html(e.Title)}</p>")
                    .Append("<dl>");
                foreach (var (label, text) in Details(e))
                    html.Append($"<dt>{label}</dt><dd>{Html(text)}</dd>");
                html.Append($"<dt>Recorded</dt><dd>{Stamp(e.RecordedAt)} by {H(e.RecordedBy)} (entry {e.Version})</dd>");
                foreach (var x in e.Errata)
                    html.Append($"<dt class=\"erratum\">Erratum</dt><dd class=\"erratum\">Recorded {Stamp(x.RecordedAt)} by {H(x.RecordedBy)}: {Html(x.Summary)} Reason: {Html(x.Reason)}</dd>");
                html.AppendLine("</dl></li>");
                if (html.Length >= PartSize) yield return Taken(html);
            }
            html.AppendLine("</ol></section>");
        }
        html.AppendLine($"<footer class=\"ledger\"><p>{H(Footer(t))}</p></footer>");
        yield return html.ToString();
    }

    public static string Csv(DecisionTimeline t) => string.Concat(CsvParts(t));

    private static IEnumerable<string> CsvParts(DecisionTimeline t)
    {
        var csv = new StringBuilder();
        void Row(params string?[] cells) => csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
        Row("date", "meeting", "kind", "title", "rationale", "basis", "method", "source", "recorded_at", "recorded_by", "event_id",
            "version", "retracted", "errata", "phase");
        foreach (var e in t.Entries)
        {
            Row(e.Date.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture), e.MeetingId, e.Kind, e.Title, e.Rationale, e.Basis,
                e.Method, e.Source, Stamp(e.RecordedAt), e.RecordedBy, e.EventId.ToString(), e.Version.ToString(CultureInfo.InvariantCulture),
                e.Retracted ? "yes" : "no", string.Join(" | ", e.Errata.Select(x => $"{x.Summary} Reason: {x.Reason}")), e.Phase);
            if (csv.Length >= PartSize) yield return Taken(csv);
        }
        Row("", "", "ledger", Footer(t), "", "", "", "", "", "", "", t.Version.ToString(CultureInfo.InvariantCulture), "", "", "");
        yield return csv.ToString();
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    internal static string Cell(string? value)
    {
        value = ShownText.Plain(value ?? "");
        // A leading =, +, - or @ would make a spreadsheet run the text as a formula; a tab or carriage return too (OWASP).
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]) && !DateLike().IsMatch(value)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    /// <summary>The summary table's rows: each kind with its number of entries and its first and last date.</summary>
    private static IEnumerable<(string Kind, int Count, string First, string Last)> Summary(DecisionTimeline t) =>
        t.Entries.GroupBy(e => e.Kind).Select(g => (g.Key, g.Count(), Day(g.Min(e => e.Date)), Day(g.Max(e => e.Date))));

    /// <summary>An entry's explanatory fields that it has, in the order every format shows them; each format escapes them.</summary>
    private static IEnumerable<(string Label, string Text)> Details(TimelineEntry e) =>
        new[] { ("Rationale", e.Rationale), ("Basis", e.Basis), ("Method", e.Method), ("Source", e.Source) }
            .Where(d => d.Item2 is not null).Select(d => (d.Item1, d.Item2!));

    public static string Footer(DecisionTimeline t) =>
        $"Ledger of review {t.ReviewId} at version {t.Version}, head hash {t.HeadHash}. Check it with: verify {t.ReviewId}";

    private static string Period(DecisionTimeline t) =>
        (t.From, t.To) switch
        {
            (null, null) => "",
            (var f, var to) => $", from {(f is null ? "the start" : Day(f.Value))} to {(to is null ? "now" : Day(to.Value))}",
        };

    private static string Day(DateTimeOffset d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    private static string Stamp(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    private static string H(string s) => ShownText.Html(s);

    /// <summary>
    /// A valid HTML date-time: UTC with at most three fractional digits (round-trip "O" has seven, which HTML refuses).
    /// </summary>
    public static string HtmlDateTime(DateTimeOffset d) =>
        d.UtcDateTime.ToString(d.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// User text for Markdown: line breaks folded, special characters escaped so it stays text, and every web address
    /// in it an autolink, since CommonMark links only what is marked (markdownlint's MD034).
    /// </summary>
    internal static string Md(string s) =>
        Linked(ShownText.Plain(s).ReplaceLineEndings(" "), text => MarkdownSpecial().Replace(text, @"\$0"), (uri, _) => $"<{uri.AbsoluteUri.Replace(">", "%3E")}>");

    /// <summary>User text for HTML: escaped, with every web address in it a link, isolated when it holds bidi controls.</summary>
    internal static string Html(string s) => ShownText.Html(s, text => Linked(text, WebUtility.HtmlEncode,
        (uri, shown) => $"<a href=\"{ShownText.Attribute(uri.AbsoluteUri)}\">{WebUtility.HtmlEncode(shown)}</a>"));

    /// <summary>Text with each http(s) address in it made a link; the rest, and anything not a valid address, escaped.</summary>
    private static string Linked(string text, Func<string, string> escape, Func<Uri, string, string> link)
    {
        var result = new StringBuilder();
        var at = 0;
        foreach (Match match in WebAddress().Matches(text))
        {
            var address = TrimTrailingPunctuation(match.Value);
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0) continue;
            result.Append(escape(text[at..match.Index])).Append(link(uri, address));
            at = match.Index + address.Length;
        }
        return result.Append(escape(text[at..])).ToString();
    }

    /// <summary>A sentence's punctuation after an address is not part of it; a closing parenthesis is when it closes one.</summary>
    private static string TrimTrailingPunctuation(string address)
    {
        while (address.Length > 0)
        {
            var last = address[^1];
            if (".,;:!?'\"".Contains(last) || last == ')' && address.Count(c => c == ')') > address.Count(c => c == '('))
                address = address[..^1];
            else break;
        }
        return address;
    }

    [GeneratedRegex(@"https?://[^\s<>""`]+", RegexOptions.IgnoreCase)]
    private static partial Regex WebAddress();

    [GeneratedRegex(@"[\\`*_\[\]<>|~&]")]
    private static partial Regex MarkdownSpecial();

    [GeneratedRegex(@"^-?\d")]
    private static partial Regex DateLike();

    public const string PrintCss = """
        body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.4}
        h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #999;margin-top:2rem}
        table.summary{border-collapse:collapse;margin:1rem 0}table.summary th,table.summary td{border:1px solid #aaa;padding:.2rem .6rem;text-align:left}
        ol.entries{list-style:none;padding:0}li.entry{margin:0 0 .9rem;padding-left:.6rem;border-left:3px solid #ccc}
        li.kind-scope{border-color:#1f6f43}li.kind-board{border-color:#7a3e00}li.kind-terms-of-reference{border-color:#2b4a8b}
        li.retracted{opacity:.7}p.when{margin:0;color:#444;font-size:.9rem}p.title{margin:.1rem 0;font-weight:bold}
        dl{margin:.2rem 0;display:grid;grid-template-columns:8rem 1fr;gap:.1rem .6rem;font-size:.92rem}dt{color:#555}dd{margin:0}
        .erratum{color:#8a1c1c}footer.ledger{margin-top:2rem;font-size:.85rem;color:#444;word-break:break-all}
        @page{size:A4;margin:18mm 16mm}
        @media print{body{margin:0;max-width:none;font-size:10.5pt}li.entry{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}nav,form{display:none}}
        """;
}
