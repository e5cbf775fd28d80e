using System.Text.Json;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// The reviews shipped in <c>data/</c> for <c>demo</c>: every <c>*.ndjson</c> file there, each named by the
/// <c>reviewId</c> of its <c>ReviewChartered</c> line (a file is imported into the review it charters).
/// </summary>
public static class ShippedReviews
{
    public sealed record ShippedFile(string Path, string ReviewId);

    /// <summary>The shipped files in name order, each with the review it charters.</summary>
    public static IReadOnlyList<ShippedFile> In(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.ndjson").Order(StringComparer.Ordinal).Select(p => new ShippedFile(p, ReviewIdOf(p))).ToList()
            : [];

    /// <summary>The reviewId of the file's first ReviewChartered line; a file without one is not a review's history.</summary>
    public static string ReviewIdOf(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "ReviewChartered"
                && entry.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("reviewId", out var id) && id.ValueKind == JsonValueKind.String)
                return id.GetString()!;
        }
        throw new InvalidDataException($"{path} has no ReviewChartered line with a reviewId: it names no review to import into.");
    }
}
