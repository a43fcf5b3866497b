using CrmWorkspace.Data;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class CallListTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task A_manager_builds_a_list_from_a_filter_and_splits_it_and_watches_a_salesperson_work_it_live()
    {
        int expected;
        string zhaoId, sunId;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            expected = await db.Accounts.CountAsync(a => a.IntendsToExhibit && a.MergedIntoId == null);
            zhaoId = await db.Users.Where(u => u.Email == "sales1@demo.local").Select(u => u.Id).SingleAsync();
            sunId = await db.Users.Where(u => u.Email == "sales2@demo.local").Select(u => u.Id).SingleAsync();
        }

        var manager = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await manager.SetViewportSizeAsync(1366, 900);
        await manager.GotoAsync("/calllists");
        await Infrastructure.Browser.WaitInteractiveAsync(manager);
        await Infrastructure.Browser.Input(manager, "calllist-name").FillAsync("浏览器电话任务");
        await manager.GetByTestId("filter-exhibit").ClickAsync();
        await Expect(manager.GetByTestId("calllist-count")).ToHaveTextAsync($"{expected:N0} customers match");
        await manager.GetByTestId("calllist-people").ClickAsync();
        await manager.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "赵敏" }).ClickAsync();
        await manager.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "孙强" }).ClickAsync();
        // Clicking outside closes the multi-select's list.
        await manager.Mouse.ClickAsync(700, 880);
        await Expect(manager.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await Expect(Infrastructure.Browser.Input(manager, "calllist-people")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("赵敏.*孙强|孙强.*赵敏"));
        await Infrastructure.Browser.ScreenshotAsync(manager, "calllist-build-en");
        await manager.GetByTestId("calllist-build").ClickAsync();

        // The list opens with its progress: every customer handed out, the two shares differ by one at most.
        await manager.WaitForURLAsync(u => System.Text.RegularExpressions.Regex.IsMatch(u, @"/calllists/\d+$"));
        await Expect(manager.GetByTestId("calllist-total")).ToHaveTextAsync($"0 of {expected} called");
        var zhaoShare = manager.Locator($"[data-testid=share][data-person='{zhaoId}']");
        var sunShare = manager.Locator($"[data-testid=share][data-person='{sunId}']");
        var a = int.Parse(await zhaoShare.GetByTestId("share-customers").InnerTextAsync());
        var b = int.Parse(await sunShare.GetByTestId("share-customers").InnerTextAsync());
        Assert.Equal(expected, a + b);
        Assert.True(Math.Abs(a - b) <= 1);
        var url = manager.Url;
        await manager.EvaluateAsync("() => window.__noReload = 'still-here'");

        // 赵敏 opens the list from her call lists and logs a call with a call back.
        var sales = await fx.Browser.SignInAsync(fx.BaseUrl, "sales1@demo.local");
        await sales.SetViewportSizeAsync(1366, 900);
        await sales.GotoAsync("/calllists");
        await Infrastructure.Browser.WaitInteractiveAsync(sales);
        await sales.GetByTestId("calllist-row").Filter(new() { HasText = "浏览器电话任务" }).GetByRole(AriaRole.Link).ClickAsync();
        var row = sales.GetByTestId("call-item").First;
        var customer = await row.GetByRole(AriaRole.Link).First.InnerTextAsync();
        await row.GetByTestId("log-call").ClickAsync();
        await sales.GetByTestId("outcome-dialog").GetByText("Call back").ClickAsync();
        await sales.GetByTestId("outcome-save").ClickAsync();
        await Expect(sales.GetByTestId("call-item").Filter(new() { HasText = customer }).GetByTestId("item-outcome")).ToHaveTextAsync("Call back");

        // The manager's progress moves without reloading.
        await Expect(zhaoShare.GetByTestId("share-called")).ToHaveTextAsync("1");
        await Expect(manager.GetByTestId("calllist-total")).ToHaveTextAsync($"1 of {expected} called");
        Assert.Equal("still-here", await manager.EvaluateAsync<string>("() => window.__noReload"));
        Assert.Equal(url, manager.Url);
        await Infrastructure.Browser.ScreenshotAsync(manager, "calllist-progress-en");
        await Infrastructure.Browser.ScreenshotAsync(sales, "calllist-work-en");

        // The call is on the customer's timeline, and the call back on her follow-ups.
        await sales.GetByTestId("call-item").Filter(new() { HasText = customer }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(sales.GetByTestId("timeline-entry").Filter(new() { HasText = "Call list · 浏览器电话任务" }).First).ToBeVisibleAsync();
        await sales.GotoAsync("/follow-ups");
        await Expect(sales.GetByText(customer).First).ToBeVisibleAsync();

        var zh = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local", "zh-Hans");
        await zh.SetViewportSizeAsync(1366, 900);
        await zh.GotoAsync("/calllists");
        await Infrastructure.Browser.WaitInteractiveAsync(zh);
        await Expect(zh.GetByTestId("calllist-row").First).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(zh, "calllists-zh");
        await zh.Context.CloseAsync();
        await sales.Context.CloseAsync();
        await manager.Context.CloseAsync();
    }
}
