using System.Security.Cryptography;
using System.Text;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// docs/verification.md is written by this test from the ledger's own code, so that its test vectors stay true:
/// the test fails when the file differs, and rewrites it when SSR2LEDGER_WRITE_DOCS=1.
/// </summary>
public sealed class VerificationDocTests
{
    private const string Review = "example-review";

    // Five entries as stored (data exactly as the store keeps it), recorded by "recorder-1".
    private static readonly (string Type, string Data, string RecordedAt)[] Entries =
    [
        ("ReviewChartered", """{"name": "Example review", "mandate": "Bylaws 4.6(c)", "reviewId": "example-review", "effectiveAt": "2017-02-03T00:00:00+00:00"}""", "2026-12-01T09:00:00.123456Z"),
        ("TopicAreaAgreed", """{"title": "Topic t1", "topicId": "t1", "effectiveAt": "2017-05-14T09:00:00+00:00", "description": "d"}""", "2026-12-01T09:00:01.5Z"),
        ("AreaOfInterestIdentified", """{"title": "Area a1", "areaId": "a1", "topicId": "t1", "effectiveAt": "2017-05-14T10:00:00+00:00"}""", "2026-12-01T09:00:02Z"),
        ("AreaOfInterestIdentified", """{"title": "Area a2", "areaId": "a2", "topicId": "t1", "effectiveAt": "2017-05-14T10:00:00+00:00"}""", "2026-12-01T09:00:03Z"),
        ("AreaOfInterestIdentified", """{"title": "Area a3", "areaId": "a3", "topicId": "t1", "effectiveAt": "2017-05-14T10:00:00+00:00"}""", "2026-12-01T09:00:04Z"),
    ];

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    public static string Document()
    {
        var hashes = new List<string>();
        var previous = HashChain.Genesis;
        string? firstPreimage = null, legacyHash = null;
        for (var i = 0; i < Entries.Length; i++)
        {
            var (type, data, recordedAt) = Entries[i];
            var preimage = HashChain.Preimage(type, Encoding.UTF8.GetBytes(data), "recorder-1", i + 1, null, DateTimeOffset.Parse(recordedAt))!;
            firstPreimage ??= Encoding.UTF8.GetString(preimage.AsSpan(32));
            legacyHash ??= HashChain.Next(previous, type, Encoding.UTF8.GetBytes(data), "recorder-1", 1);
            previous = HashChain.Link(previous, preimage);
            hashes.Add(previous);
        }
        var leaves = hashes.Select(Convert.FromHexString).ToList();
        NodeReader node = (level, index) => MerkleTree.Root(leaves.Skip((int)(index << level)).Take(1 << level).ToList());
        var root3 = MerkleTree.Root(leaves[..3]);
        var root5 = MerkleTree.Root(leaves);
        var inclusion = MerkleTree.InclusionProof(2, 5, node);
        var consistency = MerkleTree.ConsistencyProof(3, 5, node);
        if (!MerkleTree.VerifyInclusion(2, 5, MerkleTree.LeafHash(leaves[2]), inclusion, root5)
            || !MerkleTree.VerifyConsistency(3, 5, root3, root5, consistency))
            throw new InvalidOperationException("The vectors' proofs do not verify.");

        var seed = SHA256.HashData("ssr2ledger test vector key"u8);
        using var signer = NoteSigner.FromSeed(seed, "ssr2ledger.example");
        var body = new SignedNote.Body(Checkpoint.Origin(signer.Name, Review), 5, root5).Text;
        var note = signer.Sign(body);
        var parsed = SignedNote.Parse(note)!.Value.Signatures[0];
        var tlogProof = $"c2sp.org/tlog-proof@v1\nindex 2\n{string.Concat(inclusion.Select(h => B64(h) + "\n"))}\n{note}";

        var witnessSeed = SHA256.HashData("ssr2ledger test vector witness"u8);
        using var witness = Witnessing.Cosigner.FromSeed(witnessSeed, "witness.example/w1");
        var cosignedAt = DateTimeOffset.Parse("2026-12-01T09:00:05Z", System.Globalization.CultureInfo.InvariantCulture);
        var cosignature = witness.Cosign(body, cosignedAt);
        var cosigned = note + cosignature;
        if (Witnessing.CosignatureV1.Find(cosigned, witness.Key) is not var (cosig, _)) throw new InvalidOperationException("The cosignature does not verify.");
        var addCheckpoint = $"old 3\n{string.Concat(consistency.Select(h => B64(h) + "\n"))}\n{note}";

        var d = new StringBuilder();
        void P(string text = "") => d.Append(text).Append('\n');
        void Code(string text, string language = "text") { P($"```{language}"); d.Append(text.EndsWith('\n') ? text : text + "\n"); P("```"); P(); }

        P("# Verifying the ledger: every hashed and signed byte");
        P();
        P("This file is written by `VerificationDocTests` from the ledger's own code; its test vectors are recomputed by every");
        P("test run, so what it says is what the ledger does. With it, the public keys and an export, an auditor can write a");
        P("verifier that needs nothing from this project. Go's `golang.org/x/mod/sumdb/note` and `sumdb/tlog` check the notes");
        P("and proofs as they are (`tests/interop/verify.go` does, in the test suite).");
        P();
        P("## 1. The entry hash (hash chain)");
        P();
        P("Each review's entries form a SHA-256 chain, in version order (1, 2, …):");
        P();
        Code("hash = SHA-256( previousHash (32 bytes) || preimage )\n" +
             "preimage = RFC 8785 (JCS) UTF-8 JSON of { data, effectiveAt, recordedAt, recordedBy, type, version }");
        P("- `previousHash`: the hash of the entry before, 32 zero bytes before a review's first entry. Hashes are written as");
        P("  64 lowercase hex digits in the entry's headers (`hash`, `previousHash`) and in exports.");
        P("- `data`: the entry's JSON exactly as stored (an export's `data`), in its RFC 8785 form (members sorted by UTF-16");
        P("  code units, no whitespace, ECMAScript numbers).");
        P("- `effectiveAt`: the valid time, taken from `data.effectiveAt`, written in UTC as `yyyy-MM-ddTHH:mm:ss.fffffffZ`");
        P("  (always seven fractional digits).");
        P("- `recordedAt`: the store's time (the event table's `timestamp`, microseconds), written the same way.");
        P("- `recordedBy`: the API key's name that recorded it; `type`: the entry type; `version`: its position, a number.");
        P("- `scheme`: each entry says which scheme chained it. Scheme 2 (header `\"scheme\": 2`) is the above. Entries");
        P("  without a `scheme` (written before the store's time was hashed) are scheme 1: the same without `recordedAt`.");
        P();
        P($"Test vector: the first entry of review `{Review}`, recorded by `recorder-1` at `{Entries[0].RecordedAt}`, type");
        P($"`{Entries[0].Type}`, data as stored:");
        P();
        Code(Entries[0].Data, "json");
        P("Its preimage after the 32 zero bytes of `previousHash` (UTF-8):");
        P();
        Code(firstPreimage!, "json");
        P($"Its hash: `{hashes[0]}`.");
        P($"Under scheme 1 (no `recordedAt`) the same entry would hash to `{legacyHash}`.");
        P();
        P("## 2. The review's Merkle tree");
        P();
        P("Each review's entries are also the leaves of an RFC 6962 Merkle tree: leaf data is the 32 bytes of the entry's");
        P("hash, leaf index is version - 1, and the tree size is the review's version.");
        P();
        Code("leaf hash = SHA-256(0x00 || entry hash bytes)\nnode hash = SHA-256(0x01 || left || right)\n" +
             "MTH(D[n]) splits at the largest power of two smaller than n (RFC 6962 section 2.1); MTH of no entries = SHA-256(\"\")");
        P("Test vector: the five entries of the example review (each chained as in section 1, recorded at");
        P($"{string.Join(", ", Entries.Select(e => $"`{e.RecordedAt}`"))}, their data as in the test):");
        P();
        Code(string.Join("\n", hashes.Select((h, i) => $"version {i + 1}: {h}")));
        P($"- Root of the tree of 3 entries: `{B64(root3)}` (hex `{Convert.ToHexStringLower(root3)}`).");
        P($"- Root of the tree of 5 entries: `{B64(root5)}` (hex `{Convert.ToHexStringLower(root5)}`).");
        P("- Inclusion proof of version 3 (leaf index 2) in the tree of 5, leaf first, as");
        P("  `GET /api/reviews/{reviewId}/proofs/inclusion?version=3&treeSize=5` answers it:");
        P();
        Code($"{{ \"hashes\": [{string.Join(", ", inclusion.Select(h => $"\"{B64(h)}\""))}] }}", "json");
        P("- Consistency proof from 3 to 5, as `GET /api/reviews/{reviewId}/proofs/consistency?from=3&to=5` answers it:");
        P();
        Code($"{{ \"hashes\": [{string.Join(", ", consistency.Select(h => $"\"{B64(h)}\""))}] }}", "json");
        P("Proofs are RFC 6962's PATH and PROOF; verify them as RFC 9162 sections 2.1.3.2 and 2.1.4.2 say (or with Go's");
        P("`tlog.CheckRecord` and `tlog.CheckTree`, whose record hash is the leaf hash above).");
        P();
        P("## 3. Checkpoints: C2SP signed notes");
        P();
        P("A checkpoint is a C2SP `tlog-checkpoint`: the note text is three lines, each ending in a newline:");
        P();
        Code("<origin>\n<tree size, decimal>\n<root, base64>");
        P("The origin is `<key name>/reviews/<reviewId>` (key name `Ledger:NoteKeyName`, default `ssr2ledger`). The note is");
        P("signed as C2SP `signed-note` says: after the text, an empty line, then one line per signature:");
        P();
        Code("— <key name> base64( key hash (4 bytes, big-endian) || Ed25519 signature (64 bytes) over the text's bytes )");
        P("The dash is U+2014 followed by a space. The key hash is the first four bytes of");
        P("`SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)`; the verifier key, as");
        P("`GET /api/ledger/verifier-key` answers it, is `<key name>+<key hash, 8 hex digits>+base64(0x01 || public key)`.");
        P("A checkpoint is sealed for every meeting held (in the transaction that records it) and on demand");
        P("(`POST /api/reviews/{reviewId}/checkpoint`); `GET /api/reviews/{reviewId}/checkpoint` answers the latest.");
        P();
        P($"Test vector: the Ed25519 key whose 32-byte seed is SHA-256(\"ssr2ledger test vector key\") =");
        P($"`{Convert.ToHexStringLower(seed)}`, named `{signer.Name}`. Its verifier key:");
        P();
        Code(signer.VerifierKey);
        P("The checkpoint of the example review's five entries, signed with it:");
        P();
        Code(note);
        P($"Key hash `{parsed.KeyHash:x8}`; signature (hex) `{Convert.ToHexStringLower(parsed.Bytes)}`.");
        P();
        P("Before notes, checkpoints were signed with the ledger's ECDSA P-256 key (still published at");
        P("`GET /api/ledger/public-key`, and still signing the JSON form of each checkpoint): the IEEE P1363 signature");
        P("(r || s, base64) over SHA-256 of the RFC 8785 JSON of `{ headHash, meetingId, reviewId, time, version }`, `time`");
        P("in UTC with seven fractional digits; `keyId` is the first 16 hex digits of SHA-256 of the public key's PEM text,");
        P("trimmed.");
        P();
        P("## 4. A proof of one entry: C2SP tlog-proof");
        P();
        P("`GET /api/reviews/{reviewId}/proofs/entry/{version}` answers a C2SP `tlog-proof` against the latest checkpoint:");
        P("its index (version - 1), its inclusion proof, an empty line, the checkpoint note. For version 3 of the example:");
        P();
        Code(tlogProof);
        P("## 5. Exports");
        P();
        P("`export ID -o FILE` writes NDJSON: a header (`kind` `ssr2ledger-export`, `reviewId`, `publicKeyPem`,");
        P("`verifierKey`, `origin`), one line a stored entry in version order (`eventId`, `version`, `type`, `data`,");
        P("`recordedAt`, `recordedBy`, `hash`, `previousHash`, `scheme`), one line a stored checkpoint (with its `note`),");
        P("and last `{ \"kind\": \"end\", \"entries\": N, \"checkpoint\": \"<note>\" }`, a checkpoint note signed at export time");
        P("of all N entries, followed by the cosignature lines the witnesses gave a checkpoint of that size (section 6).");
        P("`verify-file FILE [--public-key PEM] [--verifier-key VKEY] [--witness WKEY]...` recomputes the chain and the tree,");
        P("checks every signature and root, requires a checkpoint for every meeting held and the closing checkpoint of");
        P("every entry, and names the first line that fails: a file cut short, a checkpoint removed, an entry edited,");
        P("dropped or moved. Each `--witness` (a cosignature verifier key, or a file holding one) requires a valid");
        P("cosignature by that witness on the closing checkpoint; the answer names every witness whose cosignature is missing.");
        P("With witnesses configured, `export` first seals a checkpoint of the review as it stands and asks them to cosign it.");
        P();
        P("## 6. Witnesses and cosignatures: C2SP tlog-witness and tlog-cosignature");
        P();
        P("A witness (`witness serve`, run by anyone but the ledger's operator) keeps, for each review's origin, the last");
        P("checkpoint it cosigned, in a folder of its own. The ledger sends it each new checkpoint as C2SP `tlog-witness`");
        P("says: `POST <witness URL>/add-checkpoint` with the size the witness last cosigned, the RFC 6962 consistency proof");
        P("from that size (one base64 hash a line), an empty line and the note. From size 3 to the example's checkpoint of 5:");
        P();
        Code(addCheckpoint);
        P("The witness answers 200 with its cosignature line after checking, in this order: the note is a checkpoint of a");
        P("log it watches (`<ledger key name>/reviews/…`; else 404), signed by that ledger's note key (else 403); the old size");
        P("is not above the checkpoint's (else 400); the old size is the one it last cosigned (else 409 with that size, as");
        P("`text/x.tlog.size`, and the ledger asks again from it); at the same size the root is the same (else 409: a fork);");
        P("the proof links the root it cosigned to the new one (else 422). A refused checkpoint whose signature is valid is");
        P("kept in the witness's `evidence` folder. A smaller tree than the one it cosigned (a rollback) is refused (400 or 409).");
        P();
        P("A cosignature (C2SP `tlog-cosignature`, Ed25519, `cosignature/v1`) is one more signature line on the note:");
        P();
        Code("— <witness name> base64( key hash (4 bytes) || timestamp (8 bytes, big-endian, POSIX seconds) || Ed25519 signature (64 bytes) )");
        P("The key hash is the first four bytes of `SHA-256(witness name || 0x0A || 0x04 || 32-byte Ed25519 public key)`; the");
        P("witness's verifier key (`witness key` prints it; `Ledger:Witnesses` and `verify-file --witness` take it) is");
        P("`<witness name>+<key hash, 8 hex digits>+base64(0x04 || public key)`. The signed message is");
        P();
        Code("cosignature/v1\ntime <timestamp, decimal>\n<the checkpoint's text: origin, size and root lines>");
        P("The ledger keeps a cosignature only when it verifies with a witness key it is configured to trust, and appends the");
        P("cosignatures of a tree size to every note of that size it serves (`GET /api/reviews/{reviewId}/checkpoint`, the");
        P("tlog-proof of an entry, an export's closing checkpoint); `GET /api/reviews/{reviewId}/cosignatures` lists them.");
        P();
        P($"Test vector: the witness key whose seed is SHA-256(\"ssr2ledger test vector witness\") =");
        P($"`{Convert.ToHexStringLower(witnessSeed)}`, named `{witness.Key.Name}`. Its verifier key:");
        P();
        Code(witness.Key.VerifierKey);
        P($"Its cosignature of the example checkpoint at `{cosignedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}` (timestamp {cosignedAt.ToUnixTimeSeconds()}), appended to the note:");
        P();
        Code(cosigned);
        P($"Key hash `{cosig.KeyHash:x8}`; signature (hex, after the 8-byte timestamp) `{Convert.ToHexStringLower(cosig.Bytes[8..])}`.");
        P("Go's `golang.org/x/mod/sumdb/note` checks it through a `note.Verifier` for this key type (`tests/interop/verify.go`).");
        return d.ToString();
    }

    [Fact]
    public void docs_verification_md_states_what_the_code_does()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "verification.md");
        var expected = Document();
        if (Environment.GetEnvironmentVariable("SSR2LEDGER_WRITE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path) && File.ReadAllText(path) == expected,
            "docs/verification.md is not what the code makes: run this test with SSR2LEDGER_WRITE_DOCS=1 and commit the file.");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ssr2Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ssr2Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}
