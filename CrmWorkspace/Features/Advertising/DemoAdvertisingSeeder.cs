using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Advertising;

/// <summary>
/// The demo's advertising business: a rate card for the demo periodicals, the marketing team's deals across the eight steps,
/// a couple of quotes and contracts, and a partly booked flatplan. Written through the services, as the marketing center would.
/// </summary>
public sealed class DemoAdvertisingSeeder(IDbContextFactory<CrmDbContext> dbs, IServiceScopeFactory scopes)
{
    public async Task SeedAsync(int seed, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.AdProducts.IgnoreQueryFilters().AnyAsync(ct) || !await db.Periodicals.AnyAsync(ct)) return;
        var seller = await db.Users.Where(u => u.TeamId == (int)TeamCode.Marketing).OrderBy(u => u.Email).FirstOrDefaultAsync(ct);
        if (seller is null) return;
        var actor = new StaffIdentity(seller.Id, seller.DisplayName, seller.TeamId, false, true);
        using var scope = scopes.CreateScope();
        var card = scope.ServiceProvider.GetRequiredService<RateCardService>();
        var pipeline = scope.ServiceProvider.GetRequiredService<PipelineService>();
        var quotes = scope.ServiceProvider.GetRequiredService<QuoteService>();
        var plans = scope.ServiceProvider.GetRequiredService<FlatplanService>();
        var today = DateOnly.FromDateTime(now.ToLocalTime().Date);
        var activitiesBefore = await db.Activities.MaxAsync(a => (long?)a.Id, ct) ?? 0;
        var periodicals = await db.Periodicals.OrderBy(p => p.Id).Select(p => new { p.Id, p.Code }).ToListAsync(ct);
        var products = new Dictionary<(int Year, string Key), int>();
        foreach (var year in new[] { today.Year, today.Year + 1 })
        {
            var rise = year == today.Year ? 1m : 1.05m;
            async Task Add(string key, AdProductInput p)
            {
                p.Year = year; p.ListPrice = Math.Round(p.ListPrice * rise / 100) * 100;
                var r = await card.SaveProductAsync(p, actor, ct);
                if (r.Ok) products[(year, key)] = r.Id!.Value;
            }
            foreach (var p in periodicals)
            {
                var scale = p.Code == "TJKX" ? 1m : p.Code == "HTSQ" ? 0.8m : 0.6m;
                await Add($"{p.Code}-cover", new() { PeriodicalId = p.Id, Name = "封面", Position = AdPosition.FrontCover, ListPrice = 98_000 * scale });
                await Add($"{p.Code}-ifc", new() { PeriodicalId = p.Id, Name = "封二", Position = AdPosition.InsideFrontCover, ListPrice = 68_000 * scale });
                await Add($"{p.Code}-ibc", new() { PeriodicalId = p.Id, Name = "封三", Position = AdPosition.InsideBackCover, ListPrice = 58_000 * scale });
                await Add($"{p.Code}-back", new() { PeriodicalId = p.Id, Name = "封底", Position = AdPosition.BackCover, ListPrice = 78_000 * scale });
                await Add($"{p.Code}-spread", new() { PeriodicalId = p.Id, Name = "中心跨版", Position = AdPosition.CentreSpread, ListPrice = 88_000 * scale });
                await Add($"{p.Code}-full", new() { PeriodicalId = p.Id, Name = "内页彩色整版", Size = AdSize.Full, ListPrice = 36_000 * scale });
                await Add($"{p.Code}-half", new() { PeriodicalId = p.Id, Name = "内页彩色半版", Size = AdSize.Half, ListPrice = 20_000 * scale });
                await Add($"{p.Code}-quarter", new() { PeriodicalId = p.Id, Name = "内页黑白四分之一版", Size = AdSize.Quarter, Colour = false, ListPrice = 9_000 * scale });
            }
            await Add("web-banner", new() { Medium = AdMedium.Online, Name = "糖酒网首页通栏", Site = "首页通栏 Home banner", ListPrice = 12_000 });
            await Add("web-side", new() { Medium = AdMedium.Online, Name = "糖酒网频道页侧栏", Site = "频道页侧栏 Channel sidebar", ListPrice = 5_000 });
            await Add("site-design", new() { Medium = AdMedium.WebsiteDesign, Name = "企业网站设计与维护", ListPrice = 8_000 });
            await Add("listing", new() { Medium = AdMedium.Listing, Name = "供求信息置顶", ListPrice = 1_500 });
            await Add("outdoor", new() { Medium = AdMedium.Outdoor, Name = "春糖会场外大牌", Site = "中国西部国际博览城东门", ListPrice = 150_000 });
            foreach (var (basis, threshold, percent) in new[] { (AdDiscountBasis.Series, 3m, 5m), (AdDiscountBasis.Series, 6m, 10m), (AdDiscountBasis.Series, 12m, 15m),
                         (AdDiscountBasis.Volume, 200_000m, 5m), (AdDiscountBasis.Volume, 500_000m, 8m) })
                await card.SetTierAsync(year, basis, threshold, percent, actor, ct);
        }

        // Deals across the eight steps for customers who intend to advertise.
        var customers = await db.Accounts.Where(a => a.ParentId == null && a.IntendsToAdvertise).OrderBy(a => a.Id).Select(a => a.Id).Take(20).ToListAsync(ct);
        if (customers.Count < 10)
            customers = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Select(a => a.Id).Take(20).ToListAsync(ct);
        var rng = new Random(seed);
        string[] what = ["糖酒快讯封面 + 内页整版全年", "华糖商情半版系列 6 期", "春糖会场外大牌", "糖酒网首页通栏 4 周", "企业网站改版", "中国酒业观察封底", "秋糖特刊跨版"];
        var opportunities = new List<int>();
        for (var i = 0; i < Math.Min(16, customers.Count); i++)
        {
            var r = await pipeline.CreateAsync(new OpportunityInput
            {
                AccountId = customers[i], Title = what[i % what.Length], Medium = i % 7 == 2 ? AdMedium.Outdoor : i % 7 == 3 ? AdMedium.Online : AdMedium.Print,
                ExpectedValue = rng.Next(3, 60) * 5_000, ExpectedClose = today.AddDays(rng.Next(10, 150)), Step = (PipelineStep)(i % 8 + 1),
            }, actor, ct);
            if (r.Ok) opportunities.Add(r.Id!.Value);
        }

        // Two quotes that became contracts, and a third awaiting approval.
        var year1 = today.Year + 1;
        var htsq = periodicals.FirstOrDefault(p => p.Code == "HTSQ")?.Code ?? periodicals[0].Code;
        async Task<int?> QuoteAsync(int account, int? opp, params (string Key, int Qty, decimal Extra)[] lines)
        {
            var input = new QuoteInput { AccountId = account, OpportunityId = opp, ValidDays = 30,
                Lines = lines.Where(l => products.ContainsKey((year1, l.Key))).Select(l => new QuoteLineInput { ProductId = products[(year1, l.Key)], Quantity = l.Qty, ExtraDiscount = l.Extra, Schedule = $"{year1}-01 起 from {year1}-01" }).ToList() };
            var r = await quotes.CreateAsync(input, actor, ct);
            return r.Ok ? r.Id : null;
        }
        var signed = new List<int>();
        if (customers.Count >= 8 && await QuoteAsync(customers[6], opportunities.ElementAtOrDefault(6), ($"{htsq}-cover", 3, 0), ($"{htsq}-full", 6, 0)) is { } q1) signed.Add(q1);
        if (customers.Count >= 8 && await QuoteAsync(customers[7], opportunities.ElementAtOrDefault(7), ($"{htsq}-back", 2, 12), ($"{htsq}-half", 4, 0), ("web-banner", 4, 0)) is { } q2)
        {
            var v = await quotes.GetAsync(q2, ct);
            if (v is not null && v.Status == QuoteStatus.AwaitingApproval) await quotes.ApproveAsync(q2, v.Version, actor, ct);
            signed.Add(q2);
        }
        // An outdoor site for the spring fair, sold for one period.
        if (customers.Count >= 9 && await QuoteAsync(customers[8], opportunities.ElementAtOrDefault(8), ("outdoor", 1, 0)) is { } q3) signed.Add(q3);
        if (customers.Count >= 6) await QuoteAsync(customers[5], opportunities.ElementAtOrDefault(5), ($"{htsq}-spread", 1, 15));
        foreach (var q in signed)
            if (await quotes.GetAsync(q, ct) is { } v) await quotes.AcceptAsync(q, v.Version, today.AddDays(-20), 3, actor, ct);

        // Place the first contract lines into the coming issues of the periodical: a partly booked flatplan.
        var periodicalId = periodicals.First(p => p.Code == htsq).Id;
        var issues = await db.PeriodicalIssues.Where(i => i.PeriodicalId == periodicalId && i.PublishedOn > today).OrderBy(i => i.PublishedOn).Select(i => i.Id).Take(3).ToListAsync(ct);
        var lineIds = await (from c in db.AdContracts join l in db.QuoteLines on c.QuoteId equals l.QuoteId orderby l.Id select l.Id).ToListAsync(ct);
        foreach (var issue in issues)
            foreach (var line in lineIds)
                await plans.PlaceAsync(line, issue, actor, ct);
        // The web banner weeks of the second contract from next week, and the outdoor site for a month from the 90th day.
        var sites = scope.ServiceProvider.GetRequiredService<SiteBookingService>();
        var siteLines = await (from c in db.AdContracts join l in db.QuoteLines on c.QuoteId equals l.QuoteId join p in db.AdProducts on l.ProductId equals p.Id
                               where p.Medium == AdMedium.Online || p.Medium == AdMedium.Outdoor orderby l.Id select new { l.Id, l.Quantity, p.Medium }).ToListAsync(ct);
        foreach (var l in siteLines)
            await sites.BookAsync(l.Id, today.AddDays(l.Medium == AdMedium.Online ? 7 : 90), today.AddDays(119), l.Quantity, actor, ct);
        // The first instalment of the first contract is paid.
        var first = await db.AdInstalments.OrderBy(i => i.Id).FirstOrDefaultAsync(ct);
        if (first is not null) await plans.RecordPaymentAsync(first.Id, first.Amount, today.AddDays(-10), actor, ct);

        // The services stamp their timeline entries "now"; the demo's story is the same for the same seed and day, so they get fixed times in the hours before it.
        await using var fix = await dbs.CreateDbContextAsync(ct);
        var entries = await fix.Activities.Where(a => a.Id > activitiesBefore).OrderBy(a => a.Id).ToListAsync(ct);
        var start = now.ToUniversalTime().AddMinutes(-10 * (entries.Count + 1));
        for (var i = 0; i < entries.Count; i++) entries[i].OccurredAt = start.AddMinutes(i * 10);
        var ids = entries.ToDictionary(a => a.Id, a => a.OccurredAt);
        foreach (var t in await fix.TeamTouches.Where(t => t.LastActivityId > activitiesBefore).ToListAsync(ct))
            if (t.LastActivityId is { } last && ids.TryGetValue(last, out var at)) t.LastAt = at;
        await fix.BaseSaveChangesAsync(ct);
    }
}
