using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ssr2Ledger.Tests.Support;

namespace Ssr2Ledger.Tests.Scope;

/// <summary>
/// The scope audit and the whole-review diff on a review built for them: one decision a finding, recorded in valid-time
/// order except the one recorded late, beside decisions that nothing should flag.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ScopeAuditTests(LedgerFixture ledger)
{
    /// <summary>Each decision built to trigger one finding, and the finding it must trigger (and no other).</summary>
    private static readonly (string Kind, string DecisionId)[] Expected =
    [
        ("decided-by-chair-alone", "d-chair"), ("basis-names-no-terms-of-reference-in-force", "d-basis"),
        ("narrowed-against-community-input", "d-community"), ("meeting-cancelled", "d-cancelled"), ("meeting-not-held", "d-notheld"),
        ("changed-after-report-delivered", "d-corrected"), ("recorded-out-of-order", "d-late"), ("decided-while-paused", "d-paused"),
    ];

    private async Task<JsonElement> Record(string reviewId, string type, JsonObject data) =>
        await Body.Created(await ledger.Recorder().PostAsync($"/api/reviews/{reviewId}/events", new JsonObject { ["type"] = type, ["data"] = data }));

    private static JsonObject Data(string at, params (string Key, JsonNode? Value)[] fields)
    {
        var data = new JsonObject { ["effectiveAt"] = at };
        foreach (var (key, value) in fields) data[key] = value;
        return data;
    }

    private static JsonObject Decision(string id, string at, string? meeting, string area, string to, string method = "consensus",
        string basis = "ToR 1.0", string? mergedInto = null)
    {
        var decision = Body.Decision(id, at, (area, to));
        if (mergedInto is not null) decision["changes"]![0]!["mergedInto"] = mergedInto;
        decision["method"] = method;
        decision["basis"] = basis;
        if (meeting is not null) decision["meetingId"] = meeting;
        return decision;
    }

    /// <summary>A chartered review with members, three meetings (m1 held, m2 to be cancelled, m3 never held), ToR 1.0 adopted, areas a1–a11.</summary>
    private async Task<string> ContextAsync()
    {
        var id = Body.NewReviewId("audit");
        var recorder = ledger.Recorder();
        await Body.Created(await recorder.PostAsync("/api/reviews", Body.Charter(id)));
        await Record(id, "MemberAppointed", Data("2017-03-01T12:00:00Z", ("memberId", "c1"), ("name", "Chair One"), ("appointedBy", "GNSO"), ("role", "chair")));
        await Record(id, "MemberAppointed", Data("2017-03-01T12:00:00Z", ("memberId", "m2"), ("name", "Member Two"), ("appointedBy", "ALAC"), ("role", "member")));
        await Record(id, "MeetingScheduled", Body.Meeting("m1"));
        await Record(id, "MeetingScheduled", Body.Meeting("m2", "2017-06-10T08:00:00Z", "2017-06-11T17:00:00Z"));
        await Record(id, "MeetingScheduled", Body.Meeting("m3", "2017-06-20T08:00:00Z", "2017-06-21T17:00:00Z"));
        await Record(id, "TermsOfReferenceDrafted", Data("2017-04-10T12:00:00Z", ("version", "1.0"), ("title", "ToR"), ("summary", "s")));
        await Record(id, "TermsOfReferenceAdopted", Data("2017-04-12T12:00:00Z", ("version", "1.0"), ("method", "consensus")));
        await Record(id, "MeetingHeld", Data("2017-05-14T08:00:00Z", ("meetingId", "m1"), ("attendees", new JsonArray("c1", "m2")), ("observers", 3)));
        await Record(id, "TopicAreaAgreed", Body.Topic("t1"));
        foreach (var area in Enumerable.Range(1, 11)) await Record(id, "AreaOfInterestIdentified", Body.Area($"a{area}", "t1"));
        return id;
    }

    /// <summary>Decisions nothing should flag: a1 narrowed at the held meeting; a11 narrowed and later widened again.</summary>
    private async Task CleanDecisionsAsync(string id)
    {
        var clean = Decision("d-clean", "2017-05-15T12:00:00Z", "m1", "a1", "out-of-scope");
        clean["rationale"] = "=SUM(A1) is not our remit";
        await Record(id, "ScopeDecided", clean);
        await Record(id, "ScopeDecided", Decision("d-narrow-a11", "2017-05-15T12:05:00Z", "m1", "a11", "out-of-scope"));
    }

    private async Task<string> FlaggedReviewAsync()
    {
        var id = await ContextAsync();
        await Record(id, "CommunityInputReceived", Data("2017-05-14T11:00:00Z", ("inputId", "ci-keep"), ("channel", "mailing-list"),
            ("from", "A constituency"), ("summary", "Keep a7 in scope"), ("areaIds", new JsonArray("a7")), ("position", "keep-in-scope")));
        await CleanDecisionsAsync(id);
        await Record(id, "ScopeDecided", Decision("d-chair", "2017-05-15T12:10:00Z", "m1", "a2", "deferred", method: "chair"));
        await Record(id, "ScopeDecided", Decision("d-basis", "2017-05-15T12:20:00Z", "m1", "a3", "out-of-scope", basis: "ToR section 3"));
        await Record(id, "ScopeDecided", Decision("d-community", "2017-05-15T12:30:00Z", "m1", "a7", "out-of-scope"));
        await Record(id, "MeetingCancelled", Data("2017-06-01T12:00:00Z", ("meetingId", "m2"), ("reason", "No quorum")));
        await Record(id, "ScopeDecided", Decision("d-cancelled", "2017-06-10T12:00:00Z", "m2", "a4", "out-of-scope"));
        await Record(id, "ScopeDecided", Decision("d-notheld", "2017-06-20T12:00:00Z", "m3", "a5", "deferred"));
        var corrected = await Record(id, "ScopeDecided", Decision("d-corrected", "2017-06-25T12:00:00Z", null, "a6", "merged", mergedInto: "a8"));
        await Record(id, "DeliveredToBoard", Data("2017-07-01T12:00:00Z", ("deliveryId", "dr1"), ("deliverable", "draft-report")));
        await Record(id, "EntryCorrected", Data("2017-07-15T12:00:00Z", ("correctsEventId", corrected.GetProperty("eventId").GetString()),
            ("reason", "Rationale misquoted"), ("corrected", new JsonObject { ["rationale"] = "Duplicate of a8" })));
        // Recorded after the draft report's delivery (1 July), though it took effect on 28 June.
        await Record(id, "ScopeDecided", Decision("d-late", "2017-06-28T12:00:00Z", null, "a9", "out-of-scope"));
        await Record(id, "BoardResolutionRecorded", Data("2017-07-20T10:00:00Z", ("resolutionId", "r-pause"), ("title", "Pause"), ("summary", "s")));
        await Record(id, "ReviewPaused", Data("2017-07-20T12:00:00Z", ("reason", "Board asked"), ("resolutionId", "r-pause")));
        await Record(id, "ScopeDecided", Decision("d-paused", "2017-07-25T12:00:00Z", null, "a10", "deferred"));
        await Record(id, "ReviewResumed", Data("2017-08-01T12:00:00Z", ("reason", "Board agreed")));
        await Record(id, "ScopeDecided", Decision("d-widen", "2017-08-05T12:00:00Z", null, "a11", "in-scope"));
        return id;
    }

    private async Task<JsonElement> Get(string url)
    {
        using var response = await ledger.Client().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<string> Ids(JsonElement list) => list.EnumerateArray().Select(a => a.GetProperty("areaId").GetString()!);

    [Fact]
    public async Task each_finding_is_triggered_by_the_decision_built_for_it_and_by_no_other()
    {
        var id = await FlaggedReviewAsync();

        var audit = await Get($"/api/reviews/{id}/scope/audit");

        var found = audit.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("kind").GetString()!, f.GetProperty("decisionId").GetString()!)).OrderBy(f => f).ToList();
        Assert.Equal(Expected.OrderBy(f => f), found);
        Assert.All(audit.GetProperty("findings").EnumerateArray(), f =>
        {
            Assert.NotEmpty(f.GetProperty("evidence").EnumerateArray());
            Assert.Contains(f.GetProperty("severity").GetString(), new[] { "high", "medium", "low" });
        });
        // Every narrowing and merge is audited, the clean ones too; the widening is not a narrowing.
        var decisions = audit.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decisionId").GetString()).ToList();
        Assert.Equal(["d-clean", "d-narrow-a11", "d-chair", "d-basis", "d-community", "d-cancelled", "d-notheld", "d-corrected", "d-late", "d-paused"],
            decisions);
        Assert.Equal(9, audit.GetProperty("narrowed").GetInt32());
        Assert.Equal(1, audit.GetProperty("merged").GetInt32());
    }

    [Fact]
    public async Task each_decision_is_audited_with_its_meeting_members_terms_of_reference_input_and_errata()
    {
        var id = await FlaggedReviewAsync();
        var decisions = (await Get($"/api/reviews/{id}/scope/audit")).GetProperty("decisions").EnumerateArray()
            .ToDictionary(d => d.GetProperty("decisionId").GetString()!);

        var community = decisions["d-community"];
        Assert.Equal("held", community.GetProperty("meeting").GetProperty("status").GetString());
        Assert.Equal(["c1", "m2"], community.GetProperty("meeting").GetProperty("attendees").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["c1", "m2"], community.GetProperty("membersServing").EnumerateArray().Select(m => m.GetProperty("memberId").GetString()));
        Assert.Equal("1.0", community.GetProperty("termsOfReferenceInForce").GetString());
        var area = Assert.Single(community.GetProperty("areas").EnumerateArray());
        Assert.Equal(("a7", "proposed", "out-of-scope"), (area.GetProperty("areaId").GetString(), area.GetProperty("from").GetString(), area.GetProperty("to").GetString()));
        Assert.Equal("keep-in-scope", Assert.Single(area.GetProperty("communityInput").EnumerateArray()).GetProperty("position").GetString());

        Assert.Equal("cancelled", decisions["d-cancelled"].GetProperty("meeting").GetProperty("status").GetString());
        Assert.Equal("paused", decisions["d-paused"].GetProperty("reviewStatus").GetString());
        var corrected = decisions["d-corrected"];
        Assert.Equal("Duplicate of a8", corrected.GetProperty("rationale").GetString());
        Assert.Equal("EntryCorrected", Assert.Single(corrected.GetProperty("errata").EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal("a8", Assert.Single(corrected.GetProperty("areas").EnumerateArray()).GetProperty("mergedInto").GetString());
        Assert.True(decisions["d-late"].GetProperty("recordedAt").GetDateTimeOffset() > decisions["d-late"].GetProperty("effectiveAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task the_audits_evidence_cites_entries_exactly_as_the_raw_ledger_serves_them()
    {
        var id = await FlaggedReviewAsync();
        var raw = (await ShippedData.EntriesAsync(ledger, id)).ToDictionary(e => e.GetProperty("eventId").GetString()!);

        var audit = await Get($"/api/reviews/{id}/scope/audit");

        var evidence = audit.GetProperty("findings").EnumerateArray().SelectMany(f => f.GetProperty("evidence").EnumerateArray()).ToList();
        Assert.True(evidence.Count >= Expected.Length * 2 - 2, $"{evidence.Count} pieces of evidence");
        Assert.All(evidence, e =>
        {
            var entry = raw[e.GetProperty("eventId").GetString()!];
            Assert.Equal(entry.GetProperty("hash").GetString(), e.GetProperty("hash").GetString());
            Assert.Equal(entry.GetProperty("version").GetInt64(), e.GetProperty("version").GetInt64());
            Assert.Equal(entry.GetProperty("type").GetString(), e.GetProperty("type").GetString());
        });
        Assert.All(audit.GetProperty("decisions").EnumerateArray(), d =>
            Assert.Equal(raw[d.GetProperty("eventId").GetString()!].GetProperty("hash").GetString(), d.GetProperty("hash").GetString()));
    }

    [Fact]
    public async Task a_review_with_nothing_to_flag_says_so_in_every_format()
    {
        var id = await ContextAsync();
        await CleanDecisionsAsync(id);
        await Record(id, "ScopeDecided", Decision("d-widen", "2017-08-05T12:00:00Z", null, "a11", "in-scope"));

        var audit = await Get($"/api/reviews/{id}/scope/audit");
        Assert.Empty(audit.GetProperty("findings").EnumerateArray());
        Assert.Equal(2, audit.GetProperty("decisions").GetArrayLength());

        var client = ledger.Client();
        Assert.Contains("Nothing to flag", await client.GetStringAsync($"/api/reviews/{id}/scope/audit?format=md"));
        Assert.Contains("Nothing to flag", await client.GetStringAsync($"/reviews/{id}/audit"));
        var csv = await client.GetStringAsync($"/api/reviews/{id}/scope/audit?format=csv");
        // A header, one row a narrowing, the ledger's footer; a rationale that looks like a formula stays text.
        Assert.Equal(4, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(",'=SUM(A1) is not our remit,", csv);
    }

    [Fact]
    public async Task a_whole_review_diff_lists_areas_identified_then_narrowed_and_one_narrowed_then_widened_in_both_lists()
    {
        var id = await FlaggedReviewAsync();

        var diff = await Get($"/api/reviews/{id}/scope/diff?from=2017-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");

        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "a7", "a9", "a10", "a11"], Ids(diff.GetProperty("narrowed")).Order(StringComparer.Ordinal).OrderBy(a => a.Length));
        Assert.Equal(["a6"], Ids(diff.GetProperty("merged")));
        Assert.Equal(11, diff.GetProperty("added").GetArrayLength());
        var widened = Assert.Single(diff.GetProperty("widened").EnumerateArray());
        Assert.Equal("a11", widened.GetProperty("areaId").GetString());
        Assert.Equal(["d-narrow-a11", "d-widen"], widened.GetProperty("path").EnumerateArray().Select(s => s.GetProperty("decisionId").GetString()));
        Assert.Equal(["out-of-scope", "in-scope"], widened.GetProperty("path").EnumerateArray().Select(s => s.GetProperty("to").GetString()));

        // The page compares the whole review by default, with the same answer, and links each area to its history.
        var page = await ledger.Client().GetStringAsync($"/reviews/{id}");
        Assert.Contains("<span data-diff=\"narrowed\">9 narrowed</span>", page);
        Assert.Contains($"href=\"/reviews/{id}/areas/a11\"", page);
        Assert.Contains($"href=\"/reviews/{id}/audit\"", page);
        var history = await ledger.Client().GetStringAsync($"/reviews/{id}/areas/a11");
        Assert.Contains("Decision d-narrow-a11: out-of-scope", history);
        Assert.Contains("Decision d-widen: in-scope", history);
    }

    [Fact]
    public async Task the_audit_refuses_a_window_it_cannot_read_naming_the_parameter()
    {
        var id = await ContextAsync();
        var client = ledger.Client();

        var meeting = await Body.Problem(await client.GetAsync($"/api/reviews/{id}/scope/audit?from=atlantis"), 404);
        Assert.True(meeting.GetProperty("errors").TryGetProperty("from", out _), meeting.ToString());
        var instant = await Body.Problem(await client.GetAsync($"/api/reviews/{id}/scope/audit?to=last-tuesday"), 404);
        Assert.True(instant.GetProperty("errors").TryGetProperty("to", out _), instant.ToString());
        var reversed = await Body.Problem(await client.GetAsync($"/api/reviews/{id}/scope/audit?from=2017-06-01T00:00:00Z&to=m1"), 400);
        Assert.True(reversed.GetProperty("errors").TryGetProperty("to", out _));
        var format = await Body.Problem(await client.GetAsync($"/api/reviews/{id}/scope/audit?format=pdf"), 400);
        Assert.True(format.GetProperty("errors").TryGetProperty("format", out _));
        await Body.Problem(await client.GetAsync($"/api/reviews/{Body.NewReviewId()}/scope/audit"), 404);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/reviews/{Body.NewReviewId()}/audit")).StatusCode);
    }
}
