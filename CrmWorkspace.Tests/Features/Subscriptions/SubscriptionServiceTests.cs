using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using MiniExcelLibs;
using UglyToad.PdfPig;

namespace CrmWorkspace.Tests.Features.Subscriptions;

[Collection(AppCollection.Name)]
public class SubscriptionServiceTests(AppFixture fx)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    private async Task<int> PeriodicalAsync(string title, decimal price = 360m)
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var p = new Periodical { Title = title, Code = "T" + Guid.NewGuid().ToString("N")[..8], Frequency = IssueFrequency.Monthly, IssuesPerYear = 12, AnnualPrice = price };
        var r = await servicePeriodicalService.CreatePeriodicalAsync(p, await fx.StaffAsync("circulation@demo.local"));
        Assert.True(r.Ok, r.Error);
        return p.Id;
    }

    private async Task<(int Id, int? ContactId)[]> CustomersAsync(int n, int skip = 0)
    {
        await using var db = await fx.DbAsync();
        return (await db.Accounts.Where(a => a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Skip(skip).Take(n)
            .Select(a => new { a.Id, Contact = a.Contacts.Select(c => (int?)c.Id).FirstOrDefault() }).ToListAsync()).Select(x => (x.Id, x.Contact)).ToArray();
    }

    private async Task<int> SubscribeAsync(SubscriptionService service, StaffIdentity actor, int periodical, (int Id, int? ContactId) customer, DateOnly starts, int months = 12, int copies = 1, decimal? price = null)
    {
        var r = await service.SubscribeAsync(new SubscriptionInput
        {
            AccountId = customer.Id, ContactId = customer.ContactId, PeriodicalId = periodical, StartsOn = starts.ToDateTime(TimeOnly.MinValue), Months = months, Copies = copies, Price = price,
        }, actor);
        Assert.True(r.Ok, r.Error ?? string.Join(" ", r.Errors?.Values ?? []));
        return r.Id!.Value;
    }

    [Fact]
    public async Task An_issues_dispatch_list_holds_exactly_the_subscriptions_active_at_its_date()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var actor = await fx.StaffAsync("circulation@demo.local");
        var p = await PeriodicalAsync("发刊测试月刊");
        var other = await PeriodicalAsync("另一种期刊");
        var day = new DateOnly(2026, 6, 15);
        var issue = await servicePeriodicalService.AddIssueAsync(p, "2026-06", day, false, actor);
        Assert.True(issue.Ok);
        var c = await CustomersAsync(8);
        var spanning = await SubscribeAsync(service, actor, p, c[0], new DateOnly(2026, 1, 1));
        var startsThatDay = await SubscribeAsync(service, actor, p, c[1], day);
        var endsThatDay = await SubscribeAsync(service, actor, p, c[2], new DateOnly(2025, 6, 16));
        var endedBefore = await SubscribeAsync(service, actor, p, c[3], new DateOnly(2025, 6, 1));
        var startsAfter = await SubscribeAsync(service, actor, p, c[4], day.AddDays(1));
        var cancelledBefore = await SubscribeAsync(service, actor, p, c[5], new DateOnly(2026, 1, 1));
        var cancelledAfter = await SubscribeAsync(service, actor, p, c[6], new DateOnly(2026, 1, 1));
        await SubscribeAsync(service, actor, other, c[7], new DateOnly(2026, 1, 1));
        await using (var db = await fx.DbAsync())
        {
            await db.Subscriptions.Where(x => x.Id == cancelledBefore).ExecuteUpdateAsync(u => u.SetProperty(x => x.CancelledAt, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
            await db.Subscriptions.Where(x => x.Id == cancelledAfter).ExecuteUpdateAsync(u => u.SetProperty(x => x.CancelledAt, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)));
        }

        var list = await serviceDispatchService.DispatchListAsync(issue.Id!.Value);

        Assert.Equal(new[] { spanning, startsThatDay, endsThatDay, cancelledAfter }.Order(), list.Select(r => r.SubscriptionId).Order());
        Assert.DoesNotContain(list, r => r.SubscriptionId == endedBefore || r.SubscriptionId == startsAfter);

        var marked = await serviceDispatchService.MarkDispatchedAsync(issue.Id.Value, [spanning, startsThatDay], actor);
        Assert.Equal(2, marked.Count);
        list = await serviceDispatchService.DispatchListAsync(issue.Id.Value);
        Assert.Equal(2, list.Count(r => r.DispatchId is not null));
        // Marking again leaves the dispatched ones alone.
        Assert.Equal(0, (await serviceDispatchService.MarkDispatchedAsync(issue.Id.Value, [spanning], actor)).Count);
    }

    [Fact]
    public async Task A_bad_address_return_flags_the_contact_and_shows_on_the_timeline()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var actor = await fx.StaffAsync("circulation@demo.local");
        var p = await PeriodicalAsync("退刊测试周刊");
        var customer = (await CustomersAsync(30)).First(c => c.ContactId is not null);
        var sub = await SubscribeAsync(service, actor, p, customer, Today.AddMonths(-1));
        var issue = (await servicePeriodicalService.AddIssueAsync(p, "X-1", Today, false, actor)).Id!.Value;
        await serviceDispatchService.MarkDispatchedAsync(issue, [sub], actor);
        var dispatch = (await serviceDispatchService.DispatchListAsync(issue)).Single(r => r.SubscriptionId == sub).DispatchId!.Value;

        Assert.True((await serviceDispatchService.RecordReturnAsync(dispatch, ReturnReason.BadAddress, "查无此人", actor)).Ok);

        await using var db = await fx.DbAsync();
        Assert.NotNull(await db.Contacts.Where(c => c.Id == customer.ContactId).Select(c => c.AddressProblem).SingleAsync());
        Assert.True(await db.Activities.AnyAsync(a => a.AccountId == customer.Id && a.SystemEvent == "dispatch.returned"));
        Assert.Equal(ReturnReason.BadAddress, (await serviceDispatchService.DispatchListAsync(issue)).Single(r => r.SubscriptionId == sub).Returned);
        Assert.False((await serviceDispatchService.RecordReturnAsync(dispatch, ReturnReason.Refused, null, actor)).Ok);
    }

    [Fact]
    public async Task Renewing_makes_the_next_period_once_and_a_stale_second_renewal_is_refused_naming_who()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var lina = await fx.StaffAsync("circulation@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");
        var p = await PeriodicalAsync("续订测试双月刊", price: 240m);
        var customer = (await CustomersAsync(1, skip: 11))[0];
        var sub = await SubscribeAsync(service, lina, p, customer, Today.AddMonths(-11));
        var row = (await serviceRenewalDesk.WorklistAsync(new RenewalQuery { PeriodicalId = p })).Single(r => r.SubscriptionId == sub);
        Assert.Equal(SubscriptionStatus.Expiring, row.Status);

        var renewed = await serviceRenewalDesk.RenewAsync(sub, new RenewalInput { Months = 12, Copies = 3 }, row.Version, lina);
        var again = await serviceRenewalDesk.RenewAsync(sub, new RenewalInput { Months = 12, Copies = 1 }, row.Version, wang);

        Assert.True(renewed.Ok, renewed.Error);
        Assert.False(again.Ok);
        Assert.Contains("李娜", again.Error);
        await using var db = await fx.DbAsync();
        var next = await db.Subscriptions.SingleAsync(x => x.Id == renewed.Id);
        Assert.Equal(row.EndsOn.AddDays(1), next.StartsOn);
        Assert.Equal(3, next.Copies);
        Assert.Equal(720m, next.Price);
        Assert.Equal(renewed.Id, (await db.Subscriptions.SingleAsync(x => x.Id == sub)).RenewedById);
        Assert.True(await db.Activities.AnyAsync(a => a.AccountId == customer.Id && a.SystemEvent == "subscription.renewed"));
        // Renewed subscriptions leave the desk.
        Assert.DoesNotContain(await serviceRenewalDesk.WorklistAsync(new RenewalQuery { PeriodicalId = p }), r => r.SubscriptionId == sub);
    }

    [Fact]
    public async Task Call_outcomes_go_on_the_timeline_and_need_their_details()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var lina = await fx.StaffAsync("circulation@demo.local");
        var p = await PeriodicalAsync("电话测试刊");
        var customer = (await CustomersAsync(1, skip: 12))[0];
        var sub = await SubscribeAsync(service, lina, p, customer, Today.AddMonths(-12).AddDays(10));

        var noReason = await serviceRenewalDesk.LogCallAsync(sub, new CallInput { Outcome = RenewalCallOutcome.Declined }, lina);
        var noDate = await serviceRenewalDesk.LogCallAsync(sub, new CallInput { Outcome = RenewalCallOutcome.CallBack, CallBackOn = null }, lina);
        var callBack = await serviceRenewalDesk.LogCallAsync(sub, new CallInput { Outcome = RenewalCallOutcome.CallBack, CallBackOn = DateTime.Today.AddDays(3) }, lina);

        Assert.Contains("DeclineReason", noReason.Errors!.Keys);
        Assert.Contains("CallBackOn", noDate.Errors!.Keys);
        Assert.True(callBack.Ok);
        await using var db = await fx.DbAsync();
        var call = await db.Activities.Where(a => a.AccountId == customer.Id && a.Kind == ActivityKind.SubscriptionCall).OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal(DateOnly.FromDateTime(DateTime.Today.AddDays(3)), call.FollowUpOn);
        Assert.Equal(lina.Id, call.FollowUpAssigneeId);
        var row = (await serviceRenewalDesk.WorklistAsync(new RenewalQuery { PeriodicalId = p })).Single();
        Assert.Equal(RenewalCallOutcome.CallBack, row.LastCallOutcome);
    }

    [Fact]
    public async Task The_renewal_report_prints_chinese_names_group_subtotals_and_totals_equal_to_the_database_over_several_pages()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var reports = s.ServiceProvider.GetRequiredService<RenewalReports>();
        var lina = await fx.StaffAsync("circulation@demo.local");
        var p = await PeriodicalAsync("报表测试周刊");
        var customers = await CustomersAsync(40);
        var rng = new Random(7);
        for (var i = 0; i < 120; i++)
            await SubscribeAsync(service, lina, p, customers[i % customers.Length], Today.AddMonths(-12).AddDays(rng.Next(1, 50)), copies: 1 + i % 3, price: 100m + i * 7.5m);

        // A manager: the whole list (others get at most Security:ExportRowLimit rows, with a note saying so).
        var data = await reports.DataAsync(new RenewalQuery { PeriodicalId = p, Days = 60, LapsedDays = 0 }, await fx.StaffAsync("marketing@demo.local"));
        var pdf = await reports.PdfAsync(data);
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "renewal-report-test.pdf"), pdf);

        using var doc = PdfDocument.Open(pdf);
        var pages = doc.GetPages().Select(x => x.Text).ToList();
        var text = string.Concat(pages);
        await using var db = await fx.DbAsync();
        var inDb = await db.Subscriptions.Where(x => x.PeriodicalId == p).ToListAsync();
        var names = await db.Accounts.Where(a => customers.Select(c => c.Id).Contains(a.Id)).Select(a => a.Name).ToListAsync();
        Assert.Equal(120, data.Count);
        // The rows name exactly these customers (read afresh), and the printed report names each of them. Two steps, so that a
        // failure says whether the rows or the printing lost a name (CI once saw two imported customers missing here).
        var inRows = data.Groups.SelectMany(g => g.Rows).Select(r => r.AccountName).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToList(), inRows);
        Assert.All(names, n => Assert.Contains(n, text));
        Assert.Contains($"amount {inDb.Sum(x => x.Price):N2}", text.Replace("\u00a0", " "));
        Assert.Contains($"{inDb.Sum(x => x.Copies)} copies", text);
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        // The column header repeats on every page of the table, and every page says which of how many it is.
        Assert.All(pages, (t, i) => { Assert.Contains("Recipient", t); Assert.Contains($"Page {i + 1} of {pages.Count}", t); });
    }

    [Fact]
    public async Task An_empty_window_gives_a_valid_pdf_saying_there_is_nothing_to_renew()
    {
        using var s = fx.Scope();
        var reports = s.ServiceProvider.GetRequiredService<RenewalReports>();
        var p = await PeriodicalAsync("空报表测试刊");
        var data = await reports.DataAsync(new RenewalQuery { PeriodicalId = p }, await fx.StaffAsync("circulation@demo.local"));
        using var doc = PdfDocument.Open(await reports.PdfAsync(data));
        Assert.Equal(1, doc.NumberOfPages);
        Assert.Contains("Nothing to renew in this window.", doc.GetPage(1).Text);
    }

    [Theory]
    [InlineData("days=abc", "days")]
    [InlineData("days=-5", "Days")]
    [InlineData("days=100000", "Days")]
    [InlineData("lapsed=9999", "LapsedDays")]
    [InlineData("periodical=0", "PeriodicalId")]
    public void Bad_report_parameters_get_a_validation_message(string query, string field)
    {
        using var s = fx.Scope();
        var qs = new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + query).ToDictionary(x => x.Key, x => x.Value));
        var (q, errors) = RenewalReportEndpoints.Parse(qs, s.ServiceProvider.GetRequiredService<RenewalDesk>(),
            s.ServiceProvider.GetRequiredService<IStringLocalizer<SubscriptionsText>>());
        Assert.Null(q);
        Assert.False(string.IsNullOrWhiteSpace(errors[field]));
    }

    [Fact]
    public async Task The_worklist_exports_to_excel_and_csv_with_every_row()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var servicePeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();
        var serviceRenewalDesk = s.ServiceProvider.GetRequiredService<RenewalDesk>();
        var serviceDispatchService = s.ServiceProvider.GetRequiredService<DispatchService>();
        var reports = s.ServiceProvider.GetRequiredService<RenewalReports>();
        var lina = await fx.StaffAsync("circulation@demo.local");
        var p = await PeriodicalAsync("导出测试刊");
        var customers = await CustomersAsync(15, skip: 20);
        foreach (var c in customers) await SubscribeAsync(service, lina, p, c, Today.AddMonths(-12).AddDays(20));
        var q = new RenewalQuery { PeriodicalId = p };

        var xlsx = await reports.ExcelAsync(q, lina);
        var csv = await reports.CsvAsync(q, lina);

        var sheet = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(15, sheet.Count);
        await using var db = await fx.DbAsync();
        var names = await db.Accounts.Where(a => customers.Select(c => c.Id).Contains(a.Id)).Select(a => a.Name).ToListAsync();
        Assert.Equal(names.Order(), sheet.Select(r => (string)r["Customer"]).Order());
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(csv[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(17, lines.Length);   // the mark (who, when), the header, 15 rows
        Assert.StartsWith("# Exported by 李娜", lines[0]);
        Assert.All(names, n => Assert.Contains(lines, l => l.Contains(n)));
    }
}
