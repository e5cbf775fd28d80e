using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// A review's checkpoints and proofs, checked by the ledger's own verifier and by Go's golang.org/x/mod/sumdb
/// packages (tests/interop/verify.go, built with Debian's golang-go in GOPATH mode: no download).
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ProofTests(LedgerFixture ledger)
{
    /// <summary>A review of eleven entries, sealed at the meeting held (version 6) and on demand at the end.</summary>
    private async Task<(string Id, string MeetingNote, string LatestNote)> SealedTwice()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1", "a2");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("madrid-2017")));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings-held", new JsonObject
            { ["meetingId"] = "madrid-2017", ["attendees"] = new JsonArray(), ["observers"] = 0, ["effectiveAt"] = "2017-05-15T17:00:00Z" }));
        var meetingNote = await ledger.Client().GetStringAsync($"/api/reviews/{id}/checkpoint");
        foreach (var area in new[] { "a3", "a4", "a5", "a6", "a7" })
            await Body.Created(await client.PostAsync($"/api/reviews/{id}/areas", Body.Area(area, "t1")));
        var sealedNow = await client.PostAsync($"/api/reviews/{id}/checkpoint", null);
        Assert.True(sealedNow.IsSuccessStatusCode, await sealedNow.Content.ReadAsStringAsync());
        return (id, meetingNote, await sealedNow.Content.ReadAsStringAsync());
    }

    private async Task<List<byte[]>> Hashes(string url)
    {
        var answer = await ledger.Client().GetFromJsonAsync<JsonElement>(url);
        return answer.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
    }

    private async Task<List<string>> EntryHashes(string id)
    {
        var page = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events");
        return page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("hash").GetString()!).ToList();
    }

    private string VerifierKey => ledger.Host.Services.GetRequiredService<LedgerSigner>().Notes.VerifierKey;

    [Fact]
    public async Task checkpoints_are_signed_notes_of_the_reviews_tree_and_proofs_link_entries_and_checkpoints()
    {
        var (id, meetingNote, latestNote) = await SealedTwice();
        var key = (await ledger.Client().GetStringAsync("/api/ledger/verifier-key")).Trim();
        Assert.Equal(VerifierKey, key);
        Assert.True(SignedNote.IsSignedBy(meetingNote, key));
        Assert.True(SignedNote.IsSignedBy(latestNote, key));
        Assert.Equal(latestNote, await ledger.Client().GetStringAsync($"/api/reviews/{id}/checkpoint"));

        var meeting = SignedNote.Checkpoint(meetingNote)!;
        var latest = SignedNote.Checkpoint(latestNote)!;
        Assert.Equal(($"ssr2ledger/reviews/{id}", 6L, 11L), (meeting.Origin, meeting.TreeSize, latest.TreeSize));
        var leaves = (await EntryHashes(id)).Select(Convert.FromHexString).ToList();
        Assert.Equal(MerkleTree.Root(leaves), latest.Root);
        Assert.Equal(MerkleTree.Root(leaves[..6]), meeting.Root);

        for (var version = 1; version <= 11; version++)
        {
            var proof = await Hashes($"/api/reviews/{id}/proofs/inclusion?version={version}&treeSize=11");
            Assert.True(MerkleTree.VerifyInclusion(version - 1, 11, MerkleTree.LeafHash(leaves[version - 1]), proof, latest.Root));
        }
        var consistency = await Hashes($"/api/reviews/{id}/proofs/consistency?from=6&to=11");
        Assert.True(MerkleTree.VerifyConsistency(6, 11, meeting.Root, latest.Root, consistency));
        // Another entry's leaf does not fit the path of version 3.
        var third = await Hashes($"/api/reviews/{id}/proofs/inclusion?version=3&treeSize=11");
        Assert.False(MerkleTree.VerifyInclusion(2, 11, MerkleTree.LeafHash(leaves[3]), third, latest.Root));
    }

    [Fact]
    public async Task proofs_and_roots_of_every_size_to_200_across_the_stored_subtrees_of_64_are_the_trees_computed_in_memory()
    {
        // Only subtrees of 64 leaves or more are stored; the lower ones a proof needs are hashed up from the entries.
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var services = ledger.Host.Services;
        var reader = services.GetRequiredService<Database.LedgerReader>();
        var count = (await reader.ReadAsync(id, 1, CancellationToken.None)).Count;
        for (var area = 2; count < 200; area++, count++)
            await Body.Created(await client.PostAsync($"/api/reviews/{id}/areas", Body.Area($"a{area}", "t1")));
        var leaves = (await reader.ReadAsync(id, 1, CancellationToken.None)).Select(e => Convert.FromHexString(e.Meta.Hash)).ToList();
        Assert.Equal(200, leaves.Count);
        NodeReader memory = (level, index) => MerkleTree.Root(leaves.GetRange((int)(index << level), 1 << level));

        var proofs = services.GetRequiredService<TreeProofs>();
        await using var connection = await services.GetRequiredService<Database.LedgerDatabase>().DataSource.OpenConnectionAsync();
        for (var size = 1; size <= 200; size++)
        {
            var root = MerkleTree.Root(leaves[..size]);
            Assert.Equal(root, await proofs.RootAsync(connection, id, size, CancellationToken.None));
            foreach (var version in new long[] { 1, 2, size / 2 + 1, size - 1, size, 63, 64, 65, 127, 128, 129 }.Where(v => v >= 1 && v <= size).Distinct())
            {
                var inclusion = (await proofs.InclusionAsync(id, version, size, CancellationToken.None)).Hashes!;
                Assert.Equal(MerkleTree.InclusionProof(version - 1, size, memory), inclusion);
                Assert.True(MerkleTree.VerifyInclusion(version - 1, size, MerkleTree.LeafHash(leaves[(int)version - 1]), inclusion, root));
                var consistency = (await proofs.ConsistencyAsync(id, version, size, CancellationToken.None)).Hashes!;
                Assert.Equal(MerkleTree.ConsistencyProof(version, size, memory), consistency);
                Assert.True(MerkleTree.VerifyConsistency(version, size, MerkleTree.Root(leaves[..(int)version]), root, consistency), $"{version}->{size}");
            }
        }
        // Without a tree size the proof is of the whole review.
        var whole = (await proofs.InclusionAsync(id, 70, null, CancellationToken.None)).Hashes!;
        Assert.Equal(MerkleTree.InclusionProof(69, 200, memory), whole);
    }

    [Fact]
    public async Task a_tlog_proof_file_carries_the_entrys_path_and_the_latest_checkpoint()
    {
        var (id, _, latestNote) = await SealedTwice();
        var file = await ledger.Client().GetStringAsync($"/api/reviews/{id}/proofs/entry/4");
        var (head, note) = (file[..file.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n'), file[(file.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);
        Assert.Equal(("c2sp.org/tlog-proof@v1", "index 3"), (head[0], head[1]));
        Assert.Equal(latestNote, note);
        var leaves = (await EntryHashes(id)).Select(Convert.FromHexString).ToList();
        Assert.True(MerkleTree.VerifyInclusion(3, 11, MerkleTree.LeafHash(leaves[3]), head[2..].Select(Convert.FromBase64String).ToList(),
            SignedNote.Checkpoint(note)!.Root));
    }

    [Fact]
    public async Task proofs_outside_the_tree_are_400_and_of_an_unknown_review_404()
    {
        var (id, _, _) = await SealedTwice();
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/proofs/inclusion?version=12&treeSize=11"), 400);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/proofs/inclusion?version=1&treeSize=12"), 400);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/proofs/consistency?from=7&to=6"), 400);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/proofs/consistency?from=1&to=99"), 400);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/proofs/entry/12"), 404);
        var unknown = Body.NewReviewId();
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{unknown}/proofs/inclusion?version=1"), 404);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{unknown}/proofs/consistency?from=1"), 404);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{unknown}/checkpoint"), 404);
        await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{unknown}/checkpoint", null), 404);
    }

    [Fact]
    public async Task an_entry_not_yet_covered_by_a_checkpoint_has_no_proof_file_until_one_is_sealed()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/checkpoint"), 404);
        await Body.Problem(await ledger.Client().GetAsync($"/api/reviews/{id}/proofs/entry/2"), 409);
        await Body.Problem(await ledger.Client().PostAsync($"/api/reviews/{id}/checkpoint", null), 401);
        await Body.Problem(await ledger.Client(ledger.ReaderKey).PostAsync($"/api/reviews/{id}/checkpoint", null), 403);
        var note = await (await ledger.Recorder().PostAsync($"/api/reviews/{id}/checkpoint", null)).Content.ReadAsStringAsync();
        // Sealing again at the same version answers the same checkpoint.
        Assert.Equal(note, await (await ledger.Recorder().PostAsync($"/api/reviews/{id}/checkpoint", null)).Content.ReadAsStringAsync());
        Assert.StartsWith("c2sp.org/tlog-proof@v1\nindex 1\n", await ledger.Client().GetStringAsync($"/api/reviews/{id}/proofs/entry/2"));
    }

    [Fact]
    public void a_checkpoint_re_signed_with_another_key_does_not_verify_and_a_fork_is_detected()
    {
        using var other = NoteSigner.Open(Path.Combine(Path.GetTempPath(), $"other-{Guid.NewGuid():N}.ed25519.pem"), "ssr2ledger");
        var body = new SignedNote.Body("ssr2ledger/reviews/r-1", 5, new byte[32]).Text;
        var forged = other.Sign(body);
        Assert.False(SignedNote.IsSignedBy(forged, VerifierKey));
        Assert.True(SignedNote.IsSignedBy(forged, other.VerifierKey));
        var signer = ledger.Host.Services.GetRequiredService<LedgerSigner>().Notes;
        var one = signer.Sign(body);
        var fork = signer.Sign(new SignedNote.Body("ssr2ledger/reviews/r-1", 5, Enumerable.Repeat((byte)1, 32).ToArray()).Text);
        Assert.True(SignedNote.IsSignedBy(one, VerifierKey) && SignedNote.IsSignedBy(fork, VerifierKey));
        Assert.Contains("fork", CheckpointAudit.Compare(one, fork, [], VerifierKey), StringComparison.Ordinal);
        Assert.Null(CheckpointAudit.Compare(one, one, [], VerifierKey));
        // A text edited under a valid signature line.
        Assert.False(SignedNote.IsSignedBy(one.Replace("\n5\n", "\n6\n"), VerifierKey));
    }

    [Fact]
    public async Task go_sumdb_note_and_tlog_verify_the_ledgers_checkpoints_and_proofs()
    {
        var (id, meetingNote, latestNote) = await SealedTwice();
        var leaves = await EntryHashes(id);
        var inclusion = new JsonArray();
        foreach (var (index, size) in new[] { (0, 11), (5, 6), (10, 11), (3, 7), (0, 1) })
            inclusion.Add(new JsonObject
            {
                ["index"] = index, ["treeSize"] = size,
                ["hashes"] = Base64(await Hashes($"/api/reviews/{id}/proofs/inclusion?version={index + 1}&treeSize={size}")),
            });
        var consistency = new JsonArray();
        foreach (var (from, to) in new[] { (6, 11), (1, 11), (4, 8), (8, 11), (11, 11) })
            consistency.Add(new JsonObject
            {
                ["from"] = from, ["to"] = to, ["hashes"] = Base64(await Hashes($"/api/reviews/{id}/proofs/consistency?from={from}&to={to}")),
            });
        JsonObject Input(string key, params string[] notes) => new()
        {
            ["verifierKey"] = key, ["origin"] = $"ssr2ledger/reviews/{id}", ["notes"] = new JsonArray(notes.Select(n => (JsonNode)n!).ToArray()),
            ["leaves"] = new JsonArray(leaves.Select(l => (JsonNode)l!).ToArray()),
            ["inclusion"] = inclusion.DeepClone(), ["consistency"] = consistency.DeepClone(),
        };

        var ok = await GoVerify(Input(VerifierKey, meetingNote, latestNote));
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("ok: 2 notes, 5 inclusion proofs, 5 consistency proofs, 11 leaves", ok.Output, StringComparison.Ordinal);

        // The same checks fail in Go when a note is re-signed with another key, a proof hash changes, or a leaf changes.
        using var other = NoteSigner.Open(Path.Combine(Path.GetTempPath(), $"other-{Guid.NewGuid():N}.ed25519.pem"), "ssr2ledger");
        var resigned = other.Sign(SignedNote.Parse(latestNote)!.Value.Text);
        Assert.NotEqual(0, (await GoVerify(Input(VerifierKey, resigned))).ExitCode);
        var bent = Input(VerifierKey, latestNote);
        bent["consistency"]![0]!["hashes"]![0] = Convert.ToBase64String(new byte[32]);
        Assert.NotEqual(0, (await GoVerify(bent)).ExitCode);
        var edited = Input(VerifierKey, latestNote);
        edited["leaves"]![4] = new string('0', 64);
        Assert.Contains("signs a root the entries do not make", (await GoVerify(edited)).Output, StringComparison.Ordinal);
    }

    private static JsonArray Base64(IEnumerable<byte[]> hashes) => new(hashes.Select(h => (JsonNode)Convert.ToBase64String(h)!).ToArray());

    /// <summary>Runs tests/interop/verify.go; Go missing fails the test (.ci/run installs golang-go golang-golang-x-mod-dev).</summary>
    internal static async Task<EcosystemTools.Run> GoVerify(JsonObject input)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ssr2ledger-interop-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, input.ToJsonString());
        var start = new ProcessStartInfo("go")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
            ArgumentList = { "run", Path.Combine(RepositoryRoot(), "tests", "interop", "verify.go"), file },
        };
        start.Environment["GOPATH"] = "/usr/share/gocode";
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "ssr2ledger-gocache");
        start.Environment["GOPROXY"] = "off";
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Go is not installed; .ci/run installs it: apt-get install golang-go golang-golang-x-mod-dev.", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
            File.Delete(file);
            return new EcosystemTools.Run(process.ExitCode, (await output) + (await error));
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ssr2Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ssr2Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}
