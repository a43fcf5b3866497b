using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using CrmWorkspace.Features.Subscriptions;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AdvertisingFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task A_drags_a_deal_to_the_next_step_and_moves_it_on_by_keyboard_while_B_watches_the_board_update_live()
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
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

    /// <summary>A periodical with one coming issue, a front-cover product, and signed contracts for the given customers; returns the issue.</summary>
    private async Task<(int IssueId, List<string> Contracts)> IssueWithContractsAsync(string code, params int[] accounts)
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
        using var s = fx.App.Services.CreateScope();
        var sp = s.ServiceProvider;
        var p = new Periodical { Title = $"浏览器测试刊 {code}", Code = code, IssuesPerYear = 12, AnnualPrice = 100 };
        Assert.True((await sp.GetRequiredService<PeriodicalService>().CreatePeriodicalAsync(p, manager)).Ok);
        var issue = await sp.GetRequiredService<PeriodicalService>().AddIssueAsync(p.Id, "2027-04", DateOnly.FromDateTime(DateTime.Today.AddDays(40)), false, manager);
        var product = await sp.GetRequiredService<RateCardService>().SaveProductAsync(new AdProductInput { Year = DateTime.Today.Year, PeriodicalId = p.Id, Name = "封面",
            Position = AdPosition.FrontCover, Size = AdSize.Full, ListPrice = 90_000 }, manager);
        var quotes = sp.GetRequiredService<QuoteService>();
        var contracts = new List<string>();
        foreach (var a in accounts)
        {
            var q = await quotes.CreateAsync(new QuoteInput { AccountId = a, Lines = [new() { ProductId = product.Id!.Value }] }, manager);
            var v = (await quotes.GetAsync(q.Id!.Value))!;
            Assert.True((await quotes.AcceptAsync(v.Id, v.Version, DateOnly.FromDateTime(DateTime.Today), 2, manager)).Ok);
            contracts.Add(v.Number.Replace("BJ", "HT"));
        }
        return (issue.Id!.Value, contracts);
    }

    [Fact]
    public async Task A_places_a_front_cover_while_the_news_center_watches_the_flatplan_and_B_is_refused_the_same_position_naming_the_holder()
    {
        int[] accounts;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            accounts = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(13).Select(a => a.Id).Take(2).ToArrayAsync();
        var (issueId, contracts) = await IssueWithContractsAsync("BRFP", accounts);
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local", "zh-Hans");
        foreach (var p in new[] { a, b })
        {
            await p.GotoAsync($"/advertising/flatplan/{issueId}");
            await Infrastructure.Browser.WaitInteractiveAsync(p);
            await Expect(p.Locator("[data-testid=premium-slot][data-position=FrontCover]")).ToHaveAttributeAsync("data-status", "Free");
        }
        await b.EvaluateAsync<string>("() => (window.__noReload = 'same-page')");
        await a.Locator("[data-testid=placeable]", new() { HasText = contracts[0] }).GetByTestId("place").ClickAsync();
        await Expect(a.Locator("[data-testid=premium-slot][data-position=FrontCover]")).ToHaveAttributeAsync("data-status", "Reserved");
        // The news center's flatplan shows it at once, without a reload.
        await Expect(b.Locator("[data-testid=premium-slot][data-position=FrontCover]")).ToContainTextAsync(contracts[0]);
        Assert.Equal("same-page", await b.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(a, "ads-flatplan-en");
        await Infrastructure.Browser.ScreenshotAsync(b, "ads-flatplan-zh");

        // The second contract's front cover is refused, naming who holds the position.
        await a.Locator("[data-testid=placeable]", new() { HasText = contracts[1] }).GetByTestId("place").ClickAsync();
        await Expect(a.GetByTestId("place-error")).ToContainTextAsync(contracts[0]);
        await Expect(a.GetByTestId("place-error")).ToContainTextAsync("王磊");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task A_manager_approves_a_members_discount_accepts_the_quote_and_the_pdf_shows_the_screens_total()
    {
        var member = await fx.StaffAsync("fair@demo.local");
        int accountId, quoteId;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            accountId = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(16).Select(a => a.Id).FirstAsync();
        using (var s = fx.App.Services.CreateScope())
        {
            var product = (await s.ServiceProvider.GetRequiredService<RateCardService>().ProductsAsync(DateTime.Today.Year, true)).First(p => p.Position == AdPosition.RunOfBook && p.Medium == AdMedium.Print);
            var q = await s.ServiceProvider.GetRequiredService<QuoteService>().CreateAsync(new QuoteInput { AccountId = accountId,
                Lines = [new() { ProductId = product.Id, Quantity = 6, ExtraDiscount = 12, Schedule = "2027-01 … 2027-06" }] }, member);
            Assert.True(q.Ok, q.Problem);
            quoteId = q.Id!.Value;
        }
        var m = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await m.GotoAsync($"/advertising/quotes/{quoteId}");
        await Infrastructure.Browser.WaitInteractiveAsync(m);
        await Expect(m.GetByTestId("quote-status")).ToContainTextAsync("Awaiting approval");
        await m.GetByTestId("approve").ClickAsync();
        await Expect(m.GetByTestId("quote-status")).ToContainTextAsync("Approved");
        await m.GetByTestId("accept").ClickAsync();
        await Expect(m.GetByTestId("contract-made")).ToBeVisibleAsync();
        var total = (await m.GetByTestId("quote-total").TextContentAsync())!.Trim();
        await Infrastructure.Browser.ScreenshotAsync(m, "ads-quote-en");

        var response = await m.Context.APIRequest.GetAsync($"/advertising/quotes/{quoteId}/quote.pdf?lang=en");
        Assert.Equal(200, response.Status);
        using var pdf = PdfDocument.Open(await response.BodyAsync());
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        Assert.Contains(total, text);
        Assert.Contains("Advertisingquotation", text.Replace(" ", ""));
        await m.Context.CloseAsync();
    }
}
