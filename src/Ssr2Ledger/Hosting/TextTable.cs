namespace Ssr2Ledger.Hosting;

/// <summary>Plain aligned columns for the terminal, cut to fit its width.</summary>
public static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, int width = 0)
    {
        var all = rows.Select(r => r.Select(c => (c ?? "").ReplaceLineEndings(" ")).ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        width = width > 0 ? width : TerminalWidth();
        // The last column gives way first when the table is wider than the terminal.
        var overflow = widths.Sum() + 2 * (widths.Length - 1) - width;
        if (overflow > 0) widths[^1] = Math.Max(8, widths[^1] - overflow);

        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) =>
            (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd();
        return string.Join(Environment.NewLine,
            new[] { Line(headers), Line(widths.Select(w => new string('-', w)).ToList()) }.Concat(all.Select(Line)));
    }

    private static int TerminalWidth()
    {
        try { return Console.IsOutputRedirected ? 160 : Math.Max(60, Console.WindowWidth); }
        catch (IOException) { return 120; }
    }
}
