using System.Text.Json;
using Ssr2Ledger.Ledger;

namespace Ssr2Ledger.Integrity;

/// <summary>The command line's <c>verify [ID] [--against DIGEST]</c> and <c>digest</c>.</summary>
public static class IntegrityCommands
{
    public static async Task<int> VerifyAsync(IServiceProvider services, string? reviewId, string? against)
    {
        var verifier = services.GetRequiredService<ChainVerifier>();
        var json = services.GetRequiredService<EventCatalog>().Json;
        if (against is not null)
        {
            var kept = JsonSerializer.Deserialize<Digest>(await File.ReadAllTextAsync(against), json)
                       ?? throw new ArgumentException($"{against} is not a digest.");
            var check = await DigestCheck.AgainstAsync(kept, verifier, services.GetRequiredService<LedgerDigests>(), CancellationToken.None);
            Console.WriteLine(check.DigestRootValid ? $"Digest of {kept.At:u}: root {kept.Root[..16]}… is consistent with its heads."
                : "The digest's root does not match its own heads: the digest file was altered.");
            foreach (var r in check.Reviews)
                Console.WriteLine(r.Ok ? $"  {r.ReviewId}: unchanged up to version {r.VersionThen}; {r.Added} entries added since"
                    : $"  {r.ReviewId}: ALTERED: {r.Problem}");
            foreach (var r in check.NewReviews) Console.WriteLine($"  {r.ReviewId}: new since the digest ({r.Version} entries)");
            Console.WriteLine(check.Ok ? "OK: nothing recorded before the digest has changed." : "NOT OK");
            return check.Ok ? 0 : 4;
        }

        var ok = true;
        foreach (var id in reviewId is null ? await verifier.ReviewIdsAsync(CancellationToken.None) : [reviewId])
        {
            var report = await verifier.VerifyAsync(id, progress: n => Console.Error.WriteLine($"  {id}: {n:N0} entries checked …"));
            if (report is null) throw new ArgumentException($"Review '{id}' is not in the ledger.");
            ok &= report.Ok;
            Console.WriteLine(report.Ok
                ? $"{id}: ok, {report.EventsChecked:N0} entries, head {report.HeadHash}"
                : $"{id}: NOT OK after {report.EventsChecked:N0} entries: {report.Problem}");
        }
        return ok ? 0 : 4;
    }

    public static async Task<int> ExportAsync(IServiceProvider services, string reviewId, string file)
    {
        // With witnesses configured, the file's closing checkpoint is sealed now and offered to them first, so it carries
        // their cosignatures (a witness that does not answer is named, and the export goes on without it).
        var witnesses = services.GetRequiredService<Witnessing.LedgerWitnesses>();
        if (witnesses.Trusted.Count > 0 && await services.GetRequiredService<TreeProofs>().SealAsync(reviewId, CancellationToken.None) is { } sealedNow)
            Console.Error.WriteLine($"  {await witnesses.CosignAsync(sealedNow, CancellationToken.None)} of {witnesses.Trusted.Count} " +
                                    $"witnesses cosigned the checkpoint of {sealedNow.Version:N0} entries.");
        long? written;
        await using (var output = File.Create(file))
            written = await services.GetRequiredService<LedgerExport>().WriteAsync(reviewId, output,
                n => Console.Error.WriteLine($"  {n:N0} entries written …"), CancellationToken.None);
        if (written is null)
        {
            File.Delete(file);
            throw new ArgumentException($"Review '{reviewId}' is not in the ledger.");
        }
        Console.WriteLine($"Exported {written:N0} entries of '{reviewId}' to {file}. Check it anywhere with: verify-file {file}");
        return 0;
    }

    /// <summary>Needs no database: reads the file alone.</summary>
    /// <param name="verifierKey">The note verifier key, or a file holding it.</param>
    /// <param name="witnesses">Witness cosignature verifier keys (or files holding them) whose cosignature the file must carry.</param>
    public static int VerifyFile(string file, string? publicKeyFile, string? verifierKey = null, IReadOnlyList<string>? witnesses = null)
    {
        // A clear answer, not a stack trace: an auditor may well type the name of a file they do not have.
        foreach (var (path, what) in new[] { (file, "export"), (publicKeyFile, "public key") })
            if (path is not null && !File.Exists(path)) throw new ArgumentException($"No {what} file at '{path}'.");
        using var reader = new StreamReader(file);
        if (verifierKey is not null && File.Exists(verifierKey)) verifierKey = File.ReadAllText(verifierKey).Trim();
        var report = OfflineVerifier.Verify(reader, publicKeyFile is null ? null : File.ReadAllText(publicKeyFile), verifierKey,
            witnesses?.Select(w => File.Exists(w) ? File.ReadAllText(w).Trim() : w).ToList());
        if (report.KeyFromFile)
            Console.WriteLine("Note: no --public-key or --verifier-key given; the checkpoints were checked with the keys written in the file itself.");
        Console.WriteLine(report.Ok
            ? $"OK: {report.ReviewId}, {report.EntriesChecked:N0} entries, head {report.HeadHash}, {report.CheckpointsVerified} checkpoints verified" +
              (witnesses is { Count: > 0 } ? $", cosigned by {witnesses.Count} witness{(witnesses.Count > 1 ? "es" : "")}." : ".")
            : $"NOT OK: {report.Problem}");
        return report.Ok ? 0 : 4;
    }

    public static async Task<int> DigestAsync(IServiceProvider services)
    {
        var digest = await services.GetRequiredService<LedgerDigests>().CurrentAsync(CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(digest, new JsonSerializerOptions(services.GetRequiredService<EventCatalog>().Json) { WriteIndented = true }));
        return 0;
    }
}
