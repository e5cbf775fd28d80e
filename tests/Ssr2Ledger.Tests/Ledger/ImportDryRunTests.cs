using System.Text;
using System.Text.Json;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>An import's dry run decides every line as the import would and writes nothing: on the API and the command line.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ImportDryRunTests(LedgerFixture ledger)
{
    private static StringContent Ndjson(params string[] lines) =>
        new(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson");

    [Fact]
    public async Task a_dry_run_says_what_would_be_recorded_by_kind_and_records_nothing()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var before = await ledger.EntryCountAsync(id);

        using var response = await ledger.Recorder().PostAsync($"/api/reviews/{id}/import?dryRun=true", Ndjson(
            Body.Line("AreaOfInterestIdentified", Body.Area("a2", "t1")), Body.Line("AreaOfInterestIdentified", Body.Area("a3", "t1")),
            Body.Line("MeetingScheduled", Body.Meeting("madrid-2017"))));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(answer.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, answer.GetProperty("wouldImport").GetInt32());
        Assert.Equal(before + 3, answer.GetProperty("version").GetInt64());
        Assert.Equal(2, answer.GetProperty("kinds").GetProperty("AreaOfInterestIdentified").GetInt32());
        Assert.Equal(1, answer.GetProperty("kinds").GetProperty("MeetingScheduled").GetInt32());
        Assert.Equal(before, await ledger.EntryCountAsync(id));

        // The same file, imported for real, records what the dry run said, with the head hash it would have had but for time.
        var imported = await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import", Ndjson(
            Body.Line("AreaOfInterestIdentified", Body.Area("a2", "t1")), Body.Line("AreaOfInterestIdentified", Body.Area("a3", "t1")),
            Body.Line("MeetingScheduled", Body.Meeting("madrid-2017")))));
        Assert.Equal(before + 3, imported.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_dry_run_names_each_refused_line_and_records_nothing()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var before = await ledger.EntryCountAsync(id);

        var problem = await Body.Problem(await ledger.Recorder().PostAsync($"/api/reviews/{id}/import?dryRun=true", Ndjson(
            Body.Line("AreaOfInterestIdentified", Body.Area("a2", "t1")),
            Body.Line("AreaOfInterestIdentified", Body.Area("a3", "no-such-topic")))), 400);

        Assert.Contains("line 2: topicId", problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(before, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_dry_run_keeps_no_idempotency_key_so_the_real_import_with_that_key_records()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var client = ledger.Recorder();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "import-1");

        using var dry = await client.PostAsync($"/api/reviews/{id}/import?dryRun=true", Ndjson(Body.Line("AreaOfInterestIdentified", Body.Area("a2", "t1"))));
        Assert.Equal(System.Net.HttpStatusCode.OK, dry.StatusCode);
        var real = await Body.Created(await client.PostAsync($"/api/reviews/{id}/import", Ndjson(Body.Line("AreaOfInterestIdentified", Body.Area("a2", "t1")))));

        Assert.Equal(1, real.GetProperty("imported").GetInt32());
        Assert.Equal(4, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task the_command_line_dry_run_prints_the_kinds_and_writes_nothing()
    {
        var id = Body.NewReviewId();
        await ledger.Recorder().SeedAsync(id, "a1");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Body.Line("AreaOfInterestIdentified", Body.Area("a2", "t1")) + "\n");
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        int code;
        try
        {
            code = await Ssr2Ledger.Hosting.CommandLine.RunAsync(["import", file, "--review", id, "--dry-run",
                $"--ConnectionStrings:Ledger={ledger.ConnectionString}", $"--Ledger:SigningKeyPath={ledger.SigningKeyPath}"]);
        }
        finally { Console.SetOut(original); File.Delete(file); }

        Assert.Equal(0, code);
        Assert.Contains("Dry run: would import 1 entries", output.ToString());
        Assert.Contains("AreaOfInterestIdentified", output.ToString());
        Assert.Equal(3, await ledger.EntryCountAsync(id));
    }
}
