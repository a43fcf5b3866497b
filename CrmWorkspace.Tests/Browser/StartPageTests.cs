using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class StartPageTests(BrowserAppFixture fx)
{
    [Theory]
    [InlineData("marketing@demo.local", "王磊", "en")]
    [InlineData("circulation@demo.local", "李娜", "zh-Hans")]
    [InlineData("fair@demo.local", "张伟", "en")]
    [InlineData("news@demo.local", "刘洋", "zh-Hans")]
    [InlineData("service@demo.local", "陈静", "en")]
    public async Task Each_team_lands_on_its_own_day_due_follow_ups_colleagues_work_on_its_customers_and_the_live_panel(string email, string name, string culture)
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, email);
        if (culture != "en")
        {
            await page.GotoAsync($"/culture/set?culture={culture}&returnUrl=/");
            await Infrastructure.Browser.WaitInteractiveAsync(page);
        }
        Assert.EndsWith("/", page.Url);
        await Expect(page.GetByTestId("start-greeting")).ToContainTextAsync(name);

        // My follow-ups: some due today (amber), the count in the summary agrees.
        var followUps = page.GetByTestId("start-followups");
        await Expect(followUps.GetByTestId("followup-row").First).ToBeVisibleAsync();
        Assert.True(await followUps.GetByTestId("followup-row").CountAsync() >= 5);
        var todayLabel = DateTime.Today.ToString("d", System.Globalization.CultureInfo.GetCultureInfo(culture));
        Assert.True(await followUps.GetByTestId("due").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(todayLabel)}\\s*$") }).CountAsync() >= 2, $"due today ({todayLabel})");
        await Expect(page.GetByTestId("due-today-count")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[2-9]|\\d\\d"));

        // Colleagues' recent work on my customers, by someone else.
        var work = page.GetByTestId("colleague-work");
        await Expect(work.First).ToBeVisibleAsync();
        Assert.True(await work.CountAsync() >= 2);
        Assert.All(await work.Locator(".crm-person").AllInnerTextsAsync(), who => Assert.NotEqual(name, who));

        // The live panel shows the newest entries of the workspace.
        await Expect(page.GetByTestId("start-live").GetByTestId("live-item").First).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, $"start-{email.Split('@')[0]}-{culture}");
        // The language choice is saved on the person: put it back, so later tests of the same user start in English.
        if (culture != "en") await page.GotoAsync("/culture/set?culture=en&returnUrl=/");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Colleagues_work_on_my_customer_and_a_follow_up_they_give_me_reach_my_start_page_without_a_reload()
    {
        var owner = await fx.StaffAsync("fair@demo.local");
        var colleague = await fx.StaffAsync("news@demo.local");
        int account;
        using (var s = fx.App.Services.CreateScope())
            account = (await s.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(
                new AccountInput { Name = "浏览器同事动态测试酒业有限公司", OwnerId = owner.Id }, owner)).Id!.Value;
        async Task Log(string subject, StaffIdentity who, int hoursAgo = 0, string? followUpFor = null)
        {
            using var s = fx.App.Services.CreateScope();
            var r = await s.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(account, new ActivityInput
            {
                Kind = ActivityKind.Visit, Subject = subject, OccurredAt = DateTimeOffset.UtcNow.AddHours(-hoursAgo),
                FollowUpOn = followUpFor is null ? null : DateTime.Today, FollowUpAssigneeId = followUpFor,
            }, who);
            Assert.True(r.Ok, r.Problem);
        }
        await Log("同事第一次拜访", colleague);

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");
        var row = page.GetByTestId("colleague-work").Filter(new() { HasText = "浏览器同事动态测试酒业有限公司" });
        await Expect(row).ToContainTextAsync("同事第一次拜访");
        await Expect(row.Locator(".crm-pill")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => window.__noReload = 'still-here'");

        // A colleague's new visit becomes the row's newest entry and is counted; the customer is the newest on the list.
        await Log("同事第二次拜访", colleague);
        await Expect(row).ToContainTextAsync("同事第二次拜访", new() { Timeout = 10_000 });
        await Expect(row).ToContainTextAsync("2 entries");
        await Expect(page.GetByTestId("colleague-work").First).ToContainTextAsync("浏览器同事动态测试酒业有限公司");
        // One logged now for a visit two days ago is counted but is not the newest; my own work is not a colleague's.
        await Log("同事补记两天前的拜访", colleague, hoursAgo: 48);
        await Expect(row).ToContainTextAsync("3 entries", new() { Timeout = 10_000 });
        await Expect(row).ToContainTextAsync("同事第二次拜访");
        await Log("我自己的拜访", owner);
        // A follow-up the colleague gives me reaches my list and the count of what is due today.
        var dueBefore = await page.GetByTestId("due-today-count").InnerTextAsync();
        await Log("同事请我今天回电", colleague, followUpFor: owner.Id);
        await Expect(page.GetByTestId("start-followups").GetByTestId("followup-row").Filter(new() { HasText = "同事请我今天回电" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("due-today-count")).Not.ToHaveTextAsync(dueBefore);
        await Expect(row).ToContainTextAsync("4 entries");
        await Expect(row).ToContainTextAsync("同事请我今天回电");
        Assert.DoesNotContain("我自己的拜访", await row.InnerTextAsync());
        Assert.Equal("still-here", await page.EvaluateAsync<string>("() => window.__noReload"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_line_the_software_wrote_in_english_reads_in_chinese_on_a_chinese_readers_live_panel_live_and_after_a_reload()
    {
        var writer = await fx.StaffAsync("marketing@demo.local");
        int account;
        using (var s = fx.App.Services.CreateScope())
            account = (await s.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(
                new AccountInput { Name = "浏览器实时面板语言测试酒业有限公司", OwnerId = writer.Id }, writer)).Id!.Value;
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local", "zh-Hans");
        var panel = page.GetByTestId("start-live");
        await Expect(panel.GetByTestId("live-item").First).ToBeVisibleAsync();

        // The writer works in English: the deal's note is saved with their reading as its subject.
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        try
        {
            using var s = fx.App.Services.CreateScope();
            var r = await s.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Advertising.PipelineService>().CreateAsync(
                new CrmWorkspace.Features.Advertising.OpportunityInput { AccountId = account, Title = "实时面板封面", ExpectedValue = 60_000 }, writer);
            Assert.True(r.Ok, r.Problem);
            // A task about the customer: its line says what happened, so the panel puts no "Task" label before it.
            var reader = await fx.StaffAsync("news@demo.local");
            var t = await s.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Teams.TaskService>().AssignAsync(
                new CrmWorkspace.Features.Teams.TaskInput { AssigneeId = reader.Id, AccountId = account, Title = "面板任务回访", DueOn = DateTime.Today.AddDays(3) }, writer);
            Assert.True(t.Ok, t.Problem);
        }
        finally { System.Globalization.CultureInfo.CurrentUICulture = culture; }

        // Live: the event names what happened in the reader's words. After a reload: the deal's note, drawn from its line.
        var items = panel.GetByTestId("live-item").Filter(new() { HasText = "浏览器实时面板语言测试酒业有限公司" });
        var deal = items.Filter(new() { HasText = "实时面板封面" });
        await Expect(deal).ToContainTextAsync("新建商机 实时面板封面", new() { Timeout = 10_000 });
        await page.ReloadAsync();
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(deal).ToContainTextAsync("新建广告商机：实时面板封面 · 60,000");
        var task = items.Filter(new() { HasText = "面板任务回访" });
        await Expect(task).ToContainTextAsync("给刘洋的任务");
        Assert.DoesNotContain("任务 给", await task.InnerTextAsync());
        Assert.All(await items.AllInnerTextsAsync(), t => Assert.DoesNotMatch("[A-Za-z]{4,}", t.Replace("demo", "")));
        await page.Context.CloseAsync();
    }
}
