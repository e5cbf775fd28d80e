using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// The ledger's Ed25519 note key (C2SP signed-note): a note is its text, a blank line, and one line a signature,
/// <c>— &lt;key name&gt; base64(4-byte key hash || 64-byte signature over the text)</c>; the key hash is the first four
/// bytes of SHA-256(key name || "\n" || 0x01 || public key). Kept in a PEM file beside the ECDSA key (which still
/// checks the checkpoints sealed before notes), made on first start.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private NoteSigner(Key key, string name)
    {
        _key = key;
        Name = name;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyHash = SignedNote.KeyHash(name, PublicKey);
    }

    /// <summary>The key's name, on every signature line, and the start of every review's checkpoint origin.</summary>
    public string Name { get; }
    public byte[] PublicKey { get; }
    public uint KeyHash { get; }

    /// <summary>The verifier key in C2SP form: <c>&lt;name&gt;+&lt;hex key hash&gt;+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey => SignedNote.VerifierKey(Name, PublicKey);

    /// <summary>The Ed25519 key beside the ECDSA one: <c>signing-key.pem</c> → <c>signing-key.ed25519.pem</c>.</summary>
    public static string PathBeside(string signingKeyPath) => Path.ChangeExtension(signingKeyPath, ".ed25519.pem");

    public static NoteSigner Open(string path, string name) => new(Ed25519KeyFile.Open(path), name);

    /// <summary>A key from its 32-byte Ed25519 seed (RFC 8032 private key): the test vectors' fixed key.</summary>
    public static NoteSigner FromSeed(byte[] seed, string name) =>
        new(Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey), name);

    /// <summary>Signs a note's text (ending in a newline): the text, a blank line, the signature line.</summary>
    public string Sign(string text)
    {
        var signature = Ed25519.Sign(_key, Encoding.UTF8.GetBytes(text));
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, KeyHash);
        signature.CopyTo(blob, 4);
        return $"{text}\n{SignedNote.Dash} {Name} {Convert.ToBase64String(blob)}\n";
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>An Ed25519 private key in a PEM file (PKCS#8), readable by its owner only, made when absent.</summary>
public static class Ed25519KeyFile
{
    public static Key Open(string path)
    {
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (File.Exists(path)) return Key.Import(SignatureAlgorithm.Ed25519, File.ReadAllBytes(path), KeyBlobFormat.PkixPrivateKeyText, parameters);
        var key = Key.Create(SignatureAlgorithm.Ed25519, parameters);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options)) file.Write(key.Export(KeyBlobFormat.PkixPrivateKeyText));
        return key;
    }
}

/// <summary>Reads and checks C2SP signed notes and tlog-checkpoint bodies.</summary>
public static class SignedNote
{
    public const string Dash = "\u2014";

    public sealed record Signature(string Name, uint KeyHash, byte[] Bytes);

    /// <summary>A tlog-checkpoint body: origin, tree size, root.</summary>
    public sealed record Body(string Origin, long TreeSize, byte[] Root)
    {
        public string Text => $"{Origin}\n{TreeSize}\n{Convert.ToBase64String(Root)}\n";
    }

    public static uint KeyHash(string name, byte[] publicKey) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', 0x01, .. publicKey]));

    public static string VerifierKey(string name, byte[] publicKey) =>
        $"{name}+{KeyHash(name, publicKey):x8}+{Convert.ToBase64String([0x01, .. publicKey])}";

    /// <summary>The note's text and signatures; null when it is not a signed note.</summary>
    public static (string Text, List<Signature> Signatures)? Parse(string note)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n')) return null;
        var text = note[..(split + 1)];
        var signatures = new List<Signature>();
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[0] != Dash) return null;
            byte[] blob;
            try { blob = Convert.FromBase64String(parts[2]); }
            catch (FormatException) { return null; }
            if (blob.Length < 5) return null;
            signatures.Add(new Signature(parts[1], BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]));
        }
        return signatures.Count == 0 ? null : (text, signatures);
    }

    /// <summary>True when the note carries a valid Ed25519 signature by the key <paramref name="verifierKey"/> names.</summary>
    public static bool IsSignedBy(string note, string verifierKey)
    {
        if (ParseVerifierKey(verifierKey) is not var (name, hash, key) || Parse(note) is not { } parsed) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, key, KeyBlobFormat.RawPublicKey, out var publicKey)) return false;
        var text = Encoding.UTF8.GetBytes(parsed.Text);
        return parsed.Signatures.Any(s => s.Name == name && s.KeyHash == hash && SignatureAlgorithm.Ed25519.Verify(publicKey!, text, s.Bytes));
    }

    public static bool IsVerifierKey(string verifierKey) => ParseVerifierKey(verifierKey) is not null;

    /// <summary>An Ed25519 note verifier key's name, key hash and public key; null when the text is not one.</summary>
    private static (string Name, uint Hash, byte[] Key)? ParseVerifierKey(string verifierKey)
    {
        var parts = verifierKey.Trim().Split('+', 3); // base64 may hold '+' too
        if (parts.Length != 3) return null;
        byte[] key;
        try { key = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { return null; }
        if (key is not [0x01, ..] || key.Length != 33 || !uint.TryParse(parts[1], System.Globalization.NumberStyles.HexNumber, null, out var hash)
            || KeyHash(parts[0], key[1..]) != hash) return null;
        return (parts[0], hash, key[1..]);
    }

    /// <summary>The checkpoint a note's text holds; null when it is not a tlog-checkpoint.</summary>
    public static Body? Checkpoint(string note)
    {
        if (Parse(note) is not { } parsed) return null;
        var lines = parsed.Text.Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0 || !long.TryParse(lines[1], out var size) || size < 0
            || size.ToString(System.Globalization.CultureInfo.InvariantCulture) != lines[1]) return null;
        try
        {
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == 32 ? new Body(lines[0], size, root) : null;
        }
        catch (FormatException) { return null; }
    }
}
