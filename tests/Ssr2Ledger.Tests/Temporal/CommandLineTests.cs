using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Temporal;

/// <summary>The command line's state, diff and audit answer what the API answers.</summary>
[Collection(LedgerCollection.Name)]
public sealed class CommandLineTests(LedgerFixture ledger)
{
    private static async Task<(int Code, string Out)> Capture(Func<Task<int>> command)
    {
        var original = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try { return (await command(), writer.ToString()); }
        finally { Console.SetOut(original); }
    }

    [Fact]
    public async Task a_verb_takes_its_database_from_a_setting_on_the_command_line()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");

        var (code, output) = await Capture(() => Ssr2Ledger.Hosting.CommandLine.RunAsync(
            ["verify", id, $"--ConnectionStrings:Ledger={ledger.ConnectionString}", $"--Ledger:SigningKeyPath={ledger.SigningKeyPath}"]));

        Assert.Equal(0, code);
        Assert.Contains($"{id}: ok, 3 entries", output);
    }

    [Fact]
    public async Task projections_rebuild_is_the_ledgers_own_and_leaves_every_summary_as_it_was()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        async Task<Dictionary<string, ReviewSummary>> Summaries()
        {
            await using var session = ledger.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return (await session.Query<ReviewSummary>().ToListAsync()).ToDictionary(s => s.Id);
        }
        var before = await Summaries();

        var (code, output) = await Capture(() => Ssr2Ledger.Hosting.CommandLine.RunAsync(
            ["projections", "rebuild", $"--ConnectionStrings:Ledger={ledger.ConnectionString}", $"--Ledger:SigningKeyPath={ledger.SigningKeyPath}"]));

        Assert.Equal(0, code);
        Assert.Matches(@"Finished rebuilding ReviewSummary: \d+ reviews, [\d,]+ entries\.", output);
        // Every review of the shared database (those another test wrote meanwhile aside) keeps what the live writes made,
        // but for reviews whose rows a test rewrote round the triggers (TamperTests): theirs now says what is stored. Either
        // their chain no longer verifies (rows edited), or it was chained again (as an earlier version's) and only the
        // head differs.
        var after = await Summaries();
        Assert.Equal(before[id], after[id]);
        foreach (var changed in before.Values.Where(s => after.TryGetValue(s.Id, out var now) && now.Version == s.Version && now != s))
        {
            var verify = await ledger.Client().GetFromJsonAsync<JsonElement>($"/api/reviews/{changed.Id}/verify");
            if (verify.GetProperty("ok").GetBoolean()) Assert.Equal(changed with { HeadHash = after[changed.Id].HeadHash }, after[changed.Id]);
        }
    }

    [Fact]
    public async Task state_and_diff_print_tables_and_json_for_a_meeting()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1", "a2");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/meetings", Body.Meeting("madrid-2017")));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-05-15T12:00:00Z", ("a1", "in-scope"), ("a2", "in-scope"))));
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d2", "2017-06-26T12:00:00Z", ("a2", "deferred"))));

        var (code, table) = await Capture(() => TemporalCommands.StateAsync(ledger.Host.Services, id, "madrid-2017", null, null, json: false));
        Assert.Equal(0, code);
        Assert.Contains("as of madrid-2017", table);
        Assert.Contains("2 in scope", table);

        var (_, json) = await Capture(() => TemporalCommands.DiffAsync(ledger.Host.Services, id, "madrid-2017", "2017-07-01T00:00:00Z", json: true));
        var diff = JsonDocument.Parse(json).RootElement;
        var narrowed = Assert.Single(diff.GetProperty("narrowed").EnumerateArray());
        Assert.Equal(("a2", "d2"), (narrowed.GetProperty("areaId").GetString(), narrowed.GetProperty("decisionId").GetString()));

        var (missing, _) = await Capture(() => TemporalCommands.StateAsync(ledger.Host.Services, id, "atlantis", null, null, json: false));
        Assert.Equal(3, missing);

        // Without --from and --to the diff is the whole review: a2 was identified, then narrowed, within it.
        var (_, whole) = await Capture(() => TemporalCommands.DiffAsync(ledger.Host.Services, id, null, null, json: true));
        Assert.Equal("a2", Assert.Single(JsonDocument.Parse(whole).RootElement.GetProperty("narrowed").EnumerateArray()).GetProperty("areaId").GetString());
    }

    [Fact]
    public async Task audit_writes_the_same_markdown_annex_as_the_api()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/scope-decisions", Body.Decision("d1", "2017-06-26T12:00:00Z", ("a1", "deferred"))));
        var file = Path.Combine(Path.GetTempPath(), $"{id}-audit.md");

        var (code, said) = await Capture(() => Ssr2Ledger.Scope.ScopeAuditCommand.RunAsync(ledger.Host.Services, id, null, null, "md", file));

        Assert.Equal(0, code);
        Assert.Contains("1 narrowed", said);
        Assert.Equal(await ledger.Client().GetStringAsync($"/api/reviews/{id}/scope/audit?format=md"), await File.ReadAllTextAsync(file));
        File.Delete(file);
        var (unknown, _) = await Capture(() => Ssr2Ledger.Scope.ScopeAuditCommand.RunAsync(ledger.Host.Services, id, "atlantis", null, "md", null));
        Assert.Equal(3, unknown);
    }
}
