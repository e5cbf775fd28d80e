using static Ssr2Ledger.Ledger.KebabCase;
namespace Ssr2Ledger.Ledger;

/// <summary>Chartering, pausing and resuming a review.</summary>
public static class ReviewRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        // The one kind folded onto no state: it makes the review's.
        new(nameof(ReviewChartered), typeof(ReviewChartered), "charter", "Charter a review (also POST /api/reviews)",
            (state, e, context) => Charter(state, (ReviewChartered)e, context),
            (state, e) => state is null ? ReviewState.Charter((ReviewChartered)e) : null,
            TimelineWording.LineOf<ReviewChartered>((c, _, _) => new("review", $"Review chartered: {c.Name}", c.Mandate),
                c => $"Active from {Say.Date(c.EffectiveAt)}")),
        EventKind.For<ReviewPaused>("pauses", "Pause the review (usually on a Board resolution)", Pause,
            (s, _) => s with { Status = ReviewStatus.Paused },
            TimelineWording.LineOf<ReviewPaused>((p, _, _) => new("review", "Review paused", p.Reason, Say.Resolution(p.ResolutionId)),
                p => $"Paused from {Say.Date(p.EffectiveAt)}")),
        EventKind.For<ReviewResumed>("resumptions", "Resume a paused review", Resume,
            (s, _) => s with { Status = ReviewStatus.Active },
            TimelineWording.LineOf<ReviewResumed>((r, _, _) => new("review", "Review resumed", r.Reason, Say.Resolution(r.ResolutionId)),
                r => $"Active again from {Say.Date(r.EffectiveAt)}")),
    ];

    public static IEnumerable<Refusal> Charter(ReviewState? state, ReviewChartered e, RecordingContext context)
    {
        if (e.ReviewId != context.ReviewId)
            yield return Refusal.Invalid("reviewId", $"must be '{context.ReviewId}', the review this entry is recorded in.");
        else if (state is not null)
            yield return Refusal.Conflict($"Review '{e.ReviewId}' is already chartered.", "reviewId");
    }

    public static IEnumerable<Refusal> Pause(ReviewState state, ReviewPaused e)
    {
        if (state.Status != ReviewStatus.Active) yield return Refusal.Conflict($"The review is {Word(state.Status)}; only an active review can be paused.");
        foreach (var r in Checks.Known(state.BoardResolutions, e.ResolutionId, "resolutionId", "Board resolution")) yield return r;
    }

    public static IEnumerable<Refusal> Resume(ReviewState state, ReviewResumed e)
    {
        if (state.Status != ReviewStatus.Paused) yield return Refusal.Conflict($"The review is {Word(state.Status)}; only a paused review can be resumed.");
        foreach (var r in Checks.Known(state.BoardResolutions, e.ResolutionId, "resolutionId", "Board resolution")) yield return r;
    }
}
