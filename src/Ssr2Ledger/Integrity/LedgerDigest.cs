using Ssr2Ledger.Database;
using System.Data;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Ssr2Ledger.Hosting;

namespace Ssr2Ledger.Integrity;

public sealed record ReviewHead(string ReviewId, long Version, string HeadHash);

/// <summary>What an auditor keeps: every review's head folded into one Merkle root, with the global sequence.</summary>
public sealed record Digest(DateTimeOffset At, long Sequence, string Root, IReadOnlyList<ReviewHead> Reviews)
{
    /// <summary>The RFC 6962 root over the reviews' heads in reviewId order; a leaf is the RFC 8785 JSON of a head.</summary>
    public static string RootOf(IEnumerable<ReviewHead> heads) =>
        Convert.ToHexStringLower(MerkleTree.Root(heads.OrderBy(h => h.ReviewId, StringComparer.Ordinal).Select(h =>
            CanonicalJson.Serialize(JsonSerializer.SerializeToElement(new JsonObject
                { ["reviewId"] = h.ReviewId, ["version"] = h.Version, ["headHash"] = h.HeadHash }))).ToList()));
}

public sealed class LedgerDigests(LedgerDatabase database, IDocumentStore store)
{
    /// <summary>The digest of the ledger as it stands, read in one snapshot of the database.</summary>
    public async Task<Digest> CurrentAsync(CancellationToken cancellation)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellation);
        var heads = new List<ReviewHead>();
        await using (var command = new NpgsqlCommand(
            $"select distinct on (stream_id) stream_id, version, headers ->> 'hash' from {schema}.mt_events " +
            $"where stream_id not like 'mt\\_%' order by stream_id, version desc", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
                heads.Add(new ReviewHead(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? "" : reader.GetString(2)));
        var sequence = await new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {schema}.mt_events", connection, transaction)
            .ExecuteScalarAsync(cancellation) as long? ?? 0;
        heads.Sort((a, b) => string.CompareOrdinal(a.ReviewId, b.ReviewId));
        return new Digest(DateTimeOffset.UtcNow, sequence, Digest.RootOf(heads), heads);
    }
}

/// <summary>What checking a kept digest against the ledger today found.</summary>
public sealed record DigestCheck(bool Ok, bool DigestRootValid, IReadOnlyList<DigestCheck.Review> Reviews, IReadOnlyList<ReviewHead> NewReviews)
{
    /// <param name="Added">Entries recorded in this review since the digest.</param>
    public sealed record Review(string ReviewId, bool Ok, long VersionThen, long VersionNow, long Added, string? Problem, Guid? FirstBadEventId);

    /// <summary>
    /// Proves that nothing recorded before the digest changed: every review's chain, recomputed from today's
    /// rows up to the digest's version, must end at the digest's head hash; then says what was added since.
    /// </summary>
    public static async Task<DigestCheck> AgainstAsync(Digest kept, ChainVerifier verifier, LedgerDigests digests, CancellationToken cancellation)
    {
        var rootValid = Digest.RootOf(kept.Reviews) == kept.Root;
        var now = (await digests.CurrentAsync(cancellation)).Reviews.ToDictionary(h => h.ReviewId);
        var reviews = new List<Review>();
        foreach (var then in kept.Reviews)
        {
            var report = await verifier.VerifyAsync(then.ReviewId, then.Version, cancellation: cancellation);
            var versionNow = now.GetValueOrDefault(then.ReviewId)?.Version ?? 0;
            var problem = report is null ? "The review is no longer in the ledger."
                : !report.Ok ? report.Problem
                : report.EventsChecked != then.Version ? $"The ledger now holds {report.EventsChecked} entries where the digest saw {then.Version}."
                : report.HeadHash != then.HeadHash ? $"The chain at version {then.Version} now ends at {report.HeadHash}, not {then.HeadHash}."
                : null;
            reviews.Add(new Review(then.ReviewId, problem is null, then.Version, versionNow, Math.Max(0, versionNow - then.Version), problem,
                report?.FirstBadEventId));
        }
        var added = now.Values.Where(h => kept.Reviews.All(r => r.ReviewId != h.ReviewId)).ToList();
        return new DigestCheck(rootValid && reviews.All(r => r.Ok), rootValid, reviews, added);
    }
}
