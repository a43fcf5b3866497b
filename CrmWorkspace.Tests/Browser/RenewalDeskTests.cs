using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class RenewalDeskTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task Renewing_from_the_desk_shows_live_on_the_customer_page_and_the_report_downloads_with_database_totals()
    {
        var services = fx.App.Services;
        int accountId, subscriptionId;
        string accountName;
        using (var scope = services.CreateScope())
        {
            var subs = scope.ServiceProvider.GetRequiredService<SubscriptionService>();
            var subsPeriodicalService = scope.ServiceProvider.GetRequiredService<PeriodicalService>();
            await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            var lina = await db.Users.SingleAsync(u => u.Email == "circulation@demo.local");
            var actor = new CrmWorkspace.Features.Staff.StaffIdentity(lina.Id, lina.DisplayName, lina.TeamId, false, false);
            var account = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(5).Select(a => new { a.Id, a.Name }).FirstAsync();
            (accountId, accountName) = (account.Id, account.Name);
            var p = new Periodical { Title = "浏览器续订测试刊", Code = "BRTEST", AnnualPrice = 300, IssuesPerYear = 12 };
            await subsPeriodicalService.CreatePeriodicalAsync(p, actor);
            var r = await subs.SubscribeAsync(new SubscriptionInput
            {
                AccountId = accountId, PeriodicalId = p.Id, StartsOn = DateTime.Today.AddMonths(-12).AddDays(10), Months = 12,
            }, actor);
            subscriptionId = r.Id!.Value;
        }

        var desk = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");  // 李娜
        var viewer = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");  // 王磊
        await viewer.GotoAsync($"/customers/{accountId}");
        await Infrastructure.Browser.WaitInteractiveAsync(viewer);
        var mine = viewer.Locator($"[data-testid=subscription-row][data-subscription='{subscriptionId}']");
        await Expect(mine.GetByTestId("subscription-status")).ToHaveTextAsync("Expiring");
        await viewer.EvaluateAsync("() => window.__noReload = 'still-here'");

        await desk.GotoAsync("/renewals");
        await Infrastructure.Browser.WaitInteractiveAsync(desk);
        var row = desk.Locator($"[data-testid=renewal-row][data-subscription='{subscriptionId}']");
        await Expect(row).ToContainTextAsync(accountName);
        await row.GetByTestId("renew").ClickAsync();
        await Infrastructure.Browser.Input(desk.GetByTestId("renew-dialog"), "renew-copies").FillAsync("2");
        await desk.GetByTestId("renew-save").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        // The viewer sees the renewal without reloading: the old period is marked renewed, the new one is listed, the timeline says so.
        await Expect(mine.GetByTestId("subscription-status")).ToHaveTextAsync("Renewed");
        await Expect(viewer.GetByTestId("subscription-row").Filter(new() { HasText = "浏览器续订测试刊 × 2" })).ToBeVisibleAsync();
        await Expect(viewer.GetByTestId("timeline-entry").Filter(new() { HasText = "浏览器续订测试刊" }).First).ToBeVisibleAsync();
        Assert.Equal("still-here", await viewer.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(viewer, "renewal-live-viewer");
        await Infrastructure.Browser.ScreenshotAsync(desk, "renewal-desk");

        // The report downloads from the desk; its names and totals are the database's.
        var download = await desk.RunAndWaitForDownloadAsync(() => desk.GetByTestId("renewal-report").ClickAsync(), new() { Timeout = 120_000 });
        var path = Path.Combine(Path.GetTempPath(), "renewal-report-browser.pdf");
        await download.SaveAsAsync(path);
        using var doc = PdfDocument.Open(path);
        var text = string.Concat(doc.GetPages().Select(x => x.Text)).Replace("\u00a0", " ");
        IReadOnlyList<RenewalRow> expected;
        using (var scope = services.CreateScope())
            expected = await scope.ServiceProvider.GetRequiredService<RenewalDesk>().WorklistAsync(new RenewalQuery());
        Assert.NotEmpty(expected);
        Assert.All(expected.Select(r => r.AccountName).Distinct(), n => Assert.Contains(n, text));
        Assert.Contains($"Total: {expected.Count} subscriptions · {expected.Sum(r => r.Copies)} copies · amount {expected.Sum(r => r.Price):N2}", text);

        var xlsx = await desk.RunAndWaitForDownloadAsync(() => desk.GetByTestId("export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename);
        await desk.Context.CloseAsync();
        await viewer.Context.CloseAsync();
    }
}
