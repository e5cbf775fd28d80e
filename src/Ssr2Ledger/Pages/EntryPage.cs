using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Access;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Wolverine;
using static Ssr2Ledger.Pages.ReviewPages;

namespace Ssr2Ledger.Pages;

/// <summary>
/// An entry's page (<c>/reviews/{reviewId}/entries/{eventId}</c>): its data, valid and recorded time, recorder, hash and
/// previous hash, and the corrections and retractions that point at it. For a recorder, "correct" (the entry's form
/// filled with its fields as they stand, sending only the fields changed) and "retract" (a reason): each an
/// <see cref="EntryCorrected"/> or <see cref="EntryRetracted"/> recorded by the same path as any form.
/// </summary>
public static class EntryPage
{
    private const string ReasonField = "__reason";

    /// <summary>The entry, the hash before it, the errata that point at it, its fields as corrected, the review now.</summary>
    private sealed record Found(LedgerEntry Entry, string PreviousHash, IReadOnlyList<LedgerEntry> Errata, JsonObject Data,
        ReviewState? Review, bool Retracted);

    public static void MapEntryPages(this IEndpointRouteBuilder app, EventCatalog catalog)
    {
        var pages = app.MapGroup("/reviews/{reviewId}/entries/{eventId:guid}").ExcludeFromDescription()
            .AddEndpointFilter(SessionHeader.Filter);

        pages.MapGet("", async (string reviewId, Guid eventId, HttpContext http, ReviewCaches reviews, CancellationToken ct) =>
            await FindAsync(reviews, reviewId, eventId, catalog, ct) is { } found
                ? Page($"Entry {found.Entry.Meta.Version}", Show(http, found, catalog), RecordingPages.FormCss)
                : NoEntry(reviewId, eventId));

        pages.MapGet("/correct", async (string reviewId, Guid eventId, HttpContext http, ReviewCaches reviews, CancellationToken ct) =>
        {
            if (http.User.Identity?.IsAuthenticated != true) return RecordingPages.ToSignIn(http);
            if (await FindAsync(reviews, reviewId, eventId, catalog, ct) is not { Entry.Event: not CorrectiveEntry } found)
                return NoEntry(reviewId, eventId);
            var fields = Fields(found, catalog);
            return CorrectionForm(http, found, catalog, fields, EntryForms.ValuesOf(fields, JsonSerializer.SerializeToElement(found.Data)), [],
                false, 200);
        });

        pages.MapPost("/correct", async (string reviewId, Guid eventId, HttpContext http, KnownApiKeys keys, ReviewCaches reviews,
            IMessageBus bus, CancellationToken ct) =>
        {
            var posted = await RecordingPages.PostedAsync(http, keys, reviewId);
            if (posted.Refused is not null) return posted.Refused;
            if (await FindAsync(reviews, reviewId, eventId, catalog, ct) is not { Entry.Event: not CorrectiveEntry } found)
                return NoEntry(reviewId, eventId);
            var fields = Fields(found, catalog);
            if (posted.User is null) return CorrectionForm(http, found, catalog, fields, RecordingPages.Typed(posted.Form), [], true, 401);

            // Only the fields that differ from the entry as it stands are corrected; a field emptied is corrected to nothing.
            var (data, paths) = EntryForms.Read(fields.Skip(1).ToList(), name => posted.Form[name]);
            var corrected = new JsonObject();
            foreach (var name in data.Select(p => p.Key).Union(found.Data.Select(p => p.Key)))
                if (fields.FirstOrDefault(f => f.Name == name) is { } field && !Same(field, data[name], found.Data[name]))
                    corrected[name] = data[name]?.DeepClone();
            var correction = new JsonObject
            {
                ["correctsEventId"] = eventId.ToString(), ["corrected"] = corrected, ["effectiveAt"] = Now(),
            };
            if (posted.Form[ReasonField].ToString() is { Length: > 0 } reason) correction["reason"] = reason;
            var outcome = await RecordingPages.RecordAsync(http, bus, catalog, reviewId, nameof(EntryCorrected), correction,
                posted.Form[RecordingPages.IdempotencyField]);
            if (outcome is not Refused refused) return RecordingPages.Answer(http, outcome, catalog.Find(nameof(EntryCorrected))!, "", "",
                fields, posted.Form, paths);
            // A correction's refusals name "corrected.field" and "reason": beside the entry's own fields and the reason.
            var beside = refused.Refusals.Select(r => (Field: r.Field switch
            {
                "reason" => ReasonField,
                { } f when f.StartsWith("corrected.", StringComparison.Ordinal) => EntryForms.FieldOf(r with { Field = f[10..] }, fields, paths),
                _ => "",
            }, r)).ToList();
            return CorrectionForm(http, found, catalog, fields, RecordingPages.Typed(posted.Form), beside, false,
                refused.Refusals.FirstOrDefault(r => r.Status != 400)?.Status ?? 400);
        });

        pages.MapPost("/retract", async (string reviewId, Guid eventId, HttpContext http, KnownApiKeys keys, ReviewCaches reviews,
            IMessageBus bus, CancellationToken ct) =>
        {
            var posted = await RecordingPages.PostedAsync(http, keys, reviewId);
            if (posted.Refused is not null) return posted.Refused;
            if (await FindAsync(reviews, reviewId, eventId, catalog, ct) is not { } found) return NoEntry(reviewId, eventId);
            if (posted.User is null) return SignIn.Refused(401, "Your session has ended: sign in again, then retract the entry.");
            var retraction = new JsonObject { ["retractsEventId"] = eventId.ToString(), ["effectiveAt"] = Now() };
            if (posted.Form["reason"].ToString() is { Length: > 0 } reason) retraction["reason"] = reason;
            var outcome = await RecordingPages.RecordAsync(http, bus, catalog, reviewId, nameof(EntryRetracted), retraction,
                posted.Form[RecordingPages.IdempotencyField]);
            return outcome is Refused refused
                ? Results.Content(Layout("Not retracted", Show(http, found, catalog, refused.Refusals), RecordingPages.FormCss),
                    "text/html; charset=utf-8", null, refused.Refusals.FirstOrDefault(r => r.Status != 400)?.Status ?? 400)
                : RecordingPages.Answer(http, outcome, catalog.Find(nameof(EntryRetracted))!, "", "", [], posted.Form,
                    new Dictionary<string, string>());
        });
    }

    /// <summary>Whether a field is as it stood: times compared as instants (the form writes "Z", the store "+00:00").</summary>
    private static bool Same(EntryForms.Field field, JsonNode? typed, JsonNode? stood) =>
        field.Input == EntryForms.Input.DateTime && typed is JsonValue a && stood is JsonValue b
            && DateTimeOffset.TryParse(a.ToString(), CultureInfo.InvariantCulture, out var x)
            && DateTimeOffset.TryParse(b.ToString(), CultureInfo.InvariantCulture, out var y)
            ? x == y : JsonNode.DeepEquals(typed, stood);

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private static Task<Found?> FindAsync(ReviewCaches reviews, string reviewId, Guid eventId, EventCatalog catalog, CancellationToken ct) =>
        reviews.WithReviewAsync(reviewId, t =>
        {
            if (t.Entry(eventId) is not { } entry) return null;
            var version = (int)entry.Meta.Version;
            var previous = version > 1 && t.Recorded.Count >= version - 1 ? t.Recorded[version - 2].Meta.Hash : HashChain.Genesis;
            var errata = t.Recorded.Where(e => e.Event is CorrectiveEntry c && c.Target == eventId).ToList();
            // The fields as they stand: each correction lays the fields it names over the entry, in the order recorded.
            var data = JsonSerializer.SerializeToNode(entry.Event, entry.Event.GetType(), catalog.Json)!.AsObject();
            foreach (var correction in errata.Select(e => e.Event).OfType<EntryCorrected>())
                foreach (var field in correction.Corrected.EnumerateObject()) data[field.Name] = JsonNode.Parse(field.Value.GetRawText());
            return new Found(entry, previous, errata, data, t.Current, t.IsRetracted(eventId));
        }, ct);

    /// <summary>The correction's reason first, then the entry's own fields.</summary>
    private static IReadOnlyList<EntryForms.Field> Fields(Found found, EventCatalog catalog) =>
        [new(ReasonField, "Why it is corrected", EntryForms.Input.LongText, true, [], []),
            .. EntryForms.FieldsOf(catalog.Of(found.Entry.Event), found.Review)];

    private static IResult CorrectionForm(HttpContext http, Found found, EventCatalog catalog, IReadOnlyList<EntryForms.Field> fields,
        IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> values, IReadOnlyList<(string, Refusal)> refused,
        bool signInAgain, int status)
    {
        var kind = catalog.Of(found.Entry.Event);
        var self = $"/reviews/{U(found.Review?.Id ?? "")}/entries/{found.Entry.Meta.EventId}";
        return RecordingPages.Form(http, kind, self, $"entry {found.Entry.Meta.Version}", fields, values, refused, signInAgain, status,
            self + "/correct", $"Correct entry {found.Entry.Meta.Version} ({kind.Type})",
            "<p>The form holds the entry's fields as they stand. Change what was wrong: only the fields you change are corrected, "
            + "from now on; the entry itself stays as recorded.</p>");
    }

    private static string Show(HttpContext http, Found found, EventCatalog catalog, IReadOnlyList<Refusal>? refused = null)
    {
        var (entry, meta) = (found.Entry.Event, found.Entry.Meta);
        var kind = catalog.Of(entry);
        var review = found.Review;
        var id = U(review?.Id ?? "");
        var html = new StringBuilder($"<nav><a href=\"/reviews/{id}\">Back to {H(review?.Name ?? "the review")}</a> · ")
            .Append($"<a href=\"/api/reviews/{id}/events?after={meta.Version - 1}&amp;limit=1\">JSON</a></nav>")
            .Append($"<h1>Entry {meta.Version}: {H(kind.Summary)} <code>{H(kind.Type)}</code></h1>");
        if (found.Retracted) html.Append("<p class=\"refused\"><strong>Retracted.</strong></p>");
        html.Append("<dl class=\"entry\">")
            .Append($"<dt>Took effect (valid time)</dt><dd>{entry.EffectiveAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</dd>")
            .Append($"<dt>Recorded (system time)</dt><dd>{meta.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff} UTC</dd>")
            .Append($"<dt>Recorded by</dt><dd data-recorded-by>{H(meta.RecordedBy)}</dd>")
            .Append($"<dt>Event id</dt><dd><code>{meta.EventId}</code></dd>")
            .Append($"<dt>Hash</dt><dd><code class=\"hash\" data-hash>{meta.Hash}</code></dd>")
            .Append($"<dt>Previous hash</dt><dd><code class=\"hash\">{found.PreviousHash}</code></dd>");
        if (entry is CorrectiveEntry corrective)
            html.Append($"<dt>Acts on</dt><dd><a href=\"/reviews/{id}/entries/{corrective.Target}\">entry {corrective.Target}</a></dd>");
        html.Append("</dl><h2>Data as recorded</h2><table><tbody>");
        foreach (var (name, value) in JsonSerializer.SerializeToNode(entry, entry.GetType(), catalog.Json)!.AsObject())
            html.Append($"<tr><th scope=\"row\">{H(name)}</th><td>{(value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? H(v.GetValue<string>()) : $"<code>{H(value?.ToJsonString() ?? "null")}</code>")}</td></tr>");
        html.Append("</tbody></table>");

        html.Append("<h2>Corrections and retractions</h2>");
        if (found.Errata.Count == 0) html.Append("<p>None: the entry stands as recorded.</p>");
        else
        {
            html.Append("<ol class=\"errata\">");
            foreach (var e in found.Errata)
                html.Append($"<li><a href=\"/reviews/{id}/entries/{e.Meta.EventId}\">Entry {e.Meta.Version}</a>, recorded ")
                    .Append($"{e.Meta.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {H(e.Meta.RecordedBy)}: ")
                    .Append(e.Event switch
                    {
                        EntryCorrected c => $"corrected {H(string.Join(", ", c.Corrected.EnumerateObject().Select(p => p.Name)))}. {H(c.Reason)}",
                        EntryRetracted r => $"retracted. {H(r.Reason)}",
                        _ => "",
                    }).Append("</li>");
            html.Append("</ol>");
        }

        if (BrowserSession.MayRecord(http.User) && entry is not CorrectiveEntry && !found.Retracted)
        {
            html.Append($"<h2>Fix this entry</h2><p><a href=\"/reviews/{id}/entries/{meta.EventId}/correct\">Correct it</a>: its form, ")
                .Append("filled with its fields as they stand.</p>");
            if (refused is { Count: > 0 })
                html.Append("<section class=\"refusals\" role=\"alert\"><h3>Not retracted</h3><ul>")
                    .Append(string.Concat(refused.Select(r => $"<li>{H(r.Detail)}</li>"))).Append("</ul></section>");
            html.Append($"<form method=\"post\" action=\"/reviews/{id}/entries/{meta.EventId}/retract\">{SignIn.Hidden(http)}")
                .Append($"<input type=\"hidden\" name=\"{RecordingPages.IdempotencyField}\" value=\"{Guid.NewGuid():N}\">")
                .Append("<div class=\"field\"><label for=\"reason\">Or retract it: why</label><textarea id=\"reason\" name=\"reason\" rows=\"2\" cols=\"70\">")
                .Append("</textarea></div><p><button type=\"submit\">Retract</button></p></form>");
        }
        return html.ToString();
    }

    private static IResult NoEntry(string reviewId, Guid eventId) => Results.Content(Layout("No such entry",
            $"<h1>No such entry</h1><p>Review <code>{H(reviewId)}</code> has no entry <code>{eventId}</code>. <a href=\"/reviews/{U(reviewId)}\">The review</a></p>"),
        "text/html; charset=utf-8", null, 404);
}
