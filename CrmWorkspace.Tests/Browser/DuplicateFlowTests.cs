using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class DuplicateFlowTests(BrowserAppFixture fx)
{
    private async Task<int> AccountAsync(StaffIdentity owner, string name, string phone)
    {
        using var scope = fx.App.Services.CreateScope();
        var r = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = name, Phone = phone, Province = "四川", City = "宜宾", OwnerId = owner.Id }, owner);
        Assert.True(r.Ok, r.Error);
        await scope.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(r.Id!.Value, new ActivityInput { Kind = ActivityKind.Visit, Subject = "拜访：洽谈广告" }, owner);
        return r.Id.Value;
    }

    [Fact]
    public async Task Typing_a_variant_name_or_a_differently_written_phone_warns_before_saving_with_reasons_and_the_colleague()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        await AccountAsync(wang, "四川宜宾岷江浏览器测试酒业有限公司", "13800138000");
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");
        await page.GotoAsync("/customers/new");
        await Infrastructure.Browser.WaitInteractiveAsync(page);

        await Infrastructure.Browser.Input(page, "account-name").PressSequentiallyAsync("宜宾岷江浏览器测试酒业", new() { Delay = 30 });
        var panel = page.GetByTestId("duplicate-panel");
        var candidate = panel.GetByTestId("duplicate-candidate").Filter(new() { HasText = "四川宜宾岷江浏览器测试酒业有限公司" });
        await Expect(candidate).ToBeVisibleAsync();
        await Expect(candidate.GetByTestId("duplicate-reasons")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("same name|name \\d+ % similar"));
        await Expect(candidate.GetByTestId("duplicate-work")).ToContainTextAsync("王磊");
        await Infrastructure.Browser.ScreenshotAsync(page, "duplicate-while-typing");

        // A different name, but the stored mobile typed the international way.
        await Infrastructure.Browser.Input(page, "account-name").FillAsync("某某贸易商行");
        await Infrastructure.Browser.Input(page, "account-phone").PressSequentiallyAsync("0086 138-0013-8000", new() { Delay = 20 });
        await Expect(candidate.GetByTestId("duplicate-reasons")).ToContainTextAsync("same phone 138 0013 8000");

        // Saving an exact duplicate asks first; cancelling saves nothing.
        await page.GetByTestId("save-account").ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "already has this phone number" });
        await Expect(confirm).ToBeVisibleAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToHaveCountAsync(0);
        Assert.EndsWith("/customers/new", page.Url);
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Accounts.AnyAsync(a => a.Name == "某某贸易商行"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_manager_scans_merges_a_pair_from_the_queue_and_undoes_it()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        var older = await AccountAsync(wang, "成都浏览器合并测试糖业有限公司", "028-85551234");
        var newer = await AccountAsync(wang, "成都浏览器合并测试糖业公司", "028-85551234");
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.GotoAsync("/duplicates");
        await Infrastructure.Browser.WaitInteractiveAsync(page);

        await page.GetByTestId("scan-start").ClickAsync();
        await Expect(page.GetByTestId("scan-last")).ToBeVisibleAsync();
        var group = page.GetByTestId("review-group").Filter(new() { HasText = "成都浏览器合并测试糖业公司" });
        await Expect(group).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "duplicate-review");
        await group.GetByTestId("merge").First.ClickAsync();
        var dialog = page.GetByTestId("merge-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("merge-confirm").ClickAsync();
        await Expect(group).ToHaveCountAsync(0);

        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            Assert.Equal(older, (await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == newer)).MergedIntoId);
        // The merged record's old link leads to the survivor.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync($"/customers/{newer}");
        await other.WaitForURLAsync($"**/customers/{older}");
        await other.CloseAsync();

        await page.GetByTestId("merge-row").First.GetByTestId("undo-merge").ClickAsync();
        await Expect(group).ToBeVisibleAsync();
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var back = await db.Accounts.SingleAsync(a => a.Id == newer);
            Assert.Null(back.MergedIntoId);
        }
        await page.Context.CloseAsync();
    }
    /// <summary>
    /// A 21-line GB18030 file with a stray quote on line 3: the import page shows every line accounted for (20 lines after the
    /// header, line 3 rejected with its reason), in English and in Chinese.
    /// </summary>
    [Theory]
    [InlineData("en", "20 lines after the header", "A quotation mark is not closed")]
    [InlineData("zh-Hans", "标题行之后共 20 行", "引号未闭合")]
    public async Task The_import_page_accounts_for_every_line_of_a_file_with_a_stray_quote(string culture, string total, string reason)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var csv = new System.Text.StringBuilder("公司名称,城市,地址,电话\n");
        for (var i = 1; i <= 20; i++)
        {
            var name = $"页面引号{tag}{i:D2}号{(char)('甲' + i)}{(char)('子' + i)}酒业有限公司";
            csv.Append(i == 2 ? $"\"{name},宜宾,翠屏区{i}号,\n" : $"{name},宜宾,\"翠屏区{i}号\",\n");
        }
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.GotoAsync($"/culture/set?culture={culture}&returnUrl=/duplicates");
        await page.WaitForURLAsync("**/duplicates");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await page.GetByText(culture == "en" ? "Import CSV" : "导入 CSV", new() { Exact = true }).ClickAsync();
        var result = page.GetByTestId("import-result");
        var started = page.GetByTestId("import-result").Or(page.GetByTestId("import-progress"));
        // The tab's InputFile wires its change handler after the panel renders: set the file again if nothing started.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
            {
                Name = "stray-quote.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.GetEncoding("GB18030").GetBytes(csv.ToString()),
            });
            try { await started.First.WaitForAsync(new() { Timeout = 10_000 }); break; }
            catch (TimeoutException) when (attempt < 2) { }
        }
        await Expect(result).ToContainTextAsync(total, new() { Timeout = 30_000 });
        var rejected = page.GetByTestId("import-rejected").Locator("tbody tr");
        await Expect(rejected).ToHaveCountAsync(1);
        await Expect(rejected.First).ToContainTextAsync("3");
        await Expect(rejected.First).ToContainTextAsync(reason);
        await page.Context.CloseAsync();
    }
}
