using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Postal addresses in a comparable form: folded, punctuation dropped, common street abbreviations spelled out.</summary>
public static class AddressNormalizer
{
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["st"] = "street", ["str"] = "street", ["rd"] = "road", ["ave"] = "avenue", ["av"] = "avenue",
        ["dr"] = "drive", ["cres"] = "crescent", ["cr"] = "crescent", ["pl"] = "place", ["ct"] = "court",
        ["hwy"] = "highway", ["blvd"] = "boulevard", ["ln"] = "lane", ["tce"] = "terrace", ["pde"] = "parade",
        ["cct"] = "circuit", ["sq"] = "square", ["apt"] = "apartment", ["bldg"] = "building", ["fl"] = "floor",
        ["no"] = "", ["nr"] = "",
    };

    /// <summary>
    /// Street types and similar words that many unrelated addresses share ("street", "crescent"): they say little about
    /// which address it is, so blocking keys skip them.
    /// </summary>
    private static readonly HashSet<string> StreetTypes = new(Abbreviations.Values.Where(v => v.Length > 0).Concat(
        ["close", "way", "grove", "rise", "walk", "view", "mews", "row", "esplanade", "track", "loop", "unit", "level", "suite", "north", "south", "east", "west"]),
        StringComparer.Ordinal);

    /// <summary>Whether a (normalised) address word is a street type or another word many unrelated addresses share.</summary>
    public static bool IsStreetType(string word) => StreetTypes.Contains(word);

    /// <summary>The address folded (NFKC, lower case), words separated by one space, CJK runs joined, abbreviations expanded.</summary>
    public static string Normalize(string? address)
    {
        var sb = new StringBuilder();
        var prevCjk = false;
        foreach (var run in Runs(address))
        {
            var cjk = TextSimilarity.IsCjk(run[0]);
            if (sb.Length > 0 && !(cjk && prevCjk)) sb.Append(' ');
            sb.Append(run);
            prevCjk = cjk;
        }
        return sb.ToString();
    }

    /// <summary>Comparable tokens: Latin words and numbers as they are, CJK runs as overlapping character pairs.</summary>
    public static IReadOnlyList<string> Tokens(string? address)
    {
        var tokens = new List<string>();
        foreach (var run in Runs(address))
        {
            if (!TextSimilarity.IsCjk(run[0]) || run.Length <= 2) { tokens.Add(run); continue; }
            for (var i = 0; i + 1 < run.Length; i++) tokens.Add(run.Substring(i, 2));
        }
        return tokens;
    }

    /// <summary>Runs of one script (CJK, letters, digits) with abbreviations expanded and empty runs dropped.</summary>
    private static IEnumerable<string> Runs(string? address)
    {
        var folded = TextSimilarity.Fold(address);
        foreach (var word in TextSimilarity.Words(folded))
        {
            var start = 0;
            for (var i = 1; i <= word.Length; i++)
            {
                if (i < word.Length && Kind(word[i]) == Kind(word[start])) continue;
                var run = word[start..i];
                start = i;
                if (Kind(run[0]) == 1)
                {
                    run = PersonNameNormalizer.StripAccents(run);
                    if (Abbreviations.TryGetValue(run, out var full)) run = full;
                }
                if (run.Length > 0) yield return run;
            }
        }
    }

    /// <summary>0 = CJK, 1 = letter, 2 = digit.</summary>
    private static int Kind(char c) => TextSimilarity.IsCjk(c) ? 0 : char.IsDigit(c) ? 2 : 1;
}
