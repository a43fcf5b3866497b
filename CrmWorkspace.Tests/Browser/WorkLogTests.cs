using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class WorkLogTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task The_managers_team_day_updates_live_while_a_salesperson_works_and_the_comment_reaches_her_live()
    {
        var zhao = await fx.StaffAsync("sales1@demo.local");
        int accountId;
        string accountName;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var a = await db.Accounts.Where(x => x.ParentId == null).OrderBy(x => x.Id).Skip(11).Select(x => new { x.Id, x.Name }).FirstAsync();
            (accountId, accountName) = (a.Id, a.Name);
        }

        // 王磊 (manager) opens the work log: it shows his team's day, 赵敏 among the people.
        var manager = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await manager.SetViewportSizeAsync(1366, 900);
        await manager.GotoAsync("/worklog");
        await Infrastructure.Browser.WaitInteractiveAsync(manager);
        var zhaoLine = manager.Locator($"[data-testid=worklog-person][data-person='{zhao.Id}']");
        await Expect(zhaoLine).ToBeVisibleAsync();
        var before = int.Parse(await zhaoLine.GetByTestId("person-activities").InnerTextAsync());
        var total = int.Parse((await manager.GetByTestId("worklog-activities").InnerTextAsync()).Split(' ')[0]);
        await manager.EvaluateAsync("() => window.__noReload = 'still-here'");

        // 赵敏, in her own browser, opens her work log and writes her day's summary.
        var sales = await fx.Browser.SignInAsync(fx.BaseUrl, "sales1@demo.local");
        await sales.SetViewportSizeAsync(1366, 900);
        await sales.GotoAsync("/worklog");
        await Infrastructure.Browser.WaitInteractiveAsync(sales);
        await Expect(sales.GetByTestId("worklog-whose")).ToContainTextAsync("My work");

        // She logs a call on a customer (as the customer page's composer does): the manager's day counts it at once.
        using (var scope = fx.App.Services.CreateScope())
        {
            var r = await scope.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(accountId,
                new ActivityInput { Kind = ActivityKind.Call, Subject = "浏览器工作日志：电话报价", Outcome = "有意向" }, zhao);
            Assert.True(r.Ok, r.Problem);
        }
        await Expect(zhaoLine.GetByTestId("person-activities")).ToHaveTextAsync((before + 1).ToString());
        await Expect(manager.GetByTestId("worklog-activities")).ToHaveTextAsync($"{total + 1} activities");
        var entry = manager.GetByTestId("worklog-entry").Filter(new() { HasText = "浏览器工作日志：电话报价" });
        await Expect(entry).ToContainTextAsync(accountName);
        await Expect(entry).ToContainTextAsync(zhao.Name);
        // Her own page counted it too.
        await Expect(sales.GetByTestId("worklog-entry").Filter(new() { HasText = "浏览器工作日志：电话报价" })).ToBeVisibleAsync();

        await Infrastructure.Browser.Input(sales, "summary-text").FillAsync("今天电话报价一家，明天跟进合同。");
        await sales.GetByTestId("summary-save").ClickAsync();
        await Expect(sales.GetByTestId("summary").Filter(new() { HasText = "今天电话报价一家" })).ToBeVisibleAsync();

        // The manager sees the summary appear without reloading and comments on it.
        var summary = manager.Locator($"[data-testid=summary][data-author='{zhao.Id}']").Filter(new() { HasText = "今天电话报价一家" });
        await Expect(summary).ToBeVisibleAsync();
        await Infrastructure.Browser.Input(summary, "comment-text").FillAsync("好，合同模板找法务确认。");
        await summary.GetByTestId("comment-save").ClickAsync();
        await Expect(summary.GetByTestId("summary-comment")).ToContainTextAsync("好，合同模板找法务确认。");
        Assert.Equal("still-here", await manager.EvaluateAsync<string>("() => window.__noReload"));

        // 赵敏 reads the comment live on her page.
        await Expect(sales.GetByTestId("summary-comment")).ToContainTextAsync("好，合同模板找法务确认。");
        await Infrastructure.Browser.ScreenshotAsync(manager, "worklog-team-en");
        await Infrastructure.Browser.ScreenshotAsync(sales, "worklog-mine-en");

        // The PDF and the Excel export download from the page.
        var pdf = await manager.RunAndWaitForDownloadAsync(() => manager.GetByTestId("worklog-pdf").ClickAsync(), new() { Timeout = 120_000 });
        Assert.Matches(@"^worklog-day-\d{4}-\d{2}-\d{2}\.pdf$", pdf.SuggestedFilename);
        var xlsx = await manager.RunAndWaitForDownloadAsync(() => manager.GetByTestId("worklog-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename);

        // The week view, in Chinese.
        var zh = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local", "zh-Hans");
        await zh.SetViewportSizeAsync(1366, 900);
        await zh.GotoAsync("/worklog");
        await Infrastructure.Browser.WaitInteractiveAsync(zh);
        await zh.GetByTestId("worklog-week").ClickAsync();
        await Expect(zh.GetByTestId("worklog-activities")).ToContainTextAsync("条活动");
        await Infrastructure.Browser.ScreenshotAsync(zh, "worklog-week-zh");

        // A member may not read the team's log, even by typing the address.
        var refused = await sales.APIRequest.GetAsync($"/worklog/export.xlsx?team={zhao.TeamId}");
        Assert.Equal(403, refused.Status);

        await zh.Context.CloseAsync();
        await sales.Context.CloseAsync();
        await manager.Context.CloseAsync();
    }
}
