using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>A restricted customer: the salesperson is told a manager must do it; the manager gives a reason, which goes on the timeline.</summary>
[Collection(BrowserCollection.Name)]
public class RestrictedCustomerFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task Subscribing_a_restricted_customer_warns_a_salesperson_off_and_asks_a_manager_for_the_reason_written_on_the_timeline()
    {
        int id;
        var dbs = fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using (var db = await dbs.BeginAsync(Actors.SystemId))
        {
            var a = new Account { Name = "浏览器受限客户测试贸易有限公司", Province = "广东", City = "佛山", Status = AccountStatus.Restricted };
            db.Accounts.Add(a);
            await db.SaveChangesAsync();
            id = a.Id;
        }

        var sales = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");
        await sales.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(sales);
        await sales.GetByTestId("new-subscription").ClickAsync();
        await sales.GetByTestId("subscribe-save").ClickAsync();
        await Expect(sales.GetByTestId("restriction-warning")).ToContainTextAsync("Only a manager can override the restriction for a subscription");
        await Expect(sales.GetByTestId("restriction-override")).ToHaveCountAsync(0);
        await Infrastructure.Browser.ScreenshotAsync(sales, "restricted-customer-sales");
        await sales.GetByTestId("restriction-cancel").ClickAsync();
        await sales.Context.CloseAsync();

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        try
        {
            await page.GotoAsync($"/customers/{id}");
            await Infrastructure.Browser.WaitInteractiveAsync(page);
            await page.GetByTestId("new-subscription").ClickAsync();
            await page.GetByTestId("subscribe-save").ClickAsync();
            await Expect(page.GetByTestId("restriction-warning")).ToContainTextAsync("needs your override as a manager");
            await page.GetByTestId("restriction-override").ClickAsync();
            await Expect(page.GetByText("Say why you override the restriction.")).ToBeVisibleAsync();
            await Infrastructure.Browser.Input(page, "restriction-reason").FillAsync("总经理批准：欠款已结清，恢复订阅");
            await Infrastructure.Browser.ScreenshotAsync(page, "restricted-customer-manager");
            await page.GetByTestId("restriction-override").ClickAsync();
            await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "总经理批准：欠款已结清，恢复订阅" })).ToBeVisibleAsync();

            await using var check = await dbs.CreateDbContextAsync();
            Assert.Equal(1, await check.Subscriptions.CountAsync(s => s.AccountId == id));
            var entry = await check.Activities.SingleAsync(a => a.AccountId == id && a.SystemEvent == "restriction.overridden");
            Assert.Equal(await check.Users.Where(u => u.Email == "marketing@demo.local").Select(u => u.Id).SingleAsync(), entry.AuthorId);
        }
        finally { await page.Context.CloseAsync(); }
    }
}
