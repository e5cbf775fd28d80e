using System.Globalization;
using System.Net;
using System.Text;

namespace Ssr2Ledger.Timeline;

/// <summary>
/// Stored text as readers are shown it, in pages, exports and the feed. Text recorded by earlier versions may hold what
/// XML 1.0 cannot carry (C0 controls, U+FFFE/U+FFFF, a lone surrogate): it is shown as U+FFFD, so one entry never takes a
/// feed or a page down. Bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) would reorder what a reader sees
/// beyond the text that holds them: HTML isolates that text in <c>&lt;bdi&gt;</c>; the exports (Markdown, CSV, Atom) and
/// HTML where no element may go (attributes, titles, options) show each control as a visible <c>[U+202E]</c>.
/// </summary>
public static class ShownText
{
    public static bool IsBidiControl(char c) =>
        c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    /// <summary>The text with every character XML 1.0 cannot carry replaced by U+FFFD.</summary>
    public static string Safe(string text)
    {
        if (FirstUnsafe(text) is not (>= 0 and var first)) return text;
        var safe = new StringBuilder(text.Length).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                safe.Append(c).Append(text[++i]);
            else safe.Append(Carried(c) ? c : '\uFFFD');
        }
        return safe.ToString();
    }

    /// <summary>Safe, with each bidi control spelled out: for the exports and for HTML that takes no element.</summary>
    public static string Plain(string text)
    {
        text = Safe(text);
        if (!text.Any(IsBidiControl)) return text;
        var plain = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (IsBidiControl(c)) plain.Append(CultureInfo.InvariantCulture, $"[U+{(int)c:X4}]");
            else plain.Append(c);
        return plain.ToString();
    }

    /// <summary>
    /// HTML element content: encoded (by <paramref name="encode"/>, which may add links), isolated when it holds a bidi control.
    /// </summary>
    public static string Html(string text, Func<string, string>? encode = null)
    {
        text = Safe(text);
        var html = (encode ?? WebUtility.HtmlEncode)(text);
        return text.Any(IsBidiControl) ? $"<bdi>{html}</bdi>" : html;
    }

    /// <summary>An HTML attribute's value (or a title's, an option's): encoded, bidi controls spelled out.</summary>
    public static string Attribute(string text) => WebUtility.HtmlEncode(Plain(text));

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (!Carried(c)) return i;
        }
        return -1;
    }

    /// <summary>XML 1.0's Char production, for one UTF-16 unit that is not half of a pair.</summary>
    private static bool Carried(char c) =>
        c is '\t' or '\n' or '\r' || c >= ' ' && !char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF');
}
