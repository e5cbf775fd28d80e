using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Witnessing;

/// <summary>
/// A witness (C2SP tlog-witness): for each log origin it keeps the last checkpoint it cosigned, in its own folder (it
/// trusts nothing of the ledger's but the log's public key), and cosigns a new checkpoint only when a consistency proof
/// links it to that one. It refuses a checkpoint not signed by a log key it trusts, a smaller tree (a rollback), a tree of
/// the same size with another root (a fork) and a tree the proof does not link (an inconsistent one); a refused
/// checkpoint whose signature is valid is kept as evidence of the log's misbehaviour.
/// </summary>
/// <param name="logKeys">The note verifier keys of the ledgers it watches; it watches every review of each
/// (origin <c>&lt;key name&gt;/reviews/&lt;reviewId&gt;</c>).</param>
public sealed class Witness(Cosigner cosigner, IReadOnlyList<string> logKeys, WitnessState state, TimeProvider clock)
{
    public const string SizeContentType = "text/x.tlog.size";
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>An answer of the add-checkpoint call: the HTTP status, its content type and body.</summary>
    public sealed record Answer(int Status, string ContentType, string Body)
    {
        public static Answer Refused(int status, string why) => new(status, "text/plain; charset=utf-8", why + "\n");
    }

    public CosignatureV1.WitnessKey Key => cosigner.Key;

    /// <summary>The add-checkpoint request: <c>old N</c>, the consistency proof (one base64 hash a line), an empty line, the note.</summary>
    public async Task<Answer> AddCheckpointAsync(string request, CancellationToken ct)
    {
        var lines = request.Split('\n');
        var blank = Array.IndexOf(lines, "");
        if (blank < 1 || !lines[0].StartsWith("old ", StringComparison.Ordinal) || !long.TryParse(lines[0][4..], NumberStyles.None,
                CultureInfo.InvariantCulture, out var old) || old.ToString(CultureInfo.InvariantCulture) != lines[0][4..])
            return Answer.Refused(400, "The request must begin with \"old <size>\", then the proof, an empty line and the checkpoint.");
        if (blank - 1 > 63) return Answer.Refused(400, "A consistency proof has at most 63 hashes.");
        var proof = new List<byte[]>();
        foreach (var line in lines[1..blank])
            if (Hash(line) is { } hash) proof.Add(hash);
            else return Answer.Refused(400, $"\"{line}\" is not a base64 hash of 32 bytes.");
        var note = string.Join('\n', lines[(blank + 1)..]);
        if (SignedNote.Checkpoint(note) is not { } checkpoint) return Answer.Refused(400, "The body does not end with a checkpoint note.");

        var logKey = logKeys.FirstOrDefault(k => checkpoint.Origin.StartsWith(k.Split('+')[0] + "/reviews/", StringComparison.Ordinal));
        if (logKey is null) return Answer.Refused(404, $"This witness does not watch the log \"{checkpoint.Origin}\".");
        if (!SignedNote.IsSignedBy(note, logKey)) return Answer.Refused(403, "The checkpoint is not signed by the log's key.");
        if (old > checkpoint.TreeSize) return Answer.Refused(400, $"The old size {old} is larger than the checkpoint's, {checkpoint.TreeSize}.");
        if (old == 0 && proof.Count > 0) return Answer.Refused(400, "A request from size 0 carries no proof.");

        await _lock.WaitAsync(ct); // checking the old size and keeping the new checkpoint are one step (no rollback by a race)
        try
        {
            var last = state.Last(checkpoint.Origin);
            var lastSize = last?.TreeSize ?? 0;
            if (old != lastSize) return new Answer(409, SizeContentType, lastSize.ToString(CultureInfo.InvariantCulture) + "\n");
            if (last is not null && old == checkpoint.TreeSize && !last.Root.AsSpan().SequenceEqual(checkpoint.Root))
            {
                state.KeepEvidence(note, $"fork: size {old} with another root than the one cosigned");
                return Answer.Refused(409, $"Fork: the witness cosigned another root at size {old}.");
            }
            if (last is not null && old < checkpoint.TreeSize
                && !MerkleTree.VerifyConsistency(old, checkpoint.TreeSize, last.Root, checkpoint.Root, proof))
            {
                state.KeepEvidence(note, $"inconsistent: no proof from the size {old} cosigned");
                return Answer.Refused(422, $"The consistency proof does not link the tree of {old} cosigned to this one.");
            }
            state.Keep(checkpoint.Origin, note);
            var text = SignedNote.Parse(note)!.Value.Text;
            return new Answer(200, "text/plain; charset=utf-8", cosigner.Cosign(text, clock.GetUtcNow()));
        }
        finally { _lock.Release(); }
    }

    private static byte[]? Hash(string line)
    {
        try { return Convert.FromBase64String(line) is { Length: 32 } hash ? hash : null; }
        catch (FormatException) { return null; }
    }
}

/// <summary>
/// A witness's own state: one file per log origin holding the last checkpoint it cosigned (written to a temporary file,
/// flushed, then renamed over the old one), and an <c>evidence</c> folder of refused checkpoints. A lock file keeps a
/// second witness process off the same folder.
/// </summary>
public sealed class WitnessState : IDisposable
{
    private readonly string _directory;
    private readonly FileStream _lock;

    public WitnessState(string directory)
    {
        _directory = Directory.CreateDirectory(directory).FullName;
        try { _lock = new FileStream(Path.Combine(_directory, "witness.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException ex) { throw new InvalidOperationException($"Another witness holds the state folder {_directory}.", ex); }
    }

    private string FileOf(string origin) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)))[..32] + ".checkpoint");

    /// <summary>The last checkpoint cosigned for the origin; null when none.</summary>
    public SignedNote.Body? Last(string origin) =>
        File.Exists(FileOf(origin)) ? SignedNote.Checkpoint(File.ReadAllText(FileOf(origin))) is { } body && body.Origin == origin ? body
            : throw new InvalidDataException($"The witness's state file {FileOf(origin)} does not hold a checkpoint of {origin}.")
        : null;

    /// <summary>Keeps the note as the last cosigned for its origin, durably, before the cosignature leaves.</summary>
    public void Keep(string origin, string note) => WriteDurably(FileOf(origin), note);

    public void KeepEvidence(string note, string why)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "evidence")).FullName;
        WriteDurably(Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss.fffffff}-{Guid.NewGuid():N}.txt"), $"{why}\n\n{note}");
    }

    private static void WriteDurably(string path, string text)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose() => _lock.Dispose();
}
