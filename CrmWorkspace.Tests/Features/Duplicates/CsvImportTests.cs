using System.Text;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>CSV reading: every line of the file is accounted for, a bad quote costs only its own line.</summary>
public class CsvParseTests
{
    [Fact]
    public void A_stray_quote_costs_only_its_own_line()
    {
        var text = "name,city,phone\nA,宜宾,1\n\"B,泸州,2\nC,成都,3\nD,\"重庆\",4\n";
        var records = CsvImport.Parse(text).ToList();
        Assert.Equal([1, 2, 3, 4, 5], records.Select(r => r.Line));
        Assert.Equal("quote", records[2].Error);
        Assert.Equal(["C", "成都", "3"], records[3].Fields);
        Assert.Equal(["D", "重庆", "4"], records[4].Fields);
    }

    [Fact]
    public void Thousands_of_stray_quotes_each_cost_only_their_own_line()
    {
        var text = new StringBuilder("name,city,phone\n");
        for (var i = 0; i < 20_000; i++) text.Append(i % 2 == 0 ? $"\"公司{i},宜宾,{i}\n" : $"公司{i},\"宜宾\",{i}\n");
        var records = CsvImport.Parse(text.ToString());
        Assert.Equal(Enumerable.Range(1, 20_001), records.Select(r => r.Line));
        Assert.All(records.Skip(1), r => Assert.Equal(r.Line % 2 == 0 ? "quote" : null, r.Error));
        Assert.Equal(["公司19999", "宜宾", "19999"], records[^1].Fields);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_rejects_that_line_only()
    {
        var records = CsvImport.Parse("name,city\nA\"B,宜宾\nC,成都\n").ToList();
        Assert.Equal("quote", records[1].Error);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["C", "成都"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public void A_quoted_field_may_span_lines_and_later_lines_keep_their_numbers()
    {
        var records = CsvImport.Parse("name,address\r\nA,\"1 Main St\r\nFloor 2\"\r\n\r\nB,\"say \"\"hi\"\"\"\r\nC,x").ToList();
        Assert.Equal([1, 2, 5, 6], records.Select(r => r.Line));
        Assert.Equal("1 Main St\r\nFloor 2", records[1].Fields[1]);
        Assert.Equal("say \"hi\"", records[2].Fields[1]);
        Assert.All(records, r => Assert.Null(r.Error));
    }
}

[Collection(AppCollection.Name)]
public class CsvImportTests(AppFixture fx, ITestOutputHelper output)
{
    /// <summary>The case from the field: a 21-line GB18030 file with a stray quote on line 3 used to report 8 rows and lose 12.</summary>
    [Fact]
    public async Task A_stray_quote_in_a_gb18030_file_is_rejected_by_line_and_every_other_line_is_imported()
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("admin@demo.local");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var csv = new StringBuilder("公司名称,城市,地址,电话\n");
        for (var i = 1; i <= 20; i++)
        {
            var name = $"引号测试{tag}{(char)('甲' + i)}酒业有限公司";
            csv.Append(i == 2 ? $"\"{name},宜宾,翠屏区{i}号,\n" : $"{name},宜宾,\"翠屏区{i}号\",\n");
        }
        var file = Encoding.GetEncoding("GB18030").GetBytes(csv.ToString());
        Assert.Equal(21, csv.ToString().Count(c => c == '\n'));

        var result = await s.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(file, ImportKind.Accounts, me);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("GB18030", result.Encoding);
        foreach (var r in result.Rejected) output.WriteLine($"line {r.Line}: {r.Reason}");
        Assert.Equal(20, result.DataLines);
        Assert.Equal(20, result.Created + result.Linked + result.Rejected.Count);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Contains("quot", rejected.Reason);
        await using var db = await fx.DbAsync();
        Assert.Equal(19, await db.Accounts.CountAsync(a => a.Name.StartsWith($"引号测试{tag}")));
    }

    /// <summary>Two rows of one file that are the same person written differently are linked for review, like a row matching the database.</summary>
    [Fact]
    public async Task Two_rows_of_the_same_file_that_match_each_other_are_linked_for_review()
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("admin@demo.local");
        var company = $"Import pairing test {Guid.NewGuid():N}";
        var csv = $"company,name,address,postcode,birthday\n" +
                  $"\"{company}\",Katherine Smyth,\"14 Learmonth Drive Glenview\",2204,1971-03-08\n" +
                  $"\"{company}\",Kathrine Smith,\"14 Learmonth Dr Glenveiw\",2204,1971-03-08\n" +
                  $"\"{company}\",Oliver Quennell,\"3 Fox Place Gerogery\",4702,1985-11-30\n";

        var result = await s.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv), ImportKind.Contacts, me);

        Assert.True(result.Ok, result.Error);
        Assert.Empty(result.Rejected);
        Assert.Equal((1, 2), (result.Created, result.Linked));
        var ids = result.Ids.OrderBy(x => x.Line).Select(x => x.Id).ToList();
        await using var db = await fx.DbAsync();
        var pair = await db.DuplicatePairs.SingleAsync(p => p.Kind == RecordKind.Contact && p.AId == Math.Min(ids[0], ids[1]) && p.BId == Math.Max(ids[0], ids[1]));
        Assert.Equal("import", pair.Source);
        Assert.False(await db.DuplicatePairs.AnyAsync(p => p.Kind == RecordKind.Contact && (p.AId == ids[2] || p.BId == ids[2])));
    }
}
