namespace Ssr2Ledger.Ledger;

/// <summary>The first entry of every review's stream; its <c>ReviewId</c> names the stream.</summary>
public sealed record ReviewChartered(string ReviewId, string Name, string Mandate) : ReviewEvent;

public sealed record ReviewPaused(string Reason, string? ResolutionId = null) : ReviewEvent;

public sealed record ReviewResumed(string Reason, string? ResolutionId = null) : ReviewEvent;
