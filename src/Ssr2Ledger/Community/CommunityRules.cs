using static Ssr2Ledger.Ledger.KebabCase;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Community;

public static class CommunityRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<CommunityInputReceived>("community-input", "Record community input (mailing list, public comment, meeting, survey)",
            Receive, (s, e) => s.On(e),
            TimelineWording.LineOf<CommunityInputReceived>((c, _, _) =>
                new("community", $"Community input ({Word(c.Channel).Replace('-', ' ')}) from {c.From}", c.Summary)),
            (c, areaId) => c.AreaIds?.Contains(areaId) == true ? "community-input" : null),
    ];

    public static IEnumerable<Refusal> Receive(ReviewState state, CommunityInputReceived e) =>
        Checks.Unique(state.CommunityInputs, e.InputId, "inputId", "Community input")
            .Concat(Checks.AllKnown(state.Areas, e.AreaIds, "areaIds", "Area of interest"));
}
