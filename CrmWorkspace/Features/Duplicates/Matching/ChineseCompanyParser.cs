namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// The parts of a Chinese company name as registration regulates it: place (行政区划) + trade name (字号) + industry (行业) + form (组织形式),
/// and a branch (分公司, 办事处, 营销中心, a branch factory ...) written after its head office's name.
/// </summary>
public static class ChineseCompanyParser
{
    /// <summary>Words that make a name a branch wherever they end it ("五粮液成都营销中心").</summary>
    private static readonly string[] BranchWords =
        ["分公司", "分厂", "分店", "办事处", "代表处", "联络处", "营销中心", "销售中心", "营销部", "分部", "分社", "分行", "支行", "分理处"];
    /// <summary>Words that make a branch only after a company form ("…有限公司经营部", "…股份有限公司牛栏山酒厂"): alone they are a small firm's form.</summary>
    private static readonly string[] BranchAfterFormWords = ["经营部", "销售部", "门市部", "经销部", "门店", "厂", "店"];
    /// <summary>Head-office forms a branch name follows, longest first.</summary>
    private static readonly string[] HeadForms = ["有限责任公司", "股份有限公司", "有限公司", "集团公司", "总公司", "公司", "(集团)", "集团"];

    /// <summary>Industry words with their family: two names of different families are two businesses ("酒业" and "纸业").</summary>
    private static readonly Dictionary<string, string> Industries = BuildIndustries();

    private static Dictionary<string, string> BuildIndustries()
    {
        var families = new (string Family, string Words)[]
        {
            ("酒", "酒 酒业 白酒 酒类 酿酒 酒厂 酒类经营 烟酒 糖酒 酿造 酒水 酒类销售 酒庄 葡萄酒 黄酒 酒坊"),
            ("啤酒", "啤酒"),
            ("糖", "糖业 制糖 糖厂 蔗糖"),
            ("纸", "纸业 造纸 纸品"),
            ("食品", "食品 食品工业"),
            ("饮料", "饮料 饮品 矿泉水"),
            ("贸易", "贸易 商贸 经贸 进出口 供应链 商行 经销"),
            ("物流", "物流 运输 快递 仓储"),
            ("零售", "超市 百货 商场 便利店"),
            ("科技", "科技 信息技术 网络 软件 电子商务"),
            ("电子", "电子 电器"),
            ("药", "药业 医药 制药 药房 大药房"),
            ("汽车", "汽车 汽车销售"),
            ("航空", "机场 航空"),
            ("包装", "包装 印刷 包装印刷 纸箱 瓶盖 玻璃 玻璃制品"),
            ("传媒", "传媒 广告 文化传媒 文化传播 会展 展览"),
            ("餐饮", "餐饮 酒店 饭店 宾馆"),
            ("茶", "茶业 茶叶"),
            ("农业", "农业 农产品 种植 养殖 农牧"),
            ("地产", "房地产 置业 地产 物业"),
            ("家居", "家居 家具 建材 装饰"),
            ("化工", "化工 化学"),
            ("机械", "机械 设备 机电"),
            ("乳", "乳业 奶业"),
            ("粮油", "粮油 米业 面粉 油脂"),
            ("金融", "银行 保险 证券 投资 担保"),
            ("服装", "服装 纺织 服饰"),
            ("咨询", "咨询 管理咨询 顾问"),
        };
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (family, words) in families)
            foreach (var w in words.Split(' ')) map[w] = family;
        return map;
    }

    /// <summary>Industry words sorted longest first, for matching at the end of a name.</summary>
    private static readonly string[] IndustryWords = Industries.Keys.OrderByDescending(k => k.Length).ToArray();

    /// <summary>The family of an industry word ("酒业" and "白酒" are both "酒"), or null for none.</summary>
    public static string? Family(string industry) => industry.Length == 0 ? null
        : Industries.TryGetValue(industry, out var f) ? f
        : IndustryWords.FirstOrDefault(w => industry.StartsWith(w, StringComparison.Ordinal)) is { } first ? Industries[first] : null;

    /// <summary>Whether the word is a known industry word.</summary>
    public static bool IsIndustry(string word) => Industries.ContainsKey(word);

    /// <summary>
    /// Splits a compact name (folded, no spaces) into its head office and the branch written after it
    /// ("泸州老窖股份有限公司成都分公司" gives "泸州老窖股份有限公司" and "成都分公司"); null when the name is not a branch.
    /// </summary>
    public static (string Head, string Branch)? SplitBranch(string compact)
    {
        foreach (var w in BranchWords)
        {
            if (!compact.EndsWith(w, StringComparison.Ordinal) || compact.Length < w.Length + 2) continue;
            // "分公司" also ends "有限分公司"? No: but "公司" forms must not be read as a branch: "分公司" needs its own 分.
            var before = compact[..^w.Length];
            var (head, rest) = CutAfterForm(before);
            if (head is null)
            {
                // No form before the branch word: a place right before it belongs to the branch ("五粮液成都营销中心").
                head = before;
                rest = "";
                foreach (var len in new[] { 3, 2 })
                    if (before.Length - len >= 2 && Places.Canonical(before[^len..]) is not null) { head = before[..^len]; rest = before[^len..]; break; }
            }
            return head.Length >= 2 ? (head, rest + w) : null;
        }
        foreach (var w in BranchAfterFormWords)
        {
            if (!compact.EndsWith(w, StringComparison.Ordinal)) continue;
            var (head, rest) = CutAfterForm(compact[..^w.Length]);
            // "…有限公司厂" is not a branch: the branch factory has a name of its own ("牛栏山酒厂").
            if (head is null || head.Length < 3 || (w.Length == 1 && rest.Length == 0)) continue;
            return (head, rest + w);
        }
        return null;
    }

    /// <summary>The text up to and including the last head-office form, and what follows it; (null, "") without a form.</summary>
    private static (string? Head, string After) CutAfterForm(string text)
    {
        var best = -1;
        var bestLen = 0;
        foreach (var f in HeadForms)
        {
            var i = text.LastIndexOf(f, StringComparison.Ordinal);
            if (i > 0 && i + f.Length > best + bestLen) { best = i; bestLen = f.Length; }
        }
        if (best < 0) return (null, "");
        return (text[..(best + bestLen)], text[(best + bestLen)..]);
    }

    /// <summary>
    /// Splits a name core into trade name and industry ("五粮液酒业" gives "五粮液" and "酒业", "食品贸易" words stack);
    /// the trade keeps at least two characters (one before "酒": "郎酒", "习酒").
    /// </summary>
    public static (string Trade, string Industry) SplitIndustry(string core)
    {
        var trade = core;
        var industry = "";
        for (var round = 0; round < 2; round++)
        {
            var found = false;
            foreach (var w in IndustryWords)
            {
                var minTrade = Industries[w] == "酒" && industry.Length == 0 ? 1 : 2;
                if (trade.Length - w.Length < minTrade || !trade.EndsWith(w, StringComparison.Ordinal)) continue;
                trade = trade[..^w.Length];
                industry = w + industry;
                found = true;
                break;
            }
            if (!found) break;
        }
        return (trade, industry);
    }

    /// <summary>Whether two industries say the names are two businesses: both known, of different families.</summary>
    public static bool IndustryConflict(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0 || a == b) return false;
        var fa = Family(a);
        var fb = Family(b);
        return fa is not null && fb is not null && fa != fb;
    }
}
