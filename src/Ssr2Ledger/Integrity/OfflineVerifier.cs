using System.Text.Json;

namespace Ssr2Ledger.Integrity;

/// <param name="KeyFromFile">True when no key was given and the one written in the file was used.</param>
public sealed record FileReport(bool Ok, string? ReviewId, long EntriesChecked, string HeadHash, int CheckpointsVerified,
    Guid? FirstBadEventId, long? FirstBadLine, string? Problem, bool KeyFromFile);

/// <summary>
/// Checks an exported ledger file with no database: the hash chain, the Merkle tree of the entries, every checkpoint's
/// signature and position, that every meeting held has its checkpoint, and that the file ends with the signed checkpoint
/// of every entry in it (so a file cut short, or with entries dropped at its end, is refused).
/// </summary>
public static class OfflineVerifier
{
    /// <param name="publicKeyPem">The ECDSA key of the checkpoints' JSON signatures; null: the one written in the file.</param>
    /// <param name="verifierKey">The note verifier key (C2SP form); null: the one written in the file.</param>
    /// <param name="witnesses">Cosignature verifier keys of witnesses whose valid cosignature the closing checkpoint must carry.</param>
    public static FileReport Verify(TextReader file, string? publicKeyPem, string? verifierKey = null, IReadOnlyList<string>? witnesses = null)
    {
        var chain = new ChainCheck();
        var tree = new TreeFrontier(0, []);
        var hashes = new Dictionary<long, (string Hash, byte[] Root)>();
        var meetingsHeld = new SortedSet<long>();
        var sealedVersions = new HashSet<long>();
        string? reviewId = null, origin = null;
        var keyFromFile = publicKeyPem is null && verifierKey is null;
        var checkpoints = 0;
        var closed = false;
        long line = 0;
        FileReport Bad(string problem, Guid? eventId = null) =>
            new(false, reviewId, chain.Checked, chain.HeadHash, checkpoints, eventId, line, $"Line {line}: {problem}", keyFromFile);

        string? NoteProblem(string note, long size, string what)
        {
            if (!SignedNote.IsSignedBy(note, verifierKey ?? "")) return $"{what} is not signed by the note key.";
            if (SignedNote.Checkpoint(note) is not { } body || body.Origin != origin) return $"{what} is not a checkpoint of {origin}.";
            if (body.TreeSize != size) return $"{what} is of size {body.TreeSize}, not {size}.";
            return hashes.TryGetValue(size, out var at) && at.Root.AsSpan().SequenceEqual(body.Root) ? null
                : $"{what} signs a Merkle root of {size} entries that the entries do not make.";
        }

        while (file.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (closed) return Bad("a line after the closing checkpoint.");
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
                        verifierKey ??= Text(row, "verifierKey");
                        origin = Text(row, "origin");
                        break;
                    case "entry" when reviewId is not null:
                        var eventId = row.GetProperty("eventId").GetGuid();
                        var version = row.GetProperty("version").GetInt64();
                        var previousHash = Text(row, "previousHash");
                        var type = row.GetProperty("type").GetString()!;
                        var data = row.GetProperty("data");
                        var recomputed = ChainCheck.Recompute(previousHash, type, data.GetRawText(), row.GetProperty("recordedBy").GetString()!,
                            version, row.TryGetProperty("scheme", out var scheme) ? scheme.GetInt32() : null,
                            row.GetProperty("recordedAt").GetDateTimeOffset());
                        var problem = chain.Next(version, Text(row, "hash"), previousHash, recomputed);
                        if (problem is not null) return Bad($"entry {eventId} (version {version}): {problem}.", eventId);
                        tree.Append(Convert.FromHexString(chain.HeadHash));
                        hashes[version] = (chain.HeadHash, tree.Root());
                        if (type == "MeetingHeld" && data.TryGetProperty("meetingId", out var meeting) && meeting.ValueKind == JsonValueKind.String)
                            meetingsHeld.Add(version);
                        break;
                    case "checkpoint" when reviewId is not null:
                        var checkpoint = row.GetProperty("checkpoint").Deserialize<Checkpoint>(LedgerExport.ExportJson)!;
                        if (checkpoint.ReviewId != reviewId) return Bad($"a checkpoint of review '{checkpoint.ReviewId}' in the export of '{reviewId}'.");
                        if (!checkpoint.IsSignedBy(publicKeyPem!)) return Bad($"the checkpoint at version {checkpoint.Version} is not signed by the key.");
                        if (!hashes.TryGetValue(checkpoint.Version, out var sealedAt) || sealedAt.Hash != checkpoint.HeadHash)
                            return Bad($"the checkpoint at version {checkpoint.Version} seals head {checkpoint.HeadHash}, which the entries do not reach.");
                        if (checkpoint.Note is { } note && NoteProblem(note, checkpoint.Version, $"the checkpoint note at version {checkpoint.Version}") is { } bad)
                            return Bad(bad);
                        sealedVersions.Add(checkpoint.Version);
                        checkpoints++;
                        break;
                    case "end" when reviewId is not null:
                        var entries = row.GetProperty("entries").GetInt64();
                        if (entries != chain.Checked)
                            return Bad($"the closing checkpoint covers {entries} entries but the file holds {chain.Checked}: entries were dropped.");
                        if (chain.Checked == 0) hashes[0] = (HashChain.Genesis, tree.Root());
                        var closing = row.GetProperty("checkpoint").GetString()!;
                        if (NoteProblem(closing, entries, "the closing checkpoint") is { } unsigned) return Bad(unsigned);
                        if (Uncosigned(closing, witnesses ?? []) is { } missing) return Bad(missing);
                        closed = true;
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
        line++;
        if (reviewId is null) return Bad("the file is empty.");
        if (meetingsHeld.FirstOrDefault(v => !sealedVersions.Contains(v)) is > 0 and var unsealed)
            return Bad($"the meeting held at version {unsealed} has no checkpoint in the file: a checkpoint was removed.");
        if (!closed) return Bad("the file ends without its closing checkpoint: it was cut short, or its last line removed.");
        return new FileReport(true, reviewId, chain.Checked, chain.HeadHash, checkpoints, null, null, null, keyFromFile);
    }

    /// <summary>Names every witness whose valid cosignature the note lacks; null when none is missing.</summary>
    private static string? Uncosigned(string note, IReadOnlyList<string> witnesses)
    {
        var missing = witnesses.Select(w => (Key: w, Parsed: Witnessing.CosignatureV1.ParseKey(w)))
            .Where(w => w.Parsed is null || Witnessing.CosignatureV1.Find(note, w.Parsed) is null)
            .Select(w => w.Parsed is null ? $"'{w.Key}' (not a cosignature verifier key)" : w.Parsed.Name).ToList();
        return missing.Count == 0 ? null
            : $"the closing checkpoint carries no valid cosignature from the witness{(missing.Count > 1 ? "es" : "")} {string.Join(", ", missing)}.";
    }

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
