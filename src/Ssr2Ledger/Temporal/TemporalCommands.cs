using static Ssr2Ledger.Ledger.KebabCase;
using System.Text.Json;
using Ssr2Ledger.Hosting;
using Ssr2Ledger.Ledger;
using Ssr2Ledger.Scope;

namespace Ssr2Ledger.Temporal;

/// <summary>The command line's <c>state</c> and <c>diff</c>: readable tables, or <c>--json</c> for scripts.</summary>
public static class TemporalCommands
{
    public static async Task<int> StateAsync(IServiceProvider services, string reviewId, string? asOf, string? knownAt, string? version, bool json)
    {
        var catalog = services.GetRequiredService<EventCatalog>();
        var (question, invalid) = AsOf.Parse(asOf, knownAt, version);
        if (invalid is not null) return Fail(invalid);
        var (answer, refusal) = await services.GetRequiredService<ReviewCaches>()
            .WithReviewAsync(reviewId, t => HistoricalState.Answer(t, question!, catalog.Json), CancellationToken.None);
        if (refusal is not null) return Fail(refusal);

        var document = StateDocument.From(reviewId, answer!);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(document, catalog.Json));
            return 0;
        }
        Console.WriteLine($"{document.Name} ({document.ReviewId}) — {Word(document.Status)}");
        Console.WriteLine($"as of {(document.AsOfMeeting is { } m ? $"{m} ({document.AsOf:u})" : document.AsOf?.ToString("u") ?? "now")}" +
                          $", known at {document.KnownAt?.ToString("u") ?? "now"}, version {document.Version}, head {Short(document.HeadHash)}");
        var c = document.Counts;
        Console.WriteLine($"areas: {c.AreasInScope} in scope, {c.AreasOutOfScope} out of scope, {c.AreasDeferred} deferred, " +
                          $"{c.AreasMerged} merged, {c.AreasProposed} proposed");
        var tor = document.TermsOfReference;
        Console.WriteLine($"terms of reference: latest {tor.LatestVersion ?? "-"}, adopted {tor.AdoptedVersion ?? "-"}, delivered {tor.DeliveredVersion ?? "-"}");
        Console.WriteLine();
        Console.WriteLine(TextTable.Render(["area", "topic", "status", "merged into", "subteam", "last decision", "title"],
            document.Areas.Select(a => new[] { a.AreaId, a.TopicId, Word(a.Status), a.MergedInto, a.SubteamId, a.LastDecisionId, a.Title })));
        Console.WriteLine();
        Console.WriteLine(TextTable.Render(["meeting", "status", "starts", "ends", "title"],
            document.Meetings.Select(m => new[] { m.MeetingId, Word(m.Status), m.StartsAt.ToString("yyyy-MM-dd HH:mm"), m.EndsAt.ToString("yyyy-MM-dd HH:mm"), m.Title })));
        return 0;
    }

    public static async Task<int> DiffAsync(IServiceProvider services, string reviewId, string? from, string? to, bool json)
    {
        var catalog = services.GetRequiredService<EventCatalog>();
        var (answer, refusal) = await services.GetRequiredService<ReviewCaches>()
            .WithReviewAsync(reviewId, t => ScopeDiff.Ask(t, from, to), CancellationToken.None);
        if (refusal is not null) return Fail(refusal);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(answer, catalog.Json));
            return 0;
        }
        Console.WriteLine($"Scope of {reviewId} from {answer!.FromMeeting ?? answer.From.ToString("u")} to {answer.ToMeeting ?? answer.To.ToString("u")}");
        foreach (var (title, moves) in new[] { ("Narrowed", answer.Narrowed), ("Merged", answer.Merged), ("Widened", answer.Widened),
                     ("Added", answer.Added), ("Other changes", answer.OtherChanges) })
        {
            Console.WriteLine();
            Console.WriteLine($"{title}: {moves.Count}");
            if (moves.Count == 0) continue;
            // One row a step of each area's path: every decision along it, in order.
            Console.WriteLine(TextTable.Render(["area", "from", "to", "decision", "meeting", "date", "method", "rationale"],
                moves.SelectMany(m => m.Path.Count == 0
                    ? new[] { new string?[] { m.AreaId, "-", Word(m.To), null, null, null, null, "identified" } }.AsEnumerable()
                    : m.Path.Select(s => new string?[]
                    {
                        s.MergedInto is null ? m.AreaId : $"{m.AreaId} → {s.MergedInto}", Word(s.From), Word(s.To), s.DecisionId, s.MeetingId,
                        s.DecidedAt.ToString("yyyy-MM-dd"), Word(s.Method), s.Rationale,
                    }))));
        }
        return 0;
    }


    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private static int Fail(Refusal refusal)
    {
        Console.Error.WriteLine($"{refusal.Title}: {refusal.Detail}");
        return refusal.Status == 404 ? 3 : 1;
    }
}
