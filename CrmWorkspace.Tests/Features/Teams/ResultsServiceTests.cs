using System.Diagnostics;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ActivityKind = CrmWorkspace.Domain.ActivityKind;

namespace CrmWorkspace.Tests.Features.Teams;

/// <summary>
/// Results against targets on a small dataset of its own: a new team of two salespeople (甲 and 乙) who sell, renew, book,
/// enter customers and call this month. Every figure of the board is checked against the sum worked out by hand from what
/// they did; the manager's targets show beside them; Sales see only their own line and cannot set targets.
/// </summary>
[Collection(AppCollection.Name)]
public class ResultsServiceTests(AppFixture fx)
{
    private static PeriodKey Month => PeriodKey.Of(TargetPeriod.Month, WorkLogService.Today);

    /// <summary>A new team with a salesperson and a colleague, so nobody else's records count on their lines.</summary>
    private async Task<(Team Team, StaffIdentity A, StaffIdentity B)> NewTeamAsync(string tag)
    {
        Team team;
        await using (var db = await fx.DbAsync())
        {
            var code = (TeamCode)(100 + await db.Teams.CountAsync() + Random.Shared.Next(1000, 100_000));
            team = new Team { Code = code, Name = $"Results test {tag}", NameZh = $"业绩测试{tag}" };
            db.Teams.Add(team);
            await db.SaveChangesAsync();
        }
        using var s = fx.Scope();
        var admin = s.ServiceProvider.GetRequiredService<StaffAdminService>();
        foreach (var who in new[] { "a", "b" })
        {
            var r = await admin.CreateFirstAsync(new NewStaff($"results-{tag}-{who}@test.local", $"业绩{tag}{who}", "Targets-Board-2026!q", team.Id, Roles.Sales));
            Assert.True(r.Ok, r.Problem);
        }
        fx.Get<StaffDirectory>().Invalidate();
        return (team, await fx.StaffAsync($"results-{tag}-a@test.local"), await fx.StaffAsync($"results-{tag}-b@test.local"));
    }

    private async Task<int[]> CustomersAsync(int n, int skip)
    {
        await using var db = await fx.DbAsync();
        return await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(skip).Take(n).Select(a => a.Id).ToArrayAsync();
    }

    [Fact]
    public async Task Every_measure_equals_the_sum_worked_out_by_hand_for_the_person_the_team_and_the_records_behind_it()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (team, a, b) = await NewTeamAsync(tag);
        var wang = await fx.StaffAsync("marketing@demo.local");
        var c = await CustomersAsync(4, 12);
        using var s = fx.Scope();
        var sp = s.ServiceProvider;
        int periodical;
        await using (var db = await fx.DbAsync()) periodical = await db.Periodicals.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();

        // 甲 sells two subscriptions (1,200.00 paid in full; 800.50 with 300.00 paid), renews the first for 900.00 (unpaid),
        // and sells a third that is cancelled (does not count).
        var subs = sp.GetRequiredService<SubscriptionService>();
        async Task<int> SubscribeAsync(int account, decimal price, decimal paid)
        {
            var r = await subs.SubscribeAsync(new SubscriptionInput { AccountId = account, PeriodicalId = periodical, Price = price, Paid = paid }, a);
            Assert.True(r.Ok, r.Problem);
            return r.Id!.Value;
        }
        var first = await SubscribeAsync(c[0], 1200.00m, 1200.00m);
        await SubscribeAsync(c[1], 800.50m, 300.00m);
        var cancelled = await SubscribeAsync(c[2], 500.00m, 0m);
        Assert.True((await subs.CancelAsync(cancelled, "客户撤销", a)).Ok);
        Guid version;
        await using (var db = await fx.DbAsync()) version = await db.Subscriptions.Where(x => x.Id == first).Select(x => x.Version).FirstAsync();
        var renewed = await sp.GetRequiredService<RenewalDesk>().RenewAsync(first, new RenewalInput { Price = 900.00m, Paid = 0m }, version, a);
        Assert.True(renewed.Ok, renewed.Problem);

        // 甲 books two booths in one booking and one in another, which is then cancelled (does not count).
        var fairs = sp.GetRequiredService<FairService>();
        int fairId; List<int> booths;
        await using (var db = await fx.DbAsync())
        {
            fairId = await db.Fairs.Where(f => f.Status == FairStatus.OpenForBooking).OrderBy(f => f.Id).Select(f => f.Id).FirstAsync();
            booths = await db.Booths.Where(x => x.FairId == fairId && !db.BookingBooths.Any(bb => bb.BoothId == x.Id && bb.Live))
                .OrderByDescending(x => x.Id).Select(x => x.Id).Take(3).ToListAsync();
        }
        var booked = await fairs.BookAsync(fairId, new BookingInput { AccountId = c[0], BoothIds = booths.Take(2).ToList() }, a);
        Assert.True(booked.Ok, booked.Problem);
        var other = await fairs.BookAsync(fairId, new BookingInput { AccountId = c[1], BoothIds = [booths[2]] }, a);
        Assert.True(other.Ok, other.Problem);
        var view = await fairs.BookingAsync(other.BookingId!.Value);
        Assert.True((await fairs.UpdateAsync(view!.Id, BookingStatus.Cancelled, view.Price, view.Discount, view.Deposit, view.Paid, view.Services, "测试取消", view.Version, a)).Ok);

        // 甲 signs an advertising contract of 10,000.00 in two instalments, 4,000.00 of it paid (records as the advertising feature keeps them).
        await using (var db = await fx.DbAsAsync(a.Id))
        {
            var quote = new Quote { Number = $"Q-RT-{tag}", AccountId = c[3], SalespersonId = a.Id, ValidUntil = WorkLogService.Today.AddDays(30), Gross = 10_000m, Net = 10_000m, Status = QuoteStatus.Accepted };
            db.Quotes.Add(quote);
            await db.SaveChangesAsync();
            db.AdContracts.Add(new AdContract
            {
                Number = $"C-RT-{tag}", QuoteId = quote.Id, AccountId = c[3], SalespersonId = a.Id, SignedOn = WorkLogService.Today, Total = 10_000m,
                Instalments = [new AdInstalment { Sequence = 1, DueOn = WorkLogService.Today, Amount = 6_000m, Paid = 4_000m, PaidOn = WorkLogService.Today },
                               new AdInstalment { Sequence = 2, DueOn = WorkLogService.Today.AddDays(30), Amount = 4_000m }],
            });
            await db.SaveChangesAsync();
        }

        // 甲 enters two new customers; calls twice, makes one renewal call and one visit (a visit is not a call). 乙 calls once.
        var accounts = sp.GetRequiredService<AccountService>();
        foreach (var n in new[] { "一", "二" })
            Assert.True((await accounts.CreateAsync(new AccountInput { Name = $"业绩测试{tag}{n}号酒业有限公司", Province = "四川", City = "成都" }, a)).Ok);
        var timeline = sp.GetRequiredService<TimelineService>();
        foreach (var (who, kind) in new[] { (a, ActivityKind.Call), (a, ActivityKind.Call), (a, ActivityKind.SubscriptionCall), (a, ActivityKind.Visit), (b, ActivityKind.Call) })
            Assert.True((await timeline.LogAsync(c[0], new ActivityInput { Kind = kind, Subject = $"业绩测试 {kind}" }, who)).Ok);

        // The manager sets 甲's renewals target to 4 and the team's calls target to 8.
        var targets = sp.GetRequiredService<TargetService>();
        var saved = await targets.SaveAsync(Month, [new(SalesTarget.PersonKey(a.Id), TargetMeasure.Renewals, 4, null),
            new(SalesTarget.TeamKey(team.Id), TargetMeasure.Calls, 8, null)], wang);
        Assert.True(saved.Ok, saved.Problem);

        var results = sp.GetRequiredService<ResultsService>();
        var board = (await results.BoardAsync(Month, BoardView.People, wang)).Board!;
        var lineA = Assert.Single(board.Lines, l => l.Key == SalesTarget.PersonKey(a.Id));
        Assert.Equal(1200.00m + 800.50m + 900.00m, lineA[TargetMeasure.SubscriptionRevenue].Actual);
        Assert.Equal(1, lineA[TargetMeasure.Renewals].Actual);
        Assert.Equal(new Figure(4, 1), lineA[TargetMeasure.Renewals]);
        Assert.Equal(25m, lineA[TargetMeasure.Renewals].Percent);
        Assert.Equal(2, lineA[TargetMeasure.Booths].Actual);
        Assert.Equal(10_000m, lineA[TargetMeasure.AdRevenue].Actual);
        Assert.Equal(2, lineA[TargetMeasure.NewCustomers].Actual);
        Assert.Equal(3, lineA[TargetMeasure.Calls].Actual);
        Assert.Equal(new Collection(2900.50m, 1500.00m), lineA.Subscriptions);
        Assert.Equal(1400.50m, lineA.Subscriptions.Outstanding);
        Assert.Equal(new Collection(10_000m, 4_000m), lineA.Ads);
        var lineB = Assert.Single(board.Lines, l => l.Key == SalesTarget.PersonKey(b.Id));
        Assert.Equal(1, lineB[TargetMeasure.Calls].Actual);
        Assert.All(Measures.All.Where(m => m != TargetMeasure.Calls), m => Assert.Equal(0, lineB[m].Actual));

        // The team's line is its two people's sum, against the team's own target.
        var teams = (await results.BoardAsync(Month, BoardView.Teams, wang)).Board!;
        var teamLine = Assert.Single(teams.Lines, l => l.Key == SalesTarget.TeamKey(team.Id));
        Assert.Equal(new Figure(8, 4), teamLine[TargetMeasure.Calls]);
        Assert.Equal(2900.50m, teamLine[TargetMeasure.SubscriptionRevenue].Actual);
        Assert.Equal(50m, teamLine[TargetMeasure.Calls].Percent);

        // The records behind each figure add up to it, and are the ones written above.
        async Task<DrillRead> Drill(DrillMeasure m, string? person = null, int? teamId = null) =>
            await results.DrillAsync(new DrillQuery(Month, m, person, teamId), wang);
        Assert.Equal(2900.50m, (await Drill(DrillMeasure.SubscriptionRevenue, a.Id)).Total);
        Assert.Equal(3, (await Drill(DrillMeasure.SubscriptionRevenue, a.Id)).Count);
        var renewals = await Drill(DrillMeasure.Renewals, a.Id);
        Assert.Equal($"subscription:{renewed.Id}", Assert.Single(renewals.Records).Ref);
        Assert.Equal(2, (await Drill(DrillMeasure.Booths, a.Id)).Count);
        Assert.All((await Drill(DrillMeasure.Booths, a.Id)).Records, r => Assert.Equal($"booking:{booked.BookingId}", r.Ref));
        Assert.Equal(10_000m, (await Drill(DrillMeasure.AdRevenue, a.Id)).Total);
        Assert.Equal(6_000m, (await Drill(DrillMeasure.AdPayments, a.Id)).Total);
        Assert.Equal(1400.50m, (await Drill(DrillMeasure.SubscriptionPayments, a.Id)).Total);
        Assert.Equal(2, (await Drill(DrillMeasure.NewCustomers, a.Id)).Count);
        Assert.Equal(4, (await Drill(DrillMeasure.Calls, teamId: team.Id)).Count);
        Assert.DoesNotContain((await Drill(DrillMeasure.Calls, a.Id)).Records, r => r.What.Contains("Visit"));

        // By region: the 四川 line holds at least 甲's two new customers (entered in 成都).
        var regions = (await results.BoardAsync(Month, BoardView.Regions, wang)).Board!;
        Assert.True(Assert.Single(regions.Lines, l => l.Name == "四川")[TargetMeasure.NewCustomers].Actual >= 2);
        Assert.Equal(board.Total[TargetMeasure.Calls].Actual, regions.Total[TargetMeasure.Calls].Actual);
    }

    [Fact]
    public async Task Only_managers_set_targets_and_a_salesperson_sees_only_their_own_results()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (team, a, b) = await NewTeamAsync(tag);
        var wang = await fx.StaffAsync("marketing@demo.local");
        using var s = fx.Scope();
        var targets = s.ServiceProvider.GetRequiredService<TargetService>();
        var results = s.ServiceProvider.GetRequiredService<ResultsService>();

        // A salesperson's save is refused by the service and written to the audit trail; nothing is stored.
        var refused = await targets.SaveAsync(Month, [new(SalesTarget.PersonKey(a.Id), TargetMeasure.Calls, 1, null)], a);
        Assert.False(refused.Ok);
        await using (var db = await fx.DbAsync())
        {
            Assert.False(await db.SalesTargets.AnyAsync(t => t.Holder == SalesTarget.PersonKey(a.Id)));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.ActorId == a.Id && e.Kind == AuditKind.PermissionRefused && e.Detail!.StartsWith("SetTargets")));
        }

        // The manager sets targets for both; 甲 reads the board and sees her own line with her target, not 乙's.
        Assert.True((await targets.SaveAsync(Month, [new(SalesTarget.PersonKey(a.Id), TargetMeasure.Calls, 30, null),
            new(SalesTarget.PersonKey(b.Id), TargetMeasure.Calls, 40, null)], wang)).Ok);
        var own = (await results.BoardAsync(Month, BoardView.People, a)).Board!;
        Assert.True(own.OwnOnly);
        var line = Assert.Single(own.Lines);
        Assert.Equal(SalesTarget.PersonKey(a.Id), line.Key);
        Assert.Equal(30, line[TargetMeasure.Calls].Target);

        // Teams, regions and someone else's records are refused (and recorded); her own records open.
        Assert.Null((await results.BoardAsync(Month, BoardView.Teams, a)).Board);
        Assert.Null((await results.BoardAsync(Month, BoardView.Regions, a)).Board);
        Assert.NotNull((await results.DrillAsync(new DrillQuery(Month, DrillMeasure.Calls, b.Id), a)).Error);
        Assert.NotNull((await results.DrillAsync(new DrillQuery(Month, DrillMeasure.Calls, TeamId: team.Id), a)).Error);
        Assert.Null((await results.DrillAsync(new DrillQuery(Month, DrillMeasure.Calls, a.Id), a)).Error);
        await using (var db = await fx.DbAsync())
            Assert.True(await db.AuditEntries.CountAsync(e => e.ActorId == a.Id && e.Detail!.StartsWith("ReadTeamResults")) >= 3);
    }

    [Fact]
    public async Task Two_managers_editing_the_same_cell_never_overwrite_each_other_and_limits_are_refused_before_anything_is_saved()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (_, a, b) = await NewTeamAsync(tag);
        var wang = await fx.StaffAsync("marketing@demo.local");
        var admin = await fx.StaffAsync("admin@demo.local");
        using var s = fx.Scope();
        var targets = s.ServiceProvider.GetRequiredService<TargetService>();
        var period = PeriodKey.Of(TargetPeriod.Quarter, WorkLogService.Today);
        Assert.True((await targets.SaveAsync(period, [new(SalesTarget.PersonKey(a.Id), TargetMeasure.AdRevenue, 50_000m, null)], wang)).Ok);
        var cell = (await targets.GridAsync(period)).Rows.Single(r => r.Holder == SalesTarget.PersonKey(a.Id)).Cells[TargetMeasure.AdRevenue];
        Assert.Equal(50_000m, cell.Amount);

        // Both open the grid at that version. The administrator saves 60,000 first; 王磊's 55,000 (and his other edit) are refused.
        Assert.True((await targets.SaveAsync(period, [new(SalesTarget.PersonKey(a.Id), TargetMeasure.AdRevenue, 60_000m, cell.Version)], admin)).Ok);
        var late = await targets.SaveAsync(period, [new(SalesTarget.PersonKey(a.Id), TargetMeasure.AdRevenue, 55_000m, cell.Version),
            new(SalesTarget.PersonKey(b.Id), TargetMeasure.Calls, 10, null)], wang);
        Assert.False(late.Ok);
        var conflict = Assert.Single(late.Conflicts!);
        Assert.Equal(60_000m, conflict.Amount);
        Assert.Equal(admin.Name, conflict.ByName);
        var grid = await targets.GridAsync(period);
        Assert.Equal(60_000m, grid.Rows.Single(r => r.Holder == SalesTarget.PersonKey(a.Id)).Cells[TargetMeasure.AdRevenue].Amount);
        Assert.Null(grid.Rows.Single(r => r.Holder == SalesTarget.PersonKey(b.Id)).Cells[TargetMeasure.Calls].Amount);

        // Two managers adding the same new cell at once: exactly one is stored.
        var both = await Task.WhenAll(
            targets.SaveAsync(period, [new(SalesTarget.PersonKey(b.Id), TargetMeasure.Renewals, 5, null)], wang),
            fx.Scope().ServiceProvider.GetRequiredService<TargetService>().SaveAsync(period, [new(SalesTarget.PersonKey(b.Id), TargetMeasure.Renewals, 7, null)], admin));
        Assert.Single(both, r => r.Ok);
        await using (var db = await fx.DbAsync())
            Assert.Equal(1, await db.SalesTargets.CountAsync(t => t.Holder == SalesTarget.PersonKey(b.Id) && t.Measure == TargetMeasure.Renewals && t.Starts == period.Starts));

        // Limits: below zero, above the measure's maximum, a fraction of a count: each cell named, nothing saved.
        var bad = await targets.SaveAsync(period, [new(SalesTarget.PersonKey(b.Id), TargetMeasure.Booths, -1, null),
            new(SalesTarget.PersonKey(b.Id), TargetMeasure.SubscriptionRevenue, TargetMeasure.SubscriptionRevenue.Max() + 1, null),
            new(SalesTarget.PersonKey(b.Id), TargetMeasure.NewCustomers, 2.5m, null)], wang);
        Assert.False(bad.Ok);
        Assert.Equal(3, bad.Errors!.Count);
        Assert.Contains(TargetSaveResult.CellKey(SalesTarget.PersonKey(b.Id), TargetMeasure.NewCustomers), bad.Errors.Keys);
        Assert.Null((await targets.GridAsync(period)).Rows.Single(r => r.Holder == SalesTarget.PersonKey(b.Id)).Cells[TargetMeasure.Booths].Amount);
    }

    [Fact]
    public async Task The_results_report_prints_the_figures_of_the_board_in_english_and_chinese()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (_, a, _) = await NewTeamAsync(tag);
        var wang = await fx.StaffAsync("marketing@demo.local");
        var c = await CustomersAsync(1, 17);
        using var s = fx.Scope();
        var sp = s.ServiceProvider;
        int periodical;
        await using (var db = await fx.DbAsync()) periodical = await db.Periodicals.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        Assert.True((await sp.GetRequiredService<SubscriptionService>().SubscribeAsync(
            new SubscriptionInput { AccountId = c[0], PeriodicalId = periodical, Price = 12_345.60m, Paid = 2_345.60m }, a)).Ok);
        Assert.True((await sp.GetRequiredService<TargetService>().SaveAsync(Month,
            [new(SalesTarget.PersonKey(a.Id), TargetMeasure.SubscriptionRevenue, 20_000m, null)], wang)).Ok);

        foreach (var culture in new[] { "en", "zh-Hans" })
        {
            var previous = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
            try
            {
                var reports = sp.GetRequiredService<TargetReports>();
                var board = (await sp.GetRequiredService<ResultsService>().BoardAsync(Month, BoardView.People, wang)).Board!;
                var line = board.Lines.Single(l => l.Key == SalesTarget.PersonKey(a.Id));
                var (report, error) = await reports.ReportAsync(Month, wang);
                Assert.Null(error);
                var text = await PdfTextAsync(await reports.PdfAsync(report!));
                Assert.Contains(culture == "en" ? "Results against targets" : "目标完成情况", text);
                Assert.Contains(culture == "en" ? "Subscription revenue" : "订阅收入", text);
                // 甲's subscription line: her name, the target, the actual and the share reached, as the board has them.
                var row = text.Split('\n').First(l => l.Contains(line.Name) && l.Contains("20,000.00"));
                Assert.Contains(line[TargetMeasure.SubscriptionRevenue].Actual.ToString("N2"), row);
                Assert.Contains("12,345.60", row);
                Assert.Contains("61.7%", row);
                // Her collected and outstanding, and the total of everyone's subscription revenue, as on the board.
                Assert.Contains(text.Split('\n'), l => l.Contains(line.Name) && l.Contains("2,345.60") && l.Contains("10,000.00"));
                Assert.Contains(board.Total[TargetMeasure.SubscriptionRevenue].Actual.ToString("N2"), text);
                Assert.Contains(board.Total.Subscriptions.Outstanding.ToString("N2"), text);
            }
            finally { (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = previous; }
        }
    }

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", file, "-"]) { RedirectStandardOutput = true })!;
            var text = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.Equal(0, p.ExitCode);
            return text;
        }
        finally { File.Delete(file); }
    }
}
