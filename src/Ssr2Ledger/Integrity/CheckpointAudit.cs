namespace Ssr2Ledger.Integrity;

/// <summary>
/// What a reader who kept an earlier checkpoint checks of a later one (a witness's rule): both signed by the ledger's
/// note key, of the same review, and the later tree an extension of the earlier, proved by a consistency proof. Two
/// checkpoints of the same size with different roots, or a later one that does not extend the earlier, are a fork:
/// the ledger showed two histories.
/// </summary>
public static class CheckpointAudit
{
    /// <returns>Null when <paramref name="later"/> extends <paramref name="earlier"/>; otherwise what is wrong.</returns>
    public static string? Compare(string earlier, string later, IReadOnlyList<byte[]> consistency, string verifierKey)
    {
        if (!SignedNote.IsSignedBy(earlier, verifierKey)) return "the earlier checkpoint is not signed by the ledger's key";
        if (!SignedNote.IsSignedBy(later, verifierKey)) return "the later checkpoint is not signed by the ledger's key";
        if (SignedNote.Checkpoint(earlier) is not { } a || SignedNote.Checkpoint(later) is not { } b) return "a note is not a checkpoint";
        if (a.Origin != b.Origin) return $"the checkpoints are of two logs, {a.Origin} and {b.Origin}";
        if (b.TreeSize < a.TreeSize) return $"the later checkpoint (size {b.TreeSize}) is smaller than the earlier (size {a.TreeSize})";
        if (a.TreeSize == b.TreeSize)
            return a.Root.AsSpan().SequenceEqual(b.Root) ? null : $"fork: two checkpoints of size {a.TreeSize} with different roots";
        if (a.TreeSize == 0) return null;
        return MerkleTree.VerifyConsistency(a.TreeSize, b.TreeSize, a.Root, b.Root, consistency) ? null
            : $"fork: the tree of size {b.TreeSize} does not extend the one of size {a.TreeSize} (the consistency proof fails)";
    }
}
