using Marten;
using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Bench;

/// <summary>
/// `state?asOf=&lt;meeting&gt;` over HTTP on a long review, beside the naive way (read the whole stream and replay it),
/// with the in-process split of the answer's cost.
/// </summary>
public static class AsOfBench
{
    public static async Task RunAsync(Bench bench, int events, int meetings, int queries)
    {
        Console.WriteLine($"as-of: recording a review of {events:N0} entries with {meetings} meetings …");
        var (entries, meetingIds) = GeneratedReview.Build("asof", events, meetings);
        await bench.ImportAsync("asof", entries);

        var random = new Random(11);
        using var http = new HttpClient { BaseAddress = new Uri(bench.Url) };
        async Task AsOf(string meeting)
        {
            using var response = await http.GetAsync($"/api/reviews/asof/state?asOf={meeting}");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        var cold = new List<double>();
        foreach (var meeting in meetingIds.OrderBy(_ => random.Next()).Take(Math.Min(100, meetings))) cold.Add(await Bench.Timed(() => AsOf(meeting)));
        var warm = new List<double>();
        for (var i = 0; i < queries; i++) warm.Add(await Bench.Timed(() => AsOf(meetingIds[random.Next(meetingIds.Count)])));

        // The same questions in process, to split the answer's cost: the fold from snapshots, then the JSON.
        var reviews = bench.App.Services.GetRequiredService<ReviewCaches>();
        var fold = new List<double>();
        var document = new List<double>();
        for (var i = 0; i < queries; i++)
        {
            var meeting = meetingIds[random.Next(meetingIds.Count)];
            StateAsOf? answer = null;
            fold.Add(await Bench.Timed(async () => answer = (await reviews.WithReviewAsync("asof",
                t => HistoricalState.Answer(t, new Temporal.AsOf(meeting, null, null), bench.Catalog.Json), default)).Item1));
            document.Add(await Bench.Timed(() => Task.FromResult(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(StateDocument.From("asof", answer!), bench.Catalog.Json))));
        }

        var naive = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var meeting = meetingIds[random.Next(meetingIds.Count)];
            naive.Add(await Bench.Timed(async () =>
            {
                await using var session = bench.Store.QuerySession();
                var recorded = (await session.Events.FetchStreamAsync("asof")).Select(Entries.From).ToList();
                var endsAt = ReviewFold.Replay(recorded, bench.Catalog.Json)!.Meetings[meeting].EndsAt;
                ReviewFold.Replay(recorded, bench.Catalog.Json, endsAt);
            }));
        }

        Console.WriteLine($"  {"measure",-44} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"n",6}");
        Row("HTTP state?asOf=<meeting>, first questions", cold);
        Row("HTTP state?asOf=<meeting>, warm", warm);
        Row("  in process: timeline catch-up + fold", fold);
        Row("  in process: state document to JSON", document);
        Row("naive: read stream + full replay (baseline)", naive);
        var p95 = Bench.Percentile(warm, 95);
        bench.Figures.Add(new("3 as-of", $"HTTP state?asOf=<meeting> on {entries.Count:N0} entries, warm p95 (ms)", p95, "ms",
            "naive read + replay, p95 (ms)", Bench.Percentile(naive, 95), $"{Bench.Percentile(naive, 95) / p95:N0}x faster", "p95 < 20 ms", p95 < 20));
    }

    private static void Row(string name, List<double> samples) =>
        Console.WriteLine($"  {name,-44} {Bench.Percentile(samples, 50),8:N2} {Bench.Percentile(samples, 95),8:N2} {Bench.Percentile(samples, 99),8:N2} {samples.Count,6}");
}
