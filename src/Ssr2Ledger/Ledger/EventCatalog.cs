using System.Collections.Frozen;
using System.Text.Json;
using Ssr2Ledger.Board;
using Ssr2Ledger.Community;
using Ssr2Ledger.Corrections;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.TermsOfReference;

namespace Ssr2Ledger.Ledger;

/// <summary>The ledger's vocabulary: every kind of entry, gathered from the slices that own them.</summary>
public sealed class EventCatalog
{
    private readonly Dictionary<string, EventKind> _byType;

    /// <summary>Every kind, from the slices that own them: adding a kind is one registration in its slice's list.</summary>
    public static IReadOnlyList<EventKind> All { get; } =
    [
        .. ReviewRules.Kinds, .. MemberRules.Kinds, .. MeetingRules.Kinds, .. TermsOfReferenceRules.Kinds,
        .. BoardRules.Kinds, .. ScopeRules.Kinds, .. CommunityRules.Kinds, .. RecommendationRules.Kinds,
        .. CorrectionRules.Kinds,
    ];

    private static readonly FrozenDictionary<Type, EventKind> ByClrType = All.ToFrozenDictionary(k => k.ClrType);

    /// <summary>The kind of an entry; an entry of a kind never registered is a bug, said loudly, never skipped.</summary>
    public static EventKind KindOf(ReviewEvent e) =>
        ByClrType.TryGetValue(e.GetType(), out var kind) ? kind
            : throw new InvalidOperationException($"{e.GetType().Name} is not registered in the entry catalog.");

    public EventCatalog(JsonSerializerOptions json)
    {
        Json = json;
        _byType = Kinds.ToDictionary(k => k.Type, StringComparer.Ordinal);
    }

    public IReadOnlyList<EventKind> Kinds => All;

    /// <summary>The JSON conventions of the ledger: the API's and the store's.</summary>
    public JsonSerializerOptions Json { get; }

    public EventKind? Find(string type) => _byType.GetValueOrDefault(type);

    public EventKind Of(ReviewEvent e) => KindOf(e);

    /// <summary>Reads a <c>{ "type", "data" }</c> pair into an event, or says everything wrong with it.</summary>
    public (ReviewEvent? Event, IReadOnlyList<Refusal> Errors) Read(string? type, JsonElement data)
    {
        if (string.IsNullOrEmpty(type)) return (null, [Refusal.Invalid("type", "is required.")]);
        var kind = Find(type);
        if (kind is null)
            return (null, [Refusal.Invalid("type", $"'{Truncate(type)}' is not an event type of the ledger; see GET /api/event-types.")]);
        return EventPayload.Read(kind.ClrType, data, Json);
    }

    /// <summary>The decider: what the review's business rules say of this entry, given the state.</summary>
    public IReadOnlyList<Refusal> Check(ReviewState? state, ReviewEvent e, RecordingContext context) => Rules(state, e, context);

    /// <summary>The decider itself, needing nothing but the registrations (a correction's replay asks it too).</summary>
    public static IReadOnlyList<Refusal> Rules(ReviewState? state, ReviewEvent e, RecordingContext context)
    {
        var refusals = KindOf(e).Check(state, e, context).ToList();
        // An entry may name the meeting it was taken at; that meeting must exist (scheduling one names it first).
        if (state is not null && e is not MeetingScheduled && e.MeetingId is { } meetingId && !state.Meetings.ContainsKey(meetingId))
            refusals.Add(Refusal.Unknown("meetingId", "Meeting", meetingId));
        // A late entry lands inside the review's history: it must hold there too, and so must what follows it.
        if (refusals.Count == 0 && e is not Corrections.CorrectiveEntry && context.Replay is { } window)
            refusals.AddRange(Corrections.Consistency.CheckLate(window, e, context.ReviewId));
        return refusals;
    }

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
