using System.Text.Json.Serialization;

namespace Ssr2Ledger.Ledger;

/// <summary>How the team reached a decision: shared by scope decisions and terms-of-reference adoptions.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<DecisionMethod>))]
public enum DecisionMethod { Consensus, FullConsensus, Vote, Chair }
