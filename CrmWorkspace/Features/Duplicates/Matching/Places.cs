namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Chinese provinces and the cities and towns that matter to the liquor and sugar trade, for company-name prefixes.</summary>
public static class Places
{
    /// <summary>Province-level places (province, municipality, autonomous region, SAR).</summary>
    private static readonly string[] Provinces =
    [
        "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
        "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
        "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
    ];

    /// <summary>Cities and counties with their province.</summary>
    private static readonly (string Province, string Cities)[] CityTable =
    [
        ("四川", "成都 宜宾 泸州 绵阳 德阳 绵竹 邛崃 自贡 乐山 眉山 内江 南充 遂宁 古蔺 射洪"),
        ("贵州", "贵阳 遵义 仁怀 习水 金沙"),
        ("云南", "昆明 大理 临沧 玉溪"),
        ("广西", "南宁 柳州 来宾 崇左 百色 桂林 贵港"),
        ("广东", "广州 深圳 东莞 佛山 湛江 珠海 汕头 中山"),
        ("江苏", "南京 苏州 无锡 宿迁 常州 扬州 徐州 泗洪"),
        ("浙江", "杭州 宁波 温州 绍兴 嘉兴"),
        ("安徽", "合肥 亳州 芜湖 阜阳"),
        ("山西", "太原 汾阳 大同"),
        ("山东", "济南 青岛 烟台 潍坊"),
        ("河南", "郑州 洛阳 商丘"),
        ("湖北", "武汉 宜昌 襄阳"),
        ("湖南", "长沙 株洲 常德"),
        ("陕西", "西安 宝鸡 咸阳"),
        ("福建", "福州 厦门 泉州"),
        ("辽宁", "沈阳 大连"),
        ("吉林", "长春"),
        ("黑龙江", "哈尔滨"),
        ("河北", "石家庄 衡水 保定"),
        ("江西", "南昌"),
        ("甘肃", "兰州"),
        ("海南", "海口 三亚"),
        ("新疆", "乌鲁木齐"),
        ("内蒙古", "呼和浩特 包头"),
    ];

    /// <summary>Towns only recognised with their 镇 suffix, because the bare name is also a brand (茅台, 杏花村).</summary>
    private static readonly (string Province, string Town)[] Towns = [("贵州", "茅台镇"), ("山西", "杏花村镇"), ("四川", "五通桥区")];

    /// <summary>Latin (pinyin) spellings of the main places.</summary>
    private static readonly Dictionary<string, string> Pinyin = new(StringComparer.Ordinal)
    {
        ["beijing"] = "北京", ["tianjin"] = "天津", ["shanghai"] = "上海", ["chongqing"] = "重庆", ["sichuan"] = "四川",
        ["guizhou"] = "贵州", ["yunnan"] = "云南", ["guangxi"] = "广西", ["guangdong"] = "广东", ["jiangsu"] = "江苏",
        ["zhejiang"] = "浙江", ["anhui"] = "安徽", ["shandong"] = "山东", ["shanxi"] = "山西", ["henan"] = "河南",
        ["hubei"] = "湖北", ["hunan"] = "湖南", ["fujian"] = "福建", ["hainan"] = "海南", ["hongkong"] = "香港",
        ["chengdu"] = "成都", ["yibin"] = "宜宾", ["luzhou"] = "泸州", ["zunyi"] = "遵义", ["guiyang"] = "贵阳",
        ["kunming"] = "昆明", ["nanning"] = "南宁", ["liuzhou"] = "柳州", ["guangzhou"] = "广州", ["shenzhen"] = "深圳",
        ["nanjing"] = "南京", ["suzhou"] = "苏州", ["hangzhou"] = "杭州", ["wuhan"] = "武汉", ["xian"] = "西安",
        ["china"] = "中国", ["prc"] = "中国",
    };

    private static readonly string[] ProvinceSuffixes =
        ["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"];
    private static readonly string[] CitySuffixes = ["市", "县", "区", "镇"];

    /// <summary>Every spelled form (with and without suffix) mapped to its canonical place; longest first.</summary>
    private static readonly (string Form, string Place)[] Forms;
    /// <summary>The same forms for exact look-up.</summary>
    private static readonly Dictionary<string, string> FormLookup;
    /// <summary>Canonical place mapped to its province ("" for the country).</summary>
    private static readonly Dictionary<string, string> ProvinceOf = new(StringComparer.Ordinal);

    static Places()
    {
        var forms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Provinces)
        {
            ProvinceOf[p] = p;
            forms[p] = p;
            foreach (var s in ProvinceSuffixes) forms[p + s] = p;
        }
        foreach (var (province, cities) in CityTable)
            foreach (var c in cities.Split(' '))
            {
                ProvinceOf[c] = province;
                forms[c] = c;
                foreach (var s in CitySuffixes) forms[c + s] = c;
            }
        foreach (var (province, town) in Towns)
        {
            var canonical = town[..^1];
            ProvinceOf[canonical] = province;
            forms[town] = canonical;
        }
        ProvinceOf["中国"] = "";
        forms["中国"] = "中国";
        forms["中华人民共和国"] = "中国";
        Forms = forms.Select(kv => (kv.Key, kv.Value)).OrderByDescending(f => f.Key.Length).ToArray();
        FormLookup = forms;
    }

    /// <summary>The canonical place when the whole text is a place ("宜宾市" gives "宜宾", "Chengdu" gives "成都"), else null.</summary>
    public static string? Canonical(string? text)
    {
        var t = string.Concat(TextSimilarity.Words(TextSimilarity.Fold(text)));
        if (t.Length == 0) return null;
        if (Pinyin.TryGetValue(t, out var py)) return py;
        foreach (var s in new[] { "city", "province", "shi", "sheng" })
            if (t.Length > s.Length && t.EndsWith(s, StringComparison.Ordinal) && Pinyin.TryGetValue(t[..^s.Length], out py)) return py;
        return FormLookup.GetValueOrDefault(t);
    }

    /// <summary>The place that the text starts with and its length in characters, or null.</summary>
    public static (string Place, int Length)? Prefix(string text)
    {
        foreach (var (form, place) in Forms)
            if (text.StartsWith(form, StringComparison.Ordinal)) return (place, form.Length);
        return null;
    }

    /// <summary>Whether the Latin word is a pinyin place name; gives the canonical place.</summary>
    public static bool IsPinyinPlace(string word, out string place) => Pinyin.TryGetValue(word, out place!);

    /// <summary>Whether the two canonical places cannot be the same location (different cities, or different provinces).</summary>
    public static bool Conflict(string? a, string? b)
    {
        if (a is null || b is null || a == b) return false;
        if (!ProvinceOf.TryGetValue(a, out var pa) || !ProvinceOf.TryGetValue(b, out var pb)) return true;
        if (pa.Length == 0 || pb.Length == 0) return false; // "中国" is compatible with anything
        var aIsProvince = pa == a;
        var bIsProvince = pb == b;
        if (aIsProvince && bIsProvince) return true;
        if (aIsProvince) return pb != a;
        if (bIsProvince) return pa != b;
        return true;
    }

    /// <summary>Whether the canonical place is a province-level place.</summary>
    public static bool IsProvince(string place) => ProvinceOf.TryGetValue(place, out var p) && p == place;
}
