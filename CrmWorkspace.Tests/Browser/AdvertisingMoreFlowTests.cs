using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>The customer page's advertising, the board's layout at common widths, site bookings watched live, and PDFs against the screen.</summary>
[Collection(BrowserCollection.Name)]
public class AdvertisingMoreFlowTests(BrowserAppFixture fx)
{
    private async Task<int[]> AccountsAsync(int n, int skip)
    {
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        // Around the list of head offices, so the tests share few customers whatever the demo's size; restricted ones would need a
        // manager's override for every quote.
        var all = await db.Accounts.Where(a => a.ParentId == null && a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Select(a => a.Id).ToArrayAsync();
        return Enumerable.Range(skip, n).Select(i => all[i % all.Length]).ToArray();
    }

    private async Task<int> ProductAsync(AdProductInput input)
    {
        using var s = fx.App.Services.CreateScope();
        var r = await s.ServiceProvider.GetRequiredService<RateCardService>().SaveProductAsync(input, await fx.StaffAsync("marketing@demo.local"));
        Assert.True(r.Ok, r.Problem);
        return r.Id!.Value;
    }

    /// <summary>A signed contract of one line: (quote line, contract, quote).</summary>
    private async Task<(int Line, int Contract, int Quote)> ContractAsync(int account, int product, int qty, int instalments = 3)
    {
        using var s = fx.App.Services.CreateScope();
        var quotes = s.ServiceProvider.GetRequiredService<QuoteService>();
        var manager = await fx.StaffAsync("marketing@demo.local");
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Lines = [new() { ProductId = product, Quantity = qty }] }, manager);
        Assert.True(q.Ok, q.Problem);
        var v = (await quotes.GetAsync(q.Id!.Value))!;
        var c = await quotes.AcceptAsync(v.Id, v.Version, DateOnly.FromDateTime(DateTime.Today), instalments, manager);
        Assert.True(c.Ok, c.Problem);
        return (v.Lines[0].Id, c.Id!.Value, v.Id);
    }

    private static async Task<string> PdfTextAsync(IAPIResponse response)
    {
        Assert.Equal(200, response.Status);
        var path = Path.Combine(Path.GetTempPath(), $"adsmore-browser-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.BodyAsync());
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true })!;
            var text = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return text;
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task The_customer_page_shows_ad_spend_open_deals_and_overdue_and_the_owners_new_deal_arrives_live_in_the_panel_and_the_strip()
    {
        int account;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            // A customer nobody has sold ads to yet, and not a restricted one (a quote would need a manager's override): another
            // browser test adds a restricted customer, and the newest one was it whenever that test ran first.
            account = await db.Accounts.Where(a => a.ParentId == null && a.Status != AccountStatus.Restricted
                    && !db.Opportunities.Any(o => o.AccountId == a.Id) && !db.AdContracts.Any(c => c.AccountId == a.Id))
                .OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();
        var product = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.Listing, Name = "浏览器测试置顶", ListPrice = 3_000 });
        await ContractAsync(account, product, 4);   // ¥12,000 signed today
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");   // someone on the phone, not the deal's owner
        await page.GotoAsync($"/customers/{account}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("ad-spend-this-year")).ToHaveTextAsync("¥12,000");
        await Expect(page.GetByTestId("ad-overdue")).ToHaveTextAsync("—");
        await Expect(page.GetByTestId("who-works-deal")).ToHaveCountAsync(0);
        await page.EvaluateAsync<string>("() => (window.__noReload = 'same-page')");

        // 王磊 opens a deal at step 6: the panel and the "who works" strip show it without a reload.
        using (var s = fx.App.Services.CreateScope())
            Assert.True((await s.ServiceProvider.GetRequiredService<PipelineService>().CreateAsync(new OpportunityInput
            {
                AccountId = account, Title = "浏览器测试·封底半年", ExpectedValue = 180_000, Step = PipelineStep.Propose,
            }, await fx.StaffAsync("marketing@demo.local"))).Ok);
        await Expect(page.GetByTestId("ad-open-deals")).ToContainTextAsync("180,000");
        await Expect(page.GetByTestId("who-works-deal")).ToContainTextAsync("王磊");
        await Expect(page.GetByTestId("who-works-deal")).ToContainTextAsync("浏览器测试·封底半年");
        await Expect(page.GetByTestId("who-works-deal")).ToContainTextAsync("6 Propose");
        Assert.Equal("same-page", await page.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(page, "adsmore-customer-en");

        var zh = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local", "zh-Hans");
        await zh.GotoAsync($"/customers/{account}");
        await Infrastructure.Browser.WaitInteractiveAsync(zh);
        await Expect(zh.GetByTestId("customer-ads")).ToContainTextAsync("广告投放");
        await Expect(zh.GetByTestId("who-works-deal")).ToContainTextAsync("提出客户方案");
        await Infrastructure.Browser.ScreenshotAsync(zh, "adsmore-customer-zh");
        await page.Context.CloseAsync();
        await zh.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en", 1366), InlineData("zh-Hans", 1366), InlineData("en", 1400), InlineData("zh-Hans", 1400), InlineData("en", 1920), InlineData("zh-Hans", 1920)]
    public async Task The_pipeline_board_needs_no_page_scroll_and_keeps_dates_on_one_line(string culture, int width)
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local", culture);
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync("/advertising/pipeline?view=all");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("opportunity-card").First).ToBeVisibleAsync();
        var layout = await page.EvaluateAsync<double[]>(@"() => {
            const doc = document.scrollingElement;
            const cols = [...document.querySelectorAll('[data-testid=step-column]')];
            const lastRight = Math.max(...cols.map(c => c.getBoundingClientRect().right));
            const dates = [...document.querySelectorAll('[data-testid=card-close]')];
            const wrapped = dates.filter(d => d.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(d).lineHeight || '16')).length;
            return [doc.scrollWidth - doc.clientWidth, lastRight, window.innerWidth, wrapped, dates.length];
        }");
        Assert.True(layout[0] <= 0, $"the page scrolls sideways by {layout[0]} px at {width} px ({culture})");
        Assert.True(layout[1] <= layout[2], $"the eighth step ends at {layout[1]} px, beyond the window's {layout[2]} px ({culture})");
        Assert.True(layout[4] > 0);
        Assert.Equal(0, layout[3]);
        if (width != 1400) await Infrastructure.Browser.ScreenshotAsync(page, $"adsmore-pipeline-{(culture == "en" ? "en" : "zh")}-{width}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_books_an_online_slot_while_B_watches_the_sites_board_and_B_is_refused_the_same_weeks_naming_the_holder()
    {
        var site = $"浏览器测试通栏 {Guid.NewGuid().ToString()[..4]}";
        var product = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.Online, Name = "浏览器测试通栏", Site = site, ListPrice = 8_000 });
        var accounts = await AccountsAsync(2, 53);
        var first = await ContractAsync(accounts[0], product, 2);
        var second = await ContractAsync(accounts[1], product, 2);
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local", "zh-Hans");
        foreach (var p in new[] { a, b })
        {
            await p.GotoAsync("/advertising/sites");
            await Infrastructure.Browser.WaitInteractiveAsync(p);
            await Expect(p.Locator($"[data-testid=site-row][data-site='{site}'] [data-testid=site-booked]")).ToHaveCountAsync(0);
        }
        await b.EvaluateAsync<string>("() => (window.__noReload = 'same-page')");
        // A books two weeks from this week (the form starts at the first week shown).
        await a.Locator($"[data-testid=bookable][data-line='{first.Line}']").GetByTestId("book-site").ClickAsync();
        await Expect(a.Locator($"[data-testid=site-row][data-site='{site}'] [data-testid=site-booked]")).ToHaveCountAsync(2);
        await Expect(b.Locator($"[data-testid=site-row][data-site='{site}'] [data-testid=site-booked]")).ToHaveCountAsync(2);
        Assert.Equal("same-page", await b.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(b, "adsmore-sites-zh");
        // B tries the same weeks for another customer: refused, naming the holder's salesperson.
        await b.Locator($"[data-testid=bookable][data-line='{second.Line}']").GetByTestId("book-site").ClickAsync();
        await Expect(b.GetByTestId("site-error")).ToContainTextAsync("王磊");
        await Expect(b.GetByTestId("site-error")).ToContainTextAsync(site);
        await Infrastructure.Browser.ScreenshotAsync(a, "adsmore-sites-en");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task The_flatplan_production_list_and_contract_pdfs_show_the_figures_of_the_screen()
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
        int issue;
        var accounts = await AccountsAsync(3, 56);
        using (var s = fx.App.Services.CreateScope())
        {
            var periodicals = s.ServiceProvider.GetRequiredService<PeriodicalService>();
            var p = new Periodical { Title = "浏览器测试刊 BRPDF", Code = "BRPDF", IssuesPerYear = 12, AnnualPrice = 100 };
            Assert.True((await periodicals.CreatePeriodicalAsync(p, manager)).Ok);
            issue = (await periodicals.AddIssueAsync(p.Id, "2027-06", DateOnly.FromDateTime(DateTime.Today.AddDays(30)), false, manager)).Id!.Value;
            var spread = await ProductAsync(new AdProductInput { Year = 2031, PeriodicalId = p.Id, Name = "中心跨版", Position = AdPosition.CentreSpread, Size = AdSize.Full, ListPrice = 70_000 });
            var quarter = await ProductAsync(new AdProductInput { Year = 2031, PeriodicalId = p.Id, Name = "四分之一版", Size = AdSize.Quarter, ListPrice = 6_000 });
            var plans = s.ServiceProvider.GetRequiredService<FlatplanService>();
            foreach (var (a, product) in new[] { (accounts[0], spread), (accounts[1], quarter), (accounts[2], quarter) })
                Assert.True((await plans.PlaceAsync((await ContractAsync(a, product, 1)).Line, issue, manager)).Ok);
        }
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.GotoAsync($"/advertising/flatplan/{issue}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var pages = (await page.GetByTestId("flatplan-pages").TextContentAsync())!.Trim();
        var waiting = (await page.GetByTestId("production-count").TextContentAsync())!.Trim();
        Assert.Equal("3 ads still without material or an approved proof.", waiting);
        await Infrastructure.Browser.ScreenshotAsync(page, "adsmore-flatplan-en");
        var flat = await PdfTextAsync(await page.Context.APIRequest.GetAsync($"/advertising/flatplan/{issue}/flatplan.pdf?lang=en"));
        Assert.Contains(pages, flat);
        var production = await PdfTextAsync(await page.Context.APIRequest.GetAsync($"/advertising/flatplan/{issue}/production.pdf?lang=en"));
        Assert.Contains(waiting, production);

        // The contract of the centre spread: the quote page's total is the contract PDF's total, in both languages.
        var (_, contractId, quoteId) = await ContractAsync(accounts[0], (await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.WebsiteDesign, Name = "浏览器测试网站", ListPrice = 9_876.5m })), 2);
        await page.GotoAsync($"/advertising/quotes/{quoteId}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("contract-pdf")).ToBeVisibleAsync();
        var total = (await page.GetByTestId("quote-total").TextContentAsync())!.Trim();
        Assert.Equal("19,753.00", total);
        foreach (var lang in new[] { "en", "zh-Hans" })
        {
            var contract = await PdfTextAsync(await page.Context.APIRequest.GetAsync($"/advertising/contracts/{contractId}/contract.pdf?lang={lang}"));
            Assert.Contains(total, contract);
            Assert.Contains(lang == "en" ? "Payment plan" : "付款计划", contract);
        }
        await page.Context.CloseAsync();
    }
}
