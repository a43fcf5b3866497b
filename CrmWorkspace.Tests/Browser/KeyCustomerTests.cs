using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class KeyCustomerTests(BrowserAppFixture fx)
{
    /// <summary>Clicks "Save and recompute" and waits for the recompute this save started (the page may still show an earlier one's end).</summary>
    internal static async Task SaveSettingsAndWaitForRecomputeAsync(Microsoft.Playwright.IPage page)
    {
        var done = page.GetByTestId("recompute-done");
        var earlier = await done.CountAsync() > 0 ? await done.GetAttributeAsync("data-finished") : null;
        await page.GetByTestId("settings-save").ClickAsync();
        await Expect(done).ToContainTextAsync("recomputed");
        if (earlier is not null) await Expect(done).Not.ToHaveAttributeAsync("data-finished", earlier);
    }

    private async Task<StaffIdentityFor> ManagerAsync()
    {
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == "marketing@demo.local");
        return new StaffIdentityFor(new CrmWorkspace.Features.Staff.StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, true));
    }

    private sealed record StaffIdentityFor(CrmWorkspace.Features.Staff.StaffIdentity Identity);

    [Fact]
    public async Task A_manager_doubles_a_weight_and_the_customer_page_shows_the_recomputed_breakdown_while_a_member_can_only_read()
    {
        var services = fx.App.Services;
        // A demo head office with subscription revenue in its breakdown.
        int accountId;
        decimal revenue;
        await using (var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var scores = await db.CustomerScores.AsNoTracking().ToListAsync();
            var pick = scores.Select(s => (s.AccountId, Line: ScoreRules.Deserialize(s.Breakdown).FirstOrDefault(l => l.Input == ScoreInput.SubscriptionRevenue)))
                .Where(x => x.Line is { Amount: > 2_000 and < 10_000 }).OrderBy(x => x.AccountId).First();
            (accountId, revenue) = (pick.AccountId, pick.Line!.Amount);
        }
        var member = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");
        await member.GotoAsync("/key-customers/settings");
        await Infrastructure.Browser.WaitInteractiveAsync(member);
        await Expect(member.GetByTestId("settings-readonly")).ToBeVisibleAsync();
        await Expect(member.GetByTestId("settings-save")).ToBeDisabledAsync();
        await member.Context.CloseAsync();

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        try
        {
            await page.GotoAsync($"/customers/{accountId}");
            await Infrastructure.Browser.WaitInteractiveAsync(page);
            var line = page.GetByTestId("score-line").Filter(new() { HasText = "Subscriptions (12 months)" });
            var once = (int)Math.Round(revenue / 1000m, MidpointRounding.AwayFromZero);
            await Expect(line).ToHaveTextAsync($"Subscriptions (12 months) ¥{revenue:N0}: +{once}");
            await Expect(page.GetByTestId("score-trend")).ToBeVisibleAsync();
            await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-score-panel");

            await page.GotoAsync("/key-customers/settings");
            await Infrastructure.Browser.WaitInteractiveAsync(page);
            var row = page.Locator("[data-testid=weight-row][data-input=SubscriptionRevenue]");
            var points = Infrastructure.Browser.Input(row, "weight-points");
            await points.FillAsync("2");
            await points.PressAsync("Tab");
            await KeyCustomerTests.SaveSettingsAndWaitForRecomputeAsync(page);
            await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-settings");

            await page.GotoAsync($"/customers/{accountId}");
            await Infrastructure.Browser.WaitInteractiveAsync(page);
            await Expect(line).ToHaveTextAsync($"Subscriptions (12 months) ¥{revenue:N0}: +{Math.Min(30, (int)Math.Round(revenue * 2 / 1000m, MidpointRounding.AwayFromZero))}");
        }
        finally
        {
            using var scope = services.CreateScope();
            var service = scope.ServiceProvider.GetRequiredService<KeyCustomerService>();
            var back = await service.SettingsAsync();
            back.Weights.Single(w => w.Input == ScoreInput.SubscriptionRevenue).PointsPerUnit = 1;
            Assert.True((await service.SaveSettingsAsync(back, (await ManagerAsync()).Identity)).Ok);
            await services.GetRequiredService<ScoreKeeper>().RecomputeAllAsync();
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_settings_page_and_the_score_panel_read_in_Chinese()
    {
        int accountId;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            accountId = await db.CustomerScores.OrderByDescending(s => s.Score).Select(s => s.AccountId).FirstAsync();
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local", "zh");
        await page.GotoAsync("/key-customers/settings");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("weights-table")).ToContainTextAsync("订阅（近12个月）");
        await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-settings-zh");
        await page.GotoAsync($"/customers/{accountId}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("score-breakdown")).ToContainTextAsync("：+");
        await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-score-panel-zh");
        await page.Context.CloseAsync();
    }
}

[Collection(BrowserCollection.Name)]
public class KeyCustomerListFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task The_demos_declining_customer_is_on_the_changes_list_and_one_click_plans_a_follow_up_for_its_owner()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.GotoAsync("/key-customers");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = "Value that changes" }).ClickAsync();
        // The demo's story: a renewal declined "预算削减，今年改订电子版".
        var row = page.GetByTestId("change-row").Filter(new() { HasText = "预算削减，今年改订电子版" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("change-delta")).ToContainTextAsync("−");
        var accountId = int.Parse((await row.GetAttributeAsync("data-account"))!);
        await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-changes");
        await row.GetByTestId("care-encourage").ClickAsync();
        await Expect(row.GetByTestId("followup-planned")).ToContainTextAsync("Encourage planned for");

        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var owner = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerId).FirstAsync();
        var entry = await db.Activities.Where(a => a.AccountId == accountId && a.Subject.StartsWith("Encourage the customer")).SingleAsync();
        Assert.Equal((owner, DateOnly.FromDateTime(DateTime.Today.AddDays(1))), (entry.FollowUpAssigneeId, entry.FollowUpOn!.Value));
        await page.GotoAsync($"/customers/{accountId}");
        await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "Encourage the customer" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_demos_complaint_is_closed_from_the_problem_list_with_what_was_done()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "service@demo.local");
        await page.GotoAsync("/key-customers");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = "Problem customers" }).ClickAsync();
        var row = page.GetByTestId("problem-row").Filter(new() { HasText = "连续两期杂志没有收到" });
        await Expect(row).ToHaveCountAsync(1);
        var key = (await row.GetAttributeAsync("data-key"))!;
        await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-problems");
        await row.GetByTestId("close-problem").ClickAsync();
        await row.GetByTestId("close-save").ClickAsync();
        await Expect(row.GetByText("Say what was done.")).ToBeVisibleAsync();
        await Infrastructure.Browser.Input(row, "close-what").FillAsync("补寄两期杂志并致电道歉，客户接受");
        await row.GetByTestId("close-save").ClickAsync();
        await Expect(page.Locator($"[data-testid=problem-row][data-key='{key}']")).ToHaveCountAsync(0);

        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var closure = await db.ProblemClosures.SingleAsync(p => p.Key == key);
        var entry = await db.Activities.SingleAsync(a => a.Id == closure.ActivityId);
        Assert.Equal("补寄两期杂志并致电道歉，客户接受", entry.Subject);
        Assert.NotNull((await db.Activities.SingleAsync(a => a.Id == long.Parse(key.Split(':')[1]))).FollowUpDoneAt);
        await page.Context.CloseAsync();
    }
}

[Collection(BrowserCollection.Name)]
public class CareFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task The_demos_birthday_next_week_is_on_the_care_calendar_and_the_owners_follow_ups_until_a_greeting_is_logged()
    {
        string contactName, ownerEmail, accountName;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var day = DateOnly.FromDateTime(DateTime.Today.AddDays(6));
            var c = await db.Contacts.Where(x => x.IsKeyContact && x.Birthday != null && x.Birthday.Value.Month == day.Month && x.Birthday.Value.Day == day.Day)
                .Select(x => new { x.Name, x.Account!.OwnerId, Account = x.Account.Name, x.Account.Tier }).FirstAsync();
            Assert.True(c.Tier <= AccountTier.B, "the demo's birthday is at a key customer");
            (contactName, accountName) = (c.Name, c.Account);
            ownerEmail = await db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.Email!).SingleAsync();
        }
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, ownerEmail);
        await page.GotoAsync("/key-customers");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = "Care calendar" }).ClickAsync();
        if (DateTime.Today.AddDays(6).Month != DateTime.Today.Month) await page.GetByTestId("care-next").ClickAsync();
        var calendarRow = page.GetByTestId("care-row").Filter(new() { HasText = $"{contactName}'s birthday" });
        await Expect(calendarRow).ToContainTextAsync(accountName);
        await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-care-calendar");

        await page.GotoAsync("/follow-ups");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var reminder = page.GetByTestId("care-reminder").Filter(new() { HasText = contactName });
        await Expect(reminder).ToHaveCountAsync(1);
        await Infrastructure.Browser.ScreenshotAsync(page, "key-customer-care-reminder");
        await reminder.GetByTestId("greet").ClickAsync();
        await Expect(Infrastructure.Browser.Input(reminder, "greet-what")).ToHaveValueAsync($"Birthday wishes to {contactName}");
        await reminder.GetByTestId("greet-save").ClickAsync();
        await Expect(page.GetByTestId("care-reminder").Filter(new() { HasText = contactName })).ToHaveCountAsync(0);

        await using var check = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        Assert.True(await check.Activities.AnyAsync(a => a.Subject == $"Birthday wishes to {contactName}" && a.Outcome == "Care greeting"));
        await page.Context.CloseAsync();
    }
}
