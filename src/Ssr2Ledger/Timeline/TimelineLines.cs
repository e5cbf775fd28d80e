using static Ssr2Ledger.Ledger.KebabCase;
using System.Collections.Immutable;
using System.Text.Json;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;

namespace Ssr2Ledger.Timeline;

/// <summary>
/// Turns the ledger into timeline lines: entries as corrected, in valid-time order, each said in plain English.
/// Bulk entries of one day (areas identified, recommendations drafted or adopted, the Board's actions under one
/// resolution) become one line. The one fold runs alongside, so a scope decision can say what it narrowed.
/// </summary>
public sealed class TimelineLines
{
    private readonly List<TimelineEntry> _entries = [];
    private readonly Dictionary<Guid, List<Erratum>> _errata;
    private ReviewState? _state;
    private string _phase = "";
    /// <summary>Bulk lines still gathering entries: of one day, one line a key, however they interleave.</summary>
    private readonly Dictionary<string, Bulk> _open = [];
    private DateOnly? _openDay;

    private TimelineLines(Dictionary<Guid, List<Erratum>> errata) => _errata = errata;

    public IReadOnlyList<TimelineEntry> Entries => _entries;
    public string? Name => _state?.Name;

    private sealed record Bulk(LedgerEntry First, string Phase, List<LedgerEntry> Items, Func<IReadOnlyList<ReviewEvent>, Wording> Describe);

    public static TimelineLines From(IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json, Dictionary<Guid, List<Erratum>> errata)
    {
        // The one replay's view of the ledger, retracted entries kept: the timeline shows them beside their retraction.
        var shown = ReviewFold.InEffectiveOrder(recorded, json, keepRetracted: true);

        var lines = new TimelineLines(errata);
        foreach (var entry in shown) lines.Add(entry);
        lines.Flush();
        // Bulk lines are written when their day closes: put every line back in valid-time order.
        var ordered = lines._entries.OrderBy(e => e.Date).ThenBy(e => e.Version).ToList();
        lines._entries.Clear();
        lines._entries.AddRange(ordered);
        return lines;
    }

    private bool IsRetracted(LedgerEntry e) => _errata.GetValueOrDefault(e.Meta.EventId)?.Any(x => x.Kind == "retraction") == true;

    private void Add(LedgerEntry entry)
    {
        var before = _state;
        var retracted = IsRetracted(entry);
        if (!retracted) _state = ReviewState.Fold(_state, entry.Event, entry.Meta);
        if (_state is null) return;

        var day = DateOnly.FromDateTime(entry.Event.EffectiveAt.UtcDateTime);
        if (_openDay != day) Flush();
        _openDay = day;
        var kind = EventCatalog.KindOf(entry.Event);
        switch (kind.Timeline)
        {
            case TimelineWording.Bulk bulkOf:
                var key = $"{kind.Type}/{bulkOf.Key(entry.Event)}";
                if (!_open.TryGetValue(key, out var bulk)) _open[key] = bulk = new Bulk(entry, _phase, [], bulkOf.Describe);
                bulk.Items.Add(entry);
                break;
            case TimelineWording.Line line:
                // The first phase opens with the entry that starts it; later ones after the entry that ends the last.
                var phase = retracted ? null : line.Phase?.Invoke(entry.Event);
                if (phase is not null && _phase.Length == 0) _phase = phase;
                if (line.Describe(entry.Event, before, _state) is { } w)
                    Emit(entry, [entry], w.Kind, w.Title, w.Rationale, w.Basis, w.Method, retracted);
                if (phase is not null) _phase = phase;
                break;
            case TimelineWording.Errata or TimelineWording.Omitted:
                break;
        }
    }

    private void Flush()
    {
        foreach (var bulk in _open.Values)
        {
            var standing = bulk.Items.Where(i => !IsRetracted(i)).ToList();
            var w = bulk.Describe((standing.Count > 0 ? standing : bulk.Items).Select(i => i.Event).ToList());
            Emit(bulk.First, bulk.Items, w.Kind, w.Title, w.Rationale, w.Basis, w.Method, standing.Count == 0, bulk.Phase);
        }
        _open.Clear();
    }

    private void Emit(LedgerEntry entry, List<LedgerEntry> items, string kind, string title, string? rationale, string? basis,
        string? method, bool retracted, string? phase = null)
    {
        var meeting = entry.Event.MeetingId is { } id ? _state?.Meetings.GetValueOrDefault(id) : null;
        _entries.Add(new TimelineEntry(entry.Event.EffectiveAt, entry.Event.MeetingId, meeting?.Title, kind, title, rationale, basis,
            method, entry.Event.Source, entry.Meta.RecordedAt, entry.Meta.RecordedBy, entry.Meta.EventId, entry.Meta.Version, retracted,
            items.SelectMany(i => _errata.GetValueOrDefault(i.Meta.EventId) ?? []).ToList(), phase ?? _phase));
    }

}
