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
    /// <summary>The lines of the days closed, in order; the open day's are still gathering (a bulk line may grow).</summary>
    private readonly List<TimelineEntry> _closed;
    private readonly List<TimelineEntry> _day;
    private IReadOnlyList<TimelineEntry> _entries = [];
    private readonly Dictionary<Guid, List<Erratum>> _errata;
    private ReviewState? _state;
    private string _phase = "";
    /// <summary>Bulk lines still gathering entries: of one day, one line a key, however they interleave.</summary>
    private readonly Dictionary<string, Bulk> _open;
    private DateOnly? _openDay;
    /// <summary>The valid time of the last entry shown: an entry recorded later extends the lines if it is not earlier.</summary>
    private DateTimeOffset _lastShown = DateTimeOffset.MinValue;

    private TimelineLines(Dictionary<Guid, List<Erratum>> errata) => (_errata, _closed, _day, _open) = (errata, [], [], []);

    /// <summary>A copy to go on from: this one stays as it is (readers may be streaming it).</summary>
    private TimelineLines(TimelineLines from)
    {
        (_errata, _state, _phase, _openDay, _lastShown) = (from._errata, from._state, from._phase, from._openDay, from._lastShown);
        (_closed, _day) = ([.. from._closed], [.. from._day]);
        _open = from._open.ToDictionary(b => b.Key, b => b.Value with { Items = [.. b.Value.Items] });
    }

    public IReadOnlyList<TimelineEntry> Entries => _entries;
    public string? Name => _state?.Name;

    private sealed record Bulk(LedgerEntry First, string Phase, List<LedgerEntry> Items, Func<IReadOnlyList<ReviewEvent>, Wording> Describe);

    public static TimelineLines From(IReadOnlyList<LedgerEntry> recorded, JsonSerializerOptions json, Dictionary<Guid, List<Erratum>> errata)
    {
        // The one replay's view of the ledger, retracted entries kept: the timeline shows them beside their retraction.
        var shown = ReviewFold.InEffectiveOrder(recorded, json, keepRetracted: true);

        var lines = new TimelineLines(errata);
        foreach (var entry in shown) lines.Add(entry);
        lines.Close();
        return lines;
    }

    /// <summary>
    /// The lines with entries recorded since, when they extend the review where it stands (none a correction or a
    /// retraction, none effective before the last entry shown): what a build of the whole ledger gives, line for line, at
    /// the cost of the new entries. Null otherwise: they may change lines already made, and the lines are built again.
    /// </summary>
    public TimelineLines? Extended(IReadOnlyList<LedgerEntry> fresh)
    {
        var last = _lastShown;
        foreach (var entry in fresh)
        {
            if (!ReviewFold.InOrder(entry.Event, last) || _errata.ContainsKey(entry.Meta.EventId)) return null;
            last = entry.Event.EffectiveAt;
        }
        var lines = new TimelineLines(this);
        foreach (var entry in fresh) lines.Add(entry);
        lines.Close();
        return lines;
    }

    /// <summary>The lines as they stand: the open day's, bulk lines among them, written without closing the day.</summary>
    private void Close() => _entries = [.. _closed, .. InOrder(_day.Concat(_open.Values.Select(BulkLine)))];

    /// <summary>Bulk lines are written when their day closes: a day's lines back in valid-time order.</summary>
    private static IEnumerable<TimelineEntry> InOrder(IEnumerable<TimelineEntry> day) => day.OrderBy(e => e.Date).ThenBy(e => e.Version);

    private bool IsRetracted(LedgerEntry e) => _errata.GetValueOrDefault(e.Meta.EventId)?.Any(x => x.Kind == "retraction") == true;

    private void Add(LedgerEntry entry)
    {
        _lastShown = entry.Event.EffectiveAt;
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
                    _day.Add(Line(entry, [entry], w.Kind, w.Title, w.Rationale, w.Basis, w.Method, retracted));
                if (phase is not null) _phase = phase;
                break;
            case TimelineWording.Errata or TimelineWording.Omitted:
                break;
        }
    }

    private void Flush()
    {
        _closed.AddRange(InOrder(_day.Concat(_open.Values.Select(BulkLine)).ToList()));
        _day.Clear();
        _open.Clear();
    }

    private TimelineEntry BulkLine(Bulk bulk)
    {
        var standing = bulk.Items.Where(i => !IsRetracted(i)).ToList();
        var w = bulk.Describe((standing.Count > 0 ? standing : bulk.Items).Select(i => i.Event).ToList());
        return Line(bulk.First, bulk.Items, w.Kind, w.Title, w.Rationale, w.Basis, w.Method, standing.Count == 0, bulk.Phase);
    }

    private TimelineEntry Line(LedgerEntry entry, List<LedgerEntry> items, string kind, string title, string? rationale, string? basis,
        string? method, bool retracted, string? phase = null)
    {
        var meeting = entry.Event.MeetingId is { } id ? _state?.Meetings.GetValueOrDefault(id) : null;
        return new TimelineEntry(entry.Event.EffectiveAt, entry.Event.MeetingId, meeting?.Title, kind, title, rationale, basis,
            method, entry.Event.Source, entry.Meta.RecordedAt, entry.Meta.RecordedBy, entry.Meta.EventId, entry.Meta.Version, retracted,
            items.SelectMany(i => _errata.GetValueOrDefault(i.Meta.EventId) ?? []).ToList(), phase ?? _phase);
    }

}
