using System.Text.Json;
using System.Text.Json.Serialization;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Corrections;

/// <summary>
/// An entry that acts on an earlier one instead of on the review: a correction or a retraction. The fold never sees
/// one; the replay applies it to its target first (<see cref="ReviewFold"/>).
/// </summary>
public abstract record CorrectiveEntry : ReviewEvent
{
    /// <summary>The entry it corrects or retracts.</summary>
    [JsonIgnore]
    public abstract Guid Target { get; }
}

/// <summary>
/// Replaces fields of an earlier entry from this entry's recorded time on. <c>Corrected</c> holds the
/// fields as they should have been; fields it leaves out keep their recorded value.
/// </summary>
public sealed record EntryCorrected(Guid CorrectsEventId, string Reason, JsonElement Corrected) : CorrectiveEntry
{
    public override Guid Target => CorrectsEventId;
}

public sealed record EntryRetracted(Guid RetractsEventId, string Reason) : CorrectiveEntry
{
    public override Guid Target => RetractsEventId;
}
