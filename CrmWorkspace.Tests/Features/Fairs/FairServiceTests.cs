using CrmWorkspace.Domain;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace CrmWorkspace.Tests.Features.Fairs;

[Collection(AppCollection.Name)]
public class FairServiceTests(AppFixture fx)
{
    private async Task<(int FairId, List<int> Booths)> NewFairAsync(string name, int rows = 1, int numbers = 10)
    {
        using var s = fx.Scope();
        var fairs = s.ServiceProvider.GetRequiredService<FairService>();
        var fair = new Fair { Name = name, City = "成都", StartsOn = new DateOnly(2027, 3, 20), EndsOn = new DateOnly(2027, 3, 22) };
        Assert.True((await fairs.CreateFairAsync(fair, await fx.StaffAsync("fair@demo.local"))).Ok);
        var hall = await fairs.AddHallAsync(fair.Id, "3号馆", "A", ((char)('A' + rows - 1)).ToString(), 1, numbers, 9, BoothType.Standard, 12_800, await fx.StaffAsync("fair@demo.local"));
        Assert.True(hall.Ok, hall.Error);
        await using var db = await fx.DbAsync();
        return (fair.Id, await db.Booths.Where(b => b.FairId == fair.Id).OrderBy(b => b.Code).Select(b => b.Id).ToListAsync());
    }

    private async Task<int[]> AccountsAsync(int n)
    {
        await using var db = await fx.DbAsync();
        return await db.Accounts.Where(a => a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Select(a => a.Id).Take(n).ToArrayAsync();
    }

    [Fact]
    public async Task Bulk_creation_makes_every_booth_with_its_code()
    {
        var (_, booths) = await NewFairAsync("批量展位测试展会", rows: 6, numbers: 40);
        Assert.Equal(240, booths.Count);
        await using var db = await fx.DbAsync();
        var codes = await db.Booths.Where(b => booths.Contains(b.Id)).Select(b => b.Code).ToListAsync();
        Assert.Contains("3A01", codes);
        Assert.Contains("3F40", codes);
    }

    [Fact]
    public async Task Twenty_agents_booking_one_booth_at_once_make_exactly_one_booking_and_nineteen_clear_refusals()
    {
        var (fairId, booths) = await NewFairAsync("并发订展测试展会");
        var accounts = await AccountsAsync(20);
        var agent = await fx.StaffAsync("fair@demo.local");
        using var gate = new ManualResetEventSlim(false);
        var attempts = accounts.Select(account => Task.Run(async () =>
        {
            using var s = fx.Scope();
            var fairs = s.ServiceProvider.GetRequiredService<FairService>();
            gate.Wait();
            return await fairs.BookAsync(fairId, new BookingInput { AccountId = account, BoothIds = [booths[0]], Status = BookingStatus.Reserved }, agent);
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Ok);
        var refusals = results.Where(r => !r.Ok).ToList();
        Assert.Equal(19, refusals.Count);
        var winner = results.Single(r => r.Ok).BookingId;
        Assert.All(refusals, r => Assert.Contains($"booking #{winner}", r.Error));
        Assert.All(refusals, r => Assert.Contains("3A01", r.Error));
        await using var db = await fx.DbAsync();
        Assert.Equal(1, await db.BookingBooths.CountAsync(b => b.BoothId == booths[0] && b.Live));
        Assert.Equal(1, await db.Bookings.CountAsync(b => b.FairId == fairId));
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_live_hold()
    {
        var (fairId, booths) = await NewFairAsync("数据库约束测试展会");
        var accounts = await AccountsAsync(2);
        await using var db = await fx.DbAsAsync(Actors.SystemId);
        var a = new Booking { FairId = fairId, AccountId = accounts[0], Version = Guid.NewGuid(), Booths = [new BookingBooth { BoothId = booths[1] }] };
        var b = new Booking { FairId = fairId, AccountId = accounts[1], Version = Guid.NewGuid(), Booths = [new BookingBooth { BoothId = booths[1] }] };
        db.Bookings.Add(a);
        await db.SaveChangesAsync();
        db.Bookings.Add(b);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_lapsed_reservation_releases_its_booth_by_itself()
    {
        var (fairId, booths) = await NewFairAsync("预留过期测试展会");
        var accounts = await AccountsAsync(2);
        using var s = fx.Scope();
        var fairs = s.ServiceProvider.GetRequiredService<FairService>();
        var agent = await fx.StaffAsync("fair@demo.local");
        var first = await fairs.BookAsync(fairId, new BookingInput { AccountId = accounts[0], BoothIds = [booths[2]], Status = BookingStatus.Reserved, HoldDays = 1 }, agent);
        Assert.True(first.Ok);
        Assert.False((await fairs.BookAsync(fairId, new BookingInput { AccountId = accounts[1], BoothIds = [booths[2]] }, agent)).Ok);
        await using (var db = await fx.DbAsAsync(agent.Id))
        {
            var booking = await db.Bookings.SingleAsync(b => b.Id == first.BookingId);
            booking.HoldExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, await fairs.ExpireHoldsAsync());
        Assert.Equal(BookingStatus.Cancelled, (await fairs.BookingAsync(first.BookingId!.Value))!.Status);
        // The lapse is the system's doing: neither the agent who booked nor whoever used a pooled context last.
        await using (var db = await fx.DbAsync())
        {
            var lapsed = await db.Bookings.SingleAsync(b => b.Id == first.BookingId);
            Assert.Equal(Actors.SystemId, lapsed.UpdatedBy);
            Assert.Equal(agent.Id, lapsed.CreatedBy);
            var entry = await db.Activities.SingleAsync(x => x.AccountId == accounts[0] && x.SystemEvent == "booking.expired");
            Assert.Equal(Actors.SystemId, entry.AuthorId);
        }
        Assert.True((await fairs.BookAsync(fairId, new BookingInput { AccountId = accounts[1], BoothIds = [booths[2]] }, agent)).Ok);
    }

    [Fact]
    public async Task The_fair_report_PDF_reads_back_exhibitors_and_totals_equal_to_the_database()
    {
        var (fairId, booths) = await NewFairAsync("报表测试展会", rows: 2, numbers: 30);
        var accounts = await AccountsAsync(12);
        using var s = fx.Scope();
        var fairs = s.ServiceProvider.GetRequiredService<FairService>();
        var agent = await fx.StaffAsync("marketing@demo.local");
        for (var i = 0; i < accounts.Length; i++)
            Assert.True((await fairs.BookAsync(fairId, new BookingInput { AccountId = accounts[i], BoothIds = [booths[i * 3]], Status = BookingStatus.Contracted, Paid = 1000 * i, Discount = 100 }, agent)).Ok);

        var report = await s.ServiceProvider.GetRequiredService<FairReports>().ReportPdfAsync(fairId, agent);
        var (pdf, fileName) = report!.Value;
        Assert.StartsWith("fair-bookings-2027-03-20", fileName);
        var path = Path.Combine(Path.GetTempPath(), fileName);
        await File.WriteAllBytesAsync(path, pdf);
        using var doc = PdfDocument.Open(pdf);
        var text = string.Concat(doc.GetPages().Select(p => p.Text));
        await using var db = await fx.DbAsync();
        var names = await db.Accounts.Where(a => accounts.Contains(a.Id)).Select(a => a.Name).ToListAsync();
        Assert.All(names, n => Assert.Contains(n, text));
        var rows = await db.Bookings.Where(b => b.FairId == fairId && b.Status != BookingStatus.Cancelled).ToListAsync();
        var paid = rows.Sum(b => b.Paid);
        var outstanding = rows.Sum(b => Math.Max(0, b.Price - b.Discount - b.Paid));
        Assert.Contains($"paid {paid:N2}", text.Replace("\u00a0", " "));
        Assert.Contains($"outstanding {outstanding:N2}", text);
        Assert.Contains("Page 1 of", text);
    }
}
