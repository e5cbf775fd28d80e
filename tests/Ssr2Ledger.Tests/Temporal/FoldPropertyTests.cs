using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Tests.Temporal;

/// <summary>Properties of the one fold over random histories (deterministic seeds).</summary>
public sealed class FoldPropertyTests
{
    private static readonly JsonSerializerOptions Json = LedgerSetup.Json();
    private static readonly DateTimeOffset Start = new(2017, 2, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A charter, topics, areas, meetings and decisions at distinct random valid times; some corrections and retractions.</summary>
    private static List<ReviewEvent> History(Random random, int size)
    {
        var events = new List<ReviewEvent> { new ReviewChartered("r", "R", "m") { EffectiveAt = Start } };
        var times = Enumerable.Range(1, size * 3).Select(i => Start.AddHours(i * 7)).OrderBy(_ => random.Next()).Take(size).Order().ToList();
        var areas = new List<string>();
        var statuses = Enum.GetValues<ScopeStatus>();
        var t = 0;
        events.Add(new TopicAreaAgreed("t", "T", "d") { EffectiveAt = times[t++] });
        while (t < times.Count)
        {
            var at = times[t++];
            switch (random.Next(6))
            {
                case 0 or 1:
                    areas.Add($"a{areas.Count}");
                    events.Add(new AreaOfInterestIdentified(areas[^1], $"Area {areas.Count}", "t") { EffectiveAt = at });
                    break;
                case 2:
                    events.Add(new MeetingScheduled("M", MeetingFormat.Hybrid, "L", at, at.AddHours(random.Next(1, 48))) { EffectiveAt = at, MeetingId = $"m{t}" });
                    break;
                default:
                    if (areas.Count == 0) break;
                    var chosen = areas.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                    var changes = chosen.Select(a =>
                    {
                        var to = statuses[random.Next(statuses.Length)];
                        var other = areas.FirstOrDefault(x => x != a);
                        return to == ScopeStatus.Merged && other is null ? new AreaChange(a, ScopeStatus.InScope)
                            : new AreaChange(a, to, to == ScopeStatus.Merged ? other : null);
                    }).ToList();
                    events.Add(new ScopeDecided($"d{t}", changes, "r", "b", DecisionMethod.Vote) { EffectiveAt = at });
                    break;
            }
        }
        return events;
    }

    /// <summary>Records the events in the given order, adding corrections and retractions of earlier entries as it goes.</summary>
    private static List<LedgerEntry> Record(IEnumerable<ReviewEvent> events, Random random, bool amend)
    {
        var entries = new List<LedgerEntry>();
        foreach (var e in events)
        {
            entries.Add(Entry(e, entries.Count + 1));
            if (!amend || random.Next(10) != 0 || entries.Count < 3) continue;
            var target = entries[random.Next(1, entries.Count)];
            if (target.Event is EntryCorrected or EntryRetracted) continue;
            ReviewEvent fix = random.Next(2) == 0
                ? new EntryRetracted(target.Meta.EventId, "wrong") { EffectiveAt = target.Event.EffectiveAt }
                : new EntryCorrected(target.Meta.EventId, "late", JsonSerializer.SerializeToElement(new JsonObject
                    { ["effectiveAt"] = target.Event.EffectiveAt.AddHours(random.Next(-30, 30)).ToString("O") })) { EffectiveAt = target.Event.EffectiveAt };
            entries.Add(Entry(fix, entries.Count + 1));
        }
        return entries;
    }

    private static LedgerEntry Entry(ReviewEvent e, long version) =>
        new(e, new EntryMeta(Guid.NewGuid(), version, version, Start.AddDays(version), "p", $"{version:x64}"));

    private static string Valid(ReviewState? state) => state is null ? "none" :
        JsonSerializer.Serialize(StateDocument.From(state) with { Version = 0, HeadHash = "" }, Json);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void the_timeline_answers_every_instant_as_a_full_replay_does(int seed)
    {
        var random = new Random(seed);
        var entries = Record(History(random, 60).OrderBy(_ => random.Next(4) == 0 ? random.Next() : 0), random, amend: true);
        var timeline = new ReviewCache("r", snapshotStride: 1 + seed % 5);
        var instants = Enumerable.Range(0, 12).Select(_ => Start.AddHours(random.Next(0, 60 * 21))).Append(DateTimeOffset.MaxValue).ToList();

        // Appended in random chunks, asked about in between, so snapshots are made and must be dropped correctly.
        for (var i = 0; i < entries.Count;)
        {
            var chunk = entries.Skip(i).Take(random.Next(1, 8)).ToList();
            timeline.Append(chunk, Json);
            i += chunk.Count;
            var known = entries.Take(i).ToList();
            foreach (var instant in instants.OrderBy(_ => random.Next()).Take(3))
                Assert.Equal(Valid(ReviewFold.Replay(known, Json, instant)), Valid(timeline.StateAsOf(instant)));
        }
        Assert.True(timeline.SnapshotCount > 0);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void folding_in_any_order_of_recording_gives_the_same_valid_time_answer(int seed)
    {
        var random = new Random(seed);
        var history = History(random, 50);
        var inOrder = ReviewFold.Replay(Record(history, random, amend: false), Json);
        var shuffled = ReviewFold.Replay(Record(history.OrderBy(_ => random.Next()), random, amend: false), Json);
        Assert.Equal(Valid(inOrder), Valid(shuffled));
        var instant = Start.AddHours(random.Next(0, 50 * 21));
        Assert.Equal(Valid(ReviewFold.Replay(Record(history, random, false), Json, instant)),
            Valid(ReviewFold.Replay(Record(history.OrderBy(_ => random.Next()), random, false), Json, instant)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void the_state_as_of_the_last_instant_equals_the_current_state(int seed)
    {
        var random = new Random(seed);
        var entries = Record(History(random, 50), random, amend: true);
        var current = ReviewFold.Replay(entries, Json);
        var timeline = new ReviewCache("r");
        timeline.Append(entries, Json);
        var last = entries.Max(e => e.Event.EffectiveAt).AddYears(1);
        Assert.Equal(JsonSerializer.Serialize(current, Json), JsonSerializer.Serialize(timeline.StateAsOf(last), Json));
    }

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 40));
}
