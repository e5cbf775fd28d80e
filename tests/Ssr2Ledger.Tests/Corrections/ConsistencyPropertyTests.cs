using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.TermsOfReference;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Corrections;

/// <summary>
/// Random reviews recorded through the server's rules (the deciders against the review's cached state, a correction or
/// retraction with the context the recording loop gives it), with random corrections and retractions of random entries,
/// most of them wrong: every state the ledger answers (at every valid time, as known at every version) must be
/// consistent. FsCheck draws the choices; a failure shrinks to a short list of them.
/// </summary>
public sealed class ConsistencyPropertyTests
{
    private static readonly JsonSerializerOptions Json = LedgerSetup.Json();
    private static readonly DateTimeOffset Charter = new(2017, 2, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Choices over the whole range of a number, so that every kind of step is drawn; shrinking makes them 0.</summary>
    private static readonly Arbitrary<int[]> Choices = Gen.Choose(0, int.MaxValue).ArrayOf().ToArbitrary();

    [Property(MaxTest = 100, EndSize = 300)]
    public Property every_state_of_a_review_with_corrections_and_retractions_is_consistent() =>
        Prop.ForAll(Choices, choices => Consistent(Recorder.Run(choices)));

    [Fact]
    public void long_generated_reviews_record_and_refuse_corrections_and_retractions_and_stay_consistent()
    {
        var random = new Random(20);
        var totals = new Recorder.Counts();
        for (var i = 0; i < 100; i++)
        {
            var review = Recorder.Run(Enumerable.Range(0, 600).Select(_ => random.Next(int.MaxValue)).ToArray());
            Consistent(review);
            totals += review.Tally;
        }
        // Not a test that cannot fail: both ways out are taken, often.
        Assert.True(totals.CorrectionsRecorded > 50 && totals.RetractionsRecorded > 50, totals.ToString());
        Assert.True(totals.CorrectionsRefused > 50 && totals.RetractionsRefused > 50, totals.ToString());
    }

    private static void Consistent(Recorder review)
    {
        foreach (var (state, where) in review.EveryState())
        {
            var problems = Inconsistencies(state).ToList();
            Assert.True(problems.Count == 0, $"{where}: {string.Join("; ", problems)}\n{review.Describe()}");
        }
    }

    /// <summary>What a state must hold: everything it refers to is in it, meetings end after they start, an area decided is
    /// no longer proposed, and nothing in it took effect before the charter.</summary>
    public static IEnumerable<string> Inconsistencies(ReviewState s)
    {
        IEnumerable<string> Missing<T>(IReadOnlyDictionary<string, T> where, string? id, string what, string from) =>
            id is null || where.ContainsKey(id) ? [] : [$"{from} refers to {what} '{id}', not in the state"];

        foreach (var a in s.Areas.Values)
        {
            foreach (var m in Missing(s.Topics, a.TopicId, "topic", $"area {a.AreaId}")) yield return m;
            foreach (var m in Missing(s.Areas, a.MergedInto, "area", $"area {a.AreaId}")) yield return m;
            foreach (var m in Missing(s.ScopeDecisions, a.LastDecisionId, "decision", $"area {a.AreaId}")) yield return m;
            foreach (var m in Missing(s.Subteams, a.SubteamId, "subteam", $"area {a.AreaId}")) yield return m;
            if ((a.Status == ScopeStatus.Proposed) != (a.LastDecisionId is null))
                yield return $"area {a.AreaId} is {a.Status} with last decision {a.LastDecisionId ?? "none"}";
            if (a.IdentifiedAt < s.CharteredAt) yield return $"area {a.AreaId} identified before the charter";
        }
        foreach (var d in s.ScopeDecisions.Values)
        {
            foreach (var area in d.AreaIds) foreach (var m in Missing(s.Areas, area, "area", $"decision {d.DecisionId}")) yield return m;
            foreach (var m in Missing(s.ScopeDecisions, d.Supersedes, "decision", $"decision {d.DecisionId}")) yield return m;
            foreach (var m in Missing(s.ScopeDecisions, d.SupersededBy, "decision", $"decision {d.DecisionId}")) yield return m;
            foreach (var m in Missing(s.Meetings, d.MeetingId, "meeting", $"decision {d.DecisionId}")) yield return m;
            if (d.DecidedAt < s.CharteredAt) yield return $"decision {d.DecisionId} before the charter";
        }
        foreach (var m in s.Meetings.Values)
        {
            if (m.EndsAt < m.StartsAt) yield return $"meeting {m.MeetingId} ends before it starts";
            foreach (var who in m.Attendees) foreach (var x in Missing(s.Members, who, "member", $"meeting {m.MeetingId}")) yield return x;
        }
        foreach (var t in s.Subteams.Values)
        {
            foreach (var who in t.Members) foreach (var x in Missing(s.Members, who, "member", $"subteam {t.SubteamId}")) yield return x;
            foreach (var area in t.AreaIds) foreach (var x in Missing(s.Areas, area, "area", $"subteam {t.SubteamId}")) yield return x;
            if (t.Rapporteur is not null && !t.Members.Contains(t.Rapporteur)) yield return $"subteam {t.SubteamId}'s rapporteur is no member";
        }
        foreach (var v in new[] { s.LatestTermsOfReference, s.AdoptedTermsOfReference, s.DeliveredTermsOfReference })
            foreach (var x in Missing(s.TermsOfReference, v, "terms-of-reference version", "the review")) yield return x;
        foreach (var v in s.TermsOfReference.Values)
            foreach (var x in Missing(s.TermsOfReference, v.BasedOn, "terms-of-reference version", $"version {v.Version}")) yield return x;
        foreach (var d in s.BoardDeliveries.Values)
            foreach (var x in Missing(s.BoardResolutions, d.InResponseTo, "resolution", $"delivery {d.DeliveryId}")) yield return x;
        foreach (var c in s.CommunityInputs.Values)
            foreach (var area in c.AreaIds) foreach (var x in Missing(s.Areas, area, "area", $"input {c.InputId}")) yield return x;
        foreach (var r in s.Recommendations.Values)
        {
            foreach (var area in r.AreaIds) foreach (var x in Missing(s.Areas, area, "area", $"recommendation {r.RecommendationId}")) yield return x;
            foreach (var x in Missing(s.Subteams, r.SubteamId, "subteam", $"recommendation {r.RecommendationId}")) yield return x;
            foreach (var x in Missing(s.BoardResolutions, r.BoardResolutionId, "resolution", $"recommendation {r.RecommendationId}"))
                yield return x;
        }
    }

    /// <summary>Records a review from a list of choices, as the recording loop does, one entry a write.</summary>
    private sealed class Recorder
    {
        public sealed record Counts(int Recorded = 0, int Refused = 0, int CorrectionsRecorded = 0, int CorrectionsRefused = 0,
            int RetractionsRecorded = 0, int RetractionsRefused = 0)
        {
            public static Counts operator +(Counts a, Counts b) => new(a.Recorded + b.Recorded, a.Refused + b.Refused,
                a.CorrectionsRecorded + b.CorrectionsRecorded, a.CorrectionsRefused + b.CorrectionsRefused,
                a.RetractionsRecorded + b.RetractionsRecorded, a.RetractionsRefused + b.RetractionsRefused);
        }

        private static readonly ScopeStatus[] Statuses = Enum.GetValues<ScopeStatus>();
        private readonly ReviewCache _cache = new(Given.ReviewId, snapshotStride: 4);
        private readonly int[] _choices;
        private int _next;
        private DateTimeOffset _clock = Charter;
        private readonly List<string> _log = [];
        // Ids ever used (some never recorded), so that references are sometimes right and sometimes not.
        private readonly Dictionary<string, List<string>> _ids = new()
        {
            ["member"] = ["nope"], ["meeting"] = ["nope"], ["topic"] = ["nope"], ["area"] = ["nope"], ["decision"] = ["nope"],
            ["subteam"] = ["nope"], ["version"] = ["nope"], ["resolution"] = ["nope"], ["recommendation"] = ["nope"], ["input"] = ["nope"],
        };

        public Counts Tally { get; private set; } = new();

        private Recorder(int[] choices) => _choices = choices;

        public static Recorder Run(int[] choices)
        {
            var recorder = new Recorder(choices ?? []);
            recorder.Record(new ReviewChartered(Given.ReviewId, "R", "m") { EffectiveAt = Charter });
            while (recorder._next < recorder._choices.Length) recorder.Step();
            return recorder;
        }

        private int Pick(int n) => n <= 0 ? 0 : (_next < _choices.Length ? _choices[_next++] : 0) % n;
        private T Pick<T>(IReadOnlyList<T> items) => items[Pick(items.Count)];
        private string Id(string kind) => Pick(_ids[kind]);
        private string NewId(string kind) { var id = $"{kind[0]}{_ids[kind].Count}"; _ids[kind].Add(id); return id; }
        private List<string> Ids(string kind) => Enumerable.Range(0, Pick(3) + 1).Select(_ => Id(kind)).Distinct().ToList();

        private void Step()
        {
            // New entries take effect in order (a few hours apart); corrections move them anywhere.
            _clock = _clock.AddHours(Pick(48) + 1);
            var at = _clock;
            ReviewEvent entry = Pick(20) switch
            {
                0 => new MemberAppointed(NewId("member"), "M", "GNSO", MemberRole.Member) { EffectiveAt = at },
                1 => new MeetingScheduled("M", MeetingFormat.Hybrid, "L", at.AddHours(Pick(100) - 20), at.AddHours(Pick(100)))
                    { EffectiveAt = at, MeetingId = NewId("meeting") },
                2 => new MeetingHeld(Ids("member"), Pick(5)) { EffectiveAt = at, MeetingId = Id("meeting") },
                3 => new TopicAreaAgreed(NewId("topic"), "T", "d") { EffectiveAt = at },
                4 or 5 => new AreaOfInterestIdentified(NewId("area"), "A", Id("topic")) { EffectiveAt = at },
                6 or 7 or 8 => Decision(at),
                9 => new SubteamFormed(NewId("subteam"), "S", Ids("member")) { EffectiveAt = at },
                10 => new AreasAssignedToSubteam(Id("subteam"), Ids("area")) { EffectiveAt = at },
                11 => new CommunityInputReceived(NewId("input"), InputChannel.MailingList, "x", "s", Ids("area")) { EffectiveAt = at },
                12 => new TermsOfReferenceDrafted(NewId("version"), "T", "s") { EffectiveAt = at },
                13 => new TermsOfReferenceAdopted(Id("version"), DecisionMethod.Consensus) { EffectiveAt = at },
                14 => new BoardResolutionRecorded(NewId("resolution"), "T", "s") { EffectiveAt = at },
                15 => new DeliveredToBoard($"x{_next}", Deliverable.TermsOfReference, Id("version"), Id("resolution")) { EffectiveAt = at },
                16 => new RecommendationDrafted(NewId("recommendation"), "T", "x", Ids("area"), Pick(2) == 0 ? Id("subteam") : null)
                    { EffectiveAt = at },
                17 => new BoardActedOnRecommendation(Id("recommendation"), BoardAction.Approved, Id("resolution")) { EffectiveAt = at },
                18 => Correction(at),
                _ => new EntryRetracted(Target(), "r") { EffectiveAt = at },
            };
            Record(entry);
        }

        private ScopeDecided Decision(DateTimeOffset at)
        {
            var changes = Ids("area").Select(a => Pick(Statuses) is var to && to == ScopeStatus.Merged
                ? new AreaChange(a, to, Id("area")) : new AreaChange(a, to)).ToList();
            return new ScopeDecided(NewId("decision"), changes, "r", "b", DecisionMethod.Vote, Pick(3) == 0 ? Id("decision") : null)
            {
                EffectiveAt = at, MeetingId = Pick(3) == 0 ? Id("meeting") : null,
            };
        }

        private Guid Target() => _cache.Recorded.Count == 0 ? Guid.Empty : Pick(_cache.Recorded).Meta.EventId;

        /// <summary>One field of a recorded entry changed: a time moved, an id swapped for another, a list redrawn.</summary>
        private EntryCorrected Correction(DateTimeOffset at)
        {
            var target = Pick(_cache.Recorded);
            var fields = JsonSerializer.SerializeToNode(target.Event, target.Event.GetType(), Json)!.AsObject()
                .Where(f => f.Value is not null && f.Key is not ("source" or "note" or "title" or "summary" or "reason" or "name"))
                .ToList();
            var (name, value) = Pick(fields);
            var kinds = _ids.Keys.ToList();
            JsonNode? corrected = value switch
            {
                JsonValue v when v.TryGetValue<DateTimeOffset>(out var t) => t.AddHours(Pick(400) - 250),
                JsonValue v when v.TryGetValue<string>(out _) => Id(Pick(kinds)),
                JsonArray a when a.FirstOrDefault() is JsonObject =>
                    new JsonArray(Ids("area").Select(id => (JsonNode)new JsonObject
                    {
                        ["areaId"] = id, ["to"] = JsonSerializer.SerializeToNode(Pick(Statuses), Json),
                    }).ToArray()),
                JsonArray => new JsonArray(Ids(Pick(kinds)).Select(id => (JsonNode)id).ToArray()),
                _ => JsonValue.Create(Pick(10)),
            };
            return new EntryCorrected(target.Meta.EventId, "r", JsonSerializer.SerializeToElement(new JsonObject { [name] = corrected }))
            {
                EffectiveAt = at,
            };
        }

        /// <summary>The recording loop's step: the rules against the cached state, with the context it gives errata.</summary>
        private void Record(ReviewEvent entry)
        {
            var refusals = Given.Catalog.Check(_cache.Current, entry,
                _cache.ContextFor(entry, [], _cache.Current?.LastEffectiveAt ?? DateTimeOffset.MinValue, Json));
            var ok = refusals.Count == 0;
            Tally += entry switch
            {
                EntryCorrected => new Counts(CorrectionsRecorded: ok ? 1 : 0, CorrectionsRefused: ok ? 0 : 1),
                EntryRetracted => new Counts(RetractionsRecorded: ok ? 1 : 0, RetractionsRefused: ok ? 0 : 1),
                _ => new Counts(Recorded: ok ? 1 : 0, Refused: ok ? 0 : 1),
            };
            if (!ok) return;
            var version = _cache.Version + 1;
            var meta = new EntryMeta(Guid.NewGuid(), version, version, Charter.AddYears(10).AddSeconds(version), "test", $"{version:x64}");
            _cache.Append([new LedgerEntry(entry, meta)], Json);
            _log.Add($"{version} {meta.EventId} {JsonSerializer.Serialize(entry, entry.GetType(), Json)}");
        }

        /// <summary>Every state the ledger answers: as known at each version, at every valid time (each entry's, in order).</summary>
        public IEnumerable<(ReviewState State, string Where)> EveryState()
        {
            var recorded = _cache.Recorded;
            for (var n = 1; n <= recorded.Count; n++)
            {
                ReviewState? state = null;
                foreach (var entry in ReviewFold.InEffectiveOrder(recorded.Take(n).ToList(), Json))
                {
                    state = ReviewState.Fold(state, entry.Event, entry.Meta);
                    if (state is not null) yield return (state, $"version {n}, asOf {entry.Event.EffectiveAt:u}");
                }
            }
            // And the cache's own answers now, from its snapshots.
            foreach (var at in recorded.Select(e => e.Event.EffectiveAt).Distinct())
                if (_cache.StateAsOf(at) is { } state) yield return (state, $"cached, asOf {at:u}");
        }

        public string Describe() => string.Join("\n", _log);
    }
}
