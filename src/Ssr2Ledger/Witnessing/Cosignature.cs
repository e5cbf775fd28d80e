using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Witnessing;

/// <summary>
/// C2SP tlog-cosignature, Ed25519 (<c>cosignature/v1</c>): a note signature line
/// <c>— &lt;witness name&gt; base64(key hash || u64 timestamp, big-endian || Ed25519 signature)</c>, whose key hash is
/// SHA-256(name || "\n" || 0x04 || public key)[:4] and whose signature covers <c>cosignature/v1\ntime &lt;timestamp&gt;\n</c>
/// followed by the checkpoint's text. A cosignature says: as of that time, this is the largest tree of the log that the
/// witness has seen, and it extends every one the witness cosigned before.
/// </summary>
public static class CosignatureV1
{
    public const byte KeyType = 0x04;

    /// <summary>A witness's public key as a verifier trusts it: <c>&lt;name&gt;+&lt;hex key hash&gt;+base64(0x04 || key)</c>.</summary>
    public sealed record WitnessKey(string Name, uint KeyHash, byte[] PublicKey)
    {
        public string VerifierKey => $"{Name}+{KeyHash:x8}+{Convert.ToBase64String([KeyType, .. PublicKey])}";
    }

    public static uint KeyHash(string name, byte[] publicKey) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', KeyType, .. publicKey]));

    /// <summary>What the witness signs: the header line, the time line, and the checkpoint's text (ending in a newline).</summary>
    public static byte[] Message(string checkpointText, long timestamp) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n{checkpointText}");

    /// <summary>A witness verifier key; null when the text is not one (wrong type byte, key hash or length).</summary>
    public static WitnessKey? ParseKey(string verifierKey)
    {
        var parts = verifierKey.Trim().Split('+', 3); // base64 may hold '+' too
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, null, out var hash)) return null;
        try
        {
            var key = Convert.FromBase64String(parts[2]);
            return key is [KeyType, ..] && key.Length == 33 && KeyHash(parts[0], key[1..]) == hash ? new(parts[0], hash, key[1..]) : null;
        }
        catch (FormatException) { return null; }
    }

    /// <summary>The time of a valid cosignature by <paramref name="witness"/> on the checkpoint text; null when it is not one.</summary>
    public static DateTimeOffset? Verify(WitnessKey witness, string checkpointText, SignedNote.Signature signature)
    {
        if (signature.Name != witness.Name || signature.KeyHash != witness.KeyHash || signature.Bytes.Length != 8 + 64) return null;
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(signature.Bytes);
        if (timestamp < 0 || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, witness.PublicKey, KeyBlobFormat.RawPublicKey, out var key)) return null;
        return SignatureAlgorithm.Ed25519.Verify(key!, Message(checkpointText, timestamp), signature.Bytes.AsSpan(8))
            ? DateTimeOffset.FromUnixTimeSeconds(timestamp) : null;
    }

    /// <summary>The valid cosignature of a note by the witness; null when the note carries none.</summary>
    public static (SignedNote.Signature Signature, DateTimeOffset Time)? Find(string note, WitnessKey witness)
    {
        if (SignedNote.Parse(note) is not { } parsed) return null;
        foreach (var signature in parsed.Signatures)
            if (Verify(witness, parsed.Text, signature) is { } time) return (signature, time);
        return null;
    }

    /// <summary>A signature as its note line, newline included.</summary>
    public static string Line(SignedNote.Signature signature)
    {
        var blob = new byte[4 + signature.Bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, signature.KeyHash);
        signature.Bytes.CopyTo(blob, 4);
        return $"{SignedNote.Dash} {signature.Name} {Convert.ToBase64String(blob)}\n";
    }
}

/// <summary>A witness's own Ed25519 key (a PEM file the witness keeps; never the ledger's), which cosigns checkpoints.</summary>
public sealed class Cosigner : IDisposable
{
    private readonly Key _key;

    private Cosigner(Key key, string name)
    {
        _key = key;
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Key = new CosignatureV1.WitnessKey(name, CosignatureV1.KeyHash(name, publicKey), publicKey);
    }

    public CosignatureV1.WitnessKey Key { get; }

    public static Cosigner Open(string path, string name) => new(Ed25519KeyFile.Open(path), name);

    /// <summary>A key from its 32-byte seed: the test vectors' fixed key.</summary>
    public static Cosigner FromSeed(byte[] seed, string name) => new(NSec.Cryptography.Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey), name);

    /// <summary>The cosignature line of a checkpoint's text at <paramref name="time"/> (whole seconds).</summary>
    public string Cosign(string checkpointText, DateTimeOffset time)
    {
        var timestamp = time.ToUnixTimeSeconds();
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, CosignatureV1.Message(checkpointText, timestamp));
        var bytes = new byte[8 + signature.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        signature.CopyTo(bytes, 8);
        return CosignatureV1.Line(new SignedNote.Signature(Key.Name, Key.KeyHash, bytes));
    }

    public void Dispose() => _key.Dispose();
}
