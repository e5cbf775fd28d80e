using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Tests.Support;

/// <summary>Decider tests without a database: given entries, when a proposal, then entries or refusals.</summary>
public sealed class Given
{
    public static readonly EventCatalog Catalog = new(LedgerSetup.Json());
    public const string ReviewId = "ssr2";
    private static readonly DateTimeOffset Start = new(2017, 2, 3, 0, 0, 0, TimeSpan.Zero);

    private readonly List<ReviewEvent> _history = [];

    public static Given A_chartered_review() => new Given().And(new ReviewChartered(ReviewId, "SSR2", "Bylaws 4.6(c)") { EffectiveAt = Start });

    public static Given Nothing() => new();

    public Given And(params ReviewEvent[] entries)
    {
        _history.AddRange(entries);
        return this;
    }

    public ReviewState? State() =>
        _history.Select((e, i) => (e, i)).Aggregate((ReviewState?)null,
            (state, x) => ReviewState.Fold(state, x.e, new EntryMeta(Guid.NewGuid(), x.i + 1, x.i + 1, Start, "test", $"{x.i + 1:x64}")));

    public IReadOnlyList<Refusal> When(ReviewEvent proposed) => Catalog.Check(State(), proposed, RecordingContext.For(ReviewId));

    public static DateTimeOffset Day(int month, int day, int year = 2017) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);
}
