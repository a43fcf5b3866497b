namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Compares two Chinese company names part by part (place, trade name 字号, industry, form, branch), as a data steward reads them:
/// the trade name decides, another industry or county is another company, a missing part is no evidence against,
/// a brand alone is weak, and a branch is linked to its head office rather than merged with it.
/// </summary>
internal static class ChineseNameParts
{
    /// <summary>How two records of one name stand to each other beyond name similarity.</summary>
    public enum Kinship { None, HeadAndBranch, OtherBranch, OtherPlace }

    /// <summary>Words that add nothing distinctive to a trade name ("金鑫实业" is still 金鑫).</summary>
    private static readonly string[] Vague = ["实业", "发展", "控股", "股份", "企业", "集团", "国际", "产业", "工贸", "商务", "有限", "总"];

    /// <summary>The outcome: a cap on the name similarity, whether one side is a bare brand, the kinship, and reasons naming the deciding parts.</summary>
    public readonly record struct Outcome(double Cap, bool Bare, Kinship Relation, IReadOnlyList<MatchReason> Reasons);

    private static readonly Outcome Nothing = new(1, false, Kinship.None, []);

    /// <summary>Compares two normalised names; names without Chinese trade names give no verdict (cap 1, no reasons).</summary>
    public static Outcome Compare(CompanyName a, CompanyName b)
    {
        if (a.Trade.Length == 0 || b.Trade.Length == 0 || !TextSimilarity.HasCjk(a.Trade) || !TextSimilarity.HasCjk(b.Trade)) return Nothing;
        var reasons = new List<MatchReason>(2);
        var cap = 1.0;
        var bare = false;
        var relation = Kinship.None;

        var industryConflict = ChineseCompanyParser.IndustryConflict(a.Industry, b.Industry);
        if (a.Trade == b.Trade)
        {
            reasons.Add(new(MatchReasonCodes.SameTradeName, a.Trade));
            bare = a.Bare != b.Bare;
        }
        else if (a.Trade.Length == b.Trade.Length && a.Trade.Length >= 2 && TextSimilarity.EditDistance(a.Trade, b.Trade) == 1)
        {
            // One character changed in the trade name (金粮/金穗, 蜀酿/蜀韵) is another company unless a phone or address agrees.
            cap = 0.8;
            reasons.Add(new(MatchReasonCodes.OtherTradeName, $"{a.Trade}/{b.Trade}"));
        }
        else if (ExtraWords(a, b) is { } extra)
        {
            // 北京红星 inside 北京红星美凯龙家居: the longer name's own words say it is another company.
            cap = 0.65;
            reasons.Add(new(MatchReasonCodes.ExtraWords, extra));
        }
        else if (Contains(a.Trade, b.Trade) && (a.Bare || b.Bare)) bare = true;

        if (industryConflict)
        {
            cap = Math.Min(cap, 0.6);
            reasons.Add(new(MatchReasonCodes.OtherIndustry, $"{a.Industry}/{b.Industry}"));
        }
        if (bare) reasons.Add(new(MatchReasonCodes.BareBrand, a.Bare ? a.Trade : b.Trade));
        if ((a.Alias ?? b.Alias) is { } alias && a.Core == b.Core) reasons.Add(new(MatchReasonCodes.KnownShortName, alias));

        if (LocalityConflict(a, b))
        {
            relation = Kinship.OtherPlace;
            reasons.Add(new(MatchReasonCodes.OtherPlace, $"{a.Locality}/{b.Locality}"));
        }

        // Branches: the same head office (same trade name, no other industry) with a branch part on one side or different ones on both.
        var sameHead = a.Core == b.Core || (a.Trade == b.Trade && !industryConflict);
        if (sameHead && a.Branch != b.Branch)
        {
            if (a.Branch is null || b.Branch is null)
            {
                relation = Kinship.HeadAndBranch;
                reasons.Insert(0, new(MatchReasonCodes.BranchOf, a.Branch ?? b.Branch));
            }
            else if (!(a.Place is not null && a.Place == b.Place && BranchKind(a.Branch) == BranchKind(b.Branch)))
            {
                relation = Kinship.OtherBranch;
                reasons.Insert(0, new(MatchReasonCodes.OtherBranch, $"{a.Branch}/{b.Branch}"));
            }
        }
        return new Outcome(cap, bare, relation, reasons);
    }

    /// <summary>The kind of branch ("分公司", "办事处") without its place.</summary>
    private static string BranchKind(string branch)
    {
        foreach (var len in new[] { 4, 3, 2, 1 })
            if (branch.Length > len && Places.Canonical(branch[..^len]) is not null) return branch[^len..];
        return branch;
    }

    private static bool Contains(string x, string y) => x.Contains(y, StringComparison.Ordinal) || y.Contains(x, StringComparison.Ordinal);

    /// <summary>The distinctive words the longer trade name has beyond the shorter one, or null when there are none.</summary>
    private static string? ExtraWords(CompanyName a, CompanyName b)
    {
        var (shorter, longer) = a.Trade.Length <= b.Trade.Length ? (a, b) : (b, a);
        if (shorter.Trade.Length < 2 || !longer.Trade.Contains(shorter.Trade, StringComparison.Ordinal)) return null;
        var extra = longer.Trade.Replace(shorter.Trade, "", StringComparison.Ordinal);
        foreach (var v in Vague) extra = extra.Replace(v, "", StringComparison.Ordinal);
        if (extra.Length < 2) return null;
        if (Places.Canonical(extra) is not null || ChineseCompanyParser.IsIndustry(extra)) return null;
        // An industry written with a wrong character (东亚唐业 for 东亚糖业) is that industry.
        if (shorter.Industry.Length == extra.Length && TextSimilarity.EditDistance(shorter.Industry, extra) <= 1) return null;
        return extra;
    }

    /// <summary>Two localities that cannot be one: other counties (射洪县/蓬溪县), or a city and a county of one name (宜宾市/宜宾县).</summary>
    private static bool LocalityConflict(CompanyName a, CompanyName b)
    {
        if (a.Locality is not { } x || b.Locality is not { } y || x == y) return false;
        if (a.Place is not null && b.Place is not null && Places.Conflict(a.Place, b.Place)) return false; // counted as a place conflict already
        var (nx, kx) = (x[..^1], x[^1]);
        var (ny, ky) = (y[..^1], y[^1]);
        if (nx == ny) return kx != ky && kx != '区' && ky != '区';
        return kx == ky && kx != '区';
    }
}
