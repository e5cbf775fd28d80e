using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ssr2Ledger.Reliability;

/// <summary>
/// Clients that write continuously, each entry with its own Idempotency-Key, retrying an unanswered write with
/// the same key until it is acknowledged: the way a careful client behaves through crashes and outages.
/// </summary>
public sealed class Writers(string reviewId, string key, Func<int, string> serverFor)
{
    public ConcurrentDictionary<string, Guid> Acknowledged { get; } = new();
    public ConcurrentBag<(int Status, double Milliseconds)> Failures { get; } = [];
    public int Retries => _retries;
    private int _retries;

    public async Task RunAsync(int clients, CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var areaId = $"w{c}-{n}";
                for (var attempt = 0; ; attempt++)
                {
                    if (attempt > 0) { Interlocked.Increment(ref _retries); await Task.Delay(200); }
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, $"{serverFor(c + attempt)}/api/reviews/{reviewId}/areas")
                        {
                            Content = JsonContent.Create(new JsonObject
                            {
                                ["areaId"] = areaId, ["title"] = $"Area {areaId}", ["topicId"] = "t1", ["effectiveAt"] = "2017-05-14T10:00:00Z",
                            }),
                        };
                        request.Headers.Add("Idempotency-Key", areaId);
                        using var response = await http.SendAsync(request);
                        if ((int)response.StatusCode == 201)
                        {
                            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                            Acknowledged[areaId] = answer.GetProperty("eventId").GetGuid();
                            break;
                        }
                        Failures.Add(((int)response.StatusCode, watch.Elapsed.TotalMilliseconds));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Failures.Add((0, watch.Elapsed.TotalMilliseconds));
                    }
                    // An acknowledged-or-not write is finished before stopping: its key decides it.
                    if (stop.IsCancellationRequested && attempt > 50) return;
                }
            }
        })));
    }
}
