using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Community;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Meetings;
using Ssr2Ledger.Members;
using Ssr2Ledger.Recommendations;
using Ssr2Ledger.Scope;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Bench;

/// <summary>
/// Issue 21: the reads a reader makes of one long review (its page, the timeline exports, the feed, a repeated
/// <c>knownAt</c> question), over HTTP as a browser asks (Brotli or gzip accepted), at each size asked for, with how
/// each grows from the smallest size to the largest. Each figure is the median of five after a warm-up.
/// </summary>
public static class ReadsBench
{
    private const int Runs = 5;

    public static async Task RunAsync(Bench bench, IReadOnlyList<int> sizes)
    {
        var key = await Access.ApiKeys.CreateAsync(bench.Store, "bench-reads", Access.Roles.Recorder);
        var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(bench.Url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
        var measured = new List<(int Size, Dictionary<string, double> Figures)>();
        foreach (var size in sizes)
        {
            var reviewId = $"reads-{size}";
            Console.WriteLine($"reads: recording a review of {size:N0} entries of realistic shape …");
            var (entries, meetings) = RealisticReview.Build(reviewId, size);
            await bench.ImportAsync(reviewId, entries);
            var knownAt = DateTimeOffset.UtcNow;
            await Task.Delay(50);
            await RecordLateAsync(bench, http, key, reviewId, meetings);

            var figures = new Dictionary<string, double>();
            var page = $"/reviews/{reviewId}";
            (figures["page ms"], figures["page KB"]) = await MedianAsync(http, page);
            (figures["feed ms"], _) = await MedianAsync(http, $"/api/reviews/{reviewId}/feed.atom");
            (figures["timeline html ms"], figures["timeline html KB"]) = await MedianAsync(http, $"/api/reviews/{reviewId}/timeline?format=html");
            (figures["timeline json ms"], _) = await MedianAsync(http, $"/api/reviews/{reviewId}/timeline?format=json");
            // An export's size is what it holds: its bytes a line are what must not grow with the review.
            using var plain = new HttpClient { BaseAddress = new Uri(bench.Url), Timeout = TimeSpan.FromMinutes(10) };
            var lines = (await plain.GetFromJsonAsync<JsonElement>($"/api/reviews/{reviewId}/timeline?format=json")).GetProperty("entries").GetArrayLength();
            figures["timeline lines"] = lines;
            figures["timeline html bytes a line"] = figures["timeline html KB"] * 1024 / lines;
            (figures["asOf ms"], _) = await MedianAsync(http, $"/api/reviews/{reviewId}/state?asOf={meetings[meetings.Count / 2]}");
            var knownAtQuestion = $"/api/reviews/{reviewId}/state?asOf={meetings[meetings.Count / 2]}&knownAt={Uri.EscapeDataString(knownAt.ToString("O"))}";
            figures["knownAt first ms"] = await Bench.Timed(() => GetAsync(http, knownAtQuestion));
            (figures["knownAt repeated ms"], _) = await MedianAsync(http, knownAtQuestion);
            // The baseline: the same question with its rendered answer dropped before each request (serialized and compressed again).
            var rendered = bench.App.Services.GetRequiredService<Hosting.RenderedAnswers>();
            (figures["knownAt repeated, rendered each time ms"], _) = await MedianAsync(http, knownAtQuestion, rendered.Clear);
            // The same question in process: the remembered state, without the answer's JSON and its transfer.
            var question = new Temporal.AsOf(meetings[meetings.Count / 2], knownAt, null);
            var reviews = bench.App.Services.GetRequiredService<ReviewCaches>();
            figures["knownAt repeated, in process ms"] = Enumerable.Range(0, Runs).Select(_ => Bench.Timed(() =>
                reviews.WithReviewAsync(reviewId, c => HistoricalState.Answer(c, question, bench.Catalog.Json), default)).Result).Order().ElementAt(Runs / 2);
            figures["knownAt answer KB"] = (await plain.GetByteArrayAsync(knownAtQuestion)).Length / 1024.0;
            (figures["export first byte ms"], figures["export memory MB"]) = await ExportMemoryAsync(http, $"/api/reviews/{reviewId}/timeline?format=md");
            (figures["page after an entry ms"], figures["page after a late entry ms"]) = await FirstPagesAfterAsync(bench, http, key, reviewId);
            measured.Add((size, figures));
            Console.WriteLine($"  {size,8:N0} entries: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value:N1}")));
        }

        var (small, large) = (measured[0], measured[^1]);
        var scale = (double)large.Size / small.Size;
        foreach (var (name, target, met) in new (string, string, Func<double, bool>)[]
        {
            ("page ms", "< 500 ms", v => v < 500), ("page KB", "< 1,024 KB on the wire", v => v < 1024),
            ("feed ms", "< 50 ms", v => v < 50), ("knownAt repeated ms", "< 20 ms", v => v < 20),
            ("export memory MB", "< 200 MB growth", v => v < 200), ("export first byte ms", "", _ => true),
            ("timeline html ms", "", _ => true), ("timeline html bytes a line", "", _ => true), ("timeline json ms", "", _ => true),
            ("asOf ms", "", _ => true), ("knownAt first ms", "", _ => true), ("knownAt repeated, in process ms", "", _ => true),
            ("knownAt repeated, rendered each time ms", "", _ => true),
            ("knownAt answer KB", "", _ => true), ("page after an entry ms", "", _ => true), ("page after a late entry ms", "", _ => true),
        })
        {
            var (a, b) = (small.Figures[name], large.Figures[name]);
            var growth = b / Math.Max(a, 0.001);
            bench.Figures.Add(new("issue 21: reads", $"{name} at {large.Size:N0} entries", b, name.EndsWith(" KB") ? "KB" : name.EndsWith(" MB") ? "MB" : name.EndsWith(" a line") ? "B" : "ms",
                $"at {small.Size:N0}", a, $"{growth:N1}x for {scale:N0}x entries", target + (target.Length > 0 ? ", " : "") + "growth ≤ linear",
                met(b) && growth <= scale * 1.1));
        }
    }

    private static async Task PostAsync(HttpClient http, string apiKey, string reviewId, string route, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{reviewId}/{route}")
            { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{route}: {await response.Content.ReadAsStringAsync()}");
    }

    private static JsonObject Input(string inputId, string areaId, DateTimeOffset effectiveAt) => new()
    {
        ["inputId"] = inputId, ["channel"] = "mailing-list", ["from"] = "A late correspondent",
        ["summary"] = "Asks the team to keep the area in scope; the message was found in the archive later.",
        ["areaIds"] = new JsonArray(areaId), ["position"] = "keep-in-scope", ["effectiveAt"] = effectiveAt,
    };

    /// <summary>
    /// The review page asked first after one entry is recorded: one effective after every other (the timeline's lines go on
    /// from the last version's), and, as the baseline, one effective earlier (a late entry: the lines are built again).
    /// </summary>
    private static async Task<(double InOrderMs, double LateMs)> FirstPagesAfterAsync(Bench bench, HttpClient http, string apiKey, string reviewId)
    {
        var (last, middle) = await bench.App.Services.GetRequiredService<ReviewCaches>().WithReviewAsync(reviewId,
            c => (c.Recorded.Max(e => e.Event.EffectiveAt), c.Recorded[c.Recorded.Count / 2].Event.EffectiveAt), default);
        var page = $"/reviews/{reviewId}";
        var inOrder = new List<double>();
        var late = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            await PostAsync(http, apiKey, reviewId, "community-input", Input($"in-order-input-{i}", "area-7", last.AddMinutes(i + 1)));
            inOrder.Add(await Bench.Timed(() => GetAsync(http, page)));
        }
        for (var i = 0; i < Runs; i++)
        {
            await PostAsync(http, apiKey, reviewId, "community-input", Input($"earlier-input-{i}", "area-7", middle));
            late.Add(await Bench.Timed(() => GetAsync(http, page)));
        }
        return (Bench.Percentile(inOrder, 50), Bench.Percentile(late, 50));
    }

    /// <summary>After the import: a few corrections, a retraction and late entries, recorded later than the rest.</summary>
    private static async Task RecordLateAsync(Bench bench, HttpClient http, string apiKey, string reviewId, List<string> meetings)
    {
        var recorded = await bench.App.Services.GetRequiredService<ReviewCaches>().WithReviewAsync(reviewId, c => c.Recorded.ToList(), default);
        var decisions = recorded.Where(e => e.Event is ScopeDecided).ToList();
        var briefings = recorded.Where(e => e.Event is StaffBriefingReceived).ToList();
        Task Post(string route, JsonObject body) => PostAsync(http, apiKey, reviewId, route, body);
        for (var i = 1; i <= 5; i++)
        {
            var target = decisions[decisions.Count * i / 6];
            await Post("corrections", new JsonObject
            {
                ["correctsEventId"] = target.Meta.EventId, ["reason"] = "The rationale was recorded from the wrong draft of the minutes.",
                ["corrected"] = new JsonObject { ["rationale"] = "Corrected rationale: the subteam found the area already covered by the ToR's section 3." },
                ["effectiveAt"] = target.Event.EffectiveAt.AddDays(10),
            });
        }
        await Post("retractions", new JsonObject
        {
            ["retractsEventId"] = briefings[briefings.Count / 2].Meta.EventId, ["reason"] = "Recorded in the wrong review.",
            ["effectiveAt"] = briefings[briefings.Count / 2].Event.EffectiveAt.AddDays(1),
        });
        for (var i = 0; i < 5; i++)
            await Post("community-input", Input($"late-input-{i}", $"area-{i * 7}", recorded[recorded.Count / 3].Event.EffectiveAt));
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(Stream.Null);
    }

    /// <summary>The median time of five requests after one to warm up, and the bytes on the wire (KB).</summary>
    private static async Task<(double Ms, double Kb)> MedianAsync(HttpClient http, string path, Action? before = null)
    {
        long bytes = 0;
        var times = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            before?.Invoke();
            var ms = await Bench.Timed(async () =>
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync();
                var counter = new CountingStream();
                await body.CopyToAsync(counter);
                bytes = counter.Length;
            });
            if (i > 0) times.Add(ms);
        }
        return (Bench.Percentile(times, 50), bytes / 1024.0);
    }

    /// <summary>
    /// A full export: the time to its first byte, and how far the process's memory rose above where it stood before (server
    /// and client share the process; the client keeps nothing). Both the working set and the managed heap are sampled, and
    /// the larger rise counts: the working set alone hides a rise into memory an earlier request left reserved, and the
    /// heap counts garbage not yet collected, so the figure errs high.
    /// </summary>
    private static async Task<(double FirstByteMs, double GrowthMb)> ExportMemoryAsync(HttpClient http, string path)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var (workingSet, heap) = (process.WorkingSet64, GC.GetTotalMemory(true));
        long rise = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                process.Refresh();
                rise = Math.Max(rise, Math.Max(process.WorkingSet64 - workingSet, GC.GetTotalMemory(false) - heap));
                await Task.Delay(5);
            }
        });
        var watch = Stopwatch.StartNew();
        double firstByte;
        using (var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16 * 1024];
            var read = await body.ReadAsync(buffer);
            firstByte = watch.Elapsed.TotalMilliseconds;
            while (read > 0) read = await body.ReadAsync(buffer);
        }
        done.Cancel();
        await sampler;
        return (firstByte, rise / 1024.0 / 1024.0);
    }

    private sealed class CountingStream : Stream
    {
        public override long Length => _length;
        private long _length;
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>
/// A review shaped like a real one, at any size: 15 members, 20 topics, 2,000 areas, a meeting every three days (one for
/// every hundred entries), and between meetings scope decisions with a rationale, community input naming areas, staff
/// briefings and recommendations drafted, revised and adopted; one entry in fifty recorded late (effective earlier).
/// </summary>
public static class RealisticReview
{
    public static (List<ReviewEvent> Entries, List<string> MeetingIds) Build(string reviewId, int size, int seed = 21)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var entries = new List<ReviewEvent> { new ReviewChartered(reviewId, "Generated review of realistic shape", "Benchmark of reads") { EffectiveAt = start } };
        var members = Enumerable.Range(0, 15).Select(i => $"member-{i}").ToList();
        entries.AddRange(members.Select((m, i) => new MemberAppointed(m, $"Member {i}", i % 3 == 0 ? "GNSO" : "ccNSO", i == 0 ? MemberRole.Chair : MemberRole.Member)
            { EffectiveAt = start.AddMinutes(10) }));
        for (var t = 0; t < 20; t++) entries.Add(new TopicAreaAgreed($"topic-{t}", $"Topic {t}", "Agreed at the kick-off") { EffectiveAt = start.AddHours(1) });
        var areas = Enumerable.Range(0, 2000).Select(i => $"area-{i}").ToList();
        entries.AddRange(areas.Select((a, i) => new AreaOfInterestIdentified(a, $"Area of interest {i}", $"topic-{i % 20}") { EffectiveAt = start.AddHours(2).AddMinutes(i / 100) }));

        var meetingIds = new List<string>();
        var meetings = Math.Max(20, size / 100);
        var perMeeting = Math.Max(1, (size - entries.Count) / meetings - 2);
        var statuses = new[] { ScopeStatus.InScope, ScopeStatus.OutOfScope, ScopeStatus.Deferred, ScopeStatus.InScope };
        var (decision, input, recommendation, adopted) = (0, 0, 0, 0);
        for (var m = 0; m < meetings && entries.Count < size; m++)
        {
            var id = $"meeting-{m:0000}";
            var starts = start.AddDays(3 + m * 3);
            meetingIds.Add(id);
            entries.Add(new MeetingScheduled($"Plenary {m}", m % 20 == 0 ? MeetingFormat.FaceToFace : MeetingFormat.Teleconference,
                m % 20 == 0 ? "ICANN meeting venue" : "Online", starts, starts.AddHours(2)) { EffectiveAt = starts.AddDays(-2), MeetingId = id });
            for (var d = 0; d < perMeeting; d++)
            {
                var late = random.Next(50) == 0 && m > 0;
                var at = late ? Max(starts.AddDays(-random.Next(3, 30)), start.AddHours(3)) : starts.AddMinutes(1 + d * 100.0 / perMeeting);
                var meeting = late ? null : id;
                // What arrives late is a decision or community input: a briefing or a draft belongs to its meeting's day.
                ReviewEvent entry = (late ? random.Next(15) : random.Next(20)) switch
                {
                    < 11 => new ScopeDecided($"d-{decision++}",
                        areas.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(a => new AreaChange(a, statuses[random.Next(statuses.Length)])).ToList(),
                        $"The team weighed the community's input and the subteam's findings on decision {decision}: the area is " +
                        "covered elsewhere in ICANN's work, or needs evidence the team cannot gather within its mandate.",
                        "ToR section 3", random.Next(4) == 0 ? DecisionMethod.Vote : DecisionMethod.Consensus) { EffectiveAt = at, MeetingId = meeting },
                    < 15 => new CommunityInputReceived($"input-{input++}", InputChannel.PublicComment, $"Correspondent {input % 300}",
                        "Asks the team to look closer at the area and cites the SSR1 implementation report.",
                        [areas[random.Next(areas.Count)]], random.Next(2) == 0 ? InputPosition.KeepInScope : InputPosition.TakeOutOfScope) { EffectiveAt = at, MeetingId = meeting },
                    < 17 => new StaffBriefingReceived("ICANN org", $"Briefing on topic {random.Next(20)}") { EffectiveAt = at, MeetingId = meeting },
                    < 19 => new RecommendationDrafted($"rec-{recommendation++}", $"Recommendation {recommendation}",
                        "ICANN org should measure and publish what it does on this area every year.", [areas[random.Next(areas.Count)]]) { EffectiveAt = at, MeetingId = meeting },
                    _ when adopted < recommendation => new RecommendationAdopted($"rec-{adopted++}", "full consensus") { EffectiveAt = at, MeetingId = meeting },
                    _ => new StaffBriefingReceived("ICANN org", "Briefing on the work plan") { EffectiveAt = at, MeetingId = meeting },
                };
                entries.Add(entry);
            }
            entries.Add(new MeetingHeld(members.Take(8 + random.Next(7)).ToList(), random.Next(0, 40)) { EffectiveAt = starts.AddHours(2), MeetingId = id });
        }
        return (entries, meetingIds);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
