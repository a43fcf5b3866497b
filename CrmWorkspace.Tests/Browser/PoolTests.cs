using CrmWorkspace.Data;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class PoolTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task A_salesperson_claims_a_pooled_customer_and_it_leaves_a_colleagues_pool_at_once()
    {
        // The demo put a few of 王磊's idle customers into the marketing pool.
        var sun = await fx.Browser.SignInAsync(fx.BaseUrl, "sales2@demo.local");
        await sun.SetViewportSizeAsync(1366, 900);
        await sun.GotoAsync("/pool");
        await Infrastructure.Browser.WaitInteractiveAsync(sun);
        var zhao = await fx.Browser.SignInAsync(fx.BaseUrl, "sales1@demo.local", "zh-Hans");
        await zhao.SetViewportSizeAsync(1366, 900);
        await zhao.GotoAsync("/pool");
        await Infrastructure.Browser.WaitInteractiveAsync(zhao);
        await Expect(zhao.GetByTestId("pool-row").First).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(zhao, "pool-zh");

        var row = sun.GetByTestId("pool-row").First;
        var accountId = int.Parse((await row.GetAttributeAsync("data-account"))!);
        await row.GetByTestId("claim").ClickAsync();
        await Expect(sun.Locator($"[data-testid=pool-row][data-account='{accountId}']")).ToHaveCountAsync(0);
        // 赵敏's pool loses the row without reloading.
        await Expect(zhao.Locator($"[data-testid=pool-row][data-account='{accountId}']")).ToHaveCountAsync(0);
        await Infrastructure.Browser.ScreenshotAsync(sun, "pool-claimed-en");

        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var sunId = await db.Users.Where(u => u.Email == "sales2@demo.local").Select(u => u.Id).SingleAsync();
        Assert.Equal(sunId, await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerId).SingleAsync());

        // The claim is on the customer's timeline.
        await sun.GotoAsync($"/customers/{accountId}");
        await Expect(sun.GetByTestId("timeline-entry").Filter(new() { HasText = "Claimed from the pool" }).First).ToBeVisibleAsync();

        // 赵敏 reads it in Chinese, though 孙强 wrote it in English, and filtering the timeline by the words she sees finds it.
        await zhao.GotoAsync($"/customers/{accountId}");
        await Infrastructure.Browser.WaitInteractiveAsync(zhao);
        await zhao.GetByTestId("toggle-filters").ClickAsync();
        var search = zhao.GetByPlaceholder("搜索时间线");
        await search.FillAsync("从公海领取");
        await Expect(zhao.GetByTestId("timeline-entry")).ToHaveCountAsync(1);
        await Expect(zhao.GetByTestId("timeline-entry")).ToContainTextAsync("孙强从公海领取");
        await Infrastructure.Browser.ScreenshotAsync(zhao, "timeline-filter-line-zh");
        await search.FillAsync("从公海领取了两次");
        await Expect(zhao.GetByTestId("timeline-empty")).ToBeVisibleAsync();
        await zhao.Context.CloseAsync();
        await sun.Context.CloseAsync();
    }
}
