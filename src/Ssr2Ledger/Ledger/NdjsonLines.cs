using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Ssr2Ledger.Ledger;

/// <summary>
/// The lines of an NDJSON body, each held only up to a limit: a longer line is reported as soon as the limit is passed
/// and reading stops there, so memory stays bounded whatever the body (a 100 MB line read whole as a string took a
/// gigabyte). Lines end with LF or CRLF.
/// </summary>
public static class NdjsonLines
{
    /// <param name="Utf8">The line's bytes without its end; null when the line is longer than the limit.</param>
    public readonly record struct Line(long Number, byte[]? Utf8);

    public static async IAsyncEnumerable<Line> ReadAsync(Stream body, int maxBytes, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 1 << 16, leaveOpen: true));
        var number = 0L;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (line.Length > maxBytes) { yield return new(++number, null); yield break; }
                    yield return new(++number, WithoutCr(line));
                }
                if (buffer.Length > maxBytes) { yield return new(++number, null); yield break; }
                if (result.IsCompleted)
                {
                    if (buffer.Length > 0) yield return new(++number, WithoutCr(buffer));
                    yield break;
                }
                // Keep the unfinished line, and wait for more than what is already examined.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static byte[] WithoutCr(ReadOnlySequence<byte> line)
    {
        var bytes = line.ToArray();
        return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
    }
}
