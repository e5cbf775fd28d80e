using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Community;

public static class CommunityRules
{
    public static IEnumerable<EventKind> Kinds =>
    [
        EventKind.For<CommunityInputReceived>("community-input", "Record community input (mailing list, public comment, meeting, survey)", Receive),
    ];

    public static IEnumerable<Refusal> Receive(ReviewState state, CommunityInputReceived e) =>
        Checks.Unique(state.CommunityInputs, e.InputId, "inputId", "Community input")
            .Concat(Checks.AllKnown(state.Areas, e.AreaIds, "areaIds", "Area of interest"));
}
