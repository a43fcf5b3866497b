using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Fairs;

[Collection(AppCollection.Name)]
public class FairBookingRulesTests(AppFixture fx)
{
    private async Task<(int FairId, List<int> Booths)> FairAsync(string name, DateOnly starts, DateOnly ends)
    {
        using var s = fx.Scope();
        var fairs = s.ServiceProvider.GetRequiredService<FairService>();
        var fair = new Fair { Name = name, City = "成都", StartsOn = starts, EndsOn = ends };
        Assert.True((await fairs.CreateFairAsync(fair, await fx.StaffAsync("fair@demo.local"))).Ok);
        Assert.True((await fairs.AddHallAsync(fair.Id, "5号馆", "A", "A", 1, 6, 9, BoothType.Standard, 12_800, await fx.StaffAsync("fair@demo.local"))).Ok);
        await using var db = await fx.DbAsync();
        return (fair.Id, await db.Booths.Where(b => b.FairId == fair.Id).OrderBy(b => b.Code).Select(b => b.Id).ToListAsync());
    }

    [Fact]
    public async Task A_booth_of_a_fair_that_ended_a_month_ago_is_refused_with_the_end_date_and_nothing_is_booked()
    {
        var today = DateOnly.FromDateTime(DateTime.Today);
        var (fairId, booths) = await FairAsync("已结束展会订展测试", today.AddDays(-33), today.AddDays(-30));
        await using var db0 = await fx.DbAsync();
        var account = await db0.Accounts.Where(a => a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        using var s = fx.Scope();

        var r = await s.ServiceProvider.GetRequiredService<FairService>()
            .BookAsync(fairId, new BookingInput { AccountId = account, BoothIds = [booths[0]], Status = BookingStatus.Contracted }, await fx.StaffAsync("fair@demo.local"));

        Assert.False(r.Ok);
        Assert.Contains("ended", r.Error);
        Assert.Contains(today.AddDays(-30).ToDateTime(TimeOnly.MinValue).ToString("d"), r.Error);
        await using var db = await fx.DbAsync();
        Assert.False(await db.Bookings.AnyAsync(b => b.FairId == fairId));
    }

    [Fact]
    public async Task A_fair_that_ends_today_can_still_be_booked()
    {
        var today = DateOnly.FromDateTime(DateTime.Today);
        var (fairId, booths) = await FairAsync("今日结束展会订展测试", today.AddDays(-2), today);
        await using var db0 = await fx.DbAsync();
        var account = await db0.Accounts.Where(a => a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Skip(1).Select(a => a.Id).FirstAsync();
        using var s = fx.Scope();
        var r = await s.ServiceProvider.GetRequiredService<FairService>()
            .BookAsync(fairId, new BookingInput { AccountId = account, BoothIds = [booths[0]], Status = BookingStatus.Contracted }, await fx.StaffAsync("fair@demo.local"));
        Assert.True(r.Ok, r.Error);
    }

    [Fact]
    public async Task The_fair_report_names_the_key_contact_and_phone_of_a_booking_made_without_a_contact()
    {
        var (fairId, booths) = await FairAsync("报表联系人测试展会", new DateOnly(2027, 9, 1), new DateOnly(2027, 9, 3));
        var fair = await fx.StaffAsync("fair@demo.local");
        using var s = fx.Scope();
        var account = await s.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = "报表联系人测试酒业有限公司" }, fair);
        await using (var db = await fx.DbAsAsync(fair.Id))
        {
            db.Contacts.Add(new Contact { AccountId = account.Id!.Value, Name = "赵会计", Phones = [new ContactPhone { Number = "139 0000 2222", E164 = "+8613900002222" }] });
            db.Contacts.Add(new Contact { AccountId = account.Id!.Value, Name = "钱经理", IsKeyContact = true, Phones = [new ContactPhone { Number = "138 0000 1111", E164 = "+8613800001111" }] });
            await db.SaveChangesAsync();
        }
        Assert.True((await s.ServiceProvider.GetRequiredService<FairService>().BookAsync(fairId,
            new BookingInput { AccountId = account.Id!.Value, BoothIds = [booths[0]], Status = BookingStatus.Contracted }, fair)).Ok);

        var reports = s.ServiceProvider.GetRequiredService<FairReports>();
        var report = reports.Report((await reports.DataAsync(fairId, fair))!);

        var row = report.Body.OfType<CrmWorkspace.Features.Reports.ReportTable>().SelectMany(t => t.Rows).Single(r => r[0] == "报表联系人测试酒业有限公司");
        Assert.Equal("钱经理", row[1]);
        Assert.Equal("138 0000 1111", row[2]);
    }
}
