using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Search;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>A name written in traditional characters is the same name in simplified ones: in matching, while typing and in search.</summary>
[Collection(AppCollection.Name)]
public class TraditionalSimplifiedTests(AppFixture fx, ITestOutputHelper output)
{
    [Theory]
    [InlineData("瀘州老窖股份有限公司", "泸州老窖股份有限公司")]
    [InlineData("陳建華", "陈建华")]
    [InlineData("劉鳳英", "刘凤英")]
    [InlineData("四川省宜賓市翠屏區", "四川省宜宾市翠屏区")]
    public void Traditional_characters_fold_to_simplified(string traditional, string simplified) =>
        Assert.Equal(simplified, ChineseScript.Simplify(traditional));

    [Fact]
    public void The_shipped_character_table_is_loaded_whole_and_leaves_simplified_and_latin_text_alone()
    {
        Assert.True(ChineseScript.Count > 2900, $"{ChineseScript.Count} pairs");
        const string text = "泸州老窖 ABC Trading 13800138000";
        Assert.Same(text, ChineseScript.Simplify(text));
    }

    [Fact]
    public void Company_person_and_address_in_traditional_score_as_the_simplified_ones()
    {
        var scorer = new MatchScorer();
        var company = scorer.Score(new AccountRecord { Id = 1, Name = "瀘州老窖股份有限公司", Address = "四川省瀘州市國窖廣場" },
            new AccountRecord { Id = 2, Name = "泸州老窖股份有限公司", Address = "四川省泸州市国窖广场" });
        var person = scorer.Score(new ContactRecord { Id = 1, Name = "陳建華" }, new ContactRecord { Id = 2, Name = "陈建华" });

        Assert.True(scorer.IsLikelyDuplicate(company), $"{company.Score}");
        Assert.Contains(company.Reasons, r => r.Code == MatchReasonCodes.SameName);
        Assert.Contains(company.Reasons, r => r.Code == MatchReasonCodes.AddressSimilar && r.Percent == 100);
        Assert.Contains(person.Reasons, r => r.Code == MatchReasonCodes.SameName);
    }

    [Fact]
    public void Folding_parsing_and_spelling_a_typed_name_costs_microseconds_per_keystroke()
    {
        // What the while-typing check adds per keystroke: normalise (fold, parse) the typed name and spell each of its bigrams.
        string[] typed = ["瀘州老窖股份有限公司成都分公司", "四川省宜宾市五粮液酒业有限公司", "北京红星美凯龙家居有限公司", "陳淑芬經理", "Pernod Ricard (China) Trading Co., Ltd."];
        for (var i = 0; i < 200; i++) Work(typed[i % typed.Length]);
        var times = new double[2000];
        for (var i = 0; i < times.Length; i++)
        {
            var t = System.Diagnostics.Stopwatch.GetTimestamp();
            Work(typed[i % typed.Length]);
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        Array.Sort(times);
        var p95 = times[(int)(times.Length * 0.95)];
        output.WriteLine($"per typed name: p50 {times[times.Length / 2]:F1} µs, p95 {p95:F1} µs");
        Assert.True(p95 < 500, $"p95 {p95:F1} µs");

        static void Work(string name)
        {
            var n = CompanyNameNormalizer.Normalize(name);
            for (var i = 0; i + 1 < n.Core.Length; i++) ChineseScript.Spellings(n.Core.Substring(i, 2), 6);
            PersonNameNormalizer.Key(name);
        }
    }

    [Fact]
    public async Task Search_and_the_while_typing_check_find_a_name_in_the_other_script()
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("marketing@demo.local");
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var simple = await accounts.CreateAsync(new AccountInput { Name = "泸州窖韵测试酒业有限公司", Province = "四川", City = "泸州", OwnerId = me.Id }, me);
        var traditional = await accounts.CreateAsync(new AccountInput { Name = "劍韻測試酒業有限公司", Province = "四川", City = "绵竹", OwnerId = me.Id }, me);
        Assert.True(simple.Ok && traditional.Ok);
        var search = s.ServiceProvider.GetRequiredService<SearchService>();

        var byTraditional = await search.SearchAsync("瀘州窖韻");
        var bySimplified = await search.SearchAsync("剑韵测试");
        var byTwoCharacters = await search.SearchAsync("剑韵");
        var typing = await s.ServiceProvider.GetRequiredService<DuplicateFinder>().AccountsAsync(new AccountProbe("瀘州窖韻測試酒業有限公司"));

        Assert.Contains(byTraditional.Customers, c => c.Id == simple.Id);
        Assert.Contains(bySimplified.Customers, c => c.Id == traditional.Id);
        Assert.Contains(byTwoCharacters.Customers, c => c.Id == traditional.Id);
        Assert.Contains(typing, c => c.Id == simple.Id && c.Reasons.Any(r => r.Code == MatchReasonCodes.SameName));
    }
}
