using System.Globalization;
using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Person names in a comparable form: Chinese without spaces, Latin lower case with tokens sorted.</summary>
public static class PersonNameNormalizer
{
    private static readonly HashSet<string> Titles = ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"];
    private static readonly string[] CjkTitles = ["先生", "女士", "小姐", "太太", "夫人"];

    /// <summary>One string per person name: equal keys mean equal names regardless of order, case, spacing and width.</summary>
    public static string Key(string? name) => string.Join(" ", Tokens(name));

    /// <summary>
    /// The name's tokens: all CJK characters together as one token (in written order, spaces dropped),
    /// then Latin tokens lower case without accents, titles dropped, sorted; initials stay as single letters.
    /// </summary>
    public static IReadOnlyList<string> Tokens(string? name)
    {
        var folded = TextSimilarity.Fold(name);
        if (folded.Length == 0) return [];
        var cjk = new StringBuilder();
        var latin = new List<string>();
        foreach (var word in TextSimilarity.Words(folded))
        {
            var rest = new StringBuilder();
            foreach (var c in word)
            {
                if (TextSimilarity.IsCjk(c)) cjk.Append(c);
                else rest.Append(c);
            }
            if (rest.Length == 0) continue;
            var token = StripAccents(rest.ToString());
            if (token.Length > 0 && !Titles.Contains(token)) latin.Add(token);
        }
        latin.Sort(StringComparer.Ordinal);
        var tokens = new List<string>(latin.Count + 1);
        if (cjk.Length > 0)
        {
            var c = cjk.ToString();
            foreach (var title in CjkTitles)
                if (c.Length > title.Length && c.EndsWith(title, StringComparison.Ordinal)) { c = c[..^title.Length]; break; }
            tokens.Add(c);
        }
        tokens.AddRange(latin);
        return tokens;
    }

    /// <summary>Removes combining accents ("josé" becomes "jose").</summary>
    internal static string StripAccents(string s)
    {
        var ascii = true;
        foreach (var c in s) if (c > 127) { ascii = false; break; }
        if (ascii) return s;
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
