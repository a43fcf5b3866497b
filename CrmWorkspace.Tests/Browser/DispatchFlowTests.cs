using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class DispatchFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task The_dispatch_clerk_prints_address_labels_marks_the_issue_dispatched_and_the_next_sheet_says_nothing_is_left()
    {
        var services = fx.App.Services;
        int issueId;
        List<string> names;
        using (var scope = services.CreateScope())
        {
            var subs = scope.ServiceProvider.GetRequiredService<SubscriptionService>();
            var subsPeriodicalService = scope.ServiceProvider.GetRequiredService<PeriodicalService>();
            await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            var lina = await db.Users.SingleAsync(u => u.Email == "circulation@demo.local");
            var actor = new StaffIdentity(lina.Id, lina.DisplayName, lina.TeamId, false, false);
            var p = new Periodical { Title = "浏览器发刊测试刊", Code = "BRDISP", AnnualPrice = 120, IssuesPerYear = 12 };
            await subsPeriodicalService.CreatePeriodicalAsync(p, actor);
            issueId = (await subsPeriodicalService.AddIssueAsync(p.Id, "D-1", DateOnly.FromDateTime(DateTime.Today), false, actor)).Id!.Value;
            var customers = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(30).Take(3).Select(a => new { a.Id, a.Name }).ToListAsync();
            foreach (var c in customers)
                await subs.SubscribeAsync(new SubscriptionInput { AccountId = c.Id, PeriodicalId = p.Id, StartsOn = DateTime.Today.AddMonths(-2), Months = 12 }, actor);
            names = customers.Select(c => c.Name).ToList();
        }

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");
        await page.GotoAsync($"/periodicals/issues/{issueId}/dispatch");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("dispatch-row")).ToHaveCountAsync(3);

        async Task<string> LabelsAsync()
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("labels-pdf").ClickAsync(), new() { Timeout = 120_000 });
            Assert.EndsWith(".pdf", download.SuggestedFilename);
            var path = Path.Combine(Path.GetTempPath(), download.SuggestedFilename);
            await download.SaveAsAsync(path);
            using var pdf = PdfDocument.Open(path);
            return string.Concat(pdf.GetPages().Select(x => x.Text));
        }

        var first = await LabelsAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "dispatch-list");
        Assert.All(names, n => Assert.Contains(n, first));

        await page.Locator("[data-testid=dispatch-table] thead input[type=checkbox]").CheckAsync();
        await page.GetByTestId("mark-dispatched").ClickAsync();
        await Expect(page.GetByTestId("dispatch-summary")).ToContainTextAsync("3 dispatched");

        var second = await LabelsAsync();
        Assert.Contains("No labels to print: every copy of this issue is dispatched.", second);
        Assert.DoesNotContain(names[0], second);
        await page.Context.CloseAsync();
    }
}
