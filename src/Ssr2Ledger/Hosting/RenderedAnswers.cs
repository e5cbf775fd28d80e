using System.Text.Json;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// Answers already rendered, as sent on the wire (JSON in UTF-8, then Brotli or gzip as the client accepts), for questions
/// whose answer depends only on the review's version and the question: the same question asked again of the same version
/// is the same bytes, so it costs a look-up, not a serialization and a compression of megabytes (a <c>knownAt</c> state of
/// a long review). The key holds the version, so an entry recorded since never meets an older answer; refusals are never
/// kept. Bounded by the bytes held, the least recently asked dropped first.
/// </summary>
public sealed class RenderedAnswers(IResponseCompressionProvider compression, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    long budgetBytes = RenderedAnswers.DefaultBudgetBytes)
{
    public const long DefaultBudgetBytes = 64L << 20;
    private const string Identity = "identity";

    /// <summary>A question of a review at a version, normalized (parsed, not as spelled), and the coding sent.</summary>
    public readonly record struct Key(string ReviewId, long Version, string Question, string Coding);

    private readonly Lock _lock = new();
    private readonly LinkedList<(Key Key, byte[] Bytes)> _recent = [];
    private readonly Dictionary<Key, LinkedListNode<(Key Key, byte[] Bytes)>> _held = [];
    private long _bytes;

    public long BytesHeld { get { lock (_lock) return _bytes; } }

    /// <summary>Drops every answer held: the next question of each is rendered again (the benchmark's baseline).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _held.Clear();
            _recent.Clear();
            _bytes = 0;
        }
    }

    public bool Holds(Func<Key, bool> which) { lock (_lock) return _held.Keys.Any(which); }

    /// <summary>The content-coding this request is answered in: what the response compression would choose, else identity.</summary>
    public string CodingFor(HttpContext http) =>
        compression.CheckRequestAcceptsCompression(http) && compression.GetCompressionProvider(http) is { } provider ? provider.EncodingName : Identity;

    public byte[]? Find(Key key)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(key, out var node)) return null;
            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Bytes;
        }
    }

    /// <summary>Renders the answer in the key's coding and keeps it (unless it alone would fill the budget).</summary>
    public byte[] Render<T>(Key key, T answer, HttpContext http)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(answer, json.Value.SerializerOptions);
        if (key.Coding != Identity && compression.GetCompressionProvider(http) is { } provider && provider.EncodingName == key.Coding)
        {
            var compressed = new MemoryStream(bytes.Length / 4);
            using (var stream = provider.CreateStream(compressed)) stream.Write(bytes);
            bytes = compressed.ToArray();
        }
        Keep(key, bytes);
        return bytes;
    }

    public void Keep(Key key, byte[] bytes)
    {
        if (bytes.Length > budgetBytes / 2) return;
        lock (_lock)
        {
            if (_held.ContainsKey(key)) return;
            _held[key] = _recent.AddFirst((key, bytes));
            _bytes += bytes.Length;
            while (_bytes > budgetBytes && _recent.Last is { } oldest)
            {
                _recent.RemoveLast();
                _held.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Bytes.Length;
            }
        }
    }

    /// <summary>
    /// The rendered bytes as the answer. Already coded, so the response compression leaves them as they are (it does not
    /// touch a response with a <c>Content-Encoding</c>); the <c>Vary</c> it would have added is added here.
    /// </summary>
    public static IResult Send(HttpContext http, Key key, byte[] bytes)
    {
        if (key.Coding != Identity)
        {
            http.Response.Headers.ContentEncoding = key.Coding;
            http.Response.Headers.Append("Vary", "Accept-Encoding");
        }
        return Results.Bytes(bytes, "application/json; charset=utf-8");
    }
}
