using System.Text;

namespace CrmWorkspace.Features.Reports;

/// <summary>
/// Widths and line breaks of report text as Chromium sets it in the report font stack (DejaVu Sans for Latin and digits,
/// WenQuanYi Micro Hei for Chinese). Reports break their own lines so that a page's rows are known before printing;
/// widths are never under the real ones (kerning only narrows), so text always fits its column.
/// </summary>
public static class TextMeasure
{
    /// <summary>The CSS font stack whose widths are below: every printed document uses it.</summary>
    public const string FontStack = "'DejaVu Sans', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif";

    // Advance widths in em of U+0020..U+007E, read from Chromium 156 with DejaVu Sans Book and Bold.
    private static readonly double[] Regular =
    [
        0.3179, 0.4009, 0.4600, 0.8379, 0.6362, 0.9502, 0.7798, 0.2749, 0.3901, 0.3901, 0.5000, 0.8379, 0.3179, 0.3608, 0.3179, 0.3369,
        0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.3369, 0.3369, 0.8379, 0.8379, 0.8379, 0.5308,
        1.0000, 0.7091, 0.6860, 0.6982, 0.7700, 0.6318, 0.5752, 0.7749, 0.7520, 0.2949, 0.2949, 0.6558, 0.5571, 0.8628, 0.7480, 0.7871,
        0.6030, 0.7871, 0.6948, 0.6348, 0.5950, 0.7319, 0.6841, 0.9888, 0.6851, 0.6108, 0.6851, 0.3901, 0.3369, 0.3901, 0.8379, 0.5000,
        0.5000, 0.6128, 0.6348, 0.5498, 0.6348, 0.6152, 0.3445, 0.6348, 0.6338, 0.2778, 0.2778, 0.5791, 0.2778, 0.9741, 0.6338, 0.6118,
        0.6348, 0.6348, 0.3953, 0.5210, 0.3921, 0.6338, 0.5918, 0.8179, 0.5918, 0.5918, 0.5249, 0.6362, 0.3369, 0.6362, 0.8379,
    ];

    private static readonly double[] Bold =
    [
        0.3481, 0.4561, 0.5210, 0.8379, 0.6958, 1.0020, 0.8721, 0.3062, 0.4570, 0.4570, 0.5230, 0.8379, 0.3799, 0.4150, 0.3799, 0.3652,
        0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.3999, 0.3999, 0.8379, 0.8379, 0.8379, 0.5801,
        1.0000, 0.7739, 0.7622, 0.7339, 0.8301, 0.6831, 0.6831, 0.8208, 0.8369, 0.3721, 0.3721, 0.7749, 0.6372, 0.9951, 0.8369, 0.8501,
        0.7329, 0.8501, 0.7700, 0.6798, 0.7028, 0.8120, 0.7739, 1.1030, 0.7710, 0.7241, 0.7251, 0.4570, 0.3652, 0.4570, 0.8379, 0.5000,
        0.5000, 0.6748, 0.7158, 0.5928, 0.7158, 0.6782, 0.4050, 0.7158, 0.7119, 0.3428, 0.3428, 0.6650, 0.3428, 1.0420, 0.7119, 0.6870,
        0.7158, 0.7158, 0.4932, 0.5952, 0.4780, 0.7119, 0.6519, 0.9238, 0.6450, 0.6519, 0.5820, 0.7119, 0.3652, 0.7119, 0.8379,
    ];

    /// <summary>Width of one character in em; anything outside ASCII and the few common marks counts as a full em.</summary>
    public static double Em(int c, bool bold)
    {
        if (c is >= 0x20 and <= 0x7E) return (bold ? Bold : Regular)[c - 0x20];
        return c switch
        {
            0xB7 => bold ? 0.3799 : 0.3179,                     // ·
            0x2018 or 0x2019 => bold ? 0.3799 : 0.3179,         // ‘ ’
            0x201C or 0x201D => bold ? 0.6572 : 0.5181,         // “ ”
            0x2013 => 0.5,                                      // –
            0xA0 => bold ? 0.3481 : 0.3179,                     // no-break space
            _ => 1.0,
        };
    }

    /// <summary>Width of <paramref name="text"/> in px at <paramref name="sizePx"/>.</summary>
    public static double Width(string text, double sizePx, bool bold = false)
    {
        double em = 0;
        foreach (var r in text.EnumerateRunes()) em += Em(r.Value, bold);
        return em * sizePx;
    }

    /// <summary>Chinese, Japanese and Korean characters: a line may break before and after each of them.</summary>
    private static bool IsIdeographic(int c) =>
        c is >= 0x1100 and <= 0x11FF or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7AF or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFFEF or >= 0x20000;

    // Marks that never start a line (closing brackets, commas, stops) and that never end one (opening brackets).
    private const string NoLineStart = "，。、：；！？）》」』】〕〉”’·％‰…—,.:;!?)]}%";
    private const string NoLineEnd = "（《「『【〔〈“‘([{";

    /// <summary>
    /// Breaks text into lines no wider than <paramref name="widthPx"/>: between words, between Chinese characters (keeping
    /// punctuation with its neighbour), inside a word only when it is wider than the line. Whitespace runs become one space;
    /// a line keeps its trailing space so that copied text reads on. At most <paramref name="maxLines"/>; the last then ends in "…".
    /// </summary>
    public static List<string> Wrap(string? text, double widthPx, double sizePx, bool bold = false, int maxLines = 8)
    {
        var lines = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) { lines.Add(""); return lines; }
        var units = Units(Normalize(text));
        var line = new StringBuilder();
        double w = 0;     // width of the line so far, trailing space included
        void Break()
        {
            lines.Add(line.ToString());
            line.Clear();
            w = 0;
        }
        foreach (var unit in units)
        {
            var uw = Width(unit, sizePx, bold);
            var uInk = unit.EndsWith(' ') ? uw - Em(' ', bold) * sizePx : uw;
            if (line.Length > 0 && w + uInk > widthPx) Break();
            if (line.Length == 0 && uInk > widthPx)
            {
                // A word longer than the line: split it by characters.
                foreach (var r in unit.EnumerateRunes())
                {
                    var cw = Em(r.Value, bold) * sizePx;
                    if (line.Length > 0 && r.Value != ' ' && w + cw > widthPx) Break();
                    line.Append(r.ToString());
                    w += cw;
                }
                continue;
            }
            line.Append(unit);
            w += uw;
        }
        if (line.Length > 0) lines.Add(line.ToString());
        if (lines.Count > maxLines)
        {
            var last = lines[maxLines - 1].TrimEnd();
            while (last.Length > 0 && Width(last + "…", sizePx, bold) > widthPx) last = last[..^1];
            lines.RemoveRange(maxLines - 1, lines.Count - maxLines + 1);
            lines.Add(last + "…");
        }
        return lines;
    }

    private static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text.Trim())
        {
            if (char.IsWhiteSpace(ch) && ch != '\u00A0') { space = true; continue; }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>The pieces a line may not break inside: a word with its trailing space, or one Chinese character with its punctuation.</summary>
    private static List<string> Units(string text)
    {
        var units = new List<string>();
        var cur = new StringBuilder();
        var runes = text.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            var s = r.ToString();
            var prev = cur.Length > 0 ? cur[^1] : '\0';
            // A break is allowed before this character when the unit so far ends in a space or this is ideographic,
            // unless this character may not start a line or the previous one may not end it.
            var breakBefore = cur.Length > 0
                && (prev == ' ' || IsIdeographic(r.Value) || (i > 0 && IsIdeographic(runes[i - 1].Value)))
                && !NoLineStart.Contains(s, StringComparison.Ordinal) && !NoLineEnd.Contains(prev);
            if (breakBefore) { units.Add(cur.ToString()); cur.Clear(); }
            cur.Append(s);
        }
        if (cur.Length > 0) units.Add(cur.ToString());
        return units;
    }
}
