using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Ledger;

/// <summary>The current state and the inline summary equal a fresh bitemporal fold of the ledger, however entries arrive.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ProjectionTests(LedgerFixture ledger)
{
    [Fact]
    public async Task late_entries_corrections_and_retractions_leave_the_state_equal_to_a_fresh_fold()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        var r = $"/api/reviews/{id}";
        await client.SeedAsync(id, "a1", "a2");
        // Recorded out of valid-time order: the later decision first, the earlier one arriving late.
        await Body.Created(await client.PostAsync($"{r}/scope-decisions", Body.Decision("d-late", "2017-09-01T00:00:00Z", ("a1", "out-of-scope"))));
        await Body.Created(await client.PostAsync($"{r}/scope-decisions", Body.Decision("d-early", "2017-06-01T00:00:00Z", ("a1", "in-scope"), ("a2", "in-scope"))));
        var wrong = await Body.Created(await client.PostAsync($"{r}/scope-decisions", Body.Decision("d-wrong", "2017-10-01T00:00:00Z", ("a2", "deferred"))));
        await Body.Created(await client.PostAsync($"{r}/retractions", new JsonObject
        {
            ["retractsEventId"] = wrong.GetProperty("eventId").GetString(), ["reason"] = "Recorded twice", ["effectiveAt"] = "2017-10-02T00:00:00Z",
        }));
        var area = await Body.Created(await client.PostAsync($"{r}/areas", Body.Area("a3", "t1", "2017-05-14T11:00:00Z")));
        await Body.Created(await client.PostAsync($"{r}/corrections", new JsonObject
        {
            ["correctsEventId"] = area.GetProperty("eventId").GetString(), ["reason"] = "Misspelt",
            ["corrected"] = new JsonObject { ["title"] = "Root zone management" }, ["effectiveAt"] = "2017-10-03T00:00:00Z",
        }));

        var state = await ledger.StateAsync(id);
        var areas = state.GetProperty("areas").EnumerateArray().ToDictionary(a => a.GetProperty("areaId").GetString()!);
        Assert.Equal("out-of-scope", areas["a1"].GetProperty("status").GetString());
        Assert.Equal("in-scope", areas["a2"].GetProperty("status").GetString());
        Assert.Equal("Root zone management", areas["a3"].GetProperty("title").GetString());

        await using var session = ledger.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var entries = (await session.Events.FetchStreamAsync(id)).Select(Entries.From).ToList();
        var fresh = ReviewFold.Replay(entries, LedgerSetup.Json())!;
        Assert.Equal(JsonSerializer.Serialize(StateDocument.From(fresh), LedgerSetup.Json()), state.GetRawText());
        // Recorded time is stored to the microsecond, the summary kept it to the tick as the append had it.
        var summary = (await session.LoadAsync<ReviewSummary>(id))!;
        Assert.Equal(ReviewSummary.Of(fresh), summary with { LastRecordedAt = fresh.LastRecordedAt });
        Assert.InRange((summary.LastRecordedAt - fresh.LastRecordedAt).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task the_summary_follows_late_pauses_corrections_and_retractions_as_a_fresh_fold_does()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        var r = $"/api/reviews/{id}";
        await client.SeedAsync(id, "a1");
        var store = ledger.Host.Services.GetRequiredService<IDocumentStore>();

        async Task<JsonElement> Write(string route, JsonObject body)
        {
            var created = await Body.Created(await client.PostAsync($"{r}/{route}", body));
            await using var session = store.QuerySession();
            var fresh = ReviewFold.Replay((await session.Events.FetchStreamAsync(id)).Select(Entries.From), LedgerSetup.Json())!;
            var summary = (await session.LoadAsync<ReviewSummary>(id))!;
            Assert.Equal(ReviewSummary.Of(fresh), summary with { LastRecordedAt = fresh.LastRecordedAt });
            return created;
        }

        await Write("pauses", new JsonObject { ["reason"] = "Board pause", ["effectiveAt"] = "2017-10-28T00:00:00Z" });
        await Write("resumptions", new JsonObject { ["reason"] = "Resumed", ["effectiveAt"] = "2018-06-07T00:00:00Z" });
        await Write("scope-decisions", Body.Decision("d1", "2019-01-01T00:00:00Z", ("a1", "in-scope")));
        var latePause = await Write("pauses", new JsonObject { ["reason"] = "Late pause", ["effectiveAt"] = "2018-12-01T00:00:00Z" });
        var charter = (await ledger.Client(ledger.ReaderKey).GetFromJsonAsync<JsonElement>($"{r}/events?after=0&limit=1")).GetProperty("entries")[0];
        await Write("corrections", new JsonObject
        {
            ["correctsEventId"] = charter.GetProperty("eventId").GetString(), ["reason"] = "Official name",
            ["corrected"] = new JsonObject { ["name"] = "Test review, name corrected" }, ["effectiveAt"] = "2019-02-01T00:00:00Z",
        });
        // The first pause cannot go while the resumption depends on it; the late one can.
        await Write("retractions", new JsonObject { ["retractsEventId"] = latePause.GetProperty("eventId").GetString(), ["reason"] = "x", ["effectiveAt"] = "2019-02-02T00:00:00Z" });
        var summary = await ledger.Client(ledger.ReaderKey).GetFromJsonAsync<JsonElement>("/api/reviews");
        var listed = summary.EnumerateArray().Single(e => e.GetProperty("reviewId").GetString() == id);
        Assert.Equal("Test review, name corrected", listed.GetProperty("name").GetString());
        Assert.Equal("active", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task rebuilding_the_projection_from_the_events_gives_every_summary_a_fresh_fold_gives()
    {
        // A database of its own: other tests tamper with theirs below the application, which a rebuild would trip on.
        var database = $"rebuild_{Guid.NewGuid():N}";
        await using (var admin = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ledger.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"create database {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Ledger"] = new Npgsql.NpgsqlConnectionStringBuilder(ledger.ConnectionString) { Database = database }.ConnectionString;
        builder.Configuration["Ledger:SigningKeyPath"] = ledger.SigningKeyPath;
        builder.AddLedgerStore();
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var importer = host.Services.GetRequiredService<HistoryImporter>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        async Task Import(string reviewId, params string[] lines)
        {
            var result = await importer.ImportAsync(new ImportHistory(reviewId, "test"),
                new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines))), null, default);
            Assert.True(result.Answer is not null, string.Join("; ", result.Refusals.Select(r => r.Detail)));
        }
        static string Line(string type, JsonObject data) => Body.Line(type, data);
        foreach (var id in new[] { "one", "two" })
            await Import(id, Line("ReviewChartered", Body.Charter(id)), Line("TopicAreaAgreed", Body.Topic("t1")),
                Line("AreaOfInterestIdentified", Body.Area("a1", "t1")), Line("AreaOfInterestIdentified", Body.Area("a2", "t1")),
                Line("ScopeDecided", Body.Decision("d1", "2018-01-01T00:00:00Z", ("a1", "in-scope"))),
                Line("ReviewPaused", new JsonObject { ["reason"] = "Late pause", ["effectiveAt"] = "2017-10-28T00:00:00Z" }),
                Line("ScopeDecided", Body.Decision("d0", "2017-06-01T00:00:00Z", ("a2", "deferred"))));
        Guid pause;
        await using (var query = store.QuerySession())
            pause = (await query.Events.FetchStreamAsync("two")).Single(e => e.Data is ReviewPaused).Id;
        await Import("two", Line("EntryRetracted", new JsonObject { ["retractsEventId"] = pause, ["reason"] = "x", ["effectiveAt"] = "2018-02-01T00:00:00Z" }));

        using (var daemon = await store.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync<ReviewSummaryProjection>(CancellationToken.None);

        await using var session = store.QuerySession();
        var summaries = (await session.Query<ReviewSummary>().ToListAsync()).ToDictionary(s => s.Id);
        Assert.Equal(ReviewStatus.Paused, summaries["one"].Status);
        Assert.Equal(ReviewStatus.Active, summaries["two"].Status);
        foreach (var summary in summaries.Values)
        {
            var fresh = ReviewFold.Replay((await session.Events.FetchStreamAsync(summary.Id)).Select(Entries.From), LedgerSetup.Json())!;
            Assert.Equal(ReviewSummary.Of(fresh), summary);
        }

        // The ledger's own `projections rebuild` makes the same summaries by the one replay, and drops any without a review.
        await using (var stale = store.LightweightSession())
        {
            stale.Store(summaries["one"] with { Id = "ghost" });
            stale.Store(summaries["two"] with { Name = "Not its name" });
            await stale.SaveChangesAsync();
        }
        var (reviews, entries) = await ReviewSummaryProjection.RebuildAllAsync(store, host.Services.GetRequiredService<Ssr2Ledger.Database.LedgerDatabase>().DataSource, LedgerSetup.Json(), CancellationToken.None);
        Assert.Equal((2, 15L), (reviews, entries));
        await using (var rebuilt = store.QuerySession())
            Assert.Equal(summaries.Values.OrderBy(s => s.Id), (await rebuilt.Query<ReviewSummary>().ToListAsync()).OrderBy(s => s.Id));

        // A ledger kept before the summary existed has reviews without one: the server's start fills them in.
        await using (var delete = store.LightweightSession())
        {
            delete.Delete<ReviewSummary>("two");
            await delete.SaveChangesAsync();
        }
        await ReviewSummaryProjection.FillMissingAsync(store, CancellationToken.None);
        await using var after = store.QuerySession();
        Assert.Equal(summaries["two"], await after.LoadAsync<ReviewSummary>("two"));
    }

    [Fact]
    public async Task a_retracted_entry_cannot_be_retracted_or_corrected_again()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var topic = await Body.Created(await client.PostAsync($"/api/reviews/{id}/topics", Body.Topic("t2")));
        var retraction = new JsonObject { ["retractsEventId"] = topic.GetProperty("eventId").GetString(), ["reason"] = "x", ["effectiveAt"] = "2017-06-01T00:00:00Z" };
        await Body.Created(await client.PostAsync($"/api/reviews/{id}/retractions", retraction.DeepClone()));
        await Body.Problem(await client.PostAsync($"/api/reviews/{id}/retractions", retraction.DeepClone()), 409);
        await Body.Problem(await client.PostAsync($"/api/reviews/{id}/corrections", new JsonObject
        {
            ["correctsEventId"] = topic.GetProperty("eventId").GetString(), ["reason"] = "x",
            ["corrected"] = new JsonObject { ["title"] = "y" }, ["effectiveAt"] = "2017-06-01T00:00:00Z",
        }), 409);
        Assert.Equal(5, await ledger.EntryCountAsync(id));
    }

    [Fact]
    public async Task a_correction_must_leave_a_valid_entry()
    {
        var id = Body.NewReviewId();
        var client = ledger.Recorder();
        await client.SeedAsync(id, "a1");
        var topic = await Body.Created(await client.PostAsync($"/api/reviews/{id}/topics", Body.Topic("t2")));
        var problem = await Body.Problem(await client.PostAsync($"/api/reviews/{id}/corrections", new JsonObject
        {
            ["correctsEventId"] = topic.GetProperty("eventId").GetString(), ["reason"] = "x",
            ["corrected"] = new JsonObject { ["title"] = "", ["colour"] = "red" }, ["effectiveAt"] = "2017-06-01T00:00:00Z",
        }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("corrected.colour", out _), problem.ToString());
        Assert.Equal(4, await ledger.EntryCountAsync(id));
    }
}
