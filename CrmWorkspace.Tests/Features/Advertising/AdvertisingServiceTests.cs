using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace CrmWorkspace.Tests.Features.Advertising;

[Collection(AppCollection.Name)]
public class AdvertisingServiceTests(AppFixture fx)
{
    private Task<StaffIdentity> Manager => fx.StaffAsync("marketing@demo.local");   // 王磊, marketing manager
    private Task<StaffIdentity> Member => fx.StaffAsync("fair@demo.local");         // 张伟, a member

    private T Svc<T>(IServiceScope s) where T : notnull => s.ServiceProvider.GetRequiredService<T>();

    /// <summary>A periodical of its own with one coming issue, and products for it: cover, full page, half page.</summary>
    private async Task<(int IssueId, int Cover, int Full, int Half)> NewPeriodicalAsync(string code, int adPages = 24)
    {
        using var s = fx.Scope();
        var manager = await Manager;
        var p = new Periodical { Title = $"测试刊 {code}", Code = code, IssuesPerYear = 12, AnnualPrice = 100 };
        Assert.True((await Svc<PeriodicalService>(s).CreatePeriodicalAsync(p, manager)).Ok);
        var issue = await Svc<PeriodicalService>(s).AddIssueAsync(p.Id, "2027-03", new DateOnly(2027, 3, 10), false, manager);
        Assert.True(issue.Ok, issue.Error);
        var card = Svc<RateCardService>(s);
        async Task<int> Add(string name, AdPosition pos, AdSize size, decimal price)
        {
            var r = await card.SaveProductAsync(new AdProductInput { Year = 2027, PeriodicalId = p.Id, Name = name, Position = pos, Size = size, ListPrice = price }, manager);
            Assert.True(r.Ok, r.Problem);
            return r.Id!.Value;
        }
        var ids = (await Add("封面", AdPosition.FrontCover, AdSize.Full, 90_000), await Add("整版", AdPosition.RunOfBook, AdSize.Full, 30_000), await Add("半版", AdPosition.RunOfBook, AdSize.Half, 16_000));
        if (adPages != 24) Assert.True((await Svc<FlatplanService>(s).SetPagesAsync(issue.Id!.Value, 32, adPages, manager)).Ok);
        return (issue.Id!.Value, ids.Item1, ids.Item2, ids.Item3);
    }

    private async Task<int[]> AccountsAsync(int n, int skip = 0)
    {
        await using var db = await fx.DbAsAsync(Actors.SystemId);
        var picked = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(skip).Select(a => new { a.Id, a.Status, a.Name }).Take(n).ToListAsync();
        // A restricted customer is quoted only with a manager's override: a fresh customer stands in its place.
        var ids = new List<int>();
        foreach (var p in picked)
        {
            if (p.Status != AccountStatus.Restricted) { ids.Add(p.Id); continue; }
            var stand = new Account { Name = p.Name + "（替代）", Status = AccountStatus.Active };
            db.Accounts.Add(stand);
            await db.SaveChangesAsync();
            ids.Add(stand.Id);
        }
        return [.. ids];
    }

    /// <summary>A signed contract for one line; returns the quote line id.</summary>
    private async Task<int> ContractLineAsync(int account, int product, int qty = 1, decimal extra = 0)
    {
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var manager = await Manager;
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Lines = [new() { ProductId = product, Quantity = qty, ExtraDiscount = extra }] }, manager);
        Assert.True(q.Ok, q.Problem);
        var view = (await quotes.GetAsync(q.Id!.Value))!;
        if (view.Status == QuoteStatus.AwaitingApproval) view = (await quotes.GetAsync((await quotes.ApproveAsync(view.Id, view.Version, manager)).Id!.Value))!;
        var c = await quotes.AcceptAsync(view.Id, view.Version, new DateOnly(2026, 12, 1), 2, manager);
        Assert.True(c.Ok, c.Problem);
        return view.Lines[0].Id;
    }

    [Fact]
    public async Task A_member_cannot_change_the_rate_card_a_manager_can_and_a_stale_edit_is_refused()
    {
        using var s = fx.Scope();
        var card = Svc<RateCardService>(s);
        var input = new AdProductInput { Year = 2027, Medium = AdMedium.Online, Name = "测试首页通栏", Site = "首页", ListPrice = 10_000 };
        var refused = await card.SaveProductAsync(input, await Member);
        Assert.False(refused.Ok);
        Assert.Contains("managers", refused.Error);
        Assert.False((await card.SetTierAsync(2027, AdDiscountBasis.Series, 3, 5, await Member)).Ok);

        var made = await card.SaveProductAsync(input, await Manager);
        Assert.True(made.Ok, made.Problem);
        var first = new AdProductInput { Id = made.Id!.Value, Year = 2027, Medium = AdMedium.Online, Name = "测试首页通栏", Site = "首页", ListPrice = 11_000, Version = made.Version!.Value };
        Assert.True((await card.SaveProductAsync(first, await Manager)).Ok);
        var second = new AdProductInput { Id = made.Id!.Value, Year = 2027, Medium = AdMedium.Online, Name = "测试首页通栏", Site = "首页", ListPrice = 12_000, Version = made.Version!.Value };
        var stale = await card.SaveProductAsync(second, await Manager);
        Assert.False(stale.Ok);
        Assert.True(stale.Conflict);
        Assert.Equal(11_000, (await card.ProductsAsync(2027)).Single(p => p.Id == made.Id).ListPrice);
    }

    [Fact]
    public async Task Print_products_need_a_periodical_and_premium_positions_are_full_pages()
    {
        using var s = fx.Scope();
        var r = await Svc<RateCardService>(s).SaveProductAsync(new AdProductInput { Year = 2027, Name = "x", Position = AdPosition.BackCover, Size = AdSize.Half, ListPrice = 1 }, await Manager);
        Assert.False(r.Ok);
        Assert.Contains(nameof(AdProductInput.PeriodicalId), r.Errors!.Keys);
        Assert.Contains(nameof(AdProductInput.Size), r.Errors!.Keys);
    }

    [Fact]
    public async Task A_quote_keeps_the_prices_it_was_made_with_and_a_revision_keeps_the_old_version()
    {
        var (_, _, full, _) = await NewPeriodicalAsync("ADQ1");
        var account = (await AccountsAsync(1, 3))[0];
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var card = Svc<RateCardService>(s);
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Lines = [new() { ProductId = full, Quantity = 2 }] }, await Manager);
        Assert.True(q.Ok, q.Problem);

        var product = (await card.ProductsAsync(2027)).Single(p => p.Id == full);
        Assert.True((await card.SaveProductAsync(new AdProductInput { Id = full, Year = 2027, PeriodicalId = product.PeriodicalId, Name = product.Name, Size = AdSize.Full,
            ListPrice = 40_000, Version = product.Version }, await Manager)).Ok);
        var old = (await quotes.GetAsync(q.Id!.Value))!;
        Assert.Equal(30_000, old.Lines[0].UnitPrice);
        Assert.Equal(60_000, old.Net);

        var revised = await quotes.ReviseAsync(old.Id, new QuoteInput { AccountId = account, Lines = [new() { ProductId = full, Quantity = 3 }] }, old.Version, await Manager);
        Assert.True(revised.Ok, revised.Problem);
        var v2 = (await quotes.GetAsync(revised.Id!.Value))!;
        Assert.Equal((old.Number, 2, old.Id), (v2.Number, v2.Revision, v2.PreviousId));
        Assert.Equal(40_000, v2.Lines[0].UnitPrice);
        Assert.Equal(QuoteStatus.Superseded, (await quotes.GetAsync(old.Id))!.Status);
        Assert.Equal([2, 1], (await quotes.VersionsAsync(old.Number)).Select(v => v.Revision));
        // The old version cannot be revised again (someone would fork the quote).
        Assert.False((await quotes.ReviseAsync(old.Id, new QuoteInput { AccountId = account, Lines = [new() { ProductId = full }] }, (await quotes.GetAsync(old.Id))!.Version, await Manager)).Ok);
    }

    [Fact]
    public async Task A_discount_above_the_limit_waits_for_a_manager_members_cannot_approve_and_acceptance_makes_a_contract_with_instalments()
    {
        var (_, _, full, _) = await NewPeriodicalAsync("ADQ2");
        var account = (await AccountsAsync(1, 4))[0];
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Lines = [new() { ProductId = full, Quantity = 6, ExtraDiscount = 15 }] }, await Member);
        Assert.True(q.Ok, q.Problem);
        var view = (await quotes.GetAsync(q.Id!.Value))!;
        Assert.Equal(QuoteStatus.AwaitingApproval, view.Status);
        Assert.True(view.NeedsApproval);

        Assert.False((await quotes.AcceptAsync(view.Id, view.Version, new DateOnly(2026, 12, 1), 3, await Member)).Ok);
        var refused = await quotes.ApproveAsync(view.Id, view.Version, await Member);
        Assert.False(refused.Ok);
        Assert.Contains("manager", refused.Error);
        var approved = await quotes.ApproveAsync(view.Id, view.Version, await Manager);
        Assert.True(approved.Ok, approved.Problem);
        view = (await quotes.GetAsync(view.Id))!;
        Assert.Equal("王磊", view.ApprovedByName);

        var contract = await quotes.AcceptAsync(view.Id, view.Version, new DateOnly(2026, 12, 1), 3, await Member);
        Assert.True(contract.Ok, contract.Problem);
        await using var db = await fx.DbAsync();
        var c = await db.AdContracts.Include(x => x.Instalments).SingleAsync(x => x.Id == contract.Id);
        Assert.Equal(view.Net, c.Total);
        Assert.Equal(3, c.Instalments.Count);
        Assert.Equal(c.Total, c.Instalments.Sum(i => i.Amount));
        // Accepting twice never makes a second contract.
        Assert.False((await quotes.AcceptAsync(view.Id, (await quotes.GetAsync(view.Id))!.Version, new DateOnly(2026, 12, 1), 3, await Member)).Ok);
    }

    [Fact]
    public async Task Moves_and_value_changes_go_on_the_customers_timeline_and_two_people_moving_one_card_never_silently_overwrite()
    {
        var account = (await AccountsAsync(1, 8))[0];
        using var s = fx.Scope();
        var pipeline = Svc<PipelineService>(s);
        var created = await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "测试封面全年", ExpectedValue = 100_000 }, await Manager);
        Assert.True(created.Ok, created.Problem);
        var seen = created.Version!.Value;

        using var s2 = fx.Scope();
        var a = await pipeline.MoveAsync(created.Id!.Value, PipelineStep.Visit, seen, await Manager);
        var b = await Svc<PipelineService>(s2).MoveAsync(created.Id!.Value, PipelineStep.BuildTrust, seen, await Member);
        Assert.True(a.Ok, a.Problem);
        Assert.False(b.Ok);
        Assert.True(b.Conflict);
        Assert.Contains("王磊", b.Error);
        Assert.Contains("约见拜访", b.Error);
        Assert.Equal(PipelineStep.Visit, (await pipeline.CardAsync(created.Id!.Value))!.Step);

        var changed = await pipeline.ChangeAsync(created.Id!.Value, new OpportunityInput { AccountId = account, Title = "测试封面全年", ExpectedValue = 150_000,
            ExpectedClose = DateOnly.FromDateTime(DateTime.Today.AddMonths(1)) }, a.Version!.Value, await Manager);
        Assert.True(changed.Ok, changed.Problem);

        await using var db = await fx.DbAsync();
        var subjects = await db.Activities.Where(x => x.AccountId == account && x.Subject.Contains("测试封面全年")).Select(x => x.Subject).ToListAsync();
        Assert.Contains(subjects, x => x.Contains("寻找准客户") && x.Contains("约见拜访"));
        Assert.Contains(subjects, x => x.Contains("150,000"));
        Assert.DoesNotContain(subjects, x => x.Contains("建立信任关系"));

        // Written by a salesperson working in English, each note reads in Chinese for a Chinese colleague, and as written for them.
        var lines = s.ServiceProvider.GetRequiredService<CrmWorkspace.Localization.LineText>();
        var notes = await db.Activities.Where(x => x.AccountId == account && x.Subject.Contains("测试封面全年")).OrderBy(x => x.Id).ToListAsync();
        var zh = notes.Select(n => CrmWorkspace.Tests.Localization.LocalLineTests.In("zh-Hans", () => lines.Subject(n.Subject, n.Data))).ToList();
        Assert.Contains("商机 测试封面全年 推进：1 寻找准客户 → 2 约见拜访", zh);
        Assert.Contains(zh, x => x.StartsWith("商机 测试封面全年：金额 100,000 → 150,000"));
        Assert.DoesNotContain(zh, x => x.Contains("moved") || x.Contains("value"));
        Assert.Equal(notes.Select(n => n.Subject), notes.Select(n => lines.Subject(n.Subject, n.Data)));

        // The team's last touch on the customer's page ("who works this customer") reads in Chinese too.
        var work = (await Svc<CrmWorkspace.Features.Timeline.TimelineService>(s).WhoWorksAsync([account]))[account];
        var marketing = work.Single(w => w.LastSubject?.Contains("测试封面全年") == true);
        Assert.StartsWith("商机 测试封面全年：金额", CrmWorkspace.Tests.Localization.LocalLineTests.In("zh-Hans", () => lines.Subject(marketing.LastSubject!, marketing.LastData)));

        // Filtering the customer's timeline by the words on the reader's screen finds the note in either language.
        var timeline = Svc<CrmWorkspace.Features.Timeline.TimelineService>(s);
        async Task<List<long>> FilterAsync(string words) =>
            (await timeline.PageAsync(new CrmWorkspace.Features.Timeline.TimelineQuery { AccountId = account, Text = words })).Select(e => e.Id).ToList();
        var moveNote = notes.First(n => n.Subject.Contains("moved"));
        Assert.Contains(moveNote.Id, await FilterAsync("推进"));
        Assert.Contains(moveNote.Id, await FilterAsync("moved"));
        Assert.Contains(notes.First(n => n.Subject.Contains("value")).Id, await FilterAsync("预计成交"));

        // The author rewrites the note: their own words show from then on, in every language.
        var edited = await Svc<CrmWorkspace.Features.Timeline.TimelineService>(s).EditAsync(moveNote.Id,
            new CrmWorkspace.Features.Timeline.ActivityInput { Kind = ActivityKind.Note, Subject = "约好下周一见面" }, moveNote.Version, await Manager);
        Assert.True(edited.Ok, edited.Problem);
        await using var db2 = await fx.DbAsync();
        var after = await db2.Activities.SingleAsync(x => x.Id == moveNote.Id);
        Assert.Equal("约好下周一见面", CrmWorkspace.Tests.Localization.LocalLineTests.In("en", () => lines.Subject(after.Subject, after.Data)));
        // ...and the filter finds it by them, no longer by the line it replaced.
        Assert.Contains(moveNote.Id, await FilterAsync("下周一"));
        Assert.DoesNotContain(moveNote.Id, await FilterAsync("推进"));
    }

    [Fact]
    public async Task Lost_needs_a_reason_from_the_list_and_leaves_the_board_and_the_forecast_weighs_by_step()
    {
        var account = (await AccountsAsync(1, 9))[0];
        using var s = fx.Scope();
        var pipeline = Svc<PipelineService>(s);
        var member = await Member;
        var close = new DateOnly(2031, 5, 15);
        var r1 = await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "预测一", ExpectedValue = 100_000, ExpectedClose = close, Step = PipelineStep.Propose }, member);
        var r2 = await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "预测二", ExpectedValue = 50_000, ExpectedClose = close, Step = PipelineStep.Sign }, member);
        var r3 = await pipeline.CreateAsync(new OpportunityInput { AccountId = account, Title = "预测三", ExpectedValue = 70_000, ExpectedClose = close, Step = PipelineStep.Visit }, member);
        Assert.False((await pipeline.LoseAsync(r3.Id!.Value, (LostReason)77, r3.Version!.Value, member)).Ok);
        Assert.True((await pipeline.LoseAsync(r3.Id!.Value, LostReason.Competitor, r3.Version!.Value, member)).Ok);
        Assert.DoesNotContain(await pipeline.BoardAsync(member.Id, null), c => c.Id == r3.Id);

        var row = (await pipeline.ForecastAsync(null)).Single(f => f.OwnerId == member.Id && f.Year == 2031 && f.Month == 5);
        Assert.Equal(2, row.Deals);
        Assert.Equal(150_000, row.Value);
        Assert.Equal(100_000 * 0.60m + 50_000 * 0.90m, row.Weighted);
    }

    [Fact]
    public async Task Ten_people_placing_the_same_front_cover_at_once_make_exactly_one_placement_and_the_others_are_told_who_holds_it()
    {
        var (issue, cover, _, _) = await NewPeriodicalAsync("ADF1");
        var accounts = await AccountsAsync(10, 10);
        var lines = new List<int>();
        foreach (var a in accounts) lines.Add(await ContractLineAsync(a, cover));
        var agent = await Member;
        using var gate = new ManualResetEventSlim(false);
        var attempts = lines.Select(line => Task.Run(async () =>
        {
            using var s = fx.Scope();
            var plans = Svc<FlatplanService>(s);
            gate.Wait();
            return await plans.PlaceAsync(line, issue, agent);
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(attempts);
        Assert.Single(results, r => r.Ok);
        using var s0 = fx.Scope();
        var plan = (await Svc<FlatplanService>(s0).FlatplanAsync(issue))!;
        var holder = plan.Premium.Single(p => p.Position == AdPosition.FrontCover);
        Assert.NotNull(holder.InsertionId);
        Assert.All(results.Where(r => !r.Ok), r => Assert.Contains(holder.Advertiser!, r.Error));
        Assert.All(results.Where(r => !r.Ok), r => Assert.Contains(holder.ContractNumber!, r.Error));
        await using var db = await fx.DbAsync();
        Assert.Equal(1, await db.AdInsertions.CountAsync(x => x.IssueId == issue && x.Position == AdPosition.FrontCover && x.Live));

        // The database itself refuses a second live front cover, whatever the service does.
        var other = await db.AdInsertions.FirstAsync(x => x.IssueId == issue);
        await using var raw = await fx.DbAsAsync(agent.Id);
        raw.AdInsertions.Add(new AdInsertion { ContractId = other.ContractId, QuoteLineId = other.QuoteLineId, IssueId = issue, Position = AdPosition.FrontCover });
        await Assert.ThrowsAsync<DbUpdateException>(() => raw.SaveChangesAsync());
    }

    [Fact]
    public async Task Run_of_book_space_is_refused_when_the_issues_ad_pages_are_full_and_a_cancelled_ad_frees_it()
    {
        var (issue, _, full, half) = await NewPeriodicalAsync("ADF2", adPages: 2);
        var accounts = await AccountsAsync(4, 20);
        var agent = await Member;
        using var s = fx.Scope();
        var plans = Svc<FlatplanService>(s);
        var p1 = await plans.PlaceAsync(await ContractLineAsync(accounts[0], full), issue, agent);
        var p2 = await plans.PlaceAsync(await ContractLineAsync(accounts[1], half), issue, agent);
        var p3 = await plans.PlaceAsync(await ContractLineAsync(accounts[2], half), issue, agent);
        Assert.True(p1.Ok && p2.Ok && p3.Ok, p1.Problem + p2.Problem + p3.Problem);
        var fourth = await ContractLineAsync(accounts[3], half);
        var refused = await plans.PlaceAsync(fourth, issue, agent);
        Assert.False(refused.Ok);
        Assert.Contains("2 ad pages", refused.Error);
        Assert.Equal(2m, (await plans.FlatplanAsync(issue))!.RunOfBookUsed);

        Assert.True((await plans.SetStatusAsync(p2.Id!.Value, InsertionStatus.Cancelled, p2.Version!.Value, agent)).Ok);
        Assert.True((await plans.PlaceAsync(fourth, issue, agent)).Ok);
        // Members cannot change an issue's pages; fewer ad pages than sold are refused even for a manager.
        Assert.False((await plans.SetPagesAsync(issue, 32, 8, agent)).Ok);
        Assert.False((await plans.SetPagesAsync(issue, 32, 1, await Manager)).Ok);
    }

    [Fact]
    public async Task An_open_flatplan_applying_each_placement_and_status_change_from_its_event_shows_what_a_fresh_read_shows()
    {
        var (issue, cover, full, half) = await NewPeriodicalAsync("ADF3");
        var accounts = await AccountsAsync(3, 5);
        var (coverLine, fullLine, halfLine) = (await ContractLineAsync(accounts[0], cover), await ContractLineAsync(accounts[1], full, qty: 2), await ContractLineAsync(accounts[2], half));
        var agent = await Member;
        using var s = fx.Scope();
        var plans = Svc<FlatplanService>(s);
        // The page as opened: then each change arrives as its event does, and the page's own save applies it once more.
        var plan = (await plans.FlatplanAsync(issue))!;
        var lines = await plans.PlaceableAsync(issue);
        Assert.Equal(3, lines.Count);
        async Task AppliedAsync(AdResult r)
        {
            Assert.True(r.Ok, r.Problem);
            var change = (await plans.InsertionAsync(r.Id!.Value))!;
            (plan, lines) = FlatplanService.Apply(plan, lines, change);
            (plan, lines) = FlatplanService.Apply(plan, lines, change);
            var fresh = (await plans.FlatplanAsync(issue))!;
            Assert.Equal(fresh.Premium, plan.Premium);
            Assert.Equal(fresh.RunOfBook, plan.RunOfBook);
            Assert.Equal(fresh.RunOfBookUsed, plan.RunOfBookUsed);
            Assert.Equal(await plans.PlaceableAsync(issue), lines);
        }
        await AppliedAsync(await plans.PlaceAsync(coverLine, issue, agent));
        var placedFull = await plans.PlaceAsync(fullLine, issue, agent);
        await AppliedAsync(placedFull);
        Assert.Contains(lines, l => l.QuoteLineId == fullLine && l.Placed == 1);   // one of two placed: still to place
        var placedHalf = await plans.PlaceAsync(halfLine, issue, agent);
        await AppliedAsync(placedHalf);
        Assert.DoesNotContain(lines, l => l.QuoteLineId == halfLine);
        await AppliedAsync(await plans.SetStatusAsync(placedFull.Id!.Value, InsertionStatus.Confirmed, placedFull.Version!.Value, agent));
        await AppliedAsync(await plans.SetStatusAsync(placedHalf.Id!.Value, InsertionStatus.Cancelled, placedHalf.Version!.Value, agent));
        Assert.Contains(lines, l => l.QuoteLineId == halfLine && l.Placed == 0);    // cancelled: back among the lines to place
        Assert.Equal(1m, plan.RunOfBookUsed);
    }

    [Fact]
    public async Task Receivables_show_what_is_outstanding_and_overdue_and_a_payment_above_it_is_refused()
    {
        var (_, _, full, _) = await NewPeriodicalAsync("ADR1");
        var account = (await AccountsAsync(1, 24))[0];
        await ContractLineAsync(account, full);   // signed 2026-12-01 in 2 instalments: 2026-12-01 and 2027-01-01
        using var s = fx.Scope();
        var plans = Svc<FlatplanService>(s);
        var mine = (await plans.ReceivablesAsync()).Where(r => r.AccountId == account).OrderBy(r => r.Sequence).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal(30_000m, mine.Sum(r => r.Outstanding));
        // Finance records payments (seed 003); a salesperson is refused, and nothing is paid.
        var finance = await fx.StaffAsync("finance@demo.local");
        var bySales = await plans.RecordPaymentAsync(mine[0].InstalmentId, mine[0].Amount, new DateOnly(2026, 12, 2), await Member);
        Assert.False(bySales.Ok);
        Assert.Equal("Only finance (or a manager) records payments.", bySales.Error);
        Assert.Contains(await plans.ReceivablesAsync(), r => r.InstalmentId == mine[0].InstalmentId && r.Outstanding == mine[0].Amount);
        var tooMuch = await plans.RecordPaymentAsync(mine[0].InstalmentId, mine[0].Amount + 1, new DateOnly(2026, 12, 2), finance);
        Assert.False(tooMuch.Ok);
        Assert.True((await plans.RecordPaymentAsync(mine[0].InstalmentId, mine[0].Amount, new DateOnly(2026, 12, 2), finance)).Ok);
        Assert.DoesNotContain(await plans.ReceivablesAsync(), r => r.InstalmentId == mine[0].InstalmentId);
        var overdue = await plans.ReceivablesAsync(overdueOnly: true);
        Assert.All(overdue, r => Assert.True(r.DueOn < DateOnly.FromDateTime(DateTime.Today) && r.DaysOverdue > 0));
    }

    [Fact]
    public async Task The_chinese_quote_pdf_has_letterhead_validity_terms_and_the_total_of_the_screen()
    {
        var (_, cover, full, _) = await NewPeriodicalAsync("ADP1");
        var account = (await AccountsAsync(1, 25))[0];
        using var s = fx.Scope();
        var quotes = Svc<QuoteService>(s);
        var q = await quotes.CreateAsync(new QuoteInput { AccountId = account, Terms = "首期款于签约后 7 日内支付。",
            Lines = [new() { ProductId = cover, Quantity = 1, Schedule = "2027-03" }, new() { ProductId = full, Quantity = 6, ExtraDiscount = 5 }] }, await Manager);
        Assert.True(q.Ok, q.Problem);
        var view = (await quotes.GetAsync(q.Id!.Value))!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (pdf, name) = (await Svc<QuoteDocuments>(s).PdfInAsync(view.Id, "zh-Hans"))!.Value;
        var ms = clock.ElapsedMilliseconds;
        Assert.EndsWith(".pdf", name);
        using var doc = PdfDocument.Open(pdf);
        var text = string.Concat(doc.GetPages().Select(p => p.Text));
        foreach (var expected in new[] { "广告报价单", "中国糖酒传媒", "成都市锦江区红星路三段", view.Number, view.AccountName, view.Net.ToString("N2"),
                     view.ValidUntil.ToString("yyyy-MM-dd"), "本报价有效期至", "条款", "首期款于签约后", "封面" })
            Assert.Contains(expected.Replace(" ", ""), text.Replace(" ", ""));
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "ads15-quote.pdf"), pdf);
        // Warm prints (Chromium already running), as a salesperson printing in the day meets them.
        var warm = new List<long>();
        for (var i = 0; i < 5; i++) { clock.Restart(); await Svc<QuoteDocuments>(s).PdfAsync(view.Id); warm.Add(clock.ElapsedMilliseconds); }
        Console.WriteLine($"quote pdf: {doc.NumberOfPages} page(s), {pdf.Length} bytes, first {ms} ms, warm {string.Join("/", warm)} ms");
    }
}
