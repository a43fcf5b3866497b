using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class ValueChangesLiveTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task A_renewal_declined_moves_the_customer_onto_the_value_changed_list_live()
    {
        // The story: a key customer nobody has called for half a year stood three months ago where it stands today, so it is
        // not on "value that changes". The circulation desk calls it about a renewal and it declines, with a reason. The call
        // is contact again: its score moves, and the manager's open list shows the customer, with the declined renewal as the reason.
        var services = fx.App.Services;
        var dbs = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var keeper = services.GetRequiredService<ScoreKeeper>();
        const string reason = "采购负责人换人，预算转向网络广告";
        int accountId, subscriptionId;
        await using (var db = await dbs.CreateDbContextAsync())
        {
            // A key head office without branches and outside the demo's other stories (no renewal call yet, no complaint).
            var story = await db.Subscriptions.Where(s => s.LastCallOutcome != null).Select(s => s.AccountId)
                .Union(db.Activities.Where(a => a.Kind == ActivityKind.Complaint).Select(a => a.AccountId)).ToListAsync();
            accountId = await db.Accounts.Where(a => a.ParentId == null && (a.Tier == AccountTier.A || a.Tier == AccountTier.B)
                    && a.Status != AccountStatus.Restricted && !story.Contains(a.Id) && !db.Accounts.Any(b => b.ParentId == a.Id))
                .OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();
        }
        using (var scope = services.CreateScope())
        {
            await using var db = await dbs.CreateDbContextAsync();
            var lina = await db.Users.SingleAsync(u => u.Email == "circulation@demo.local");
            var actor = new CrmWorkspace.Features.Staff.StaffIdentity(lina.Id, lina.DisplayName, lina.TeamId, false, false);
            var p = new Periodical { Title = "浏览器拒订测试刊", Code = "BRDECL", AnnualPrice = 480, IssuesPerYear = 12 };
            Assert.True((await scope.ServiceProvider.GetRequiredService<PeriodicalService>().CreatePeriodicalAsync(p, actor)).Ok);
            var r = await scope.ServiceProvider.GetRequiredService<SubscriptionService>().SubscribeAsync(new SubscriptionInput
            {
                AccountId = accountId, PeriodicalId = p.Id, StartsOn = DateTime.Today.AddMonths(-12).AddDays(10), Months = 12,
            }, actor);
            Assert.True(r.Ok, r.Error);
            subscriptionId = r.Id!.Value;
        }
        await keeper.ProcessQueueAsync();
        await using (var db = await dbs.CreateDbContextAsync())
            await db.TeamTouches.Where(t => t.AccountId == accountId).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastAt, DateTimeOffset.UtcNow.AddDays(-200)));
        await keeper.RecomputeAsync([accountId]);
        var since = new DateOnly(DateTime.Today.Year, DateTime.Today.Month, 1).AddMonths(-3);
        await using (var db = await dbs.CreateDbContextAsync())
        {
            var score = await db.CustomerScores.AsNoTracking().SingleAsync(s => s.AccountId == accountId);
            Assert.Contains(ScoreRules.Deserialize(score.Breakdown), l => l.Input == ScoreInput.MonthsWithoutContact && l.Points < 0);
            await db.ScoreSnapshots.Where(s => s.AccountId == accountId && s.Month == since).ExecuteDeleteAsync();
            db.ScoreSnapshots.Add(new ScoreSnapshot { AccountId = accountId, Month = since, Score = score.Score, Tier = score.Tier, Breakdown = "[]" });
            await db.SaveChangesAsync();
        }

        var manager = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");  // 王磊
        var desk = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");   // 李娜
        try
        {
            await manager.GotoAsync("/key-customers");
            await Infrastructure.Browser.WaitInteractiveAsync(manager);
            await manager.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = "Value that changes" }).ClickAsync();
            await Expect(manager.GetByTestId("changes-table").Or(manager.GetByTestId("changes-empty"))).ToBeVisibleAsync();
            var mine = manager.Locator($"[data-testid=change-row][data-account='{accountId}']");
            await Expect(mine).ToHaveCountAsync(0);
            await manager.EvaluateAsync("() => window.__noReload = 'still-here'");

            await desk.GotoAsync("/renewals");
            await Infrastructure.Browser.WaitInteractiveAsync(desk);
            var row = desk.Locator($"[data-testid=renewal-row][data-subscription='{subscriptionId}']");
            await row.GetByTestId("log-call").ClickAsync();
            var dialog = desk.GetByTestId("call-dialog");
            await dialog.GetByText("Declined").ClickAsync();
            await Infrastructure.Browser.Input(dialog, "call-reason").FillAsync(reason);
            await desk.GetByTestId("call-save").ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);

            // The manager's list, not reloaded, now shows the customer: its score rose with the contact, and the reason is the decline.
            await Expect(mine).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            await Expect(mine.GetByTestId("change-reason").Filter(new() { HasText = reason })).ToContainTextAsync("Renewal of 浏览器拒订测试刊 declined");
            Assert.Equal("still-here", await manager.EvaluateAsync<string>("() => window.__noReload"));
        }
        finally
        {
            await manager.Context.CloseAsync();
            await desk.Context.CloseAsync();
        }
    }
}
