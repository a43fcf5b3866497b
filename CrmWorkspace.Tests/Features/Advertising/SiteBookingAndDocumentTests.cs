using System.Diagnostics;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Advertising;

/// <summary>
/// Online slots by the week and outdoor sites by the period (never sold twice), the customer's advertising figures,
/// and the documents: contract, flatplan and production list, the quote in each language; PDFs read back with pdftotext.
/// </summary>
[Collection(AppCollection.Name)]
public class SiteBookingAndDocumentTests(AppFixture fx)
{
    private Task<StaffIdentity> Manager => fx.StaffAsync("marketing@demo.local");   // 王磊, marketing manager
    private Task<StaffIdentity> Member => fx.StaffAsync("fair@demo.local");         // 张伟, a member
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    private T Svc<T>(IServiceScope s) where T : notnull => s.ServiceProvider.GetRequiredService<T>();

    /// <summary>New customers of this test alone, so no other test's contracts or deals change its figures (nor its theirs).</summary>
    private async Task<int[]> AccountsAsync(int n, int _)
    {
        using var s = fx.Scope();
        var accounts = Svc<CrmWorkspace.Features.Customers.AccountService>(s);
        var ids = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var r = await accounts.CreateAsync(new CrmWorkspace.Features.Customers.AccountInput
            {
                Name = $"广告测试{Guid.NewGuid().ToString("N")[..8]}酒业有限公司", Province = "四川", City = "成都",
            }, await Manager);
            Assert.True(r.Ok, r.Problem);
            ids.Add(r.Id!.Value);
        }
        return ids.ToArray();
    }

    private async Task<int> ProductAsync(AdProductInput input)
    {
        using var s = fx.Scope();
        var r = await Svc<RateCardService>(s).SaveProductAsync(input, await Manager);
        Assert.True(r.Ok, r.Problem);
        return r.Id!.Value;
    }

    /// <summary>A signed contract of one line; returns the quote line id and the contract id.</summary>
    private async Task<(int Line, int Contract, int Quote)> ContractAsync(int account, int product, int qty, DateOnly? signedOn = null, int instalments = 2)
    {
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var manager = await Manager;
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Lines = [new() { ProductId = product, Quantity = qty, Schedule = "2027" }] }, manager);
        Assert.True(q.Ok, q.Problem);
        var view = (await quotes.GetAsync(q.Id!.Value))!;
        var c = await quotes.AcceptAsync(view.Id, view.Version, signedOn ?? Today, instalments, manager);
        Assert.True(c.Ok, c.Problem);
        return (view.Lines[0].Id, c.Id!.Value, view.Id);
    }

    /// <summary>The text of a PDF as poppler's pdftotext reads it (layout kept, so table rows stay on one line).</summary>
    private static async Task<string> PdfTextAsync(byte[] pdf, string? keepAs = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"adsmore-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        // A copy to look at (pdftoppm -png) after the run.
        if (keepAs is not null) await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), $"adsmore-{keepAs}.pdf"), pdf);
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true })!;
            var text = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.Equal(0, p.ExitCode);
            return text;
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Ten_people_booking_overlapping_weeks_of_one_online_slot_at_once_make_exactly_one_booking_and_the_others_are_told_who_holds_it()
    {
        var slot = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.Online, Name = "测试弹窗", Site = "赛跑测试弹窗 Race popup", ListPrice = 6_000 });
        var accounts = await AccountsAsync(10, 30);
        var lines = new List<int>();
        foreach (var a in accounts) lines.Add((await ContractAsync(a, slot, 4)).Line);
        var agent = await Member;
        // Ten salespeople book four weeks each, starting on Monday 1 March 2027 or on Wednesday 10 March (its week starts on the 8th): every pair overlaps.
        using var gate = new ManualResetEventSlim(false);
        var attempts = lines.Select((line, i) => Task.Run(async () =>
        {
            using var s = fx.Scope();
            var sites = Svc<SiteBookingService>(s);
            gate.Wait();
            return await sites.BookAsync(line, new DateOnly(2027, 3, 1).AddDays(i % 2 == 0 ? 0 : 9), null, 2, agent);
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(attempts);
        Assert.Single(results, r => r.Ok);
        await using var db = await fx.DbAsync();
        var winner = await db.AdSiteBookings.SingleAsync(b => b.Site == "赛跑测试弹窗 Race popup" && b.Live);
        Assert.Equal(DayOfWeek.Monday, winner.From.DayOfWeek);
        Assert.Equal(13, winner.To.DayNumber - winner.From.DayNumber);
        var advertiser = await db.Accounts.Where(a => a.Id == db.AdContracts.Where(c => c.Id == winner.ContractId).Select(c => c.AccountId).First()).Select(a => a.Name).FirstAsync();
        Assert.All(results.Where(r => !r.Ok), r => Assert.Contains(advertiser, r.Error));
        Assert.All(results.Where(r => !r.Ok), r => Assert.Contains("王磊", r.Error));

        // The database itself refuses a second holder of a week, whatever the service does.
        await using var raw = await fx.DbAsAsync(agent.Id);
        raw.AdSiteUses.Add(new AdSiteUse { BookingId = winner.Id, SiteKey = winner.SiteKey, Unit = winner.From });
        await Assert.ThrowsAsync<DbUpdateException>(() => raw.SaveChangesAsync());

        // A line's weeks are counted: two of four are booked, three more do not fit, two more do (after the winner's weeks).
        using var s1 = fx.Scope();
        var sitesSvc = Svc<SiteBookingService>(s1);
        var winnerLine = winner.QuoteLineId;
        Assert.Contains(await sitesSvc.BookableAsync(), b => b.QuoteLineId == winnerLine && b.Booked == 2 && b.Quantity == 4);
        Assert.False((await sitesSvc.BookAsync(winnerLine, winner.To.AddDays(1), null, 3, agent)).Ok);
        Assert.True((await sitesSvc.BookAsync(winnerLine, winner.To.AddDays(1), null, 2, agent)).Ok);
        Assert.DoesNotContain(await sitesSvc.BookableAsync(), b => b.QuoteLineId == winnerLine);
    }

    [Fact]
    public async Task An_outdoor_period_overlapping_by_one_day_is_refused_the_next_day_fits_and_a_cancelled_period_is_free_again()
    {
        var site = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.Outdoor, Name = "测试大牌", Site = "测试会展中心北门", ListPrice = 80_000 });
        var accounts = await AccountsAsync(2, 40);
        var first = await ContractAsync(accounts[0], site, 1);
        var second = await ContractAsync(accounts[1], site, 1);
        var agent = await Member;
        using var s = fx.Scope();
        var sites = Svc<SiteBookingService>(s);
        var held = await sites.BookAsync(first.Line, new DateOnly(2027, 3, 15), new DateOnly(2027, 3, 31), 0, agent);
        Assert.True(held.Ok, held.Problem);
        var overlap = await sites.BookAsync(second.Line, new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 20), 0, agent);
        Assert.False(overlap.Ok);
        Assert.Contains("2027-03-15", overlap.Error);
        Assert.Contains("2027-03-31", overlap.Error);
        // One period per line: the first line cannot take a second one.
        Assert.False((await sites.BookAsync(first.Line, new DateOnly(2027, 5, 1), new DateOnly(2027, 5, 10), 0, agent)).Ok);
        // Backwards and too long periods are refused before anything is held.
        Assert.False((await sites.BookAsync(second.Line, new DateOnly(2027, 5, 10), new DateOnly(2027, 5, 1), 0, agent)).Ok);
        Assert.False((await sites.BookAsync(second.Line, new DateOnly(2027, 5, 1), new DateOnly(2028, 5, 10), 0, agent)).Ok);

        var board = await sites.SitesAsync(new DateOnly(2027, 3, 1), new DateOnly(2027, 4, 30));
        var row = Assert.Single(board, r => r.Site == "测试会展中心北门");
        Assert.Equal(new DateOnly(2027, 3, 15), Assert.Single(row.Bookings).From);

        var version = row.Bookings[0].Version;
        Assert.True((await sites.CancelAsync(held.Id!.Value, version, agent)).Ok);
        var again = await sites.BookAsync(second.Line, new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 20), 0, agent);
        Assert.True(again.Ok, again.Problem);
    }

    [Fact]
    public async Task The_customer_page_figures_count_this_and_last_years_spend_open_deals_overdue_instalments_and_the_owners_open_deal()
    {
        var product = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.Listing, Name = "测试供求置顶", ListPrice = 1_000 });
        var account = (await AccountsAsync(1, 45))[0];
        using var s = fx.Scope();
        var ads = Svc<CustomerAdvertising>(s);
        var before = await ads.SummaryAsync(account);   // the demo (or another test) may have sold to this customer already

        // Last year: 6 months of listings in 3 instalments (all overdue, nothing paid); this year: 2 months.
        await ContractAsync(account, product, 6, new DateOnly(Today.Year - 1, 3, 1), 3);
        await ContractAsync(account, product, 2, Today, 1);
        var manager = await Manager;
        var pipeline = Svc<PipelineService>(s);
        Assert.True((await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "测试·小单", ExpectedValue = 10_000, Step = PipelineStep.Visit }, manager)).Ok);
        var big = await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "测试·封面全年", ExpectedValue = 900_000, Step = PipelineStep.Sign }, manager);
        var lost = await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "测试·已丢", ExpectedValue = 950_000, Step = PipelineStep.Sign }, manager);
        Assert.True((await pipeline.LoseAsync(lost.Id!.Value, LostReason.Price, lost.Version!.Value, manager)).Ok);

        var summary = await ads.SummaryAsync(account);
        Assert.False(summary.IsEmpty);
        Assert.Equal(6_000m, summary.SpendLastYear - before.SpendLastYear);
        Assert.Equal(2_000m, summary.SpendThisYear - before.SpendThisYear);
        Assert.Equal(2, summary.OpenDeals - before.OpenDeals);            // the lost one is not open
        Assert.Equal(910_000m, summary.OpenValue - before.OpenValue);
        Assert.Equal(6_000m, summary.Overdue - before.Overdue);           // this year's instalment is due today, not overdue
        Assert.Equal(3, summary.OverdueInstalments - before.OverdueInstalments);

        // The strip and the duplicate panel show the most advanced open deal, with its owner.
        var deal = (await ads.OpenDealsAsync([account]))[account];
        Assert.Equal(big.Id, deal.Id);
        Assert.Equal("王磊", deal.OwnerName);
        Assert.Equal(PipelineStep.Sign, deal.Step);
    }

    [Fact]
    public async Task The_contract_pdf_in_chinese_and_english_has_number_parties_lines_instalments_signed_date_and_the_total()
    {
        var product = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.WebsiteDesign, Name = "测试网站改版", ListPrice = 12_345.67m });
        var account = (await AccountsAsync(1, 46))[0];
        var (_, contractId, _) = await ContractAsync(account, product, 3, new DateOnly(2026, 11, 20), 3);
        using var s = fx.Scope();
        var contract = (await Svc<QuoteService>(s).ContractAsync(contractId))!;
        Assert.Equal(3, contract.Instalments.Count);
        var docs = Svc<AdDocuments>(s);
        var zh = await PdfTextAsync((await docs.ContractPdfAsync(contractId, "zh-Hans"))!.Value.Pdf, "contract-zh");
        var en = await PdfTextAsync((await docs.ContractPdfAsync(contractId, "en"))!.Value.Pdf, "contract-en");
        foreach (var text in new[] { zh, en })
        {
            Assert.Contains(contract.Number, text);
            Assert.Contains(contract.AccountName, text);
            Assert.Contains("测试网站改版", text);
            Assert.Contains("2026-11-20", text);
            Assert.Contains(contract.Total.ToString("N2"), text);   // 37,037.01
            foreach (var i in contract.Instalments) { Assert.Contains(i.DueOn.ToString("yyyy-MM-dd"), text); Assert.Contains(i.Amount.ToString("N2"), text); }
        }
        foreach (var word in new[] { "广告发布合同", "甲方（广告主）", "乙方（发布方）", "付款计划", "中国糖酒传媒" }) Assert.Contains(word, zh);
        foreach (var word in new[] { "Advertising contract", "Party A (advertiser)", "Party B (publisher)", "Payment plan", "China Sugar & Liquor Trade Media" }) Assert.Contains(word, en);
        Assert.DoesNotContain("付款计划", en);
        Assert.DoesNotContain("Payment plan", zh);
    }

    [Fact]
    public async Task The_quote_pdf_prints_letterhead_validity_and_terms_in_the_chosen_language()
    {
        var product = await ProductAsync(new AdProductInput { Year = 2031, Medium = AdMedium.Listing, Name = "测试置顶报价", ListPrice = 2_000 });
        var account = (await AccountsAsync(1, 47))[0];
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Terms = "首期款于签约后 7 日内支付。", Lines = [new() { ProductId = product, Quantity = 3 }] }, await Manager);
        var view = (await quotes.GetAsync(q.Id!.Value))!;
        var docs = Svc<QuoteDocuments>(s);
        var zh = await PdfTextAsync((await docs.PdfInAsync(view.Id, "zh-Hans"))!.Value.Pdf, "quote-zh");
        var en = await PdfTextAsync((await docs.PdfInAsync(view.Id, "en"))!.Value.Pdf, "quote-en");
        var until = view.ValidUntil.ToString("yyyy-MM-dd");
        foreach (var word in new[] { "广告报价单", "中国糖酒传媒", "成都市锦江区红星路三段", $"本报价有效期至 {until}", "条款", "首期款于签约后", "报价合计" }) Assert.Contains(word, zh);
        foreach (var word in new[] { "Advertising quotation", "China Sugar & Liquor Trade Media", "Hongxing Road", $"This quotation is valid until {until}", "Terms", "首期款于签约后", "Quoted total" })
            Assert.Contains(word, en);
        Assert.DoesNotContain("报价合计", en);
        Assert.DoesNotContain("Quoted total", zh);
        foreach (var text in new[] { zh, en }) { Assert.Contains(view.Net.ToString("N2"), text); Assert.Contains(view.Number, text); }
    }

    [Fact]
    public async Task The_flatplan_and_production_list_pdfs_count_the_same_pages_and_waiting_ads_as_the_flatplan()
    {
        using var s = fx.Scope();
        var manager = await Manager;
        var p = new Periodical { Title = "测试刊 ADPDF", Code = "ADPDF", IssuesPerYear = 12, AnnualPrice = 100 };
        Assert.True((await Svc<PeriodicalService>(s).CreatePeriodicalAsync(p, manager)).Ok);
        var issue = (await Svc<PeriodicalService>(s).AddIssueAsync(p.Id, "2027-05", new DateOnly(2027, 5, 10), false, manager)).Id!.Value;
        var cover = await ProductAsync(new AdProductInput { Year = 2031, PeriodicalId = p.Id, Name = "封底", Position = AdPosition.BackCover, Size = AdSize.Full, ListPrice = 50_000 });
        var half = await ProductAsync(new AdProductInput { Year = 2031, PeriodicalId = p.Id, Name = "半版", Size = AdSize.Half, ListPrice = 10_000 });
        var accounts = await AccountsAsync(3, 48);
        var plans = Svc<FlatplanService>(s);
        var placed = new List<AdResult>();
        foreach (var (a, product) in new[] { (accounts[0], cover), (accounts[1], half), (accounts[2], half) })
            placed.Add(await plans.PlaceAsync((await ContractAsync(a, product, 1)).Line, issue, manager));
        Assert.All(placed, r => Assert.True(r.Ok, r.Problem));
        // One half page has its proof approved: two ads still wait for material or a proof.
        Assert.True((await plans.SetStatusAsync(placed[2].Id!.Value, InsertionStatus.ProofApproved, placed[2].Version!.Value, manager)).Ok);
        Assert.True((await plans.SetStatusAsync(placed[1].Id!.Value, InsertionStatus.MaterialReceived, placed[1].Version!.Value, manager)).Ok);

        var plan = (await plans.FlatplanAsync(issue))!;
        Assert.Equal(2, FlatplanDocument.ProductionRows(plan).Count);
        var docs = Svc<AdDocuments>(s);
        var production = await PdfTextAsync((await docs.FlatplanPdfAsync(issue, true, manager, "en"))!.Value.Pdf, "production-en");
        Assert.Contains("Production list", production);
        Assert.Contains("2 ads still without material or an approved proof.", production);
        // Each row says what is still missing: the back cover its material, the half page with material in its proof approval.
        // Rows are found by contract number (a long advertiser name wraps inside its cell).
        string ContractOf(int account) => plan.Premium.Concat(plan.RunOfBook).Single(x => x.AccountId == account).ContractNumber!;
        string Row(string contract) => production.Split('\n').Single(l => l.Contains(contract));
        Assert.EndsWith("Material", Row(ContractOf(accounts[0])).TrimEnd());
        Assert.Contains("Reserved", Row(ContractOf(accounts[0])));
        Assert.EndsWith("Proof approval", Row(ContractOf(accounts[1])).TrimEnd());
        Assert.DoesNotContain(ContractOf(accounts[2]), production);

        var flat = await PdfTextAsync((await docs.FlatplanPdfAsync(issue, false, manager, "en"))!.Value.Pdf);
        Assert.Contains($"{plan.Pages} pages, {plan.AdPages} of them for ads; run-of-book ads take 1 of {plan.AdPages}.", flat);
        foreach (var a in accounts) Assert.Contains(ContractOf(a), flat);
        var flatZh = await PdfTextAsync((await docs.FlatplanPdfAsync(issue, false, manager, "zh-Hans"))!.Value.Pdf, "flatplan-zh");
        Assert.Contains("版面安排", flatZh);
        Assert.Contains("封底", flatZh);
        foreach (var a in accounts) Assert.Contains(ContractOf(a), flatZh);
    }

    private async Task<string> AdvertiserAsync(int account)
    {
        await using var db = await fx.DbAsync();
        return await db.Accounts.Where(a => a.Id == account).Select(a => a.Name).FirstAsync();
    }
}
