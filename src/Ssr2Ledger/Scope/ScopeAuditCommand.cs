using Ssr2Ledger.Ledger;
using Ssr2Ledger.Temporal;

namespace Ssr2Ledger.Scope;

/// <summary><c>audit ID [--from A] [--to B] [--format md|html|csv|json] [-o FILE]</c>: the same audit as the API's.</summary>
public static class ScopeAuditCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string reviewId, string? from, string? to, string format, string? file)
    {
        if (!ScopeAuditFormats.Formats.ContainsKey(format))
            throw new ArgumentException($"--format must be one of: {string.Join(", ", ScopeAuditFormats.Formats.Keys)}.");
        var catalog = services.GetRequiredService<EventCatalog>();
        var (audit, refusal) = await services.GetRequiredService<ReviewCaches>()
            .WithReviewAsync(reviewId, t => ScopeAudit.Ask(t, from, to), CancellationToken.None);
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync($"{refusal.Title}: {refusal.Detail}");
            return refusal.Status == 404 ? 3 : 1;
        }
        var text = ScopeAuditFormats.Render(audit!, format, catalog.Json);
        if (file is null) Console.Write(text);
        else
        {
            await File.WriteAllTextAsync(file, text);
            Console.WriteLine($"Wrote the scope audit of '{reviewId}' ({audit!.Narrowed} narrowed, {audit.Merged} merged, " +
                              $"{audit.Findings.Count} findings, version {audit.Version}) to {file}");
        }
        return 0;
    }
}
