using CrmWorkspace.Features.Duplicates.Matching;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>The normalisers turn the spellings people type into one comparable form.</summary>
public class DuplicateNormalizerTests
{
    /// <summary>Legal forms, places, brackets, width and case are removed from company names; the place is kept aside.</summary>
    [Theory]
    [InlineData("四川宜宾五粮液股份有限公司", "五粮液", "宜宾", "四川宜宾五粮液")]
    [InlineData("宜宾五粮液集团", "五粮液", "宜宾", "宜宾五粮液")]
    [InlineData("五粮液（宜宾）有限公司", "五粮液", "宜宾", "宜宾五粮液")]
    [InlineData("【宜宾市】五粮液", "五粮液", "宜宾", "宜宾五粮液")]
    [InlineData("四川省宜宾市五粮液有限责任公司", "五粮液", "宜宾", "四川宜宾五粮液")]
    [InlineData("ＡＢＣ Co., Ltd.", "abc", null, "abc")]
    [InlineData("ABC", "abc", null, "abc")]
    [InlineData("A.B.C. Limited", "abc", null, "abc")]
    [InlineData("abc corp", "abc", null, "abc")]
    [InlineData("ABC Inc.", "abc", null, "abc")]
    [InlineData("ABC Company LLC", "abc", null, "abc")]
    [InlineData("ABC (Shanghai) Trading Co., Ltd.", "abctrading", "上海", "上海abctrading")]
    [InlineData("Sichuan Yibin Wuliangye Group Co., Ltd.", "wuliangye", "宜宾", "四川宜宾wuliangye")]
    [InlineData("The Coca-Cola Company", "cocacola", null, "cocacola")]
    [InlineData("贵州茅台酒股份有限公司", "茅台酒", "贵州", "贵州茅台酒")]
    [InlineData("中国贵州茅台酒厂(集团)有限责任公司", "茅台酒", "贵州", "贵州茅台酒")]
    [InlineData("茅台镇国台酒业有限公司", "国台酒业", "茅台", "茅台国台酒业")]
    [InlineData("泸州老窖股份有限公司", "老窖", "泸州", "泸州老窖")]
    [InlineData("青岛啤酒股份有限公司", "青岛啤酒", "青岛", "青岛啤酒")]
    [InlineData("上海市糖业烟酒（集团）有限公司", "糖业烟酒", "上海", "上海糖业烟酒")]
    [InlineData("广西南宁东亚糖业集团", "东亚糖业", "南宁", "广西南宁东亚糖业")]
    [InlineData("杏花村汾酒厂", "杏花村汾酒", null, "杏花村汾酒")]
    [InlineData("(주)삼성전자", "삼성전자", null, "삼성전자")]
    [InlineData("삼성전자 주식회사", "삼성전자", null, "삼성전자")]
    [InlineData("上海", "上海", null, "上海")]
    [InlineData("", "", null, "")]
    [InlineData(null, "", null, "")]
    public void Company_names_lose_legal_form_place_and_punctuation(string? name, string core, string? place, string full)
    {
        var n = CompanyNameNormalizer.Normalize(name);
        Assert.Equal(core, n.Core);
        Assert.Equal(place, n.Place);
        Assert.Equal(full, n.Full);
    }

    /// <summary>Person names: Chinese without spaces, Latin lower case and order independent, initials kept.</summary>
    [Theory]
    [InlineData("王 磊", "王磊")]
    [InlineData("王磊", "王磊")]
    [InlineData("王　磊", "王磊")]
    [InlineData("欧阳 娜娜", "欧阳娜娜")]
    [InlineData("刘洋先生", "刘洋")]
    [InlineData("John Smith", "john smith")]
    [InlineData("Smith, John", "john smith")]
    [InlineData("SMITH John", "john smith")]
    [InlineData("John A. Smith", "a john smith")]
    [InlineData("ＪＯＨＮ　ＳＭＩＴＨ", "john smith")]
    [InlineData("José García", "garcia jose")]
    [InlineData("Mr. Bob O'Brien", "bob obrien")]
    [InlineData("李大卫 David Li", "李大卫 david li")]
    [InlineData("김 지훈", "김지훈")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Person_name_keys_ignore_order_spacing_width_and_case(string? name, string key) =>
        Assert.Equal(key, PersonNameNormalizer.Key(name));

    /// <summary>The tokens of a Latin name are sorted; an initial stays one letter.</summary>
    [Fact]
    public void Person_name_tokens_keep_initials()
    {
        Assert.Equal(["a", "john", "smith"], PersonNameNormalizer.Tokens("John A. Smith"));
        Assert.Equal(["王磊"], PersonNameNormalizer.Tokens("王 磊"));
        Assert.Empty(PersonNameNormalizer.Tokens("  "));
    }

    /// <summary>Addresses are folded, punctuation dropped, common street abbreviations spelled out.</summary>
    [Theory]
    [InlineData("12 Main St.", "12 main street")]
    [InlineData("12, MAIN STREET", "12 main street")]
    [InlineData("Flat 3, 12-14 High Rd", "flat 3 12 14 high road")]
    [InlineData("５ Ｇｉｂｌｉｎ Ａｖｅ", "5 giblin avenue")]
    [InlineData("四川省 宜宾市 翠屏区", "四川省宜宾市翠屏区")]
    [InlineData("四川省宜宾市岷江西路150号", "四川省宜宾市岷江西路 150 号")]
    [InlineData("No. 8, Yibin Rd", "8 yibin road")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Addresses_are_folded_and_abbreviations_spelled_out(string? address, string normalized) =>
        Assert.Equal(normalized, AddressNormalizer.Normalize(address));

    /// <summary>Address tokens: words and numbers as they are, Chinese as overlapping character pairs.</summary>
    [Theory]
    [InlineData("12 Main St.", "12|main|street")]
    [InlineData("宜宾市岷江西路150号", "宜宾|宾市|市岷|岷江|江西|西路|150|号")]
    [InlineData("翠屏 8号", "翠屏|8|号")]
    public void Address_tokens_split_words_and_chinese_pairs(string address, string tokens) =>
        Assert.Equal(tokens.Split('|'), AddressNormalizer.Tokens(address));
}
