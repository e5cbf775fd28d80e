using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Timeline;

/// <summary><c>timeline ID --format md|html|csv|json -o FILE</c>: the same timeline as the API's.</summary>
public static class TimelineCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string reviewId, string format, string? file, string? from,
        string? to, string? kinds)
    {
        if (!TimelineFormats.MediaTypes.ContainsKey(format))
            throw new ArgumentException($"--format must be one of: {string.Join(", ", TimelineFormats.MediaTypes.Keys)}.");
        var catalog = services.GetRequiredService<EventCatalog>();
        var (timeline, refusal) = await services.GetRequiredService<ReviewCaches>()
            .WithReviewAsync(reviewId, c => DecisionTimeline.Ask(c, from, to, kinds, catalog.Json), CancellationToken.None);
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync($"{refusal.Title}: {refusal.Detail}");
            return refusal.Status == 404 ? 3 : 1;
        }
        var text = TimelineFormats.Render(timeline!, format);
        if (file is null) Console.Write(text);
        else
        {
            await File.WriteAllTextAsync(file, text);
            Console.WriteLine($"Wrote the timeline of '{reviewId}' ({timeline!.Entries.Count} entries, version {timeline.Version}) to {file}");
        }
        return 0;
    }
}
