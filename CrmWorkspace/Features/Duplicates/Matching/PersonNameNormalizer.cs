using System.Globalization;
using System.Text;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Person names in a comparable form: Chinese without spaces, Latin lower case with tokens sorted.</summary>
public static class PersonNameNormalizer
{
    private static readonly HashSet<string> Titles = ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"];
    /// <summary>Forms of address and job titles written after a Chinese name (陈淑芬经理, 刘总, 王先生), longest first.</summary>
    private static readonly string[] CjkTitles =
    [
        "副总经理", "总经理", "董事长", "总裁", "副总", "总监", "经理", "主任", "科长", "处长", "部长", "厂长", "局长", "书记", "老板",
        "老师", "会计", "主管", "助理", "秘书", "店长", "站长", "所长", "院长", "校长", "社长", "先生", "女士", "小姐", "太太", "夫人",
        "老总", "总", "工",
    ];

    /// <summary>Common surnames, to read 老王 and 小李 as the surname alone rather than a given name.</summary>
    private const string CommonSurnames =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

    /// <summary>
    /// A Chinese name without forms of address: titles after it (陈淑芬经理 gives 陈淑芬, 刘总 gives 刘), and 老/小 before a
    /// surname (老王 gives 王). What is left may be the surname alone.
    /// </summary>
    public static string StripChineseTitles(string name)
    {
        var changed = true;
        while (changed && name.Length > 1)
        {
            changed = false;
            foreach (var title in CjkTitles)
                if (name.Length > title.Length && name.EndsWith(title, StringComparison.Ordinal)) { name = name[..^title.Length]; changed = true; break; }
        }
        if (name.Length == 2 && name[0] is '老' or '小' && CommonSurnames.Contains(name[1])) name = name[1..];
        return name;
    }

    /// <summary>Whether a Chinese name is a common surname alone (what is left of 刘总 or 老王).</summary>
    public static bool IsSurnameOnly(string cjkName) => cjkName.Length == 1 && CommonSurnames.Contains(cjkName[0]);

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
            tokens.Add(StripChineseTitles(cjk.ToString()));
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
