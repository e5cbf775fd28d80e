using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ssr2Ledger.Integrity;
using Ssr2Ledger.Tests.Support;
using Ssr2Ledger.Witnessing;

namespace Ssr2Ledger.Tests.Integrity;

/// <summary>
/// The ledger and real witnesses (<c>witness serve</c> on loopback ports): the ledger asks the witnesses it trusts, keeps
/// only their valid cosignatures, serves them with its checkpoints and in exports, and <c>verify-file --witness</c> and Go's
/// note package check them.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class WitnessingTests(LedgerFixture ledger) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ssr2ledger-witnessing-{Guid.NewGuid():N}");
    private readonly List<WebApplication> _witnesses = [];

    private string LedgerKey => ledger.Host.Services.GetRequiredService<LedgerSigner>().Notes.VerifierKey;

    /// <summary>A witness process of its own (key, state folder), served on a free loopback port: its URL and its verifier key.</summary>
    private async Task<(string Url, string Key)> StartWitness(string name)
    {
        var app = WitnessHost.Build(Path.Combine(_folder, name.Replace('/', '-') + ".pem"), name, Path.Combine(_folder, name.Replace('/', '-')),
            [LedgerKey], ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        _witnesses.Add(app);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (url, app.Services.GetRequiredService<Witness>().Key.VerifierKey);
    }

    /// <summary>The ledger's witnessing as configured with these witnesses (Ledger:Witnesses), over the fixture's store.</summary>
    private LedgerWitnesses Trusting(params (string Url, string Key)[] witnesses)
    {
        var settings = new Dictionary<string, string?> { ["Ledger:WitnessTimeoutSeconds"] = "5", ["Ledger:WitnessRoundSeconds"] = "3600" };
        foreach (var (w, i) in witnesses.Select((w, i) => (w, i)))
            (settings[$"Ledger:Witnesses:{i}:Url"], settings[$"Ledger:Witnesses:{i}:VerifierKey"]) = (w.Url, w.Key);
        var services = ledger.Host.Services;
        return new LedgerWitnesses(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), services.GetRequiredService<IDocumentStore>(),
            services.GetRequiredService<TreeProofs>(), NullLogger<LedgerWitnesses>.Instance);
    }

    private async Task<(string Id, Checkpoint Checkpoint)> SealedReview(int areas)
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, [.. Enumerable.Range(1, areas).Select(i => $"a{i}")]);
        return (id, await Seal(id));
    }

    private async Task<Checkpoint> Seal(string id)
    {
        var sealedNow = await ledger.Recorder().PostAsync($"/api/reviews/{id}/checkpoint", null);
        Assert.True(sealedNow.IsSuccessStatusCode, await sealedNow.Content.ReadAsStringAsync());
        return (await ledger.Host.Services.GetRequiredService<TreeProofs>().LatestAsync(id, default))!;
    }

    /// <summary>A review of three entries sealed and cosigned by the first witness alone; the second never saw it.</summary>
    private async Task<(string Id, (string Url, string Key) Cosigned, (string Url, string Key) Other)> CosignedByOneOfTwo(string cosigning, string other)
    {
        var (trusted, stranger) = (await StartWitness(cosigning), await StartWitness(other));
        using var witnesses = Trusting(trusted);
        var (id, checkpoint) = await SealedReview(2);
        Assert.Equal(1, await witnesses.CosignAsync(checkpoint, default));
        return (id, trusted, stranger);
    }

    [Fact]
    public async Task the_ledger_keeps_only_valid_cosignatures_of_the_witnesses_it_trusts_and_serves_them_with_its_checkpoint()
    {
        var trusted = await StartWitness("witness.test/trusted");
        var impostor = await StartWitness("witness.test/impostor"); // answers, but with a key the ledger was not told
        using var expected = Cosigner.FromSeed(new byte[32], "witness.test/impostor");
        var down = ("http://127.0.0.1:9/", (await StartWitness("witness.test/down")).Key); // nothing listens there
        using var witnesses = Trusting(trusted, (impostor.Url, expected.Key.VerifierKey), down);

        var (id, first) = await SealedReview(2);
        Assert.Equal(1, await witnesses.CosignAsync(first, default));
        var kept = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/cosignatures");
        Assert.Equal([("witness.test/trusted", first.Version)],
            kept.EnumerateArray().Select(c => (c.GetProperty("witness").GetString()!, c.GetProperty("treeSize").GetInt64())).ToList());

        var note = await ledger.Client().GetStringAsync($"/api/reviews/{id}/checkpoint");
        Assert.True(SignedNote.IsSignedBy(note, LedgerKey));
        Assert.NotNull(CosignatureV1.Find(note, CosignatureV1.ParseKey(trusted.Key)!));
        Assert.Null(CosignatureV1.Find(note, CosignatureV1.ParseKey(impostor.Key)!));

        // More entries, a new checkpoint: the witness checks the consistency proof from the size it cosigned.
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a9", "t1")));
        var second = await Seal(id);
        Assert.Equal(1, await witnesses.CosignAsync(second, default));
        Assert.Equal([first.Version, second.Version], (await witnesses.OfAsync(id, null, default)).Select(c => c.TreeSize));
        var proof = await ledger.Client().GetStringAsync($"/api/reviews/{id}/proofs/entry/1");
        Assert.NotNull(CosignatureV1.Find(proof[proof.IndexOf("\n\n", StringComparison.Ordinal)..].TrimStart('\n'), CosignatureV1.ParseKey(trusted.Key)!));

        var page = await ledger.Client().GetStringAsync($"/reviews/{id}");
        Assert.Contains($"covers the first {second.Version} entries", page, StringComparison.Ordinal);
        Assert.Contains("Cosigned by witness <code>witness.test/trusted</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("witness.test/impostor", page, StringComparison.Ordinal);

        var listed = await ledger.Client().GetFromJsonAsync<JsonElement>("/api/ledger/witnesses");
        Assert.Equal(JsonValueKind.Array, listed.ValueKind);
        Assert.Equal(404, (int)(await ledger.Client().GetAsync($"/api/reviews/{Body.NewReviewId()}/cosignatures")).StatusCode);
    }

    [Fact]
    public async Task a_witness_that_is_down_delays_no_recording_and_is_asked_again_later()
    {
        var key = (await StartWitness("witness.test/unreachable")).Key;
        using var witnesses = Trusting(("http://127.0.0.1:9/", key));
        var (id, checkpoint) = await SealedReview(1);
        Assert.Equal(0, await witnesses.CosignAsync(checkpoint, default));
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a2", "t1")));
        Assert.Empty(await witnesses.OfAsync(id, null, default));
    }

    [Fact]
    public async Task a_witness_ahead_of_the_ledgers_record_is_asked_again_from_its_own_size()
    {
        var witness = await StartWitness("witness.test/ahead");
        var (id, first) = await SealedReview(1);
        using (var http = new HttpClient()) // someone else showed the witness the first checkpoint
            Assert.True((await http.PostAsync(witness.Url.TrimEnd('/') + "/add-checkpoint", new StringContent($"old 0\n\n{first.Note}"))).IsSuccessStatusCode);
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a2", "t1")));
        var second = await Seal(id);
        using var witnesses = Trusting(witness);
        Assert.Equal(1, await witnesses.CosignAsync(second, default)); // sent "old 0", told 409 "5", sent the proof from 5
    }

    [Fact]
    public async Task the_rounds_ask_the_witnesses_in_the_background_when_nudged()
    {
        var witness = await StartWitness("witness.test/rounds");
        var (id, _) = await SealedReview(1);
        using var witnesses = Trusting(witness);
        var rounds = new WitnessRounds(witnesses, NullLogger<WitnessRounds>.Instance);
        await rounds.StartAsync(default);
        try
        {
            witnesses.Nudge();
            for (var i = 0; i < 300 && (await witnesses.OfAsync(id, null, default)).Count == 0; i++) await Task.Delay(100);
            Assert.Single(await witnesses.OfAsync(id, null, default));
        }
        finally { await rounds.StopAsync(default); }
    }

    [Fact]
    public async Task verify_file_with_witness_requires_each_named_witness_cosignature_on_the_closing_checkpoint()
    {
        var (id, trusted, absent) = await CosignedByOneOfTwo("witness.test/export", "witness.test/absent");
        using var output = new MemoryStream();
        await ledger.Host.Services.GetRequiredService<LedgerExport>().WriteAsync(id, output, null, default);
        var file = Encoding.UTF8.GetString(output.ToArray());

        Assert.True(OfflineVerifier.Verify(new StringReader(file), null, LedgerKey, [trusted.Key]).Ok);
        var missing = OfflineVerifier.Verify(new StringReader(file), null, LedgerKey, [trusted.Key, absent.Key, "nonsense"]);
        Assert.False(missing.Ok);
        Assert.EndsWith("no valid cosignature from the witnesses witness.test/absent, 'nonsense' (not a cosignature verifier key).",
            missing.Problem, StringComparison.Ordinal);

        // The same through the command: exit 0 with the witness's key in a file, 4 with a witness that did not cosign.
        var path = Path.Combine(_folder, "export.ndjson");
        await File.WriteAllTextAsync(path, file);
        var keyFile = Path.Combine(_folder, "witness.vkey");
        await File.WriteAllTextAsync(keyFile, trusted.Key + "\n");
        Assert.Equal(0, IntegrityCommands.VerifyFile(path, null, LedgerKey, [keyFile]));
        Assert.Equal(4, IntegrityCommands.VerifyFile(path, null, LedgerKey, [absent.Key]));

        // Entries recorded after the cosigned checkpoint: the closing checkpoint is a larger tree the witness has not seen.
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/areas", Body.Area("a9", "t1")));
        using var later = new MemoryStream();
        await ledger.Host.Services.GetRequiredService<LedgerExport>().WriteAsync(id, later, null, default);
        Assert.False(OfflineVerifier.Verify(new StringReader(Encoding.UTF8.GetString(later.ToArray())), null, LedgerKey, [trusted.Key]).Ok);
    }

    [Fact]
    public async Task export_with_witnesses_configured_seals_a_checkpoint_and_has_it_cosigned_first()
    {
        var witness = await StartWitness("witness.test/cli-export");
        using var witnesses = Trusting(witness);
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var host = ledger.Host.Services;
        await using var services = new ServiceCollection().AddSingleton(witnesses).AddSingleton(host.GetRequiredService<TreeProofs>())
            .AddSingleton(new LedgerExport(host.GetRequiredService<Ssr2Ledger.Database.LedgerDatabase>(), host.GetRequiredService<IDocumentStore>(),
                host.GetRequiredService<LedgerSigner>(), witnesses))
            .BuildServiceProvider();
        var file = Path.Combine(_folder, "cli-export.ndjson");
        Assert.Equal(0, await IntegrityCommands.ExportAsync(services, id, file));
        Assert.Equal(0, IntegrityCommands.VerifyFile(file, null, LedgerKey, [witness.Key]));
    }

    [Fact]
    public async Task go_checks_the_witness_cosignature_with_its_note_package()
    {
        var (id, trusted, other) = await CosignedByOneOfTwo("witness.test/go", "witness.test/other");
        var note = await ledger.Client().GetStringAsync($"/api/reviews/{id}/checkpoint");
        var page = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{id}/events");
        JsonObject Input(string witnessKey) => new()
        {
            ["verifierKey"] = LedgerKey, ["origin"] = $"ssr2ledger/reviews/{id}", ["notes"] = new JsonArray(note),
            ["leaves"] = new JsonArray([.. page.GetProperty("entries").EnumerateArray().Select(e => (JsonNode)e.GetProperty("hash").GetString()!)]),
            ["inclusion"] = new JsonArray(), ["consistency"] = new JsonArray(), ["witnesses"] = new JsonArray(witnessKey),
        };
        var ok = await ProofTests.GoVerify(Input(trusted.Key));
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("1 notes cosigned by 1 witnesses", ok.Output, StringComparison.Ordinal);
        var refused = await ProofTests.GoVerify(Input(other.Key));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("witness.test/other", refused.Output, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _witnesses) await app.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }
}
