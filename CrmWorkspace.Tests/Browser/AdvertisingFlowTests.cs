using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AdvertisingFlowTests(BrowserAppFixture fx)
{
    private async Task<StaffIdentity> StaffAsync(string email)
    {
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, email.StartsWith("marketing"));
    }

    [Fact]
    public async Task A_drags_a_deal_to_the_next_step_and_moves_it_on_by_keyboard_while_B_watches_the_board_update_live()
    {
        var manager = await StaffAsync("marketing@demo.local");
        int accountId;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            accountId = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(11).Select(a => a.Id).FirstAsync();
        int id;
        using (var scope = fx.App.Services.CreateScope())
        {
            var r = await scope.ServiceProvider.GetRequiredService<PipelineService>().CreateAsync(new OpportunityInput
            {
                AccountId = accountId, Title = "浏览器测试·封二全年", ExpectedValue = 120_000, Step = PipelineStep.Visit,
            }, manager);
            Assert.True(r.Ok, r.Problem);
            id = r.Id!.Value;
        }
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");           // 王磊, the owner
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local", "zh-Hans");     // 张伟, watching everyone's board in Chinese
        await a.GotoAsync("/advertising/pipeline");
        await b.GotoAsync("/advertising/pipeline?view=all");
        foreach (var p in new[] { a, b }) await Infrastructure.Browser.WaitInteractiveAsync(p);
        ILocator Card(IPage p) => p.Locator($"[data-testid=opportunity-card][data-id='{id}']");
        await Expect(Card(a)).ToHaveAttributeAsync("data-step", "Visit");
        await Expect(Card(b)).ToHaveAttributeAsync("data-step", "Visit");
        await Expect(b.Locator("[data-step=BuildTrust] .pipeline-step-name")).ToContainTextAsync("3 建立信任关系");
        await b.EvaluateAsync<string>("() => (window.__noReload = 'same-page')");

        // A drags the card from 2 约见拜访 into 3 建立信任关系.
        // The browser's drag events in order (start on the card, enter/over/drop on the zone, end), each reaching MudBlazor's handlers.
        var item = Card(a).Locator("xpath=..");
        var target = a.Locator("section[data-step=BuildTrust] .pipeline-zone");
        var dt = await a.EvaluateHandleAsync("() => new DataTransfer()");
        await item.DispatchEventAsync("dragstart", new { dataTransfer = dt });
        await a.WaitForTimeoutAsync(200);
        foreach (var kind in new[] { "dragenter", "dragover", "drop" })
        {
            await target.DispatchEventAsync(kind, new { dataTransfer = dt });
            await a.WaitForTimeoutAsync(100);
        }
        await item.DispatchEventAsync("dragend", new { dataTransfer = dt });
        await Expect(Card(a)).ToHaveAttributeAsync("data-step", "BuildTrust");
        await Expect(a.Locator("section[data-step=BuildTrust]").Locator($"[data-id='{id}']")).ToHaveCountAsync(1);
        // B's board shows it there without a reload.
        await Expect(b.Locator("section[data-step=BuildTrust]").Locator($"[data-id='{id}']")).ToHaveCountAsync(1);
        await Infrastructure.Browser.ScreenshotAsync(a, "ads-pipeline-en");
        await Infrastructure.Browser.ScreenshotAsync(b, "ads-pipeline-zh");

        // The keyboard alternative: Tab to the card's "move on" button and press Enter.
        await Card(a).GetByTestId("move-next").FocusAsync();
        await a.Keyboard.PressAsync("Enter");
        await Expect(Card(a)).ToHaveAttributeAsync("data-step", "UncoverNeeds");
        await Expect(Card(b)).ToHaveAttributeAsync("data-step", "UncoverNeeds");
        Assert.Equal("same-page", await b.EvaluateAsync<string>("() => window.__noReload"));

        // Both moves are on the customer's timeline.
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var subjects = await db.Activities.Where(x => x.AccountId == accountId && x.Subject.Contains("浏览器测试·封二全年")).Select(x => x.Subject).ToListAsync();
            Assert.Contains(subjects, s => s.Contains("约见拜访") && s.Contains("建立信任关系"));
            Assert.Contains(subjects, s => s.Contains("建立信任关系") && s.Contains("挖掘客户需求"));
        }
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }
}
