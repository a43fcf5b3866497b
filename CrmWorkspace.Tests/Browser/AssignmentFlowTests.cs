using CrmWorkspace.Data;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>Ownership as people meet it: a customer falls into the pool and is claimed, a hand-over with its reason, a manager's task arriving live.</summary>
[Collection(BrowserCollection.Name)]
public class AssignmentFlowTests(BrowserAppFixture fx)
{
    private async Task<CrmDbContext> DbAsync() => await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    private async Task<string> IdAsync(string email)
    {
        await using var db = await DbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private static async Task ChooseAsync(IPage page, string selectTestId, string text)
    {
        await page.GetByTestId(selectTestId).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = text }).First.ClickAsync();
    }

    [Fact]
    public async Task A_customer_falls_into_the_pool_while_a_colleague_watches_and_she_claims_it()
    {
        var wang = await IdAsync("marketing@demo.local");
        var zhao = await IdAsync("sales1@demo.local");
        int accountId;
        await using (var db = await DbAsync())
            accountId = await db.Accounts.Where(a => a.OwnerId == wang && a.ParentId == null && !db.PoolEntries.Any(p => p.AccountId == a.Id)).OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "sales1@demo.local");
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync("/pool");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var row = page.Locator($"[data-testid=pool-row][data-account='{accountId}']");
        await Expect(row).ToHaveCountAsync(0);

        // The night's sweep moves it (the same path the sweep takes): 赵敏's open pool shows it without a reload.
        await fx.App.Services.GetRequiredService<PoolService>().ReturnAsync([accountId], CrmWorkspace.Domain.LocalLine.Of<TeamsText>("Back to the pool: no entry by its owner for {0} days", 30), DateTimeOffset.UtcNow);
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByTestId("claim").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await using (var db = await DbAsync())
            Assert.Equal(zhao, await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerId).SingleAsync());
        await page.GotoAsync($"/customers/{accountId}");
        await Expect(page.GetByTestId("customer-owner")).ToHaveTextAsync("赵敏");
        await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "Back to the pool" }).First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_owner_hands_a_customer_over_with_a_reason_and_the_page_and_timeline_show_it_at_once()
    {
        var zhao = await IdAsync("sales1@demo.local");
        var sun = await IdAsync("sales2@demo.local");
        int accountId;
        await using (var db = await DbAsync())
        {
            // Other browser tests share this app and may have pooled or handed over 赵敏's customers: make one hers for this test.
            accountId = await db.Accounts.Where(a => a.ParentId == null && !a.IsDeleted && a.MergedIntoId == null && a.Status != CrmWorkspace.Domain.AccountStatus.Restricted
                    && !db.PoolEntries.Any(p => p.AccountId == a.Id))
                .OrderBy(a => a.OwnerId == zhao ? 0 : 1).ThenBy(a => a.Id).Select(a => a.Id).FirstAsync();
            await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(u => u.SetProperty(a => a.OwnerId, zhao));
        }

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "sales1@demo.local");
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync($"/customers/{accountId}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("customer-owner")).ToHaveTextAsync("赵敏");
        await page.GetByTestId("hand-over").ClickAsync();
        await ChooseAsync(page, "hand-over-to", "孙强");
        // No reason: told in the dialog, nothing changes.
        await page.GetByTestId("hand-over-save").ClickAsync();
        await Expect(page.GetByTestId("hand-over-dialog")).ToContainTextAsync("Say why the customer is handed over.");
        await Infrastructure.Browser.Input(page, "hand-over-reason").FillAsync("孙强负责成都区域的白酒客户");
        await Expect(page.GetByTestId("hand-over-dialog")).Not.ToContainTextAsync("Say why the customer is handed over.");
        await Infrastructure.Browser.ScreenshotAsync(page, "hand-over-dialog-en");
        await page.GetByTestId("hand-over-save").ClickAsync();
        await Expect(page.GetByTestId("hand-over-dialog")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("customer-owner")).ToHaveTextAsync("孙强");
        await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "Handed over to 孙强: 孙强负责成都区域的白酒客户" })).ToHaveCountAsync(1);
        // Not hers any more: the button is gone for her (she is no manager).
        await Expect(page.GetByTestId("hand-over")).ToHaveCountAsync(0);
        await using (var db = await DbAsync())
            Assert.Equal(sun, await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerId).SingleAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_managers_task_appears_on_the_persons_start_page_live_and_done_shows_on_the_managers_list()
    {
        var title = $"浏览器任务：回访宜宾酒厂 {Guid.NewGuid().ToString("N")[..4]}";
        var sun = await fx.Browser.SignInAsync(fx.BaseUrl, "sales2@demo.local", "zh-Hans");
        await sun.SetViewportSizeAsync(1366, 900);
        await sun.GotoAsync("/");
        await Infrastructure.Browser.WaitInteractiveAsync(sun);
        var mine = sun.GetByTestId("my-task").Filter(new() { HasText = title });
        await Expect(mine).ToHaveCountAsync(0);

        var manager = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await manager.SetViewportSizeAsync(1366, 900);
        await manager.GotoAsync("/teams/tasks");
        await Infrastructure.Browser.WaitInteractiveAsync(manager);
        await Expect(manager.GetByTestId("neglect-alerts")).ToBeVisibleAsync();
        await manager.GetByTestId("new-task").ClickAsync();
        await ChooseAsync(manager, "task-assignee", "孙强");
        await Infrastructure.Browser.Input(manager, "task-title").FillAsync(title);
        await manager.GetByTestId("task-save").ClickAsync();
        await Expect(manager.GetByTestId("task-dialog")).ToHaveCountAsync(0);
        var listed = manager.GetByTestId("team-task").Filter(new() { HasText = title });
        await Expect(listed).ToHaveCountAsync(1);
        await Infrastructure.Browser.ScreenshotAsync(manager, "team-tasks-en");

        // 孙强's start page shows it without a reload, due in three days (the form's default), in Chinese.
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine).ToContainTextAsync("王磊");
        await Infrastructure.Browser.ScreenshotAsync(sun, "my-tasks-zh");
        await mine.GetByTestId("my-task-done").ClickAsync();
        await Expect(mine).ToHaveCountAsync(0);
        // The manager's list marks it done, live.
        await Expect(listed.GetByTestId("task-state-done")).ToBeVisibleAsync();
        await sun.Context.CloseAsync();
        await manager.Context.CloseAsync();
    }

    [Fact]
    public async Task A_manager_maps_a_city_to_an_owner_and_a_new_customer_there_is_theirs()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local", "zh-Hans");
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync("/teams/territories");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("territory-row").Filter(new() { HasText = "四川" }).First).ToBeVisibleAsync();
        await Infrastructure.Browser.Input(page, "territory-province").FillAsync("江苏");
        await Infrastructure.Browser.Input(page, "territory-city").FillAsync("宿迁");
        await ChooseAsync(page, "territory-owner", "孙强");
        await page.GetByTestId("territory-save").ClickAsync();
        await Expect(page.GetByTestId("territory-row").Filter(new() { HasText = "宿迁" })).ToContainTextAsync("孙强");
        await Infrastructure.Browser.ScreenshotAsync(page, "territories-zh");

        // A new customer in 宿迁 without an owner: the form says whose it will be, and it is.
        await page.GotoAsync("/customers/new");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var name = $"宿迁区域浏览器测试{Guid.NewGuid().ToString("N")[..4]}酒业有限公司";
        await Infrastructure.Browser.Input(page, "account-name").FillAsync(name);
        await Infrastructure.Browser.Input(page, "account-province").FillAsync("江苏");
        await Infrastructure.Browser.Input(page, "account-city").FillAsync("宿迁");
        await Infrastructure.Browser.Input(page, "account-city").BlurAsync();
        await Expect(page.GetByTestId("territory-hint")).ToContainTextAsync("孙强");
        await page.GetByTestId("save-account").ClickAsync();
        await page.WaitForURLAsync(u => System.Text.RegularExpressions.Regex.IsMatch(u, @"/customers/\d+$"));
        await Expect(page.GetByTestId("customer-owner")).ToHaveTextAsync("孙强");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_key_customer_worked_by_its_owner_leaves_the_managers_alerts_without_a_reload()
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        // A key customer of 赵敏's entered five years ago and never worked: the first of the team's untouched key customers.
        int key, ordinary;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().BeginAsync(manager.Id))
        {
            var a = new CrmWorkspace.Domain.Account { Name = "浏览器预警重点客户酒业有限公司", Province = "四川", City = "宜宾", OwnerId = zhao.Id,
                Status = CrmWorkspace.Domain.AccountStatus.Active, CreatedAt = DateTimeOffset.UtcNow.AddYears(-5) };
            var c = new CrmWorkspace.Domain.Account { Name = "浏览器预警普通客户酒业有限公司", Province = "四川", City = "宜宾", OwnerId = zhao.Id,
                Status = CrmWorkspace.Domain.AccountStatus.Active, Tier = CrmWorkspace.Domain.AccountTier.C };
            db.Accounts.AddRange(a, c);
            await db.SaveChangesAsync();
            (key, ordinary) = (a.Id, c.Id);
        }
        using (var s = fx.App.Services.CreateScope())
            Assert.True((await s.ServiceProvider.GetRequiredService<CrmWorkspace.Features.KeyCustomers.KeyCustomerService>()
                .PinAsync(key, CrmWorkspace.Domain.AccountTier.A, "战略客户", manager)).Ok);

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync("/teams/tasks");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var row = page.Locator($"[data-testid=neglect-alert][data-account='{key}']");
        await Expect(row).ToHaveCountAsync(1);
        var count = page.GetByTestId("neglect-alerts").GetByTestId("alert-count");
        var before = int.Parse(await count.InnerTextAsync());

        // 赵敏 calls an ordinary customer of hers (nothing on the list moves), then the key customer: its alert goes, the count drops.
        async Task Call(int account, string subject)
        {
            using var s = fx.App.Services.CreateScope();
            var r = await s.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Timeline.TimelineService>().LogAsync(account,
                new CrmWorkspace.Features.Timeline.ActivityInput { Kind = CrmWorkspace.Domain.ActivityKind.Call, Subject = subject }, zhao);
            Assert.True(r.Ok, r.Problem);
        }
        await Call(ordinary, "例行回访");
        await Call(key, "重点客户回访：今年计划");
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(count).ToHaveTextAsync((before - 1).ToString());
        await page.Context.CloseAsync();
    }
}
