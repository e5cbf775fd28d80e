using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using Ssr2Ledger.Board;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;

namespace Ssr2Ledger.Pages;

/// <summary>
/// A form for any kind of entry, generated from the kind's record in the entry catalog: its fields, their types (text,
/// long text, date and time in UTC, a date, a number, the SPEC's words of an enum), references offered as choices drawn
/// from the review's state, and a scope decision's changes as one row per area. What the form posts becomes the same
/// <c>{ "type", "data" }</c> JSON the API takes, so the catalog reads it and the recording loop decides it as it would a
/// request. Refusals come back beside the fields they name.
/// </summary>
public static class EntryForms
{
    public enum Input { Text, LongText, DateTime, Date, Number, Choice, Choices, Lines, Rows, AreaChanges }

    public sealed record Choice(string Value, string Label);

    /// <param name="Name">The JSON name, which is also the form field's name.</param>
    public sealed record Field(string Name, string Label, Input Input, bool Required, IReadOnlyList<Choice> Choices,
        IReadOnlyList<Field> Columns);

    /// <summary>Which field of a kind names something new (the rest of its id fields refer to what the review has).</summary>
    private static readonly Dictionary<Type, string> Introduces = new()
    {
        [typeof(ReviewChartered)] = "reviewId", [typeof(MemberAppointed)] = "memberId", [typeof(MeetingScheduled)] = "meetingId",
        [typeof(TopicAreaAgreed)] = "topicId", [typeof(AreaOfInterestIdentified)] = "areaId",
        [typeof(TermsOfReferenceDrafted)] = "version", [typeof(TermsOfReferenceAmended)] = "version",
        [typeof(WorkPlanAdopted)] = "version", [typeof(BoardResolutionRecorded)] = "resolutionId",
        [typeof(SubteamFormed)] = "subteamId", [typeof(RecommendationDrafted)] = "recommendationId",
    };

    private static readonly HashSet<string> LongText = ["mandate", "summary", "text", "rationale", "description", "note", "reason"];

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["effectiveAt"] = "When it happened (UTC)", ["meetingId"] = "Meeting", ["source"] = "Source (URL or minutes reference)",
        ["note"] = "Note (what the record does not say and was reconstructed)", ["startsAt"] = "Starts (UTC)",
        ["endsAt"] = "Ends (UTC)", ["mergedInto"] = "Merged into", ["inResponseTo"] = "In response to (Board resolution)",
        ["supersedes"] = "Supersedes (scope decision)", ["basedOn"] = "Based on (version)",
    };

    /// <summary>The kind's fields, its own first, then what every entry carries; choices as the review stands now.</summary>
    public static IReadOnlyList<Field> FieldsOf(EventKind kind, ReviewState? state)
    {
        var introduces = Introduces.GetValueOrDefault(kind.ClrType);
        var nullability = new NullabilityInfoContext();
        var constructor = kind.ClrType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var own = constructor.GetParameters().Select(p => FieldOf(JsonNamingPolicy.CamelCase.ConvertName(p.Name!), p.ParameterType,
            !p.HasDefaultValue && nullability.Create(p).WriteState != NullabilityState.Nullable, introduces, state));
        var common = new[] { ("effectiveAt", typeof(DateTimeOffset), true), ("meetingId", typeof(string), false),
            ("source", typeof(string), false), ("note", typeof(string), false) }
            .Select(f => FieldOf(f.Item1, f.Item2, f.Item3, introduces, state));
        return [.. own.Concat(common).OfType<Field>()];
    }

    private static Field? FieldOf(string name, Type type, bool required, string? introduces, ReviewState? state)
    {
        var label = Labels.GetValueOrDefault(name) ?? Words(name);
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        var choices = name == introduces ? null : References(name, state);
        if (plain == typeof(JsonElement)) return null;
        if (plain == typeof(DateTimeOffset)) return new(name, label, Input.DateTime, required, [], []);
        if (plain == typeof(DateOnly)) return new(name, label, Input.Date, required, [], []);
        if (plain == typeof(int) || plain == typeof(long)) return new(name, label, Input.Number, required, [], []);
        if (KebabCase.Words(plain) is { } words) return new(name, label, Input.Choice, required, [.. words.Select(w => new Choice(w, w))], []);
        if (plain == typeof(IReadOnlyList<AreaChange>)) return new(name, label, Input.AreaChanges, required, References("areaId", state) ?? [], []);
        if (plain != typeof(string) && typeof(IEnumerable).IsAssignableFrom(plain) && plain.GetGenericArguments() is [var element])
        {
            if (element == typeof(string))
                return choices is null ? new(name, label + " (one a line)", Input.Lines, required, [], [])
                    : new(name, label, Input.Choices, required, choices, []);
            var columns = element.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters()
                .Select(p => FieldOf(JsonNamingPolicy.CamelCase.ConvertName(p.Name!), p.ParameterType, !p.HasDefaultValue, null, null))
                .OfType<Field>().ToList();
            return new(name, label, Input.Rows, required, [], columns);
        }
        if (choices is not null) return new(name, label, Input.Choice, required, choices, []);
        return new(name, label, LongText.Contains(name) ? Input.LongText : Input.Text, required, [], []);
    }

    /// <summary>What a reference field may name, from the review's state as of now; null when the field names nothing.</summary>
    private static IReadOnlyList<Choice>? References(string name, ReviewState? state)
    {
        if (state is null) return null;
        return name switch
        {
            "meetingId" => [.. state.Meetings.Values.OrderBy(m => m.StartsAt).Select(m =>
                new Choice(m.MeetingId, $"{m.Title} ({m.StartsAt:d MMM yyyy}, {KebabCase.Word(m.Status)})"))],
            "memberId" or "attendees" or "members" or "rapporteur" => [.. state.Members.Values.Where(m => m.Active)
                .OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new Choice(m.MemberId, $"{m.Name} ({KebabCase.Word(m.Role)})"))],
            "areaId" or "areaIds" or "mergedInto" => [.. state.Areas.Values.OrderBy(a => a.AreaId, StringComparer.Ordinal)
                .Select(a => new Choice(a.AreaId, $"{a.Title} ({a.AreaId}, {KebabCase.Word(a.Status)})"))],
            "topicId" => [.. state.Topics.Values.OrderBy(t => t.TopicId, StringComparer.Ordinal).Select(t => new Choice(t.TopicId, t.Title))],
            "subteamId" => [.. state.Subteams.Values.Where(s => s.Active).Select(s => new Choice(s.SubteamId, s.Name))],
            "recommendationId" => [.. state.Recommendations.Values.OrderBy(r => r.RecommendationId, StringComparer.Ordinal)
                .Select(r => new Choice(r.RecommendationId, $"{r.RecommendationId}: {r.Title}"))],
            "resolutionId" or "inResponseTo" => [.. state.BoardResolutions.Values.OrderBy(r => r.PassedAt)
                .Select(r => new Choice(r.ResolutionId, $"{r.ResolutionId}: {r.Title}"))],
            "version" or "basedOn" => [.. state.TermsOfReference.Values.OrderBy(v => v.DraftedAt)
                .Select(v => new Choice(v.Version, $"{v.Version}: {v.Title}"))],
            "supersedes" => [.. state.ScopeDecisions.Values.Select(d => new Choice(d.DecisionId, d.DecisionId))],
            _ => null,
        };
    }

    private static string Words(string name)
    {
        var words = new StringBuilder();
        foreach (var c in name)
            words.Append(char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString());
        var text = words.ToString().Replace(" id", ""); // "member id" reads "member", "area ids" reads "areas"
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>Where a field's values sit in a posted form.</summary>
    public delegate StringValues Values(string name);

    /// <summary>
    /// The entry's JSON data from what was posted, and where each JSON path came from in the form (a change's index is
    /// its area's row; a row left blank is no item). Empty fields are left out, so the catalog names what is required.
    /// </summary>
    public static (JsonObject Data, IReadOnlyDictionary<string, string> FormPath) Read(IReadOnlyList<Field> fields, Values values)
    {
        var data = new JsonObject();
        var paths = new Dictionary<string, string>();
        foreach (var field in fields)
        {
            switch (field.Input)
            {
                case Input.Choices or Input.Lines:
                    var items = values(field.Name).SelectMany(v => (v ?? "").Split('\n')).Select(v => v.TrimEnd('\r'))
                        .Where(v => v.Trim().Length > 0).ToList();
                    if (items.Count > 0) data[field.Name] = new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
                    break;
                case Input.AreaChanges:
                    var changes = new JsonArray();
                    foreach (var area in field.Choices)
                    {
                        var to = values($"{field.Name}.{area.Value}.to").ToString();
                        if (to.Length == 0) continue;
                        paths[$"{field.Name}[{changes.Count}]"] = $"{field.Name}.{area.Value}";
                        var change = new JsonObject { ["areaId"] = area.Value, ["to"] = to };
                        if (values($"{field.Name}.{area.Value}.mergedInto").ToString() is { Length: > 0 } into) change["mergedInto"] = into;
                        changes.Add(change);
                    }
                    if (changes.Count > 0) data[field.Name] = changes;
                    break;
                case Input.Rows:
                    var rows = new JsonArray();
                    for (var i = 0; values($"{field.Name}[{i}].{field.Columns[0].Name}").Count > 0; i++)
                    {
                        var row = new JsonObject();
                        foreach (var column in field.Columns)
                            if (Scalar(column, values($"{field.Name}[{i}].{column.Name}").ToString()) is { } value) row[column.Name] = value;
                        if (row.Count == 0) continue;
                        paths[$"{field.Name}[{rows.Count}]"] = $"{field.Name}[{i}]";
                        rows.Add(row);
                    }
                    if (rows.Count > 0) data[field.Name] = rows;
                    break;
                default:
                    if (Scalar(field, values(field.Name).ToString()) is { } scalar) data[field.Name] = scalar;
                    break;
            }
        }
        return (data, paths);
    }

    /// <summary>A typed value as JSON; what cannot be read as its type goes on as typed, for the catalog to name.</summary>
    private static JsonNode? Scalar(Field field, string typed)
    {
        if (typed.Trim().Length == 0) return null;
        return field.Input switch
        {
            Input.DateTime when DateTime.TryParse(typed, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal
                | DateTimeStyles.AssumeUniversal, out var at) => JsonValue.Create(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            Input.Number when long.TryParse(typed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ => JsonValue.Create(typed),
        };
    }

    /// <summary>A recorded entry's data as the form's values (a correction's form starts from them).</summary>
    public static Dictionary<string, StringValues> ValuesOf(IReadOnlyList<Field> fields, JsonElement data)
    {
        var values = new Dictionary<string, StringValues>();
        foreach (var field in fields)
        {
            if (!data.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            switch (field.Input)
            {
                case Input.Choices or Input.Lines when value.ValueKind == JsonValueKind.Array:
                    var items = value.EnumerateArray().Select(Text).ToArray();
                    values[field.Name] = field.Input == Input.Lines ? string.Join("\n", items) : new StringValues(items);
                    break;
                case Input.AreaChanges when value.ValueKind == JsonValueKind.Array:
                    foreach (var change in value.EnumerateArray())
                    {
                        var area = Text(change.GetProperty("areaId"));
                        values[$"{field.Name}.{area}.to"] = Text(change.GetProperty("to"));
                        if (change.TryGetProperty("mergedInto", out var into) && into.ValueKind == JsonValueKind.String)
                            values[$"{field.Name}.{area}.mergedInto"] = into.GetString();
                    }
                    break;
                case Input.Rows when value.ValueKind == JsonValueKind.Array:
                    var i = 0;
                    foreach (var row in value.EnumerateArray())
                    {
                        foreach (var column in field.Columns)
                            if (row.TryGetProperty(column.Name, out var cell)) values[$"{field.Name}[{i}].{column.Name}"] = Text(cell);
                        i++;
                    }
                    break;
                case Input.DateTime when value.TryGetDateTimeOffset(out var at):
                    values[field.Name] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                    break;
                default:
                    values[field.Name] = Text(value);
                    break;
            }
        }
        return values;
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>The form field a refusal belongs beside, or "" for the form as a whole.</summary>
    public static string FieldOf(Refusal refusal, IReadOnlyList<Field> fields, IReadOnlyDictionary<string, string> formPath)
    {
        var path = refusal.Field ?? "";
        if (path.StartsWith("data.", StringComparison.Ordinal)) path = path[5..];
        foreach (var (json, form) in formPath)
            if (path == json || path.StartsWith(json + ".", StringComparison.Ordinal))
                return form + (fields.First(f => path.StartsWith(f.Name, StringComparison.Ordinal)).Input == Input.AreaChanges
                    ? (path.EndsWith(".mergedInto", StringComparison.Ordinal) ? ".mergedInto" : ".to")
                    : path[json.Length..]);
        var top = path.Split('[', '.')[0];
        return fields.Any(f => f.Name == top) ? top : "";
    }

    /// <summary>The fields as HTML, with what was typed and each refusal beside its field.</summary>
    public static string Render(IReadOnlyList<Field> fields, IReadOnlyDictionary<string, StringValues> values,
        ILookup<string, string> refusals)
    {
        var html = new StringBuilder();
        foreach (var field in fields)
        {
            var id = Id(field.Name);
            var required = field.Required ? " <span class=\"required\">(required)</span>" : "";
            html.Append("<div class=\"field\">");
            switch (field.Input)
            {
                case Input.AreaChanges:
                    html.Append(AreaChanges(field, values, refusals, required));
                    break;
                case Input.Rows:
                    html.Append(Rows(field, values, refusals, required));
                    break;
                default:
                    html.Append($"<label for=\"{id}\">{E(field.Label)}{required}</label>")
                        .Append(Control(field, field.Name, id, values.GetValueOrDefault(field.Name), refusals[field.Name].Any(), null))
                        .Append(Refusals(id, refusals[field.Name]));
                    break;
            }
            html.Append("</div>");
        }
        return html.ToString();
    }

    private static string AreaChanges(Field field, IReadOnlyDictionary<string, StringValues> values, ILookup<string, string> refusals,
        string required)
    {
        var html = new StringBuilder($"<fieldset id=\"{Id(field.Name)}\"><legend>{E(field.Label)}{required}: one row an area; "
            + "leave “no change” for the areas the decision does not touch</legend>")
            .Append(Refusals(Id(field.Name), refusals[field.Name]))
            .Append("<table><thead><tr><th scope=\"col\">Area (status now)</th><th scope=\"col\">New status</th>")
            .Append("<th scope=\"col\">Merged into</th></tr></thead><tbody>");
        var statuses = KebabCase.Words(typeof(ScopeStatus))!.Select(w => new Choice(w, w)).ToList();
        foreach (var area in field.Choices)
        {
            var row = $"{field.Name}.{area.Value}";
            html.Append($"<tr><th scope=\"row\">{E(area.Label)}</th><td>")
                .Append(Control(field with { Input = Input.Choice, Choices = statuses, Required = false }, row + ".to", Id(row + ".to"),
                    values.GetValueOrDefault(row + ".to"), refusals[row + ".to"].Any(), $"New status of {area.Value}", "no change"))
                .Append(Refusals(Id(row + ".to"), refusals[row + ".to"])).Append("</td><td>")
                .Append(Control(field with { Input = Input.Choice, Required = false }, row + ".mergedInto", Id(row + ".mergedInto"),
                    values.GetValueOrDefault(row + ".mergedInto"), refusals[row + ".mergedInto"].Any(), $"{area.Value} merged into"))
                .Append(Refusals(Id(row + ".mergedInto"), refusals[row + ".mergedInto"])).Append("</td></tr>");
        }
        return html.Append("</tbody></table></fieldset>").ToString();
    }

    private static string Rows(Field field, IReadOnlyDictionary<string, StringValues> values, ILookup<string, string> refusals,
        string required)
    {
        var html = new StringBuilder($"<fieldset id=\"{Id(field.Name)}\"><legend>{E(field.Label)}{required}: one row an item; "
            + "blank rows are left out</legend>").Append(Refusals(Id(field.Name), refusals[field.Name])).Append("<table><thead><tr>");
        foreach (var column in field.Columns) html.Append($"<th scope=\"col\">{E(column.Label)}</th>");
        html.Append("</tr></thead><tbody>");
        var filled = Enumerable.Range(0, 1000).TakeWhile(i => field.Columns.Any(c => values.ContainsKey($"{field.Name}[{i}].{c.Name}"))).Count();
        for (var i = 0; i < filled + 3; i++)
        {
            html.Append("<tr>");
            foreach (var column in field.Columns)
            {
                var name = $"{field.Name}[{i}].{column.Name}";
                var wrong = refusals[name].Concat(refusals[$"{field.Name}[{i}]"]).ToList();
                html.Append("<td>").Append(Control(column, name, Id(name), values.GetValueOrDefault(name), wrong.Count > 0,
                    $"{column.Label} of item {i + 1}")).Append(Refusals(Id(name), wrong)).Append("</td>");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></fieldset>").ToString();
    }

    private static string Control(Field field, string name, string id, StringValues value, bool wrong, string? ariaLabel,
        string blank = "")
    {
        var attributes = $"id=\"{id}\" name=\"{E(name)}\"{(ariaLabel is null ? "" : $" aria-label=\"{E(ariaLabel)}\"")}"
            + (wrong ? $" aria-invalid=\"true\" aria-describedby=\"{id}-refused\"" : "");
        var text = value.ToString();
        switch (field.Input)
        {
            case Input.LongText or Input.Lines:
                return $"<textarea {attributes} rows=\"3\" cols=\"70\">{E(text)}</textarea>";
            case Input.DateTime:
                return $"<input type=\"datetime-local\" step=\"1\" {attributes} value=\"{E(text)}\">";
            case Input.Date:
                return $"<input type=\"date\" {attributes} value=\"{E(text)}\">";
            case Input.Number:
                return $"<input type=\"number\" step=\"1\" {attributes} value=\"{E(text)}\">";
            case Input.Choice or Input.Choices:
                var many = field.Input == Input.Choices;
                var chosen = value.Select(v => v ?? "").ToHashSet(StringComparer.Ordinal);
                var html = new StringBuilder($"<select {attributes}{(many ? $" multiple size=\"{Math.Clamp(field.Choices.Count, 2, 8)}\"" : "")}>");
                if (!many) html.Append($"<option value=\"\">{E(blank.Length > 0 ? blank : field.Required ? "choose…" : "none")}</option>");
                // A value typed earlier that the review no longer offers stays chosen, so that the refusal can name it.
                foreach (var c in field.Choices.Concat(chosen.Where(v => v.Length > 0 && field.Choices.All(c => c.Value != v))
                             .Select(v => new Choice(v, v))))
                    html.Append($"<option value=\"{E(c.Value)}\"{(chosen.Contains(c.Value) ? " selected" : "")}>{E(c.Label)}</option>");
                return html.Append("</select>").ToString();
            default:
                return $"<input type=\"text\" {attributes} value=\"{E(text)}\">";
        }
    }

    private static string Refusals(string id, IEnumerable<string> details)
    {
        var list = details.ToList();
        return list.Count == 0 ? "" : $"<p class=\"refused\" id=\"{id}-refused\">{string.Join(" ", list.Select(E))}</p>";
    }

    /// <summary>An element id for a form name (ids hold no '.', '[' or ']' here, so that CSS selectors need no escaping).</summary>
    public static string Id(string name) => "f-" + string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));

    /// <summary>Typed text back into the page exactly as typed (no bidi isolation: it goes back into an input).</summary>
    private static string E(string text) => WebUtility.HtmlEncode(text);
}
