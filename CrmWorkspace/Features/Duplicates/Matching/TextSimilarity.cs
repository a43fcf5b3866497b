using System.Globalization;
using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>String similarity measures and text helpers shared by the normalisers and the scorer.</summary>
public static class TextSimilarity
{
    /// <summary>Jaro-Winkler similarity in 0..1 (prefix scale 0.1, up to 4 prefix characters).</summary>
    public static double JaroWinkler(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0) return a.Length == b.Length ? 1 : 0;
        if (a == b) return 1;
        var jaro = Jaro(a, b);
        if (jaro < 0.7) return jaro;
        var prefix = 0;
        var max = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < max && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /// <summary>Jaro similarity in 0..1.</summary>
    public static double Jaro(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0) return a.Length == b.Length ? 1 : 0;
        if (a.Length > b.Length) (a, b) = (b, a);
        var window = Math.Max(0, b.Length / 2 - 1);
        Span<bool> matchedA = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> matchedB = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var lo = Math.Max(0, i - window);
            var hi = Math.Min(b.Length - 1, i + window);
            for (var j = lo; j <= hi; j++)
            {
                if (matchedB[j] || a[i] != b[j]) continue;
                matchedA[i] = matchedB[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;
        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!matchedA[i]) continue;
            while (!matchedB[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        double m = matches;
        return (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3.0;
    }

    /// <summary>Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours).</summary>
    public static int EditDistance(string a, string b)
    {
        if (a.Length == 0) return b.Length;
        if (b.Length == 0) return a.Length;
        var prev2 = new int[b.Length + 1];
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
            }
            (prev2, prev, cur) = (prev, cur, prev2);
        }
        return prev[b.Length];
    }

    /// <summary>1 minus the edit distance over the longer length, in 0..1.</summary>
    public static double EditSimilarity(string a, string b)
    {
        var max = Math.Max(a.Length, b.Length);
        return max == 0 ? 1 : 1 - (double)EditDistance(a, b) / max;
    }

    /// <summary>Whether the character is a CJK ideograph (Chinese hanzi, Japanese kanji) or Hangul syllable.</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF'
            or >= '\uAC00' and <= '\uD7AF' or >= '\u3040' and <= '\u30FF' or '\u3007';

    /// <summary>Whether the text contains at least one CJK character.</summary>
    public static bool HasCjk(string s)
    {
        foreach (var c in s) if (IsCjk(c)) return true;
        return false;
    }

    /// <summary>NFKC (full-width to half-width), lower case, traditional Chinese to simplified, trimmed; empty for null.</summary>
    public static string Fold(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return "";
        var t = ChineseScript.Simplify(s.Normalize(NormalizationForm.FormKC).ToLowerInvariant());
        // Ideographic space and no-break space become plain spaces.
        return t.Replace('\u3000', ' ').Replace('\u00A0', ' ').Trim();
    }

    /// <summary>Whether the character counts as a word character (letter, digit, CJK) rather than punctuation or space.</summary>
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;

    /// <summary>Splits folded text into word tokens; CJK runs stay whole, Latin and digit runs split on anything else.</summary>
    public static List<string> Words(string folded)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in folded)
        {
            if (IsWordChar(c)) { sb.Append(c); continue; }
            if (c == '\'' || c == '\u2019') continue; // o'brien -> obrien
            if (sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); }
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }
}
