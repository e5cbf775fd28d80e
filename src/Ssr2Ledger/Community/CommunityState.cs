using System.Collections.Immutable;
using Ssr2Ledger.Community;

namespace Ssr2Ledger.Ledger;

public sealed record CommunityInput(string InputId, InputChannel Channel, string From, string Summary,
    IReadOnlyList<string> AreaIds, DateTimeOffset ReceivedAt, InputPosition? Position = null);

public sealed partial record ReviewState
{
    public ImmutableDictionary<string, CommunityInput> CommunityInputs { get; init; } =
        ImmutableDictionary<string, CommunityInput>.Empty;

    internal ReviewState On(CommunityInputReceived e) => this with
    {
        CommunityInputs = CommunityInputs.SetItem(e.InputId,
            new CommunityInput(e.InputId, e.Channel, e.From, e.Summary, e.AreaIds ?? [], e.EffectiveAt, e.Position)),
    };
}
