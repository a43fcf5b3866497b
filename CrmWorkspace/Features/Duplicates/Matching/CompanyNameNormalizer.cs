using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>A company name split for matching.</summary>
/// <param name="Core">The distinctive part: no legal form, no leading or bracketed place, no punctuation or spaces.</param>
/// <param name="Place">The most specific place named in the name ("宜宾"), canonical, or null.</param>
/// <param name="Full">The normalised name including its place, without legal form.</param>
/// <param name="Branch">For a branch ("…有限公司成都分公司"), the branch part ("成都分公司"); the other fields then describe its head office.</param>
/// <param name="Trade">Chinese names: the trade name (字号) without place and industry ("五粮液"); else the core.</param>
/// <param name="Industry">Chinese names: the industry words ending the name ("酒业"), or "".</param>
/// <param name="Locality">The city, county or district as written with its suffix ("宜宾市", "宜宾县", "蓬溪县"), or null.</param>
/// <param name="Bare">A Chinese name that is only a trade name or brand ("长城", "茅台"): no place, industry or legal form.</param>
/// <param name="Alias">The short name that was read as a known full name ("中粮"), or null.</param>
public sealed record CompanyName(string Core, string? Place, string Full, string? Branch = null, string Trade = "", string Industry = "",
    string? Locality = null, bool Bare = false, string? Alias = null);

/// <summary>Company names in a comparable form: width and case folded, punctuation, legal forms and place prefixes removed.</summary>
public static class CompanyNameNormalizer
{
    /// <summary>Chinese, Japanese and Korean legal forms, stripped from the end (and Korean ones from the start).</summary>
    private static readonly string[] CjkLegalSuffixes =
    [
        "股份有限公司", "有限责任公司", "股份公司", "有限公司", "集团公司", "总公司", "公司", "集团", "控股",
        "有限", "厂", "商行", "经销部", "经营部", "株式会社", "주식회사", "유한회사", "유한책임회사",
    ];
    private static readonly string[] CjkLegalPrefixes = ["株式会社", "주식회사", "유한회사", "(주)", "(유)"];

    /// <summary>Latin legal-form words, dropped wherever they stand.</summary>
    private static readonly HashSet<string> LatinLegal =
    [
        "co", "ltd", "limited", "inc", "incorporated", "llc", "corp", "corporation", "company", "group", "plc",
        "gmbh", "ag", "sa", "bv", "pte", "pty", "kk", "holdings", "holding", "the",
    ];

    /// <summary>Bracket contents that are legal forms ("(주)", "（集团）").</summary>
    private static readonly HashSet<string> BracketLegal = ["주", "유", "株", "集团", "控股", "有限", "有限公司", "股份"];

    /// <summary>Trade words that are not distinctive alone: a place before them stays part of the core ("青岛啤酒").</summary>
    private static readonly HashSet<string> GenericCores =
    [
        "酒", "酒业", "酒厂", "啤酒", "白酒", "酿酒", "酒类", "烟酒", "酒行", "糖业", "制糖", "糖", "食品", "贸易", "商贸", "科技",
        "实业", "物流", "饮料", "超市", "百货", "商店", "药业", "医药", "銀行", "银行", "电力", "电信", "移动", "烟草", "trading", "food",
        "foods", "wine", "wines", "sugar", "bank", "beer", "brewery",
    ];

    /// <summary>Trade words that end a company name ("五粮液酒业", "东亚糖业", "ABC Trading"); two different ones mean two businesses.</summary>
    private static readonly string[] TradeSuffixes =
    [
        "酒类经营", "酒业", "白酒", "啤酒", "酒类", "烟酒", "糖酒", "酒", "糖业", "米业", "食品", "饮料", "贸易", "商贸", "超市",
        "物流", "科技", "实业", "电子", "药业", "trading", "foods", "food", "beverages", "beverage", "wines", "wine", "spirits",
        "sugar", "logistics", "technology", "supermarket",
    ];

    /// <summary>Whether the text is only a trade word that says nothing about which company it is ("酒业", "trading").</summary>
    public static bool IsGeneric(string core) => GenericCores.Contains(core);

    /// <summary>Splits a core into its distinctive stem and a trailing trade word ("东亚糖业" gives "东亚" and "糖业"); the trade is "" when there is none.</summary>
    public static (string Stem, string Trade) SplitTrade(string core)
    {
        foreach (var t in TradeSuffixes)
            if (core.Length >= t.Length + 2 && core.EndsWith(t, StringComparison.Ordinal))
                return (core[..^t.Length], t);
        return (core, "");
    }

    private const string Open = "([{〔【《〈「『〖<";
    private const string Close = ")]}〕】》〉」』〗>";

    /// <summary>Splits a company name into core, place and full normalised name (and, for Chinese names, branch, trade name and industry).</summary>
    public static CompanyName Normalize(string? name) => Normalize(name, useAliases: true);

    /// <summary>As <see cref="Normalize(string?)"/>; <paramref name="useAliases"/> reads a known short name as its full name.</summary>
    public static CompanyName Normalize(string? name, bool useAliases)
    {
        var folded = TextSimilarity.Fold(name);
        if (folded.Length == 0) return new CompanyName("", null, "");
        if (TextSimilarity.HasCjk(folded))
        {
            // A branch is its head office's name plus the branch part: compared as such, never merged with the head office.
            var compact = string.Concat(folded.Where(c => !char.IsWhiteSpace(c)));
            if (ChineseCompanyParser.SplitBranch(compact) is { } split)
            {
                var head = Normalize(split.Head, useAliases);
                var label = split.Branch;
                var branchPlace = BranchPlace(label);
                return head with { Branch = label, Place = branchPlace ?? head.Place, Bare = false };
            }
        }
        var plain = NormalizePlain(folded);
        if (useAliases && plain.Core.Length > 0 && CompanyAliases.FullNameOf(plain.Core) is { } full)
            return Normalize(full, useAliases: false) with { Alias = plain.Core };
        return plain;
    }

    /// <summary>The place a branch part names ("成都分公司" gives "成都", "蓬溪办事处" gives "蓬溪"), or null.</summary>
    private static string? BranchPlace(string label)
    {
        for (var len = Math.Min(5, label.Length - 1); len >= 2; len--)
            if (Places.Canonical(label[..len]) is { } p) return p;
        return null;
    }

    private static CompanyName NormalizePlain(string folded)
    {

        string? bracketPlace = null;
        var text = new StringBuilder();
        for (var i = 0; i < folded.Length; i++)
        {
            var open = Open.IndexOf(folded[i]);
            if (open < 0) { text.Append(folded[i]); continue; }
            var end = folded.IndexOfAny(Close.ToCharArray(), i + 1);
            if (end < 0) { text.Append(' '); continue; }
            var inside = folded[(i + 1)..end];
            var compact = string.Concat(TextSimilarity.Words(inside));
            var place = Places.Canonical(compact);
            if (place is not null) bracketPlace ??= place;
            else if (!BracketLegal.Contains(compact) && !LatinLegal.Contains(compact)) text.Append(' ').Append(inside).Append(' ');
            else text.Append(' ');
            i = end;
        }

        // Latin legal words are whole words; CJK text has no word breaks, so its legal forms are stripped from the ends below.
        var words = TextSimilarity.Words(text.ToString());
        var kept = new List<string>(words.Count);
        foreach (var w in words)
        {
            if (LatinLegal.Contains(w) && words.Count > 1) continue;
            kept.Add(PersonNameNormalizer.StripAccents(w));
        }
        var leadingPlaces = new List<string>();
        // Pinyin place words ("Sichuan Yibin ...", "Diageo China") are places wherever they stand, as long as a word is left.
        for (var i = 0; i < kept.Count && kept.Count > 1;)
        {
            if (Places.IsPinyinPlace(kept[i], out var py)) { leadingPlaces.Add(py); kept.RemoveAt(i); }
            else i++;
        }
        var joined = string.Concat(kept);
        if (joined.Length == 0) joined = string.Concat(words);

        var unstripped = joined;
        joined = StripLegal(joined);
        var hadForm = joined != unstripped || text.Length != folded.Length;

        var core = joined;
        var generic = false;
        string? locality = null;
        while (Places.Prefix(core) is { } p && core.Length - p.Length >= 2)
        {
            leadingPlaces.Add(p.Place);
            if (!Places.IsProvince(p.Place) && core[p.Length - 1] is '市' or '县' or '区') locality = p.Place + core[p.Length - 1];
            core = StripLegal(core[p.Length..]);
            if (GenericCores.Contains(core)) { generic = true; break; }
        }
        // A county or district the place table does not know ("蓬溪县", "叙州区"), or a city after its province ("四川省遂宁市").
        if (!generic && TextSimilarity.HasCjk(core) && core.Length >= 5 && TextSimilarity.IsCjk(core[0]) && TextSimilarity.IsCjk(core[1])
            && (core[2] is '县' or '区' || (core[2] == '市' && leadingPlaces.Count > 0 && Places.IsProvince(leadingPlaces[^1]))))
        {
            // Kept aside, not as the name's place: an unknown county cannot be placed in its city.
            locality = core[..3];
            core = StripLegal(core[3..]);
            generic = GenericCores.Contains(core);
        }
        generic |= leadingPlaces.Count > 0 && GenericCores.Contains(core);

        // Full: canonical places in front ("四川省宜宾市" as "四川宜宾", "五粮液（宜宾）" as "宜宾五粮液"), then the core.
        var places = leadingPlaces.Where(p => p != "中国").ToList();
        if (bracketPlace is not null && !places.Contains(bracketPlace)) places.Add(bracketPlace);
        var full = string.Concat(places) + core;
        // The place is what makes a generic name distinctive ("青岛啤酒"): then it stays in the core.
        if (generic) core = full;
        var placeOut = bracketPlace ?? MostSpecific(leadingPlaces);
        if (!TextSimilarity.HasCjk(core)) return new CompanyName(core, placeOut, full, Trade: core);
        // Trade name and industry from the name without its places ("宜宾五粮液酒业" gives "五粮液" and "酒业"; "青岛啤酒" gives "青岛" and "啤酒").
        var (trade, industry) = ChineseCompanyParser.SplitIndustry(core);
        if (generic && trade.Length == 0) trade = core;
        var bare = !hadForm && industry.Length == 0 && leadingPlaces.Count == 0 && bracketPlace is null && core.Length <= 4;
        return new CompanyName(core, placeOut, full, null, trade, industry, locality, bare);
    }

    /// <summary>Removes legal forms from the ends until none is left, keeping at least one character.</summary>
    private static string StripLegal(string s)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var suffix in CjkLegalSuffixes)
                if (s.Length > suffix.Length && s.EndsWith(suffix, StringComparison.Ordinal))
                {
                    s = s[..^suffix.Length];
                    changed = true;
                    break;
                }
            foreach (var prefix in CjkLegalPrefixes)
                if (s.Length > prefix.Length && s.StartsWith(prefix, StringComparison.Ordinal))
                {
                    s = s[prefix.Length..];
                    changed = true;
                    break;
                }
        } while (changed);
        return s;
    }

    /// <summary>The last city-level place, else the last place.</summary>
    private static string? MostSpecific(List<string> places)
    {
        for (var i = places.Count - 1; i >= 0; i--)
            if (!Places.IsProvince(places[i]) && places[i] != "中国") return places[i];
        for (var i = places.Count - 1; i >= 0; i--)
            if (places[i] != "中国") return places[i];
        return null;
    }
}
