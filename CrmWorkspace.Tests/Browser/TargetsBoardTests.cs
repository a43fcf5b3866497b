using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>
/// 王磊 (manager) sets 李娜's renewals target for this month in the targets grid, by keyboard; the board shows it to him and to
/// her. She renews a subscription at the desk, and the renewals figure on both boards moves at once, without a reload.
/// </summary>
[Collection(BrowserCollection.Name)]
public class TargetsBoardTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task A_manager_sets_a_target_and_the_boards_actual_moves_live_when_the_salesperson_renews()
    {
        var dbs = fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        string liId, liName;
        int subscriptionId;
        Guid version;
        await using (var db = await dbs.CreateDbContextAsync())
        {
            var li = await db.Users.SingleAsync(u => u.Email == "circulation@demo.local");
            (liId, liName) = (li.Id, li.DisplayName);
            var sub = await db.Subscriptions.Where(s => s.RenewedById == null && s.CancelledAt == null).OrderByDescending(s => s.Id).Skip(7)
                .Select(s => new { s.Id, s.Version }).FirstAsync();
            (subscriptionId, version) = (sub.Id, sub.Version);
        }
        var month = PeriodKey.Of(TargetPeriod.Month, WorkLogService.Today);
        var target = 17 + Random.Shared.Next(0, 50);

        // 王磊 opens the targets grid, types 李娜's renewals target and saves with Ctrl+S.
        var manager = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await manager.SetViewportSizeAsync(1366, 900);
        await manager.GotoAsync($"/targets?period={month.Code}");
        await Infrastructure.Browser.WaitInteractiveAsync(manager);
        var cell = manager.Locator($"[data-testid=target-cell][data-holder='person:{liId}'][data-measure=Renewals]");
        await Expect(cell).ToBeVisibleAsync();
        await cell.FillAsync("2.5");
        await cell.PressAsync("Enter");
        // A count cannot be a fraction: the cell says so and the save button waits.
        await Expect(manager.GetByTestId("target-cell-error")).ToBeVisibleAsync();
        await Expect(manager.GetByTestId("targets-save")).ToBeDisabledAsync();
        await cell.FillAsync(target.ToString());
        await cell.PressAsync("Enter");
        // Enter moved to the next person's cell in the same column.
        await Expect(manager.Locator("input.targets-cell:focus")).ToHaveAttributeAsync("data-measure", "Renewals");
        await Expect(manager.GetByTestId("targets-pending")).ToContainTextAsync("1 unsaved");
        await Infrastructure.Browser.ScreenshotAsync(manager, "targets-grid-en");
        await manager.Keyboard.PressAsync("Control+s");
        await Expect(manager.GetByTestId("targets-pending")).ToContainTextAsync("No unsaved changes");
        await using (var db = await dbs.CreateDbContextAsync())
            Assert.Equal(target, await db.SalesTargets.Where(t => t.Holder == SalesTarget.PersonKey(liId) && t.Measure == TargetMeasure.Renewals
                && t.Period == TargetPeriod.Month && t.Starts == month.Starts).Select(t => t.Amount).SingleAsync());

        // He opens the board: 李娜's renewals show the new target beside what she has done.
        await manager.GetByTestId("targets-results").ClickAsync();
        await Infrastructure.Browser.WaitInteractiveAsync(manager);
        var liRenewals = manager.Locator($"[data-testid=results-line][data-key='person:{liId}'] [data-testid=figure][data-measure=Renewals]");
        await Expect(liRenewals.GetByTestId("target")).ToContainTextAsync(target.ToString());
        var before = int.Parse(await liRenewals.GetByTestId("actual").InnerTextAsync());
        var total = manager.Locator("[data-testid=results-total] [data-testid=figure][data-measure=Renewals] [data-testid=actual]");
        var totalBefore = int.Parse((await total.InnerTextAsync()).Replace(",", ""));
        await manager.EvaluateAsync("() => window.__noReload = 'still-here'");

        // 李娜 (who reads Chinese) opens her own board: only her line, with the target her manager just set.
        var sales = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local", "zh-Hans");
        await sales.SetViewportSizeAsync(1366, 900);
        await sales.GotoAsync("/results");
        await Infrastructure.Browser.WaitInteractiveAsync(sales);
        await Expect(sales.GetByTestId("results-line")).ToHaveCountAsync(1);
        await Expect(sales.Locator("h5")).ToContainTextAsync("目标完成情况");
        await Expect(sales.GetByTestId("results-board")).ToContainTextAsync("续订");
        var mine = sales.Locator($"[data-testid=results-line][data-key='person:{liId}'] [data-testid=figure][data-measure=Renewals]");
        await Expect(mine.GetByTestId("target")).ToContainTextAsync(target.ToString());
        await Expect(mine.GetByTestId("actual")).ToHaveTextAsync(before.ToString());

        // She renews a subscription at the renewal desk: both boards count it at once.
        using (var scope = fx.App.Services.CreateScope())
        {
            var li = StaffIdentity.ForRole(liId, liName, (int)TeamCode.Circulation, Roles.Sales);
            var r = await scope.ServiceProvider.GetRequiredService<RenewalDesk>().RenewAsync(subscriptionId, new RenewalInput { Price = 360m, Paid = 360m }, version, li);
            Assert.True(r.Ok, r.Problem);
        }
        await Expect(liRenewals.GetByTestId("actual")).ToHaveTextAsync((before + 1).ToString());
        await Expect(total).ToHaveTextAsync((totalBefore + 1).ToString("N0"));
        await Expect(mine.GetByTestId("actual")).ToHaveTextAsync((before + 1).ToString());
        Assert.Equal("still-here", await manager.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(sales, "results-board-zh");

        // The figure opens the records behind it: the renewal just made is there.
        await liRenewals.Locator("button").ClickAsync();
        await Expect(manager.GetByTestId("results-drill")).ToBeVisibleAsync();
        await Expect(manager.GetByTestId("results-drill-record")).ToHaveCountAsync(before + 1);
        await Infrastructure.Browser.ScreenshotAsync(manager, "results-board-en");
        await sales.Context.CloseAsync();
        await manager.Context.CloseAsync();
    }
}
