using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>The key-customer list: open on one screen while a manager changes a weight on another, it re-ranks by itself.</summary>
[Collection(BrowserCollection.Name)]
public class KeyCustomerListPageTests(BrowserAppFixture fx)
{
    private static async Task<List<int>> ShownAsync(Microsoft.Playwright.IPage page, int n)
    {
        var ids = new List<int>();
        var rows = page.GetByTestId("key-row");
        var count = Math.Min(n, await rows.CountAsync());
        for (var i = 0; i < count; i++) ids.Add(int.Parse((await rows.Nth(i).GetAttributeAsync("data-account"))!));
        return ids;
    }

    [Fact]
    public async Task A_manager_sets_subscription_revenue_to_zero_and_the_open_key_customer_list_shows_the_new_scores_in_the_new_order_live()
    {
        var services = fx.App.Services;
        var watcher = await fx.Browser.SignInAsync(fx.BaseUrl, "service@demo.local");
        var manager = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        try
        {
            await watcher.GotoAsync("/key-customers");
            await Infrastructure.Browser.WaitInteractiveAsync(watcher);
            await Expect(watcher.GetByTestId("key-row").First).ToBeVisibleAsync();
            var before = await ShownAsync(watcher, 10);
            Assert.True(before.Count >= 3, "the demo has key customers");
            List<int> beforeScores;
            using (var scope = services.CreateScope())
                beforeScores = (await scope.ServiceProvider.GetRequiredService<KeyCustomerListing>().ListAsync(new KeyCustomerQuery(), 10)).Rows.Select(r => r.Score).ToList();
            await Infrastructure.Browser.ScreenshotAsync(watcher, "key-customer-list");

            await manager.GotoAsync("/key-customers/settings");
            await Infrastructure.Browser.WaitInteractiveAsync(manager);
            var points = Infrastructure.Browser.Input(manager.Locator("[data-testid=weight-row][data-input=SubscriptionRevenue]"), "weight-points");
            await points.FillAsync("0");
            await points.PressAsync("Tab");
            await KeyCustomerTests.SaveSettingsAndWaitForRecomputeAsync(manager);

            IReadOnlyList<KeyCustomerRow> after;
            using (var scope = services.CreateScope())
                after = (await scope.ServiceProvider.GetRequiredService<KeyCustomerListing>().ListAsync(new KeyCustomerQuery(), 10)).Rows;
            Assert.NotEqual(beforeScores, after.Select(r => r.Score).ToList());
            // The watcher did nothing: its list now shows the new scores in the new order (and no subscription lines).
            for (var i = 0; i < after.Count; i++)
            {
                await Expect(watcher.GetByTestId("key-row").Nth(i)).ToHaveAttributeAsync("data-account", after[i].AccountId.ToString());
                await Expect(watcher.GetByTestId("key-row").Nth(i).GetByTestId("key-score")).ToHaveTextAsync(after[i].Score.ToString());
            }
            await Expect(watcher.GetByTestId("key-line").Filter(new() { HasText = "Subscriptions (12 months)" })).ToHaveCountAsync(0);
        }
        finally
        {
            using var scope = services.CreateScope();
            var service = scope.ServiceProvider.GetRequiredService<KeyCustomerService>();
            var back = await service.SettingsAsync();
            back.Weights.Single(w => w.Input == ScoreInput.SubscriptionRevenue).PointsPerUnit = 1;
            await using (var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            {
                var u = await db.Users.SingleAsync(x => x.Email == "marketing@demo.local");
                Assert.True((await service.SaveSettingsAsync(back, new CrmWorkspace.Features.Staff.StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, true))).Ok);
            }
            await services.GetRequiredService<ScoreKeeper>().RecomputeAllAsync();
            await watcher.Context.CloseAsync();
            await manager.Context.CloseAsync();
        }
    }
}
