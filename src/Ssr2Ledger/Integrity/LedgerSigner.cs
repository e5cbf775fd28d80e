using System.Security.Cryptography;
using System.Text;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// The ledger's ECDSA P-256 key, kept in a PEM file outside the database (<c>Ledger:SigningKeyPath</c>) and
/// made on first start when absent. Signatures are IEEE P1363 (r || s), base64, over SHA-256. Checkpoints are signed
/// notes made with <see cref="Notes"/>, the Ed25519 key beside it; the ECDSA key still signs and checks their JSON form.
/// </summary>
public sealed class LedgerSigner : IDisposable
{
    public const string Algorithm = "ES256: ECDSA P-256 with SHA-256, IEEE P1363 signature (r || s), base64";
    private readonly ECDsa _key;

    public const string DefaultNoteKeyName = "ssr2ledger";

    private LedgerSigner(ECDsa key, NoteSigner notes)
    {
        _key = key;
        Notes = notes;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = KeyIdOf(PublicKeyPem);
    }

    public string PublicKeyPem { get; }
    public string KeyId { get; }

    /// <summary>The Ed25519 key that signs checkpoint notes.</summary>
    public NoteSigner Notes { get; }

    /// <param name="noteKeyName">The note key's name (<c>Ledger:NoteKeyName</c>), which begins every review's origin.</param>
    public static LedgerSigner Open(string path, string noteKeyName = DefaultNoteKeyName)
    {
        var key = ECDsa.Create();
        var notes = NoteSigner.Open(NoteSigner.PathBeside(path), noteKeyName);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new LedgerSigner(key, notes);
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new StreamWriter(path, Encoding.ASCII, options)) file.Write(key.ExportPkcs8PrivateKeyPem());
        return new LedgerSigner(key, notes);
    }

    public static string DefaultPath(string dataDirectory) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!, "signing-key.pem");

    public string Sign(byte[] payload) => Convert.ToBase64String(_key.SignData(payload, HashAlgorithmName.SHA256));

    public static bool Verify(string publicKeyPem, byte[] payload, string signature)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        try { return key.VerifyData(payload, Convert.FromBase64String(signature), HashAlgorithmName.SHA256); }
        catch (FormatException) { return false; }
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the public key's PEM.</summary>
    public static string KeyIdOf(string publicKeyPem) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(publicKeyPem.Trim())))[..16];

    public void Dispose()
    {
        _key.Dispose();
        Notes.Dispose();
    }
}
