using Microsoft.Extensions.DependencyInjection;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Bench;

/// <summary>Issue 15: an inclusion proof in a review of a million entries, read from the stored subtrees.</summary>
public static class ProofBench
{
    public static async Task RunAsync(Bench bench, int events, int queries)
    {
        Console.WriteLine($"proofs: recording a review of {events:N0} entries …");
        await bench.ImportAsync("proofs", GeneratedReview.Churn("proofs", events));
        var proofs = bench.App.Services.GetRequiredService<TreeProofs>();
        var random = new Random(15);
        var timings = new List<double>();
        for (var i = 0; i < queries + 50; i++)
        {
            var version = random.NextInt64(1, events + 1);
            var ms = await Bench.Timed(async () =>
            {
                var answer = await proofs.InclusionAsync("proofs", version, events, CancellationToken.None);
                if (answer.Hashes is not { Count: > 0 }) throw new InvalidOperationException($"No proof of {version}: {answer.Refusal}");
            });
            if (i >= 50) timings.Add(ms); // the first ones warm the pool and the JIT
        }
        var p99 = Bench.Percentile(timings, 99);
        bench.Figures.Add(new("issue 15: proofs", $"inclusion proof in a tree of {events:N0} entries, p99 of {queries:N0} (ms)", p99, "ms",
            "median", Bench.Percentile(timings, 50), "", "< 5 ms", p99 < 5));
    }
}
