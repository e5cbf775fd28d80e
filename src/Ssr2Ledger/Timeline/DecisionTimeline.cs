using Ssr2Ledger.Temporal;
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

    /// <summary>The timeline of a cached review between two instants or meetings, of the kinds asked for (comma-separated).</summary>
    public static (DecisionTimeline?, Refusal?) Ask(ReviewCache review, string? from, string? to, string? kinds, JsonSerializerOptions json)
    {
        if (review.Version == 0) return (null, Refusal.NotChartered(review.ReviewId));
        var (fromAt, _, fromRefusal) = HistoricalState.Resolve(review, string.IsNullOrEmpty(from) ? null : from, "from");
        if (fromRefusal is not null) return (null, fromRefusal);
        var (toAt, _, toRefusal) = HistoricalState.Resolve(review, string.IsNullOrEmpty(to) ? null : to, "to");
        if (toRefusal is not null) return (null, toRefusal);
        var wanted = string.IsNullOrEmpty(kinds) ? null : kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (wanted?.FirstOrDefault(k => !AllKinds.Contains(k)) is { } unknown)
            return (null, Refusal.Invalid("kinds", $"'{unknown}' is not a kind; kinds are {string.Join(", ", AllKinds)}."));
        return (Select(review.ReviewId, Lines(review, json), review.Recorded[^1].Meta, fromAt, toAt, wanted), null);
    }

    /// <summary>
    /// The review's timeline lines as the ledger stands, built once a version (<see cref="ReviewCache.Derived{T}"/>): every
    /// page, export and feed of an unchanged review reads them instead of replaying the review. Entries recorded in
    /// valid-time order extend the last version's lines; a late entry, a correction or a retraction has them built again.
    /// </summary>
    public static TimelineLines Lines(ReviewCache review, JsonSerializerOptions json) =>
        review.Derived("timeline", c => TimelineLines.From(c.Recorded, json, Errata(c.Recorded, json)), (lines, fresh) => lines.Extended(fresh));

    public static DecisionTimeline Build(string reviewId, IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json,
        DateTimeOffset? from = null, DateTimeOffset? to = null, IReadOnlyCollection<string>? kinds = null)
    {
        var lines = TimelineLines.From(recorded, json, Errata(recorded, json));
        return Select(reviewId, lines, recorded.Count > 0 ? recorded[^1].Meta : null, from, to, kinds);
    }

    /// <summary>The lines in the window and of the kinds asked for, chosen before anything is rendered.</summary>
    private static DecisionTimeline Select(string reviewId, TimelineLines lines, EntryMeta? head, DateTimeOffset? from, DateTimeOffset? to,
        IReadOnlyCollection<string>? kinds)
    {
        var selected = lines.Entries
            .Where(e => (from is null || e.Date >= from) && (to is null || e.Date <= to) && (kinds is null || kinds.Contains(e.Kind)))
            .ToList();
        return new DecisionTimeline(reviewId, lines.Name ?? reviewId, from, to, kinds?.ToList() ?? AllKinds, head?.Version ?? 0,
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
