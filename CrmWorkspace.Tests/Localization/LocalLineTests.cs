using System.Globalization;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Tests.Localization;

/// <summary>
/// Lines the software writes on someone's behalf are shown in the reader's language, whoever wrote them: the template and its
/// arguments travel in the entry's Data, the Subject keeps the writer's words (and is what older entries show).
/// </summary>
public class LocalLineTests
{
    private static readonly LineText Lines = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources")
        .AddSingleton<LineText>().BuildServiceProvider().GetRequiredService<LineText>();

    internal static T In<T>(string culture, Func<T> read)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return read(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous; }
    }

    [Fact]
    public void A_line_written_in_one_language_reads_in_the_others()
    {
        var line = LocalLine.Of<TeamsText>("Handed over to {0}: {1}", "赵敏", "区域调整");
        var data = line.Json(new FieldChange[] { new("Owner", "a", "b") });
        var written = In("en", () => Lines.Subject("Handed over to 赵敏: 区域调整", data));

        Assert.Equal("Handed over to 赵敏: 区域调整", written);
        Assert.Equal("移交给赵敏：区域调整", In("zh-Hans", () => Lines.Subject(written, data)));
        // The entry's own detail is still there beside the line.
        Assert.Equal([new FieldChange("Owner", "a", "b")], FieldChange.Parse(data));
    }

    [Fact]
    public void What_the_timeline_filter_searches_is_the_line_as_each_language_reads_it_whatever_the_writers_language()
    {
        var line = LocalLine.Of<AdvertisingText>("Opportunity {0}: value {1:N0} → {2:N0}, expected close {3:d} → {4:d}",
            "封面全年", 100_000m, 150_000m, new DateOnly(2027, 1, 31), new DateOnly(2027, 3, 1));
        var fromEnglish = In("en", () => Lines.Readings(line));
        Assert.Equal(fromEnglish, In("zh-Hans", () => Lines.Readings(line)));
        Assert.Equal(["Opportunity 封面全年: value 100,000 → 150,000, expected close 1/31/2027 → 3/1/2027",
            "商机 封面全年：金额 100,000 → 150,000，预计成交 2027/1/31 → 2027/3/1"], fromEnglish!.Split('\n'));
        // Drawing the other languages leaves the writer's own culture as it was.
        Assert.Equal("zh-Hans", In("zh-Hans", () => { Lines.Readings(line); return CultureInfo.CurrentUICulture.Name; }));
        // A template this build does not know has nothing to search but the subject.
        Assert.Null(Lines.Readings(new LocalLine("NoSuchText", "Gone {0}", [new LineArg(Text: "x")])));
    }

    [Fact]
    public void Dates_numbers_nested_keys_and_pipeline_steps_are_drawn_for_the_reader()
    {
        var change = LocalLine.Of<AdvertisingText>("Opportunity {0}: value {1:N0} → {2:N0}, expected close {3:d} → {4:d}",
            "封面全年", 100_000m, 150_000m, new DateOnly(2027, 1, 31), new DateOnly(2027, 3, 1));
        Assert.Equal("Opportunity 封面全年: value 100,000 → 150,000, expected close 1/31/2027 → 3/1/2027", In("en", () => Lines.Render(change)));
        Assert.Equal("商机 封面全年：金额 100,000 → 150,000，预计成交 2027/1/31 → 2027/3/1", In("zh-Hans", () => Lines.Render(change)));

        var moved = LocalLine.Of<AdvertisingText>("Opportunity {0} moved: {1} → {2}", "封面全年", new LineArg(Step: 1), new LineArg(Step: 2));
        Assert.Equal("商机 封面全年 推进：1 寻找准客户 → 2 约见拜访", In("zh-Hans", () => Lines.Render(moved)));
        Assert.Contains("1 寻找准客户 · ", In("en", () => Lines.Render(moved)));

        var overridden = LocalLine.Of<KeyCustomersText>("{0} despite the restriction: {1}", LineArg.Translated("RestrictedService.Quote"), "老客户");
        var zh = In("zh-Hans", () => Lines.Render(overridden))!;
        Assert.DoesNotContain("Quote", zh);
        Assert.EndsWith("老客户", zh);
    }

    [Fact]
    public void Entries_without_a_line_or_with_an_unknown_template_show_their_subject_as_written()
    {
        Assert.Equal("电话回访", Lines.Subject("电话回访", null));
        Assert.Equal("[{\"Field\":\"Name\"}]", LocalLine.From("[{\"Field\":\"Name\"}]") is null ? "[{\"Field\":\"Name\"}]" : "parsed");
        var unknown = LocalLine.Of<TeamsText>("A template nobody translated {0}", "x").Json();
        Assert.Equal("as written", In("zh-Hans", () => Lines.Subject("as written", unknown)));
        Assert.Equal("as written", Lines.Subject("as written", "{\"Line\": not json"));
    }
}
