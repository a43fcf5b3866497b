using CrmWorkspace.Domain;
using CrmWorkspace.Features;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.KeyCustomers;

/// <summary>
/// Restricted customers (seed 001: no service to those who bring nothing or come to take trade secrets): each service refuses a
/// salesperson, asks a manager for a reason, and with one does the work and writes the override on the customer's timeline.
/// </summary>
[Collection(AppCollection.Name)]
public class RestrictedCustomerTests(AppFixture fx)
{
    private static int _n;

    private async Task<int> RestrictedCustomerAsync(string name)
    {
        await using var db = await fx.DbAsAsync(Actors.SystemId);
        var a = new Account { Name = $"{name}{Interlocked.Increment(ref _n)}有限公司", Province = "广东", City = "东莞", Status = AccountStatus.Restricted };
        db.Accounts.Add(a);
        await db.SaveChangesAsync();
        return a.Id;
    }

    /// <summary>Runs one service call as a salesperson, as a manager without a reason, and as a manager with one; checks what each sees and what is stored.</summary>
    private async Task RefusedThenOverriddenAsync(int account, Func<IServiceProvider, StaffIdentity, string?, Task<CommandResult>> call, Func<Task<int>> count,
        string service)
    {
        var sales = await fx.StaffAsync("circulation@demo.local");
        var manager = await fx.StaffAsync("marketing@demo.local");
        Assert.Equal(Roles.Sales, sales.Role);
        Assert.Equal(Roles.Manager, manager.Role);
        var before = await count();
        using var s = fx.Scope();

        // A salesperson is refused, even with a reason: only a manager overrides, and the refusal is on the audit trail.
        var since = DateTimeOffset.UtcNow;
        var refused = await call(s.ServiceProvider, sales, "老客户介绍");
        Assert.False(refused.Ok);
        Assert.Contains("only a manager", refused.Problem);
        Assert.True(refused.Errors!.ContainsKey(RestrictedCustomers.ReasonField));
        await using (var db = await fx.DbAsync())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Kind == AuditKind.PermissionRefused && e.ActorId == sales.Id && e.At >= since
                && e.Detail!.StartsWith(nameof(Permission.ServeRestrictedCustomers))));

        // A manager is asked why first.
        var noReason = await call(s.ServiceProvider, manager, "  ");
        Assert.False(noReason.Ok);
        Assert.Contains("say why", noReason.Problem);
        Assert.Equal(before, await count());

        // With a reason it is done, and the override is on the customer's timeline, by the manager, with the reason.
        var done = await call(s.ServiceProvider, manager, "总经理批准：已结清欠款");
        Assert.True(done.Ok, done.Problem);
        Assert.Equal(before + 1, await count());
        await using var check = await fx.DbAsync();
        var entry = await check.Activities.Where(a => a.AccountId == account && a.SystemEvent == "restriction.overridden").OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal(manager.Id, entry.AuthorId);
        Assert.Contains("总经理批准：已结清欠款", entry.Subject);
        Assert.Contains(service, entry.Subject);
    }

    [Fact]
    public async Task Subscribing_a_restricted_customer_needs_a_managers_override_with_a_reason()
    {
        var account = await RestrictedCustomerAsync("受限订阅测试酒业");
        int periodical;
        await using (var db = await fx.DbAsync()) periodical = await db.Periodicals.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        await RefusedThenOverriddenAsync(account,
            async (sp, who, reason) => await sp.GetRequiredService<SubscriptionService>().SubscribeAsync(
                new SubscriptionInput { AccountId = account, PeriodicalId = periodical, Copies = 2, OverrideReason = reason }, who),
            async () => { await using var db = await fx.DbAsync(); return await db.Subscriptions.CountAsync(x => x.AccountId == account); },
            "subscription");
    }

    [Fact]
    public async Task Booking_a_booth_for_a_restricted_customer_needs_a_managers_override_with_a_reason()
    {
        var account = await RestrictedCustomerAsync("受限订展测试酒业");
        using var setup = fx.Scope();
        var fairs = setup.ServiceProvider.GetRequiredService<FairService>();
        var fair = new Fair { Name = $"受限客户测试展会{Interlocked.Increment(ref _n)}", City = "成都", StartsOn = new DateOnly(2027, 3, 20), EndsOn = new DateOnly(2027, 3, 22) };
        var manager = await fx.StaffAsync("marketing@demo.local");
        Assert.True((await fairs.CreateFairAsync(fair, manager)).Ok);
        Assert.True((await fairs.AddHallAsync(fair.Id, "5号馆", "A", "A", 1, 4, 9, BoothType.Standard, 12_800, manager)).Ok);
        int booth;
        await using (var db = await fx.DbAsync()) booth = await db.Booths.Where(b => b.FairId == fair.Id).OrderBy(b => b.Code).Select(b => b.Id).FirstAsync();
        await RefusedThenOverriddenAsync(account,
            async (sp, who, reason) => await sp.GetRequiredService<FairService>().BookAsync(fair.Id,
                new BookingInput { AccountId = account, BoothIds = [booth], Status = BookingStatus.Reserved, OverrideReason = reason }, who),
            async () => { await using var db = await fx.DbAsync(); return await db.Bookings.CountAsync(x => x.AccountId == account); },
            "booth booking");
    }

    [Fact]
    public async Task Quoting_a_restricted_customer_needs_a_managers_override_with_a_reason()
    {
        var account = await RestrictedCustomerAsync("受限报价测试酒业");
        int product;
        await using (var db = await fx.DbAsync()) product = await db.AdProducts.Where(p => p.Active).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        await RefusedThenOverriddenAsync(account,
            async (sp, who, reason) => await sp.GetRequiredService<QuoteService>().CreateAsync(
                new QuoteInput { AccountId = account, Lines = [new QuoteLineInput { ProductId = product, Quantity = 2 }], OverrideReason = reason }, who),
            async () => { await using var db = await fx.DbAsync(); return await db.Quotes.CountAsync(x => x.AccountId == account); },
            "quote");
    }

    [Fact]
    public async Task Greeting_a_restricted_customer_needs_a_managers_override_with_a_reason()
    {
        var account = await RestrictedCustomerAsync("受限关怀测试酒业");
        var key = $"care:anniversary:{account}:{DateTime.Today.Year}";
        await RefusedThenOverriddenAsync(account,
            async (sp, who, reason) => await sp.GetRequiredService<CareCalendar>().GreetAsync(key, account, ActivityKind.Call, "电话问候", reason, who),
            async () => { await using var db = await fx.DbAsync(); return await db.ProblemClosures.CountAsync(x => x.Key == key); },
            "care greeting");
    }

    [Fact]
    public async Task A_customer_who_is_not_restricted_is_served_without_any_reason_or_override_entry()
    {
        int account, periodical;
        await using (var db = await fx.DbAsAsync(Actors.SystemId))
        {
            var a = new Account { Name = $"正常客户测试酒业{Interlocked.Increment(ref _n)}有限公司", Status = AccountStatus.Active };
            db.Accounts.Add(a);
            await db.SaveChangesAsync();
            account = a.Id;
            periodical = await db.Periodicals.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        }
        using var s = fx.Scope();
        var r = await s.ServiceProvider.GetRequiredService<SubscriptionService>().SubscribeAsync(
            new SubscriptionInput { AccountId = account, PeriodicalId = periodical }, await fx.StaffAsync("circulation@demo.local"));
        Assert.True(r.Ok, r.Problem);
        await using var check = await fx.DbAsync();
        Assert.False(await check.Activities.AnyAsync(a => a.AccountId == account && a.SystemEvent == "restriction.overridden"));
    }
}

/// <summary>A tier typed on the customer form is a pin: only a manager makes it, and only with a reason.</summary>
[Collection(AppCollection.Name)]
public class TypedTierTests(AppFixture fx)
{
    [Fact]
    public async Task A_tier_typed_by_a_salesperson_is_refused_and_a_managers_needs_a_reason_then_is_pinned_with_it()
    {
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var sales = await fx.StaffAsync("circulation@demo.local");
        var manager = await fx.StaffAsync("marketing@demo.local");
        var id = (await accounts.CreateAsync(new AccountInput { Name = $"手填等级测试酒业{DateTime.Now.Ticks % 1_000_000}有限公司", Province = "四川", City = "泸州" }, manager)).Id!.Value;
        await fx.Get<ScoreKeeper>().RecomputeAsync([id]);

        async Task<SaveResult> TypeAsync(StaffIdentity who, string? reason)
        {
            var loaded = (await accounts.GetAsync(id))!.Account;
            var original = AccountInput.From(loaded);
            var mine = original.Clone();
            mine.Tier = AccountTier.A;
            return await accounts.UpdateAsync(id, original, mine, loaded.Version, who, reason);
        }
        var computed = (await accounts.GetAsync(id))!.Account.Tier;
        Assert.NotEqual(AccountTier.A, computed);

        var refused = await TypeAsync(sales, "我觉得是重点客户");
        Assert.False(refused.Ok);
        Assert.Contains("only a manager", refused.Errors!["Tier"]);
        var noReason = await TypeAsync(manager, null);
        Assert.False(noReason.Ok);
        Assert.Contains("Say why", noReason.Errors!["Tier"]);
        Assert.Equal(computed, (await accounts.GetAsync(id))!.Account.Tier);
        var keys = s.ServiceProvider.GetRequiredService<KeyCustomerService>();
        Assert.Null((await keys.ScoreOfAsync(id))!.PinnedTier);

        var ok = await TypeAsync(manager, "集团战略客户，年度框架协议");
        Assert.True(ok.Ok, ok.Problem);
        var v = (await keys.ScoreOfAsync(id))!;
        Assert.Equal((AccountTier.A, AccountTier.A, "集团战略客户，年度框架协议", "王磊"), (v.Tier, v.PinnedTier!.Value, v.PinReason, v.PinnedByName));
        // The worker's next round keeps the pin.
        await fx.Get<ScoreKeeper>().ProcessQueueAsync();
        Assert.Equal(AccountTier.A, (await accounts.GetAsync(id))!.Account.Tier);
        await using var db = await fx.DbAsync();
        Assert.True(await db.Activities.AnyAsync(a => a.AccountId == id && a.SystemEvent == "score.pinned" && a.AuthorId == manager.Id && a.Subject.Contains("框架协议")));
    }
}
