using System.Text.Json;
using System.Text.Json.Serialization;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Timeline;

/// <summary>A correction or retraction shown beside the entry it corrects, never folded in silently.</summary>
public sealed record Erratum(Guid EventId, string Kind, DateTimeOffset RecordedAt, string RecordedBy, string Reason, string Summary);

/// <summary>One line of the decision timeline: what was decided, when, where, why, and who recorded it.</summary>
public sealed record TimelineEntry(DateTimeOffset Date, string? MeetingId, string? MeetingTitle, string Kind, string Title,
    string? Rationale, string? Basis, string? Method, string? Source, DateTimeOffset RecordedAt, string RecordedBy,
    Guid EventId, long Version, bool Retracted, IReadOnlyList<Erratum> Errata, string Phase);

/// <summary>The decision timeline of a review for its final report: decision-bearing entries in valid-time order.</summary>
public sealed record DecisionTimeline(string ReviewId, string Name, DateTimeOffset? From, DateTimeOffset? To,
    IReadOnlyList<string> Kinds, long Version, string HeadHash, IReadOnlyList<TimelineEntry> Entries)
{
    /// <summary>The kinds a reader can ask for (<c>kinds=scope,board</c>).</summary>
    public static readonly IReadOnlyList<string> AllKinds =
        ["review", "scope", "terms-of-reference", "board", "meeting", "subteam", "recommendation", "community"];

    [JsonIgnore] public IEnumerable<IGrouping<string, TimelineEntry>> ByPhase => Entries.GroupBy(e => e.Phase);

    public static DecisionTimeline Build(string reviewId, IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json,
        DateTimeOffset? from = null, DateTimeOffset? to = null, IReadOnlyCollection<string>? kinds = null)
    {
        var errata = Errata(recorded, json);
        var lines = TimelineLines.From(recorded, json, errata);
        var head = recorded.Count > 0 ? recorded[^1].Meta : null;
        var name = lines.Name ?? reviewId;
        var selected = lines.Entries
            .Where(e => (from is null || e.Date >= from) && (to is null || e.Date <= to) && (kinds is null || kinds.Contains(e.Kind)))
            .ToList();
        return new DecisionTimeline(reviewId, name, from, to, kinds?.ToList() ?? AllKinds, head?.Version ?? 0,
            head?.Hash ?? "", selected);
    }

    /// <summary>The corrections and retractions recorded against each entry, in recorded order.</summary>
    private static Dictionary<Guid, List<Erratum>> Errata(IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json)
    {
        var errata = new Dictionary<Guid, List<Erratum>>();
        foreach (var entry in recorded)
        {
            var (target, erratum) = entry.Event switch
            {
                EntryCorrected c => (c.CorrectsEventId, new Erratum(entry.Meta.EventId, "correction", entry.Meta.RecordedAt,
                    entry.Meta.RecordedBy, c.Reason, "Corrected: " + string.Join(", ", c.Corrected.EnumerateObject()
                        .Select(f => $"{f.Name} = {(f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString() : f.Value.GetRawText())}")) + ".")),
                EntryRetracted r => (r.RetractsEventId, new Erratum(entry.Meta.EventId, "retraction", entry.Meta.RecordedAt,
                    entry.Meta.RecordedBy, r.Reason, "Retracted: this entry no longer stands.")),
                _ => (Guid.Empty, null),
            };
            if (erratum is null) continue;
            if (!errata.TryGetValue(target, out var list)) errata[target] = list = [];
            list.Add(erratum);
        }
        return errata;
    }
}
