using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Duplicates.Matching;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>The scorer gives high scores to the same customer typed twice, low ones to different customers, and says why.</summary>
public class MatchScorerTests
{
    private readonly MatchScorer scorer = new();

    private static AccountRecord Account(int id, string name, string? phone = null, string? city = null, int? parent = null) =>
        new() { Id = id, Name = name, PhoneE164 = PhoneNormalizer.ToE164(phone), City = city, ParentId = parent };

    private static ContactRecord Contact(int id, string name, string? phone = null, string? email = null) => new()
    {
        Id = id,
        Name = name,
        PhonesE164 = PhoneNormalizer.ToE164(phone) is { } p ? [p] : [],
        Emails = email is null ? [] : [email],
    };

    private static bool Has(MatchResult r, string code) => r.Reasons.Any(x => x.Code == code);

    /// <summary>Three spellings of 五粮液 are one company: legal form, place prefix and bracketed place do not matter.</summary>
    [Theory]
    [InlineData("四川宜宾五粮液股份有限公司", "宜宾五粮液集团")]
    [InlineData("四川宜宾五粮液股份有限公司", "五粮液（宜宾）有限公司")]
    [InlineData("宜宾五粮液集团", "五粮液（宜宾）有限公司")]
    [InlineData("ＡＢＣ Co., Ltd.", "ABC")]
    [InlineData("泸州老窖股份有限公司", "四川泸州老窖有限责任公司")]
    [InlineData("广西东亚糖业集团", "广西东亚唐业集团")]
    [InlineData("(주)삼성전자", "삼성전자 주식회사")]
    public void Company_name_variants_are_duplicates(string a, string b)
    {
        var r = scorer.Score(Account(1, a), Account(2, b));
        Assert.True(scorer.IsLikelyDuplicate(r), $"{a} ~ {b}: {r.Score:F3}");
    }

    /// <summary>Different companies stay apart even when they share a place or a trade word.</summary>
    [Theory]
    [InlineData("宜宾五粮液股份有限公司", "宜宾红楼梦酒业有限公司")]
    [InlineData("宜宾五粮液股份有限公司", "宜宾五粮春酒业有限公司")]
    [InlineData("中粮糖业有限公司", "中粮酒业有限公司")]
    [InlineData("青岛啤酒股份有限公司", "哈尔滨啤酒有限公司")]
    [InlineData("贵州茅台酒股份有限公司", "贵州习酒股份有限公司")]
    [InlineData("华润万家（上海）超市有限公司", "华润万家（北京）超市有限公司")]
    [InlineData("成都金鑫商贸有限公司", "深圳市金鑫商贸有限公司")]
    [InlineData("ABC Trading Co., Ltd.", "XYZ Trading Co., Ltd.")]
    public void Different_companies_are_not_duplicates(string a, string b)
    {
        var r = scorer.Score(Account(1, a), Account(2, b));
        Assert.False(scorer.IsLikelyDuplicate(r), $"{a} ~ {b}: {r.Score:F3}");
    }

    /// <summary>Accounts name their reasons: same name, same phone, same place, same parent.</summary>
    [Fact]
    public void Account_reasons_name_the_agreeing_fields()
    {
        var r = scorer.Score(Account(1, "宜宾五粮液集团", "0831-3567000", "宜宾市", 9), Account(2, "五粮液（宜宾）有限公司", "+86 831 356 7000", "宜宾", 9));
        Assert.True(scorer.IsLikelyDuplicate(r));
        Assert.True(Has(r, "sameName"));
        Assert.Contains(r.Reasons, x => x.Code == "samePhone" && x.Detail == "+868313567000");
        Assert.Contains(r.Reasons, x => x.Code == "samePlace" && x.Detail == "宜宾");
        Assert.True(Has(r, "sameParent"));
        Assert.Equal(r.Reasons.Count, r.Reasons.Select(x => x.Code).Distinct().Count());
    }

    /// <summary>A similar but not equal company name is reported with its percentage.</summary>
    [Fact]
    public void Similar_company_names_report_a_percentage()
    {
        var r = scorer.Score(Account(1, "广西东亚糖业集团"), Account(2, "东亚唐业有限公司"));
        var reason = Assert.Single(r.Reasons, x => x.Code == "nameSimilar");
        Assert.InRange(reason.Percent!.Value, 70, 99);
    }

    /// <summary>A branch and its head office are two accounts on purpose, however alike their names.</summary>
    [Fact]
    public void Parent_and_child_accounts_are_not_duplicates()
    {
        var r = scorer.Score(Account(1, "五粮液集团"), Account(2, "五粮液集团", parent: 1));
        Assert.False(scorer.IsLikelyDuplicate(r));
    }

    /// <summary>"王 磊" and "王磊" are the same name; with the same e-mail they are one contact.</summary>
    [Fact]
    public void Chinese_name_with_a_space_is_the_same_name()
    {
        var r = scorer.Score(Contact(1, "王 磊", email: "wanglei@wly.com"), Contact(2, "王磊", email: "WangLei@WLY.com"));
        Assert.True(scorer.IsLikelyDuplicate(r));
        Assert.True(Has(r, "sameName"));
        Assert.Contains(r.Reasons, x => x.Code == "sameEmail" && x.Detail == "wanglei@wly.com");
    }

    /// <summary>"John A. Smith" and "Smith, John" pair their tokens in any order; the initial does not hurt.</summary>
    [Fact]
    public void Latin_name_in_another_order_with_an_initial_matches()
    {
        var r = scorer.Score(Contact(1, "John A. Smith"), Contact(2, "Smith, John"));
        Assert.True(scorer.IsLikelyDuplicate(r), $"{r.Score:F3}");
        var reason = Assert.Single(r.Reasons, x => x.Code is "sameName" or "nameSimilar");
        if (reason.Code == "nameSimilar") Assert.InRange(reason.Percent!.Value, 80, 100);
    }

    /// <summary>"0086 138-0013-8000" and "13800138000" are one number: reason samePhone with the E.164 form.</summary>
    [Fact]
    public void Phone_formats_are_one_number()
    {
        Assert.Equal(PhoneNormalizer.ToE164("0086 138-0013-8000"), PhoneNormalizer.ToE164("13800138000"));
        var r = scorer.Score(Contact(1, "王磊", "0086 138-0013-8000"), Contact(2, "王 磊", "13800138000"));
        Assert.True(scorer.IsLikelyDuplicate(r));
        Assert.Contains(r.Reasons, x => x.Code == "samePhone" && x.Detail == "+8613800138000");
    }

    /// <summary>Numbers not yet in E.164 are normalised by the scorer itself.</summary>
    [Fact]
    public void Raw_phone_numbers_are_normalised_on_the_fly()
    {
        var a = new ContactRecord { Id = 1, Name = "王磊", PhonesE164 = ["0086 138-0013-8000"] };
        var b = new ContactRecord { Id = 2, Name = "王磊", PhonesE164 = ["138 0013 8000"] };
        Assert.Contains(scorer.Score(a, b).Reasons, x => x.Code == "samePhone" && x.Detail == "+8613800138000");
    }

    /// <summary>张伟 is a very common name: with the same phone it is one person, with different phones two; 张伟 and 李娜 are two.</summary>
    [Fact]
    public void Short_common_chinese_name_needs_a_second_clue()
    {
        Assert.True(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "张伟", "13800138000"), Contact(2, "张伟", "0086 138 0013 8000"))));
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "张伟", "13800138000"), Contact(2, "张伟", "13912345678"))));
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "张伟", "13800138000"), Contact(2, "李娜", "13912345678"))));
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "张伟"), Contact(2, "张伟"))));
    }

    /// <summary>One shared number with two different names is an office line; one character off with the same number is a typo.</summary>
    [Fact]
    public void Shared_phone_needs_a_similar_name()
    {
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "张伟", "028-85551234"), Contact(2, "李娜", "028 8555 1234"))));
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "John Smith", "028-85551234"), Contact(2, "Mary Jones", "028 8555 1234"))));
        Assert.True(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "王磊", "13800138000"), Contact(2, "王蕾", "13800138000"))));
        Assert.True(scorer.IsLikelyDuplicate(scorer.Score(Contact(1, "王小明", "13800138000"), Contact(2, "王晓明", "13800138000"))));
    }

    /// <summary>A Febrl-style pair (typo in the name, street words swapped) matches and lists all reasons.</summary>
    [Fact]
    public void Person_reasons_name_the_agreeing_fields()
    {
        var a = new ContactRecord { Id = 1, Name = "naomi millar", Address = "7 southern cross drive glengar st agnes 5172 qld", Postcode = "5172", Birthday = new DateOnly(1975, 8, 18) };
        var b = new ContactRecord { Id = 2, Name = "millar naomi", Address = "7 glengar southern cross drive st agnes 5172 qld", Postcode = "5172", Birthday = new DateOnly(1975, 8, 18) };
        var r = scorer.Score(a, b);
        Assert.True(scorer.IsLikelyDuplicate(r));
        Assert.True(Has(r, "sameName"));
        Assert.True(Has(r, "sameBirthday"));
        Assert.True(Has(r, "samePostcode"));
        Assert.Contains(r.Reasons, x => x.Code == "addressSimilar" && x.Percent == 100);
        Assert.InRange(r.Score, 0.99, 1.0);
    }

    /// <summary>A typo in the surname gives nameSimilar; a day/month swap and a changed digit still count for the birthday.</summary>
    [Fact]
    public void Typos_still_match_but_are_reported_as_similar()
    {
        var a = new ContactRecord { Id = 1, Name = "naomi millar", Postcode = "5172", Birthday = new DateOnly(1975, 8, 12) };
        var b = new ContactRecord { Id = 2, Name = "naomi milfra", Postcode = "5127", Birthday = new DateOnly(1975, 12, 8) };
        var r = scorer.Score(a, b);
        Assert.True(scorer.IsLikelyDuplicate(r), $"{r.Score:F3}");
        Assert.False(Has(r, "sameName"));
        Assert.False(Has(r, "sameBirthday"));
        Assert.InRange(Assert.Single(r.Reasons, x => x.Code == "nameSimilar").Percent!.Value, 80, 99);
    }

    /// <summary>Same name, but another birthday, postcode and address: two people.</summary>
    [Fact]
    public void Namesakes_elsewhere_are_not_duplicates()
    {
        var a = new ContactRecord { Id = 1, Name = "jack ryan", Address = "21 bayly place cleveland 4171 vic", Postcode = "4171", Birthday = new DateOnly(1961, 12, 15) };
        var b = new ContactRecord { Id = 2, Name = "jack ryan", Address = "8 giblin street killarney 2776 nsw", Postcode = "2776", Birthday = new DateOnly(1984, 3, 2) };
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(a, b)));
    }

    /// <summary>A longer common full name shared by two people elsewhere (three tokens) is still only a name.</summary>
    [Fact]
    public void Three_part_namesakes_elsewhere_are_not_duplicates()
    {
        var a = new ContactRecord { Id = 1, Name = "alexa-rose white", Address = "22 warrego circuit burnside bayswater 3040 nt", Postcode = "3040", Birthday = new DateOnly(1916, 8, 22) };
        var b = new ContactRecord { Id = 2, Name = "alexa-rose white", Address = "miles place tourist caravan park batemans bay 6169 nsw", Postcode = "6169", Birthday = new DateOnly(1959, 8, 18) };
        Assert.False(scorer.IsLikelyDuplicate(scorer.Score(a, b)), $"{scorer.Score(a, b).Score:F3}");
    }

    /// <summary>Missing fields weigh nothing: a record with only a name is compared on the name.</summary>
    [Fact]
    public void Missing_fields_do_not_count_against_a_match()
    {
        var full = new ContactRecord { Id = 1, Name = "lachlan berry", Address = "69 giblin street killarney bittern 4814 qld", Postcode = "4814", Birthday = new DateOnly(1999, 2, 19) };
        var bare = new ContactRecord { Id = 2, Name = "lachlan berry" };
        Assert.True(scorer.IsLikelyDuplicate(scorer.Score(full, bare)));
    }

    /// <summary>Scores stay in 0..1 and the threshold decides.</summary>
    [Fact]
    public void Threshold_decides_and_scores_stay_in_range()
    {
        var r = scorer.Score(Contact(1, "张伟", "13800138000"), Contact(2, "张伟", "13800138000"));
        Assert.InRange(r.Score, 0, 1);
        Assert.False(new MatchScorer(1.0).IsLikelyDuplicate(new MatchResult(0.999, [])));
        Assert.True(new MatchScorer(0.0).IsLikelyDuplicate(new MatchResult(0.0, [])));
        Assert.Equal(MatchScorer.DefaultThreshold, scorer.Threshold);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchScorer(1.5));
    }
}
