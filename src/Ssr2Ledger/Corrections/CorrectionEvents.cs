using System.Text.Json;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Corrections;

/// <summary>
/// Replaces fields of an earlier entry from this entry's recorded time on. <c>Corrected</c> holds the
/// fields as they should have been; fields it leaves out keep their recorded value.
/// </summary>
public sealed record EntryCorrected(Guid CorrectsEventId, string Reason, JsonElement Corrected) : ReviewEvent;

public sealed record EntryRetracted(Guid RetractsEventId, string Reason) : ReviewEvent;
