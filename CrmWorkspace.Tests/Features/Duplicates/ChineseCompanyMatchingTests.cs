using CrmWorkspace.Features.Duplicates.Matching;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>
/// Chinese company and person names read as a data steward reads them (issue 19): the trade name decides, a branch is linked
/// to its head office rather than merged, a brand alone is weak, known short names are the full name, titles are not names.
/// </summary>
public class ChineseCompanyMatchingTests
{
    private static readonly MatchScorer Scorer = new();

    private static MatchResult Companies(string a, string b, string? phoneA = null, string? phoneB = null, string? cityA = null, string? cityB = null) =>
        Scorer.Score(new AccountRecord { Id = 1, Name = a, PhoneE164 = phoneA, City = cityA }, new AccountRecord { Id = 2, Name = b, PhoneE164 = phoneB, City = cityB });

    private static MatchResult People(string a, string b, string[]? phonesA = null, string[]? phonesB = null, string[]? emailsA = null, string[]? emailsB = null) =>
        Scorer.Score(new ContactRecord { Id = 1, Name = a, PhonesE164 = [.. phonesA ?? []], Emails = [.. emailsA ?? []] },
            new ContactRecord { Id = 2, Name = b, PhonesE164 = [.. phonesB ?? []], Emails = [.. emailsB ?? []] });

    [Theory]
    [InlineData("宜宾五粮液酒业有限公司", "", "五粮液", "酒业", "宜宾")]
    [InlineData("泸州老窖股份有限公司成都分公司", "成都分公司", "老窖", "", "成都")]
    [InlineData("北京顺鑫农业股份有限公司牛栏山酒厂", "牛栏山酒厂", "顺鑫", "农业", "北京")]
    [InlineData("五粮液成都营销中心", "成都营销中心", "五粮液", "", "成都")]
    [InlineData("四川省蓬溪县金穗酒业有限公司", "", "金穗", "酒业", "四川")]
    public void A_chinese_name_is_read_as_place_trade_name_industry_and_branch(string name, string branch, string trade, string industry, string place)
    {
        var n = CompanyNameNormalizer.Normalize(name);
        Assert.Equal(branch, n.Branch ?? "");
        Assert.Equal(trade, n.Trade);
        Assert.Equal(industry, n.Industry);
        Assert.Equal(place, n.Place);
    }

    [Theory]
    [InlineData("泸州老窖股份有限公司", "泸州老窖股份有限公司成都分公司", "成都分公司")]
    [InlineData("宜宾五粮液股份有限公司", "宜宾五粮液股份有限公司北京办事处", "北京办事处")]
    [InlineData("四川剑南春（集团）有限责任公司", "四川剑南春（集团）有限责任公司营销中心", "营销中心")]
    [InlineData("成都金鑫商贸有限公司", "成都金鑫商贸有限公司经营部", "经营部")]
    [InlineData("北京顺鑫农业股份有限公司", "北京顺鑫农业股份有限公司牛栏山酒厂", "牛栏山酒厂")]
    public void A_head_office_and_its_branch_are_not_duplicates_even_on_one_landline_and_the_reason_says_branch(string head, string branch, string part)
    {
        var r = Companies(head, branch, "+862885123456", "+862885123456");
        Assert.False(Scorer.IsLikelyDuplicate(r), $"{r.Score}");
        Assert.Contains(r.Reasons, x => x.Code == MatchReasonCodes.BranchOf && x.Detail == part);
    }

    [Fact]
    public void Two_branches_in_other_cities_are_two_records_and_one_branch_written_twice_is_one()
    {
        var other = Companies("泸州老窖股份有限公司成都分公司", "泸州老窖股份有限公司重庆分公司");
        var same = Companies("泸州老窖股份有限公司成都分公司", "泸州老窖成都分公司", "+862885550000", "+862885550000");
        Assert.False(Scorer.IsLikelyDuplicate(other), $"{other.Score}");
        Assert.True(Scorer.IsLikelyDuplicate(same), $"{same.Score}");
    }

    [Theory]
    [InlineData("四川金粮酒业有限公司", "四川金穗酒业有限公司", "金粮/金穗")]
    [InlineData("成都蜀酿酒业有限公司", "成都蜀韵酒业有限公司", "蜀酿/蜀韵")]
    [InlineData("宜宾恒源商贸有限公司", "宜宾恒盛商贸有限公司", "恒源/恒盛")]
    public void One_character_changed_in_the_trade_name_is_another_company_unless_the_phone_agrees(string a, string b, string detail)
    {
        var alone = Companies(a, b, "+862885111111", "+862885222222");
        var samePhone = Companies(a, b, "+862885111111", "+862885111111");
        Assert.False(Scorer.IsLikelyDuplicate(alone), $"{alone.Score}");
        Assert.Contains(alone.Reasons, x => x.Code == MatchReasonCodes.OtherTradeName && x.Detail == detail);
        Assert.True(Scorer.IsLikelyDuplicate(samePhone), $"{samePhone.Score}");
    }

    [Fact]
    public void Same_trade_name_in_another_industry_is_another_company_and_the_reason_names_both_parts()
    {
        var r = Companies("宜宾五粮液酒业有限公司", "宜宾五粮液纸业有限公司");
        Assert.False(Scorer.IsLikelyDuplicate(r), $"{r.Score}");
        Assert.Contains(r.Reasons, x => x.Code == MatchReasonCodes.SameTradeName && x.Detail == "五粮液");
        Assert.Contains(r.Reasons, x => x.Code == MatchReasonCodes.OtherIndustry && x.Detail == "酒业/纸业");
    }

    [Theory]
    [InlineData("射洪县沱源酒业有限公司", "蓬溪县沱源酒业有限公司")]
    [InlineData("宜宾市鑫源酒业有限公司", "宜宾县鑫源酒业有限公司")]
    [InlineData("成都金鑫商贸有限公司", "重庆金鑫商贸有限公司")]
    public void Same_name_in_another_county_or_city_is_another_company(string a, string b)
    {
        var r = Companies(a, b, "+862885111111", "+862885222222");
        Assert.False(Scorer.IsLikelyDuplicate(r), $"{r.Score}");
    }

    [Fact]
    public void A_missing_place_or_form_is_no_evidence_against()
    {
        var r = Companies("四川省宜宾市红楼梦酒业有限公司", "红楼梦酒业");
        Assert.True(Scorer.IsLikelyDuplicate(r), $"{r.Score}");
    }

    [Theory]
    [InlineData("北京红星", "北京红星美凯龙家居有限公司", "美凯龙")]
    [InlineData("成都金鑫", "成都金鑫源泰商贸有限公司", "源泰")]
    public void A_short_name_inside_a_longer_one_is_not_the_same_company(string shorter, string longer, string extra)
    {
        var r = Companies(shorter, longer);
        Assert.False(Scorer.IsLikelyDuplicate(r), $"{r.Score}");
        Assert.Contains(r.Reasons, x => x.Code == MatchReasonCodes.ExtraWords && x.Detail == extra);
    }

    [Theory]
    [InlineData("长城", "长城汽车股份有限公司")]
    [InlineData("茅台", "贵州茅台酒股份有限公司")]
    [InlineData("茅台", "茅台机场有限责任公司")]
    public void A_bare_brand_alone_is_weak_but_with_the_same_phone_it_is_a_duplicate(string brand, string company)
    {
        var alone = Companies(brand, company);
        var samePhone = Companies(brand, company, "+8685122386002", "+8685122386002");
        Assert.False(Scorer.IsLikelyDuplicate(alone), $"{alone.Score}");
        Assert.True(Scorer.IsLikelyDuplicate(samePhone) || samePhone.Reasons.Any(x => x.Code == MatchReasonCodes.OtherIndustry), $"{samePhone.Score}");
    }

    [Theory]
    [InlineData("中粮", "中国粮油食品（集团）有限公司")]
    [InlineData("广药", "广州医药集团有限公司")]
    public void A_known_short_name_is_the_full_company(string alias, string full)
    {
        var r = Companies(alias, full);
        Assert.True(Scorer.IsLikelyDuplicate(r), $"{r.Score}");
        Assert.Contains(r.Reasons, x => x.Code == MatchReasonCodes.KnownShortName && x.Detail == alias);
    }

    [Fact]
    public void An_administrator_added_short_name_is_used_at_once()
    {
        Assert.False(Scorer.IsLikelyDuplicate(Companies("川糖", "四川省糖酒副食品集团有限公司")));
        CompanyAliases.SetCustom([("川糖", "四川省糖酒副食品集团有限公司")]);
        try { Assert.True(Scorer.IsLikelyDuplicate(Companies("川糖", "四川省糖酒副食品集团有限公司"))); }
        finally { CompanyAliases.SetCustom([]); }
    }

    [Theory]
    [InlineData("陈淑芬经理", "陈淑芬")]
    [InlineData("刘总", "刘")]
    [InlineData("老王", "王")]
    [InlineData("王先生", "王")]
    [InlineData("李女士", "李")]
    [InlineData("张总经理", "张")]
    [InlineData("小明", "小明")]
    public void Titles_and_forms_of_address_are_not_part_of_a_name(string written, string key) =>
        Assert.Equal(key, PersonNameNormalizer.Key(written));

    [Fact]
    public void The_same_mobile_is_strong_a_shared_landline_is_weak_and_other_mobiles_make_two_people()
    {
        var titledSameMobile = People("刘总", "刘德明", ["+8613912345678"], ["+8613912345678"]);
        var sharedLineOtherName = People("王建国", "李红梅", ["+862885123456"], ["+862885123456"]);
        var sameNameOtherMobiles = People("John Smith", "John Smith", ["+8613911112222"], ["+8613933334444"], ["js@a.cn"], ["john@b.cn"]);
        var chineseSameNameOtherMobiles = People("王建国", "王建国", ["+8613911112222"], ["+8613933334444"]);
        Assert.True(Scorer.IsLikelyDuplicate(titledSameMobile), $"{titledSameMobile.Score}");
        Assert.False(Scorer.IsLikelyDuplicate(sharedLineOtherName), $"{sharedLineOtherName.Score}");
        Assert.False(Scorer.IsLikelyDuplicate(sameNameOtherMobiles), $"{sameNameOtherMobiles.Score}");
        Assert.False(Scorer.IsLikelyDuplicate(chineseSameNameOtherMobiles), $"{chineseSameNameOtherMobiles.Score}");
    }
}
