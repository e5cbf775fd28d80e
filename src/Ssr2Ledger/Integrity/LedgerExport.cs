using Ssr2Ledger.Database;
using System.Data;
using System.Text.Json;
using Marten;
using Npgsql;
using Ssr2Ledger.Hosting;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// A review's ledger as one NDJSON file an auditor can check with no database: a header with the public keys,
/// every entry as stored (data, recorded time, recorder, hashes, scheme), the signed checkpoints, and last a checkpoint
/// note signed for this export, of every entry in it: a file cut short or missing entries at its end does not verify.
/// </summary>
public sealed class LedgerExport(LedgerDatabase database, IDocumentStore store, LedgerSigner signer, Witnessing.LedgerWitnesses witnesses)
{
    public const string Kind = "ssr2ledger-export";

    /// <returns>The number of entries written, or null when the review is not in the ledger.</returns>
    public async Task<long?> WriteAsync(string reviewId, Stream output, Action<long>? progress, CancellationToken cancellation)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellation);
        await using (var exists = new NpgsqlCommand($"select 1 from {schema}.mt_streams where id = $1", connection, transaction)
                         { Parameters = { new() { Value = reviewId } } })
            if (await exists.ExecuteScalarAsync(cancellation) is null) return null;

        await using var writer = new Utf8JsonWriter(output);
        void Line(Action<Utf8JsonWriter> write)
        {
            writer.Reset(output);
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
        }

        Line(w =>
        {
            w.WriteString("kind", Kind);
            w.WriteString("reviewId", reviewId);
            w.WriteString("exportedAt", DateTimeOffset.UtcNow);
            w.WriteString("algorithm", LedgerSigner.Algorithm);
            w.WriteString("keyId", signer.KeyId);
            w.WriteString("publicKeyPem", signer.PublicKeyPem);
            w.WriteString("verifierKey", signer.Notes.VerifierKey);
            w.WriteString("origin", Checkpoint.Origin(signer.Notes.Name, reviewId));
            w.WriteString("hashChain", "hash = SHA-256(previousHash bytes || RFC 8785 JSON of { type, data, effectiveAt, recordedAt, recordedBy, version }); scheme 1 (no scheme field): without recordedAt");
        });

        long count = 0;
        await using (var rows = new NpgsqlCommand(
            $"select id, seq_id, version, type, data::text, timestamp, coalesce(user_name, ''), headers ->> 'hash', headers ->> 'previousHash', " +
            $"(headers ->> 'scheme')::int from {schema}.mt_events where stream_id = $1 order by version, seq_id", connection, transaction)
            { Parameters = { new() { Value = reviewId } } })
        await using (var reader = await rows.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                Line(w =>
                {
                    w.WriteString("kind", "entry");
                    w.WriteString("eventId", reader.GetGuid(0));
                    w.WriteNumber("sequence", reader.GetInt64(1));
                    w.WriteNumber("version", reader.GetInt64(2));
                    w.WriteString("type", reader.GetString(3));
                    w.WritePropertyName("data");
                    w.WriteRawValue(reader.GetString(4), skipInputValidation: true);
                    w.WriteString("recordedAt", reader.GetFieldValue<DateTimeOffset>(5));
                    w.WriteString("recordedBy", reader.GetString(6));
                    w.WriteString("hash", reader.IsDBNull(7) ? null : reader.GetString(7));
                    w.WriteString("previousHash", reader.IsDBNull(8) ? null : reader.GetString(8));
                    if (!reader.IsDBNull(9)) w.WriteNumber("scheme", reader.GetInt32(9));
                });
                if (++count % 100_000 == 0) progress?.Invoke(count);
            }
        }

        await using var session = store.QuerySession();
        foreach (var checkpoint in await session.Query<Checkpoint>().Where(c => c.ReviewId == reviewId).OrderBy(c => c.Version).ToListAsync(cancellation))
            Line(w =>
            {
                w.WriteString("kind", "checkpoint");
                w.WritePropertyName("checkpoint");
                JsonSerializer.Serialize(w, checkpoint, ExportJson);
            });

        var keys = TreeFrontier.Keys(count).ToList();
        var found = await ReviewTrees.ReadAsync(connection, schema, reviewId, keys, cancellation);
        var root = keys.All(found.ContainsKey) ? new TreeFrontier(count, keys.Select(k => found[k])).Root()
            : throw new InvalidDataException($"The Merkle tree of review '{reviewId}' lacks subtrees below size {count}.");
        // The witnesses' cosignatures of this tree size follow the ledger's signature: Ed25519 notes of one text are the same.
        var closing = await witnesses.WithCosignaturesAsync(reviewId,
            signer.Notes.Sign(new SignedNote.Body(Checkpoint.Origin(signer.Notes.Name, reviewId), count, root).Text), cancellation);
        Line(w =>
        {
            w.WriteString("kind", "end");
            w.WriteNumber("entries", count);
            w.WriteString("checkpoint", closing);
        });
        return count;
    }

    public static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web);
}
