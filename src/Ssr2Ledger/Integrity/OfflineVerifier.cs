using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <param name="KeyFromFile">True when no key was given and the one written in the file was used.</param>
public sealed record FileReport(bool Ok, string? ReviewId, long EntriesChecked, string HeadHash, int CheckpointsVerified,
    Guid? FirstBadEventId, long? FirstBadLine, string? Problem, bool KeyFromFile);

/// <summary>Checks an exported ledger file with no database: the hash chain, then every checkpoint's signature and position.</summary>
public static class OfflineVerifier
{
    public static FileReport Verify(TextReader file, string? publicKeyPem)
    {
        var chain = new ChainCheck();
        var hashes = new Dictionary<long, string>();
        string? reviewId = null;
        var keyFromFile = publicKeyPem is null;
        var checkpoints = 0;
        long line = 0;
        FileReport Bad(string problem, Guid? eventId = null) =>
            new(false, reviewId, chain.Checked, chain.HeadHash, checkpoints, eventId, line, $"Line {line}: {problem}", keyFromFile);

        while (file.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement row;
            try { row = JsonDocument.Parse(text).RootElement; }
            catch (JsonException) { return Bad("not valid JSON."); }
            var kind = row.TryGetProperty("kind", out var k) ? k.GetString() : null;
            try
            {
                switch (kind)
                {
                    case LedgerExport.Kind when line == 1:
                        reviewId = row.GetProperty("reviewId").GetString();
                        publicKeyPem ??= row.GetProperty("publicKeyPem").GetString();
                        break;
                    case "entry" when reviewId is not null:
                        var eventId = row.GetProperty("eventId").GetGuid();
                        var version = row.GetProperty("version").GetInt64();
                        var previousHash = Text(row, "previousHash");
                        var recomputed = ChainCheck.Recompute(previousHash, row.GetProperty("type").GetString()!,
                            row.GetProperty("data").GetRawText(), row.GetProperty("recordedBy").GetString()!, version,
                            row.TryGetProperty("scheme", out var scheme) ? scheme.GetInt32() : null, row.GetProperty("recordedAt").GetDateTimeOffset());
                        var problem = chain.Next(version, Text(row, "hash"), previousHash, recomputed);
                        if (problem is not null) return Bad($"entry {eventId} (version {version}): {problem}.", eventId);
                        hashes[version] = chain.HeadHash;
                        break;
                    case "checkpoint" when reviewId is not null:
                        var checkpoint = row.GetProperty("checkpoint").Deserialize<Checkpoint>(LedgerExport.ExportJson)!;
                        if (checkpoint.ReviewId != reviewId) return Bad($"a checkpoint of review '{checkpoint.ReviewId}' in the export of '{reviewId}'.");
                        if (!checkpoint.IsSignedBy(publicKeyPem!)) return Bad($"the checkpoint at version {checkpoint.Version} is not signed by the key.");
                        if (hashes.GetValueOrDefault(checkpoint.Version) != checkpoint.HeadHash)
                            return Bad($"the checkpoint at version {checkpoint.Version} seals head {checkpoint.HeadHash}, which the entries do not reach.");
                        checkpoints++;
                        break;
                    default:
                        return Bad(line == 1 ? $"not a {LedgerExport.Kind} file." : $"unexpected line of kind '{kind}'.");
                }
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or JsonException)
            {
                return Bad($"a line of kind '{kind}' is missing fields or has the wrong types.");
            }
        }
        if (reviewId is null) return Bad("the file is empty.");
        return new FileReport(true, reviewId, chain.Checked, chain.HeadHash, checkpoints, null, null, null, keyFromFile);
    }

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
