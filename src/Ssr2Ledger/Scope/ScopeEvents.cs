using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Scope;

[JsonConverter(typeof(KebabCaseEnumConverter<ScopeStatus>))]
public enum ScopeStatus { Proposed, InScope, OutOfScope, Deferred, Merged }

public sealed record TopicAreaAgreed(string TopicId, string Title, string Description) : ReviewEvent;

public sealed record AreaOfInterestIdentified(string AreaId, string Title, string TopicId) : ReviewEvent;

public sealed record ScopeDecided(string DecisionId, IReadOnlyList<AreaChange> Changes, string Rationale,
    string Basis, DecisionMethod Method, string? Supersedes = null) : ReviewEvent;

public sealed record AreaChange(string AreaId, ScopeStatus To, string? MergedInto = null);

public sealed record SubteamFormed(string SubteamId, string Name, IReadOnlyList<string> Members,
    string? Rapporteur = null) : ReviewEvent;

public sealed record AreasAssignedToSubteam(string SubteamId, IReadOnlyList<string> AreaIds) : ReviewEvent;

public sealed record SubteamDissolved(string SubteamId, string Reason) : ReviewEvent;
