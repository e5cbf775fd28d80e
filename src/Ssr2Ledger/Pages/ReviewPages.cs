using static Ssr2Ledger.Ledger.KebabCase;
using System.Globalization;
using System.Net;
using System.Text;
using Marten;
using Ssr2Ledger.Board;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Timeline;

namespace Ssr2Ledger.Pages;

/// <summary>
/// Server-rendered pages: the list of reviews, a review's page (state as of a chosen meeting, the scope chart, the scope
/// diff, by default over the whole review, the Board's disposition of recommendations, the timeline), the scope audit and
/// each area's history.
/// Every control is a plain GET form, so the pages work with JavaScript off.
/// </summary>
public static class ReviewPages
{
    public static void MapPages(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        var pages = app.MapGroup("").ExcludeFromDescription().AddEndpointFilter(SessionHeader.Filter);

        pages.MapGet("/", async (IQuerySession session, CancellationToken ct) =>
        {
            var reviews = await session.Query<ReviewSummary>().OrderBy(s => s.Id).ToListAsync(ct);
            var body = new StringBuilder("<h1>Review ledgers</h1><p><a href=\"/charter\">Charter a review</a></p>");
            if (reviews.Count == 0) body.Append("<p>No review has been chartered yet.</p>");
            else
            {
                body.Append("<table><thead><tr><th scope=\"col\">Review</th><th scope=\"col\">Status</th><th scope=\"col\">Entries</th><th scope=\"col\">Last recorded</th></tr></thead><tbody>");
                foreach (var r in reviews)
                    body.Append($"<tr><td><a href=\"/reviews/{U(r.Id)}\">{H(r.Name)}</a> <code>{H(r.Id)}</code></td><td>{Word(r.Status)}</td>")
                        .Append($"<td>{r.Version}</td><td>{r.LastRecordedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC</td></tr>");
                body.Append("</tbody></table>");
            }
            return Page("Review ledgers", body.ToString());
        });

        pages.MapGet("/reviews/{reviewId}", async (string reviewId, string? asOf, string? from, string? to, string? boardAsOf,
            ReviewCaches reviews, Integrity.TreeProofs proofs, Witnessing.LedgerWitnesses witnesses, CancellationToken ct) =>
        {
            var sealedBlock = await Witnessing.CheckpointBlock.HtmlAsync(reviewId, proofs, witnesses, ct);
            var html = await reviews.WithReviewAsync(reviewId, t => ReviewPage(t, asOf, from, to, boardAsOf, catalog, sealedBlock), ct);
            return html is null ? Results.Content(Layout("No such review", $"<h1>No such review</h1><p>Review <code>{H(reviewId)}</code> is not in the ledger. <a href=\"/\">All reviews</a></p>"),
                "text/html; charset=utf-8", Encoding.UTF8, 404) : Page(reviewId, html);
        });

        pages.MapGet("/reviews/{reviewId}/audit", async (string reviewId, string? from, string? to, ReviewCaches reviews, CancellationToken ct) =>
        {
            var (audit, refusal) = await reviews.WithReviewAsync(reviewId, t => ScopeAudit.Ask(t, from, to), ct);
            if (refusal is not null) return Missing(reviewId, refusal);
            var id = U(reviewId);
            var nav = $"<nav><a href=\"/reviews/{id}\">Back to the review</a> · This audit as <a href=\"/api/reviews/{id}/scope/audit?format=html{Window(from, to)}\">HTML (print)</a>, " +
                      $"<a href=\"/api/reviews/{id}/scope/audit?format=md{Window(from, to)}\">Markdown</a>, " +
                      $"<a href=\"/api/reviews/{id}/scope/audit?format=csv{Window(from, to)}\">CSV</a>, " +
                      $"<a href=\"/api/reviews/{id}/scope/audit{(Window(from, to) is { Length: > 0 } w ? "?" + w[5..] : "")}\">JSON</a></nav>";
            return Page($"Scope audit: {audit!.Name}", nav + ScopeAuditFormats.HtmlBody(audit), ScopeAuditFormats.Css);
        });

        pages.MapGet("/reviews/{reviewId}/areas/{areaId}", async (string reviewId, string areaId, ReviewCaches reviews, CancellationToken ct) =>
        {
            var html = await reviews.WithReviewAsync(reviewId, t => AreaPage(t, areaId, catalog), ct);
            return html is null
                ? Missing(reviewId, new Refusal(404, "No such area", $"Review '{reviewId}' has no area of interest '{areaId}'."))
                : Page(areaId, html);
        });
    }

    private static string Window(string? from, string? to) =>
        (string.IsNullOrEmpty(from) ? "" : $"&amp;from={U(from)}") + (string.IsNullOrEmpty(to) ? "" : $"&amp;to={U(to)}");

    private static IResult Missing(string reviewId, Refusal refusal) => Results.Content(Layout(refusal.Title,
            $"<h1>{H(refusal.Title)}</h1><p>{H(refusal.Detail)} <a href=\"/reviews/{U(reviewId)}\">The review</a> · <a href=\"/\">All reviews</a></p>"),
        "text/html; charset=utf-8", Encoding.UTF8, refusal.Status);

    /// <summary>An area's lineage: every entry that touched it, in valid-time order, with the decisions' rationale.</summary>
    private static string? AreaPage(ReviewCache timeline, string areaId, EventCatalog catalog)
    {
        var current = timeline.Current;
        if (current?.Areas.GetValueOrDefault(areaId) is not { } area) return null;
        var steps = AreaHistory.Of(areaId, timeline.Recorded, catalog);
        var body = new StringBuilder($"<nav><a href=\"/reviews/{U(current.Id)}\">Back to {H(current.Name)}</a> · ")
            .Append($"<a href=\"/api/reviews/{U(current.Id)}/areas/{U(areaId)}/history\">JSON</a></nav>")
            .Append($"<h1>{H(area.Title)} <code>{H(areaId)}</code></h1>")
            .Append($"<p>Topic {H(current.Topics.GetValueOrDefault(area.TopicId)?.Title ?? area.TopicId)} · now <strong>{Word(area.Status)}</strong>")
            .Append(area.MergedInto is { } into ? $" into <a href=\"/reviews/{U(current.Id)}/areas/{U(into)}\">{H(into)}</a>" : "")
            .Append($" · {steps.Count} entries touched it, in the order they took effect.</p>")
            .Append("<table><thead><tr><th scope=\"col\">Took effect</th><th scope=\"col\">Entry</th><th scope=\"col\">What</th>")
            .Append("<th scope=\"col\">Recorded</th></tr></thead><tbody>");
        foreach (var step in steps)
            body.Append($"<tr id=\"e{step.Version}\"><td>{step.EffectiveAt:d MMM yyyy HH:mm}{(step.MeetingId is { } m ? $" · {H(m)}" : "")}</td>")
                .Append($"<td>{H(step.Relation.Replace('-', ' '))} ({H(step.Type)}, entry {step.Version})</td><td>{What(step, areaId)}</td>")
                .Append($"<td>{step.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {H(step.RecordedBy)}</td></tr>");
        return body.Append("</tbody></table>").ToString();
    }

    private static string What(AreaHistory.Step step, string areaId) => step.Data switch
    {
        ScopeDecided d when d.Changes.FirstOrDefault(c => c.AreaId == areaId) is { } c =>
            $"Decision {H(d.DecisionId)}: {Word(c.To)}{(c.MergedInto is { } into ? $" into {H(into)}" : "")}. Rationale: {H(d.Rationale)} " +
            $"Basis: {H(d.Basis)}. Method: {Word(d.Method)}.{(d.Supersedes is { } s ? $" Supersedes {H(s)}." : "")}",
        ScopeDecided d => $"Decision {H(d.DecisionId)} merged an area into this one. Rationale: {H(d.Rationale)}",
        AreaOfInterestIdentified a => $"Identified under topic {H(a.TopicId)}: {H(a.Title)}",
        AreasAssignedToSubteam a => $"Assigned to subteam {H(a.SubteamId)}",
        Community.CommunityInputReceived i => $"Community input {H(i.InputId)} from {H(i.From)}: {H(i.Summary)}",
        Corrections.EntryCorrected c => $"Entry corrected: {H(c.Reason)}",
        Corrections.EntryRetracted r => $"Entry retracted: {H(r.Reason)}",
        _ => "",
    };

    private static string? ReviewPage(ReviewCache timeline, string? asOf, string? from, string? to, string? boardAsOf, EventCatalog catalog,
        string sealedBlock)
    {
        var current = timeline.StateAsOf(DateTimeOffset.MaxValue);
        if (current is null) return null;
        var meetings = current.Meetings.Values.Where(m => m.Status != MeetingStatus.Cancelled).OrderBy(m => m.EndsAt).ToList();
        var id = U(current.Id);
        var body = new StringBuilder();
        body.Append($"<nav><a href=\"/\">All reviews</a> · Timeline: <a href=\"/api/reviews/{id}/timeline?format=html\">HTML (print)</a>, ")
            .Append($"<a href=\"/api/reviews/{id}/timeline?format=md\">Markdown</a>, <a href=\"/api/reviews/{id}/timeline?format=csv\">CSV</a> · ")
            .Append($"<a href=\"/reviews/{id}/audit\">Scope audit</a> · ")
            .Append($"<a href=\"/api/reviews/{id}/feed.atom\">Atom feed</a> · <a href=\"/api/reviews/{id}/verify\">Verify</a> · ")
            .Append($"<a href=\"/reviews/{id}/record\">Record an entry</a> · <a href=\"/reviews/{id}/import\">Import a file</a></nav>")
            .Append($"<h1>{H(current.Name)}</h1><p><code>{H(current.Id)}</code> · {Word(current.Status)} · {current.Version} entries · head <code>{H(current.HeadHash[..16])}…</code></p>")
            .Append(sealedBlock);

        // The state as of a meeting (or an instant).
        var question = new AsOf(string.IsNullOrEmpty(asOf) ? null : asOf, null, null);
        var (answer, refusal) = HistoricalState.Answer(timeline, question, catalog.Json);
        body.Append("<section id=\"state\"><h2>State of the review</h2><form method=\"get\" action=\"#state\">")
            .Append("<label for=\"asOf\">As of </label><select id=\"asOf\" name=\"asOf\"><option value=\"\">now</option>");
        foreach (var m in meetings) body.Append(Option(m.MeetingId, $"{m.Title} ({m.EndsAt:d MMM yyyy})", asOf));
        body.Append("</select>").Append(KeepHidden(("from", from), ("to", to), ("boardAsOf", boardAsOf)))
            .Append(" <button type=\"submit\">Show</button></form>");
        if (refusal is not null) body.Append($"<p role=\"alert\">{H(refusal.Detail)}</p>");
        else body.Append(StateSummary(StateDocument.From(current.Id, answer!)));
        body.Append("</section>");

        body.Append("<section id=\"chart\"><h2>Areas of interest over time</h2>").Append(ScopeChart.Render(timeline, current)).Append("</section>");

        // The scope diff: by default the whole review, from its charter to now, following each area's path.
        body.Append("<section id=\"diff\"><h2>How scope changed</h2><form method=\"get\" action=\"#diff\">")
            .Append("<label for=\"from\">From </label><select id=\"from\" name=\"from\">").Append(Option("", "the charter", from ?? ""));
        foreach (var m in meetings) body.Append(Option(m.MeetingId, $"{m.Title} ({m.EndsAt:d MMM yyyy})", from));
        body.Append("</select> <label for=\"to\">to </label><select id=\"to\" name=\"to\">").Append(Option("", "now", to ?? ""));
        foreach (var m in meetings) body.Append(Option(m.MeetingId, $"{m.Title} ({m.EndsAt:d MMM yyyy})", to));
        body.Append("</select>").Append(KeepHidden(("asOf", asOf), ("boardAsOf", boardAsOf))).Append(" <button type=\"submit\">Compare</button></form>");
        var (diff, diffRefusal) = ScopeDiff.Ask(timeline, from, to);
        body.Append(diffRefusal is not null ? $"<p role=\"alert\">{H(diffRefusal.Detail)}</p>" : DiffTables(diff!, id));
        body.Append($"<p><a href=\"/reviews/{id}/audit{(Window(from, to) is { Length: > 0 } w ? "?" + w[5..] : "")}\">Audit these narrowings</a>: ")
            .Append("each with its meeting, members, terms of reference, community input and errata, and the findings.</p></section>");

        body.Append(BoardDisposition(timeline, current, boardAsOf, asOf, from, to));

        var decisions = DecisionTimeline.Build(current.Id, timeline.Recorded, catalog.Json);
        body.Append("<section id=\"timeline\" class=\"timeline\">").Append(TimelineFormats.HtmlBody(decisions, level: 2)).Append("</section>");
        return body.ToString();
    }

    private static string StateSummary(StateDocument s)
    {
        var c = s.Counts;
        var html = new StringBuilder();
        html.Append($"<p class=\"as-of\">As of <strong>{H(s.AsOfMeeting ?? (s.AsOf?.ToString("d MMM yyyy HH:mm 'UTC'") ?? "now"))}</strong>")
            .Append(s.AsOf is { } at && s.AsOfMeeting is not null ? $" (ended {at:d MMM yyyy HH:mm} UTC)" : "").Append("</p>");
        if (!s.Chartered) return html.Append("<p>The review had not been chartered yet.</p>").ToString();
        html.Append("<ul class=\"counts\">")
            .Append($"<li><strong data-count=\"in-scope\">{c.AreasInScope}</strong> in scope</li><li><strong>{c.AreasOutOfScope}</strong> out of scope</li>")
            .Append($"<li><strong>{c.AreasDeferred}</strong> deferred</li><li><strong>{c.AreasMerged}</strong> merged</li><li><strong>{c.AreasProposed}</strong> proposed</li>")
            .Append($"<li><strong>{c.ScopeDecisions}</strong> scope decisions</li><li>status <strong>{Word(s.Status)}</strong></li></ul>");
        var tor = s.TermsOfReference;
        html.Append($"<p>Terms of reference: latest {H(tor.LatestVersion ?? "none")}, adopted {H(tor.AdoptedVersion ?? "none")}, delivered {H(tor.DeliveredVersion ?? "none")}. ")
            .Append($"{s.Members.Count(m => m.Active)} members serving, {s.Subteams.Count(t => t.Active)} subteams active, {s.Recommendations.Count} recommendations.</p>");
        html.Append($"<details><summary>The {s.Areas.Count} areas of interest</summary><table><thead><tr><th scope=\"col\">Area</th><th scope=\"col\">Topic</th>")
            .Append("<th scope=\"col\">Status</th><th scope=\"col\">Merged into</th><th scope=\"col\">Last decision</th></tr></thead><tbody>");
        foreach (var a in s.Areas)
            html.Append($"<tr><td><a href=\"/reviews/{U(s.ReviewId)}/areas/{U(a.AreaId)}\">{H(a.Title)}</a> <code>{H(a.AreaId)}</code></td><td>{H(a.TopicId)}</td><td>{Word(a.Status)}</td><td>{H(a.MergedInto ?? "")}</td><td>{H(a.LastDecisionId ?? "")}</td></tr>");
        return html.Append("</tbody></table></details>").ToString();
    }

    private static string DiffTables(ScopeDiff.Answer diff, string id)
    {
        var html = new StringBuilder($"<p>From {H(diff.FromMeeting ?? diff.From.ToString("d MMM yyyy"))} to {H(diff.ToMeeting ?? diff.To.ToString("d MMM yyyy"))}: ")
            .Append($"<span data-diff=\"narrowed\">{diff.Narrowed.Count} narrowed</span>, <span data-diff=\"merged\">{diff.Merged.Count} merged</span>, ")
            .Append($"<span data-diff=\"widened\">{diff.Widened.Count} widened</span>, <span data-diff=\"added\">{diff.Added.Count} added</span>, ")
            .Append($"{diff.OtherChanges.Count} other changes.</p>");
        foreach (var (title, moves) in new[] { ("Narrowed", diff.Narrowed), ("Merged", diff.Merged), ("Widened", diff.Widened), ("Other changes", diff.OtherChanges) })
        {
            if (moves.Count == 0) continue;
            html.Append($"<h3>{title}</h3><table><thead><tr><th scope=\"col\">Area</th><th scope=\"col\">From</th><th scope=\"col\">To</th>")
                .Append("<th scope=\"col\">Path: every decision, in order</th></tr></thead><tbody>");
            foreach (var m in moves)
            {
                html.Append($"<tr><td><a href=\"/reviews/{id}/areas/{U(m.AreaId)}\">{H(m.Title)}</a>{(m.MergedInto is null ? "" : $" → {H(m.MergedInto)}")}</td>")
                    .Append($"<td>{(m.From is { } f ? Word(f) : "not yet identified")}</td><td>{Word(m.To)}</td><td><ol class=\"path\">");
                foreach (var step in m.Path)
                    html.Append($"<li>{step.DecidedAt:d MMM yyyy}{(step.MeetingId is { } mt ? $" ({H(mt)})" : "")}: {Word(step.From)} → {Word(step.To)}")
                        .Append(step.MergedInto is { } into ? $" into {H(into)}" : "")
                        .Append($", decision {H(step.DecisionId)} ({Word(step.Method)}; basis {H(step.Basis)}): {H(step.Rationale)}</li>");
                html.Append("</ol></td></tr>");
            }
            html.Append("</tbody></table>");
        }
        return html.ToString();
    }

    /// <summary>The Board's action on the recommendations as of a date, and at each of its resolutions.</summary>
    private static string BoardDisposition(ReviewCache timeline, ReviewState current, string? boardAsOf, string? asOf, string? from, string? to)
    {
        var html = new StringBuilder("<section id=\"board\"><h2>The Board's disposition of the recommendations</h2><form method=\"get\" action=\"#board\">")
            .Append($"<label for=\"boardAsOf\">As of </label><input type=\"date\" id=\"boardAsOf\" name=\"boardAsOf\" value=\"{A(boardAsOf ?? "")}\">")
            .Append(KeepHidden(("asOf", asOf), ("from", from), ("to", to))).Append(" <button type=\"submit\">Show</button></form>");
        var at = DateTimeOffset.TryParse(boardAsOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date.AddDays(1).AddTicks(-1) : DateTimeOffset.MaxValue;
        // Each resolution's row is the disposition once it and every action under it took effect (actions may follow it).
        var actedUntil = timeline.EffectiveBetween(DateTimeOffset.MinValue, DateTimeOffset.MaxValue)
            .Where(e => e.Event is BoardActedOnRecommendation).GroupBy(e => ((BoardActedOnRecommendation)e.Event).ResolutionId)
            .ToDictionary(g => g.Key, g => g.Max(e => e.Event.EffectiveAt));
        var rows = current.BoardResolutions.Values.Where(r => r.PassedAt <= at)
            .Select(r => (Label: $"{r.PassedAt:d MMM yyyy}, after {r.ResolutionId}", Id: r.ResolutionId,
                At: actedUntil.GetValueOrDefault(r.ResolutionId) is var acted && acted > r.PassedAt && acted <= at ? acted : r.PassedAt))
            .OrderBy(r => r.At).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Append((Label: at == DateTimeOffset.MaxValue ? "now" : at.ToString("d MMM yyyy"), Id: "", At: at)).ToList();
        html.Append("<table><thead><tr><th scope=\"col\">As of</th><th scope=\"col\">Recommendations</th>");
        foreach (var action in Enum.GetValues<BoardAction>()) html.Append($"<th scope=\"col\">{Word(action)}</th>");
        html.Append("<th scope=\"col\">no action yet</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            var recs = timeline.StateAsOf(row.At)?.Recommendations.Values.Where(r => r.Status != Ledger.RecommendationStatus.Withdrawn).ToList() ?? [];
            html.Append($"<tr{(row.Id.Length > 0 ? $" data-resolution=\"{H(row.Id)}\"" : "")}><td>{H(row.Label)}</td><td>{recs.Count}</td>");
            foreach (var action in Enum.GetValues<BoardAction>()) html.Append($"<td data-action=\"{Word(action)}\">{recs.Count(r => r.BoardAction == action)}</td>");
            html.Append($"<td>{recs.Count(r => r.BoardAction is null)}</td></tr>");
        }
        return html.Append("</tbody></table></section>").ToString();
    }

    /// <summary>What every HTML answer carries (pages, the timeline's HTML export): no scripts, no sniffing, no referrer.</summary>
    public static void SecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    internal static IResult Page(string title, string body, string css = "") =>
        Results.Content(Layout(title, body, css), "text/html; charset=utf-8", Encoding.UTF8);

    internal static string Layout(string title, string body, string css = "") =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{A(title)} · Ssr2Ledger</title><style>{Css}{TimelineFormats.PrintCss}{css}</style></head><body><main>{body}</main></body></html>";

    internal static string Option(string value, string label, string? selected) =>
        $"<option value=\"{A(value)}\"{(value == selected ? " selected" : "")}>{A(label)}</option>";

    private static string KeepHidden(params (string Name, string? Value)[] fields) =>
        string.Concat(fields.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => $"<input type=\"hidden\" name=\"{f.Name}\" value=\"{A(f.Value!)}\">"));

    /// <summary>User text as element content (isolated when it holds bidi controls); <see cref="A"/> where no element goes.</summary>
    internal static string H(string s) => ShownText.Html(s);
    internal static string A(string s) => ShownText.Attribute(s);
    internal static string U(string s) => Uri.EscapeDataString(s);

    internal const string Css = """
        main{max-width:70rem}nav{font-size:.9rem;margin-bottom:1rem}section{margin:2rem 0}
        table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.2rem .5rem;text-align:left;vertical-align:top}
        ul.counts{display:flex;flex-wrap:wrap;gap:1.2rem;list-style:none;padding:0}svg.chart{width:100%;height:auto;max-width:900px}
        form{margin:.5rem 0}select,input,button{font:inherit}
        """;
}
