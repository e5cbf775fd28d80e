using System.Text.Json;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Temporal;

/// <summary>
/// One review's ledger cached in memory for "as of" questions and the rules (not the decision timeline, which is the
/// report in Timeline/): the entries as recorded (append-only, so only
/// new ones are ever fetched), the same entries corrected and in valid-time order, and snapshots of the
/// fold at the instants already asked about (typically meetings' ends). A question folds forward from the
/// nearest earlier snapshot. An entry effective before a snapshot, a correction or a retraction drops the
/// snapshots it could change.
/// </summary>
/// <param name="snapshotStride">How many entries a long fold goes between the snapshots it leaves behind.</param>
public sealed class ReviewCache(string reviewId, int snapshotStride = ReviewCache.DefaultSnapshotStride)
{
    public const int MaxSnapshots = 4096;
    public const int DefaultSnapshotStride = 512;

    private readonly List<LedgerEntry> _recorded = [];
    private List<LedgerEntry> _effective = [];
    private readonly SortedList<DateTimeOffset, ReviewState?> _snapshots = [];
    private ReviewState? _current;
    private bool _currentKnown;
    private Dictionary<Guid, int>? _byId;
    private readonly HashSet<Guid> _retracted = [];
    private readonly Dictionary<string, object> _derived = [];
    /// <summary>
    /// Derived values that can take entries recorded since they were built (<see cref="Derived{T}"/> with an extension),
    /// with how many entries they were built from; kept while every entry recorded since extends the review in valid time.
    /// </summary>
    private readonly Dictionary<string, (object Value, int Built)> _extendable = [];
    private readonly HashSet<string> _extends = [];
    /// <summary>Whether recorded times never went back from one entry to the next (so what was known at a time is a prefix).</summary>
    private bool _recordedInOrder = true;
    private readonly Dictionary<(long Known, long Last, DateTimeOffset AsOf), ReviewState?> _known = [];

    public string ReviewId { get; } = reviewId;
    public IReadOnlyList<LedgerEntry> Recorded => _recorded;
    public long Version => _recorded.Count > 0 ? _recorded[^1].Meta.Version : 0;
    public int SnapshotCount => _snapshots.Count;

    public void Append(IReadOnlyList<LedgerEntry> fresh, JsonSerializerOptions json)
    {
        if (fresh.Count == 0) return;
        var before = _recorded.Count;
        foreach (var entry in fresh)
        {
            if (_byId is not null) _byId[entry.Meta.EventId] = _recorded.Count;
            if (entry.Event is EntryRetracted r) _retracted.Add(r.RetractsEventId);
            if (_recorded.Count > 0 && entry.Meta.RecordedAt < _recorded[^1].Meta.RecordedAt) _recordedInOrder = false;
            _recorded.Add(entry);
        }

        var lastEffective = _effective.Count > 0 ? _effective[^1].Event.EffectiveAt : DateTimeOffset.MinValue;
        var inOrder = ReviewFold.InOrder(fresh[0].Event, lastEffective)
                      && fresh.Zip(fresh.Skip(1)).All(p => ReviewFold.InOrder(p.Second.Event, p.First.Event.EffectiveAt));
        // Kept the oldest: a value not asked for since an earlier entry goes on from where it was built.
        if (inOrder)
            foreach (var (name, value) in _derived)
                if (_extends.Contains(name)) _extendable.TryAdd(name, (value, before));
        if (!inOrder) _extendable.Clear();
        _derived.Clear();
        if (inOrder)
        {
            _effective.AddRange(fresh);
            // Entries in valid-time order extend the current state where it stands: a write costs one fold step.
            if (_currentKnown)
                foreach (var entry in fresh) _current = ReviewState.Fold(_current, entry.Event, entry.Meta);
            DropSnapshotsFrom(fresh[0].Event.EffectiveAt);
        }
        else
        {
            _effective = ReviewFold.InEffectiveOrder(_recorded, json).ToList();
            _currentKnown = false;
            // Corrections may move an entry anywhere in valid time; late entries change what follows them.
            if (fresh.Any(e => e.Event is CorrectiveEntry)) _snapshots.Clear();
            else DropSnapshotsFrom(fresh.Min(e => e.Event.EffectiveAt));
        }
    }

    /// <summary>An entry as recorded, by its id (what a correction or a retraction points at).</summary>
    public LedgerEntry? Entry(Guid eventId)
    {
        // Indexed on first use: most reviews are never corrected.
        if (_byId is null)
        {
            _byId = new Dictionary<Guid, int>(_recorded.Count);
            for (var i = 0; i < _recorded.Count; i++) _byId[_recorded[i].Meta.EventId] = i;
        }
        return _byId.TryGetValue(eventId, out var at) ? _recorded[at] : null;
    }

    public bool IsRetracted(Guid eventId) => _retracted.Contains(eventId);

    /// <summary>
    /// What a correction or retraction of a recorded entry is replayed with: the state (from the snapshots) before the
    /// earliest valid time it can change, and the entries from then on as known now; so a correction of a recent entry
    /// costs what follows it, not the whole review.
    /// </summary>
    private ReplayWindow WindowFor(CorrectiveEntry amendment, LedgerEntry target) =>
        WindowFrom(Consistency.EarliestChange(amendment, target, _recorded));

    /// <summary>
    /// What the rules know of an entry proposed for this review beyond the state: for a correction or retraction, what it
    /// points at and the entries it is replayed with; for a late entry (<see cref="ReviewFold.InOrder"/>), the part of the
    /// review it lands in. With nothing uncommitted the replay starts from a snapshot just before what the entry can change;
    /// after uncommitted entries (earlier in its write or group), the whole review as it would be is replayed.
    /// </summary>
    /// <param name="lastEffective">The latest valid time the review reaches with the uncommitted entries.</param>
    public RecordingContext ContextFor(ReviewEvent entry, IReadOnlyList<LedgerEntry> uncommitted, DateTimeOffset lastEffective,
        JsonSerializerOptions json)
    {
        ReplayWindow Replay(Func<ReplayWindow> window) =>
            uncommitted.Count == 0 ? window() : Consistency.Whole([.. _recorded, .. uncommitted], json);

        if (entry is not CorrectiveEntry { Target: var id } amendment)
            return ReviewFold.InOrder(entry, lastEffective) ? RecordingContext.For(ReviewId)
                : RecordingContext.For(ReviewId) with { Replay = Replay(() => WindowFrom(entry.EffectiveAt)) };
        if ((Entry(id) ?? uncommitted.FirstOrDefault(e => e.Meta.EventId == id)) is not { } target) return RecordingContext.For(ReviewId);
        var retracted = IsRetracted(id) || uncommitted.Any(e => e.Event is EntryRetracted r && r.RetractsEventId == id);
        return new RecordingContext(ReviewId, new Dictionary<Guid, LedgerEntry> { [id] = target },
            retracted ? new HashSet<Guid> { id } : [], Replay(() => WindowFor(amendment, target)));
    }

    /// <summary>The state just before <paramref name="effectiveAt"/> and the entries from then on.</summary>
    private ReplayWindow WindowFrom(DateTimeOffset effectiveAt)
    {
        var justBefore = effectiveAt.AddTicks(-1);
        return new ReplayWindow(StateAsOf(justBefore), EffectiveBetween(justBefore, DateTimeOffset.MaxValue).ToList());
    }

    /// <summary>The state as the ledger knows it now, at every valid time: what the deciders check against.</summary>
    public ReviewState? Current
    {
        get
        {
            if (!_currentKnown) (_current, _currentKnown) = (StateAsOf(DateTimeOffset.MaxValue), true);
            return _current;
        }
    }

    /// <summary>The state as of a valid time, as the ledger knows it now.</summary>
    public ReviewState? StateAsOf(DateTimeOffset asOf)
    {
        if (_recorded.Count == 0) return null;
        var at = _snapshots.Keys.Count > 0 ? LastKeyAtOrBefore(asOf) : -1;
        var (state, from) = at >= 0 ? (_snapshots.Values[at], FirstEffectiveAfter(_snapshots.Keys[at])) : (null, 0);

        for (var i = from; i < _effective.Count && _effective[i].Event.EffectiveAt <= asOf; i++)
        {
            var entry = _effective[i];
            state = ReviewState.Fold(state, entry.Event, entry.Meta);
            // Leave a snapshot every so often on a long way forward, so the next question starts close by.
            // Only where valid time steps forward: a snapshot at t must hold every entry effective at t.
            if ((i - from) % snapshotStride == snapshotStride - 1 && i + 1 < _effective.Count
                && _effective[i + 1].Event.EffectiveAt > entry.Event.EffectiveAt && _snapshots.Count < MaxSnapshots)
                _snapshots[entry.Event.EffectiveAt] = state;
        }

        if (_snapshots.Count < MaxSnapshots) _snapshots[asOf] = state;
        return state is null ? null : ReviewFold.AtHead(state, _recorded[^1]);
    }

    /// <summary>
    /// What a reader's question derives from the whole ledger as it stands (the decision timeline's lines): built once for
    /// each version, by the first question that needs it, and dropped when an entry is recorded. The value must never be
    /// changed once built: it is read after the review's gate is released (a streamed export).
    /// </summary>
    /// <param name="extend">
    /// The value of an earlier version with the entries recorded since (all extending the review in valid time, none a
    /// correction), or null to build it again; the earlier value must be left as it is.
    /// </param>
    public T Derived<T>(string name, Func<ReviewCache, T> build, Func<T, IReadOnlyList<LedgerEntry>, T?>? extend = null) where T : class
    {
        if (_derived.TryGetValue(name, out var held)) return (T)held;
        T? built = null;
        if (extend is not null)
        {
            _extends.Add(name);
            if (_extendable.Remove(name, out var earlier))
                built = extend((T)earlier.Value, _recorded.GetRange(earlier.Built, _recorded.Count - earlier.Built));
        }
        built ??= build(this);
        _derived[name] = built;
        return built;
    }

    /// <summary>
    /// How many entries the ledger held at a recorded time and version, found by binary search while recorded times never
    /// went back (they are taken under the review's lock); null otherwise, and the caller counts them one by one.
    /// </summary>
    public int? KnownPrefix(DateTimeOffset? knownAt, long? version)
    {
        if (!_recordedInOrder) return null;
        int lo = 0, hi = _recorded.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            var meta = _recorded[mid].Meta;
            if ((knownAt is not { } k || meta.RecordedAt <= k) && (version is not { } v || meta.Version <= v)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// The state as of a valid time as the ledger knew it when it held only some of its entries (a <c>knownAt</c> or
    /// <c>version</c> question), remembered: what the ledger knew then never changes (it is append-only), so the same
    /// question asked again costs a look-up instead of a fold of the review from its start.
    /// </summary>
    /// <param name="known">How many entries the ledger knew, and the last of their versions: together they name the set.</param>
    public ReviewState? StateKnownAt(int known, long lastVersion, DateTimeOffset asOf, Func<ReviewState?> fold)
    {
        var key = (known, lastVersion, asOf);
        if (_known.TryGetValue(key, out var state)) return state;
        if (_known.Count >= MaxSnapshots) _known.Clear();
        return _known[key] = fold();
    }

    /// <summary>The entries as known now that took effect after <paramref name="start"/> and by <paramref name="end"/>, in order.</summary>
    public IEnumerable<LedgerEntry> EffectiveBetween(DateTimeOffset start, DateTimeOffset end)
    {
        for (var i = FirstEffectiveAfter(start); i < _effective.Count && _effective[i].Event.EffectiveAt <= end; i++)
            yield return _effective[i];
    }

    private void DropSnapshotsFrom(DateTimeOffset effectiveAt)
    {
        while (_snapshots.Count > 0 && _snapshots.Keys[^1] >= effectiveAt) _snapshots.RemoveAt(_snapshots.Count - 1);
    }

    private int LastKeyAtOrBefore(DateTimeOffset t)
    {
        int lo = 0, hi = _snapshots.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_snapshots.Keys[mid] <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return found;
    }

    private int FirstEffectiveAfter(DateTimeOffset t)
    {
        int lo = 0, hi = _effective.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_effective[mid].Event.EffectiveAt <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
