using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.KeyCustomers;

/// <summary>Festival dates against the published calendar (国务院办公厅 holiday notices and the 中国天文年历), 2025–2030.</summary>
public class ChineseFestivalTests
{
    [Theory]
    [InlineData(2025, "2025-01-29", "2025-02-12", "2025-05-31", "2025-10-06")]
    [InlineData(2026, "2026-02-17", "2026-03-03", "2026-06-19", "2026-09-25")]
    [InlineData(2027, "2027-02-06", "2027-02-20", "2027-06-09", "2027-09-15")]
    [InlineData(2028, "2028-01-26", "2028-02-09", "2028-05-28", "2028-10-03")]
    [InlineData(2029, "2029-02-13", "2029-02-27", "2029-06-16", "2029-09-22")]
    [InlineData(2030, "2030-02-03", "2030-02-17", "2030-06-05", "2030-09-12")]
    public void Lunar_festivals_fall_on_the_published_dates(int year, string spring, string lantern, string dragonBoat, string midAutumn)
    {
        Assert.Equal(DateOnly.Parse(spring), ChineseFestivals.DateOf(Festival.SpringFestival, year));
        Assert.Equal(DateOnly.Parse(lantern), ChineseFestivals.DateOf(Festival.LanternFestival, year));
        Assert.Equal(DateOnly.Parse(dragonBoat), ChineseFestivals.DateOf(Festival.DragonBoat, year));
        Assert.Equal(DateOnly.Parse(midAutumn), ChineseFestivals.DateOf(Festival.MidAutumn, year));
    }

    [Fact]
    public void Festivals_between_two_days_include_fixed_holidays_in_order()
    {
        var got = ChineseFestivals.Between(new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 31)).ToList();
        Assert.Equal([(Festival.MidAutumn, new DateOnly(2026, 9, 25)), (Festival.NationalDay, new DateOnly(2026, 10, 1)), (Festival.NewYear, new DateOnly(2027, 1, 1))], got);
    }

    [Fact]
    public void A_29_February_birthday_is_kept_on_28_February_in_other_years()
    {
        Assert.Equal([new DateOnly(2027, 2, 28)], CareCalendar.Anniversaries(new DateOnly(1980, 2, 29), new DateOnly(2027, 2, 1), new DateOnly(2027, 3, 1)));
        Assert.Equal([new DateOnly(2028, 2, 29)], CareCalendar.Anniversaries(new DateOnly(1980, 2, 29), new DateOnly(2028, 2, 1), new DateOnly(2028, 3, 1)));
    }
}

[Collection(AppCollection.Name)]
public class CareCalendarTests(AppFixture fx)
{
    [Fact]
    public async Task A_key_contacts_birthday_within_the_window_is_a_reminder_for_the_owner_until_a_greeting_is_logged()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        var today = DateOnly.FromDateTime(DateTime.Today);
        int account, keyContact;
        await using (var db = await fx.DbAsAsync(lina.Id))
        {
            var a = new Account { Name = "关怀提醒测试酒业有限公司", Tier = AccountTier.A, OwnerId = lina.Id, Status = AccountStatus.Active };
            db.Accounts.Add(a);
            await db.SaveChangesAsync();
            var inWindow = new Contact { AccountId = a.Id, Name = "孙丽华", IsKeyContact = true, Birthday = new DateOnly(1975, 1, 1).AddDays(0) };
            var day = today.AddDays(3);
            inWindow.Birthday = new DateOnly(1975, day.Month, Math.Min(day.Day, DateTime.DaysInMonth(1975, day.Month)));
            var notKey = new Contact { AccountId = a.Id, Name = "周小兵", IsKeyContact = false, Birthday = inWindow.Birthday };
            var late = today.AddDays(20);
            var outside = new Contact { AccountId = a.Id, Name = "吴建国", IsKeyContact = true, Birthday = new DateOnly(1970, late.Month, Math.Min(late.Day, 28)) };
            db.Contacts.AddRange(inWindow, notKey, outside);
            await db.SaveChangesAsync();
            (account, keyContact) = (a.Id, inWindow.Id);
        }
        using var scope = fx.Scope();
        // Tiers are computed: a new customer with no business is D, so a manager pins this one as a key customer.
        Assert.True((await scope.ServiceProvider.GetRequiredService<KeyCustomerService>().PinAsync(account, AccountTier.A, "集团重点客户", await fx.StaffAsync("marketing@demo.local"))).Ok);
        var care = scope.ServiceProvider.GetRequiredService<CareCalendar>();

        var reminders = (await care.RemindersAsync(lina.Id)).Where(r => r.AccountId == account).ToList();
        var birthday = Assert.Single(reminders);
        Assert.Equal((CareKind.Birthday, keyContact, "孙丽华"), (birthday.Kind, birthday.ContactId!.Value, birthday.ContactName));
        Assert.DoesNotContain(await care.RemindersAsync((await fx.StaffAsync("fair@demo.local")).Id), r => r.AccountId == account);

        var empty = await care.GreetAsync(birthday.Key, account, ActivityKind.Call, " ", lina);
        Assert.False(empty.Ok);
        var greeted = await care.GreetAsync(birthday.Key, account, ActivityKind.Call, "电话祝孙总生日快乐，寄出贺卡", lina);
        Assert.True(greeted.Ok, greeted.Problem);
        Assert.False((await care.GreetAsync(birthday.Key, account, ActivityKind.Call, "再次问候", lina)).Ok);

        Assert.DoesNotContain(await care.RemindersAsync(lina.Id), r => r.AccountId == account);
        var calendar = await care.BetweenAsync(today, today.AddDays(7));
        Assert.True(calendar.Single(d => d.Key == birthday.Key).Greeted);
        await using var check = await fx.DbAsync();
        var entry = await check.Activities.SingleAsync(a => a.Id == greeted.Id);
        Assert.Equal(("电话祝孙总生日快乐，寄出贺卡", "Care greeting", account), (entry.Subject, entry.Outcome, entry.AccountId));
    }
}
