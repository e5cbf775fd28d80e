using System.Globalization;
using System.Net;
using System.Text;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Timeline;
using static Ssr2Ledger.Ledger.KebabCase;

namespace Ssr2Ledger.Scope;

/// <summary>
/// The scope audit as an annex of a final report: Markdown to paste, HTML that prints (the page is the same body), CSV with
/// one row a narrowing or merge (RFC 4180, formulas defused). Each ends with the review's version and head hash.
/// </summary>
public static class ScopeAuditFormats
{
    public static readonly IReadOnlyDictionary<string, string> Formats = TimelineFormats.MediaTypes;

    public static string Render(ScopeAudit audit, string format, System.Text.Json.JsonSerializerOptions json) => format switch
    {
        "md" => Markdown(audit),
        "html" => Html(audit),
        "csv" => Csv(audit),
        _ => System.Text.Json.JsonSerializer.Serialize(audit, json),
    };

    public static string Markdown(ScopeAudit a)
    {
        var md = new StringBuilder();
        md.Append("# Annex: how the scope of ").Append(Md(a.Name)).AppendLine(" was narrowed").AppendLine();
        md.AppendLine($"{Md(Lead(a))}").AppendLine();
        md.AppendLine("## Findings").AppendLine();
        if (a.Findings.Count == 0) md.AppendLine(Md(NoFindings(a))).AppendLine();
        foreach (var f in a.Findings)
        {
            md.AppendLine($"- **{Word(f.Severity)}** · {Md(Label(f.Kind))} · decision {Md(f.DecisionId)}: {Md(f.Summary)}");
            foreach (var e in f.Evidence) md.AppendLine($"  - Evidence: {Md(Cite(e))}");
        }
        if (a.Findings.Count > 0) md.AppendLine();
        md.AppendLine("## Narrowings and merges").AppendLine();
        if (a.Decisions.Count == 0) md.AppendLine("No area was narrowed or merged in this window.").AppendLine();
        foreach (var d in a.Decisions)
        {
            md.AppendLine($"### {Md(Heading(d))}").AppendLine();
            foreach (var (label, text) in Context(d)) md.AppendLine($"- {label}: {Md(text)}");
            md.AppendLine().AppendLine("| Area | Topic | Before | After | Community input naming it before the decision |")
                .AppendLine("| --- | --- | --- | --- | --- |");
            foreach (var area in d.Areas)
                md.AppendLine($"| {Md(area.Title)} (`{area.AreaId}`) | {Md(area.TopicTitle ?? area.TopicId)} | {Word(area.From)} | " +
                              $"{Md(After(area))} | {Md(Inputs(area))} |");
            md.AppendLine();
        }
        md.AppendLine("---").AppendLine().AppendLine(Md(Footer(a)));
        return md.ToString();
    }

    public static string Html(ScopeAudit a) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n" +
        $"<title>Scope audit: {H(a.Name)}</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
        $"<style>{TimelineFormats.PrintCss}{Css}</style></head><body>\n<main class=\"audit\">\n{HtmlBody(a)}</main></body></html>\n";

    /// <summary>The audit's content; the page <c>/reviews/{id}/audit</c> shows the same under its navigation.</summary>
    public static string HtmlBody(ScopeAudit a)
    {
        var html = new StringBuilder();
        html.AppendLine($"<h1>Annex: how the scope of {H(a.Name)} was narrowed</h1>").AppendLine($"<p>{H(Lead(a))}</p>");
        html.AppendLine("<section id=\"findings\"><h2>Findings</h2>");
        if (a.Findings.Count == 0) html.AppendLine($"<p class=\"none\">{H(NoFindings(a))}</p>");
        else
        {
            html.AppendLine("<ol class=\"findings\">");
            foreach (var f in a.Findings)
            {
                html.Append($"<li class=\"finding severity-{Word(f.Severity)}\" data-finding=\"{Word(f.Kind)}\"><p><strong>{Word(f.Severity)}</strong> · ")
                    .Append($"{H(Label(f.Kind))} · decision <a href=\"#d-{H(f.DecisionId)}\">{H(f.DecisionId)}</a>: {TimelineFormats.Html(f.Summary)}</p><ul>");
                foreach (var e in f.Evidence) html.Append($"<li class=\"evidence\">{H(Cite(e))}</li>");
                html.AppendLine("</ul></li>");
            }
            html.AppendLine("</ol>");
        }
        html.AppendLine("</section><section id=\"narrowings\"><h2>Narrowings and merges</h2>");
        if (a.Decisions.Count == 0) html.AppendLine("<p>No area was narrowed or merged in this window.</p>");
        foreach (var d in a.Decisions)
        {
            html.AppendLine($"<section class=\"decision\" id=\"d-{H(d.DecisionId)}\"><h3>{H(Heading(d))}</h3><dl>");
            foreach (var (label, text) in Context(d)) html.Append($"<dt>{label}</dt><dd>{TimelineFormats.Html(text)}</dd>");
            html.AppendLine("</dl><table><thead><tr><th scope=\"col\">Area</th><th scope=\"col\">Topic</th><th scope=\"col\">Before</th>")
                .AppendLine("<th scope=\"col\">After</th><th scope=\"col\">Community input naming it before the decision</th></tr></thead><tbody>");
            foreach (var area in d.Areas)
                html.Append($"<tr><td>{H(area.Title)} <code>{H(area.AreaId)}</code></td><td>{H(area.TopicTitle ?? area.TopicId)}</td>")
                    .AppendLine($"<td>{Word(area.From)}</td><td>{H(After(area))}</td><td>{TimelineFormats.Html(Inputs(area))}</td></tr>");
            html.AppendLine("</tbody></table></section>");
        }
        html.AppendLine("</section>").AppendLine($"<footer class=\"ledger\"><p>{H(Footer(a))}</p></footer>");
        return html.ToString();
    }

    public static string Csv(ScopeAudit a)
    {
        var csv = new StringBuilder();
        void Row(params string?[] cells) => csv.Append(string.Join(',', cells.Select(TimelineFormats.Cell))).Append("\r\n");
        Row("decision_id", "effective_at", "recorded_at", "recorded_by", "meeting_id", "meeting_status", "method", "basis", "rationale",
            "area_id", "area_title", "topic", "from", "to", "merged_into", "retracted", "review_status", "terms_of_reference_in_force",
            "basis_names", "supersedes", "superseded_by", "community_input", "errata", "findings", "event_id", "version", "hash");
        foreach (var d in a.Decisions)
            foreach (var area in d.Areas)
                Row(d.DecisionId, Iso(d.EffectiveAt), Iso(d.RecordedAt), d.RecordedBy, d.MeetingId, d.Meeting.Status,
                    Word(d.Method), d.Basis, d.Rationale, area.AreaId, area.Title, area.TopicTitle ?? area.TopicId, Word(area.From), Word(area.To),
                    area.MergedInto, d.Retracted ? "yes" : "no", Word(d.ReviewStatus), d.TermsOfReferenceInForce, string.Join(" ", d.BasisNamesVersions),
                    d.Supersedes, string.Join(" ", d.SupersededBy), Inputs(area), string.Join(" | ", d.Errata.Select(Erratum)),
                    string.Join(" ", a.Findings.Where(f => f.DecisionId == d.DecisionId && f.AreaIds.Contains(area.AreaId))
                        .Select(f => Word(f.Kind)).Distinct()),
                    d.EventId.ToString(), d.Version.ToString(CultureInfo.InvariantCulture), d.Hash);
        Row("", "", "", "", "", "", "", "", Footer(a));
        return csv.ToString();
    }

    private static string Lead(ScopeAudit a) =>
        $"Review {a.ReviewId}, from {Window(a.From, a.FromMeeting)} to {Window(a.To, a.ToMeeting)}: " +
        $"{Say.Count(a.Narrowed, "area", "areas")} narrowed and {a.Merged} merged by " +
        $"{Say.Count(a.Decisions.Count(d => !d.Retracted), "decision", "decisions")}" +
        (a.Decisions.Any(d => d.Retracted) ? $" (and {Say.Count(a.Decisions.Count(d => d.Retracted), "decision", "decisions")} since retracted)" : "") +
        $"; {Say.Count(a.Findings.Count, "finding", "findings")}. Read as the ledger knows it now (corrections applied); " +
        "each decision's context is the record at its valid time.";

    private static string NoFindings(ScopeAudit a) => a.Decisions.Count == 0
        ? "Nothing to flag: no area was narrowed or merged in this window."
        : "Nothing to flag: no narrowing or merge in this window meets any of the audit's findings.";

    private static string Heading(AuditedDecision d) =>
        $"Decision {d.DecisionId} · {Day(d.EffectiveAt)}" + (d.MeetingId is null ? "" : $" · {d.Meeting.Title ?? d.MeetingId}") +
        (d.Retracted ? " · retracted" : "");

    /// <summary>The decision's context, in the order every format shows it.</summary>
    private static IEnumerable<(string Label, string Text)> Context(AuditedDecision d)
    {
        yield return ("Valid time", $"{Stamp(d.EffectiveAt)}; recorded {Stamp(d.RecordedAt)} by {d.RecordedBy} (entry {d.Version}, " +
                                    $"id {d.EventId}, hash {d.Hash})");
        yield return ("Method", Word(d.Method).Replace('-', ' '));
        yield return ("Basis", d.Basis);
        yield return ("Rationale", d.Rationale);
        if (d.Source is not null) yield return ("Source", d.Source);
        yield return ("Supersedes", d.Supersedes ?? "no earlier decision");
        yield return ("Superseded by", d.SupersededBy.Count == 0 ? "no later decision" : string.Join(", ", d.SupersededBy));
        var m = d.Meeting;
        yield return ("Meeting", m.Status is not { } status ? d.MeetingId is null ? "none named" : $"{d.MeetingId} (not in the ledger)"
            : $"{m.Title} ({d.MeetingId}), {Day(m.StartsAt!.Value)}: {status}" +
              (m.Status == Word(MeetingStatus.Held) ? $", attended by {(m.Attendees.Count == 0 ? "no member recorded" : string.Join(", ", m.Attendees))}" +
                                                $" and {Say.Count(m.Observers, "observer", "observers")}" : "") +
              (m.CancellationReason is { } why ? $" ({why})" : ""));
        yield return ("Members serving", d.MembersServing.Count == 0 ? "none recorded"
            : string.Join("; ", d.MembersServing.Select(x => $"{x.Name} ({Word(x.Role).Replace('-', ' ')}" +
                                                               (d.Meeting.Status == Word(MeetingStatus.Held) ? x.Attended ? ", attended)" : ", absent)" : ")"))));
        yield return ("Terms of reference in force", d.TermsOfReferenceInForce is { } v
            ? $"{v}, adopted {(d.TermsOfReferenceAdoptedAt is { } at ? Day(at) : "")}; the basis names " +
              (d.BasisNamesVersions.Count == 0 ? "no version" : string.Join(", ", d.BasisNamesVersions))
            : "none adopted yet");
        yield return ("Review status then", Word(d.ReviewStatus));
        yield return ("Errata", d.Errata.Count == 0 ? "none" : string.Join("; ", d.Errata.Select(Erratum)));
    }

    private static string Erratum(DecisionErratum e) =>
        $"{(e.Type == nameof(Corrections.EntryRetracted) ? "retracted" : "corrected")} {Day(e.EffectiveAt)} (recorded {Stamp(e.RecordedAt)} " +
        $"by {e.RecordedBy}, entry {e.Version}, hash {e.Hash}): {e.Reason}";

    private static string After(AuditedArea area) => area.MergedInto is null ? Word(area.To) : $"{Word(area.To)} into {area.MergedInto}";

    private static string Inputs(AuditedArea area) => area.CommunityInput.Count == 0 ? "none" : string.Join("; ", area.CommunityInput.Select(i =>
        $"{i.InputId} ({Word(i.Channel).Replace('-', ' ')}, {Day(i.ReceivedAt)}, from {i.From}" +
        (i.Position is { } p ? $", asks to {Word(p).Replace('-', ' ')}" : "") + $"): {i.Summary}"));

    private static string Cite(Evidence e) =>
        $"entry {e.Version}, {e.Type}, effective {Stamp(e.EffectiveAt)}, recorded {Stamp(e.RecordedAt)}, id {e.EventId}, hash {e.Hash} ({e.Proves})";

    public static string Label(Scope.FindingKind kind) => kind switch
    {
        FindingKind.RecordedOutOfOrder => "recorded out of order",
        FindingKind.MeetingCancelled => "decided at a cancelled meeting",
        FindingKind.MeetingNotHeld => "decided at a meeting not recorded as held",
        FindingKind.DecidedWhilePaused => "decided while the review was paused",
        FindingKind.DecidedByChairAlone => "narrowed by the chair alone",
        FindingKind.BasisNamesNoTermsOfReferenceInForce => "basis names no terms of reference in force",
        FindingKind.ChangedAfterReportDelivered => "changed after a report relying on it went to the Board",
        FindingKind.NarrowedAgainstCommunityInput => "narrowed while community input asked to keep it",
        _ => Word(kind),
    };

    public static string Footer(ScopeAudit a) =>
        $"Ledger of review {a.ReviewId} at version {a.Version}, head hash {a.HeadHash}. Check it with: verify {a.ReviewId}";

    private static string Window(DateTimeOffset at, string? meeting) => meeting is null ? Day(at) : $"{meeting} ({Day(at)})";
    private static string Day(DateTimeOffset d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    private static string Stamp(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    private static string Iso(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    private static string Md(string s) => TimelineFormats.Md(s);
    private static string H(string s) => WebUtility.HtmlEncode(s);

    public const string Css = """
        ol.findings li.finding{margin:0 0 .6rem}li.severity-high>p>strong{color:#8a1c1c}li.severity-medium>p>strong{color:#7a4e00}
        li.evidence{font-size:.85rem;word-break:break-all}section.decision{break-inside:avoid-page}
        table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #aaa;padding:.2rem .5rem;text-align:left;vertical-align:top}
        """;
}
