using CrmWorkspace.Tests.Infrastructure;
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
}
