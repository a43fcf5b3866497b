using CrmWorkspace.Domain;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Security;

/// <summary>
/// The one permission table, walked: every permission has a guarded service call here, and every role gets exactly what the
/// table (Permissions.May, also shown on /admin/permissions) says: allowed and done, or refused and recorded.
/// </summary>
[Collection(AppCollection.Name)]
public class PermissionTableTests(AppFixture fx)
{
    /// <summary>A demo person of each role.</summary>
    private static readonly Dictionary<string, string> People = new()
    {
        [Roles.Sales] = "circulation@demo.local", [Roles.Manager] = "marketing@demo.local",
        [Roles.Finance] = "finance@demo.local", [Roles.Administrator] = "admin@demo.local",
    };

    /// <summary>The guarded call of each permission; true when the service did it, false when it refused.</summary>
    private Dictionary<Permission, Func<StaffIdentity, IServiceProvider, Task<bool>>> Calls(StaffIdentity admin) => new()
    {
        [Permission.ChangeCustomers] = async (who, sp) =>
            (await sp.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = $"权限表客户{Tag()}酒业", Province = "四川", City = "成都" }, who)).Ok,
        [Permission.DeleteCustomers] = async (who, sp) =>
            (await sp.GetRequiredService<AccountService>().DeleteAsync(await NewAccountAsync(sp, admin), who)).Ok,
        [Permission.MergeRecords] = async (who, sp) =>
            (await sp.GetRequiredService<MergeService>().MergeAccountsAsync(await NewAccountAsync(sp, admin), await NewAccountAsync(sp, admin), [], who)).Ok,
        [Permission.DismissDuplicates] = async (who, sp) =>
            await sp.GetRequiredService<DuplicateService>().DismissAsync([await NewPairAsync(sp, admin)], "table walk", who),
        // Cancel is guarded like Start and costs nothing when no scan runs (a real scan would slow the whole collection).
        [Permission.RunDuplicateScan] = (who, sp) => Task.FromResult(sp.GetRequiredService<DuplicateScan>().Cancel(who)),
        [Permission.ManageStaff] = async (who, sp) =>
            (await sp.GetRequiredService<StaffAdminService>().UnlockAsync(await IdAsync("news@demo.local"), who)).Ok,
        [Permission.ExportCustomers] = (who, sp) =>
        {
            var guard = sp.GetRequiredService<ExportGuard>();
            var many = Enumerable.Range(0, 100_000).ToList();
            return Task.FromResult(!guard.Apply(many, who).Cut);
        },
        [Permission.ApproveDiscounts] = async (who, sp) => await ChangeBookingAsync(sp, who, discount: 1m, paid: 0m),
        [Permission.RecordPayments] = async (who, sp) =>
        {
            // Booking payments (fairs) and advertising receivables: the same permission, the same answer.
            var booking = await ChangeBookingAsync(sp, who, discount: 0m, paid: 1m);
            var receivable = await PayReceivableAsync(sp, who);
            Assert.Equal(booking, receivable);
            return booking;
        },
        [Permission.LinkBranches] = async (who, sp) =>
            (await sp.GetRequiredService<AccountService>().LinkAsBranchAsync(await NewAccountAsync(sp, admin), await NewAccountAsync(sp, admin), who)).Ok,
        [Permission.ManageCompanyAliases] = async (who, sp) =>
            (await sp.GetRequiredService<CompanyAliasService>().AddAsync(new AliasInput { Alias = $"权{Tag()}", FullName = $"权限表{Tag()}粮油食品有限公司" }, who)).Ok,
        [Permission.ReadTeamWorkLog] = async (who, sp) =>
            (await sp.GetRequiredService<WorkLogService>().ReadAsync(new WorkLogQuery(WorkLogService.Today, PersonId: admin.Id), who)).Log is not null,
        [Permission.CommentWorkLog] = async (who, sp) =>
        {
            var log = sp.GetRequiredService<WorkLogService>();
            var day = new DateOnly(2001, 1, 1).AddDays(Interlocked.Increment(ref _summaryDay));
            var written = await log.WriteSummaryAsync(day, "拜访了三家客户。", null, admin);
            Assert.True(written.Ok, written.Problem);
            return (await log.CommentAsync(written.Summary!.Id, "很好", written.Summary.Version, who)).Ok;
        },
        [Permission.BuildCallLists] = async (who, sp) =>
        {
            await NewAccountAsync(sp, admin);
            var input = new CallListInput { Name = $"权限表名单{Tag()}", Filter = new CustomerFilter { Province = "广西", City = "南宁" }, AssigneeIds = [admin.Id] };
            return (await sp.GetRequiredService<CallListService>().BuildAsync(input, who)).Ok;
        },
        // A customer of the administrator's: for the others someone else's, which only managers hand over.
        [Permission.HandOverAnyCustomer] = async (who, sp) =>
            (await sp.GetRequiredService<PoolService>().HandOverAsync(await NewAccountAsync(sp, admin), await IdAsync("news@demo.local"), "table walk", who)).Ok,
        [Permission.ManageTerritories] = async (who, sp) =>
            (await sp.GetRequiredService<TerritoryService>().SaveAsync(null, new TerritoryInput { Province = $"权限表省{Tag()}", OwnerId = admin.Id }, null, who)).Ok,
        [Permission.AssignTasks] = async (who, sp) =>
            (await sp.GetRequiredService<TaskService>().AssignAsync(new TaskInput { AssigneeId = await IdAsync("news@demo.local"), Title = "table walk", DueOn = DateTime.Today }, who)).Ok,
        [Permission.ManageKeyCustomers] = async (who, sp) =>
            (await sp.GetRequiredService<KeyCustomerService>().PinAsync(await NewAccountAsync(sp, admin), AccountTier.A, "table walk", who)).Ok,
        [Permission.EditRateCard] = async (who, sp) =>
            (await sp.GetRequiredService<RateCardService>().SetTierAsync(2099, AdDiscountBasis.Series, 3, 5, who)).Ok,
        [Permission.ApproveQuotes] = async (who, sp) =>
        {
            int product;
            await using (var db = await fx.DbAsync())
                product = await db.AdProducts.Where(p => p.Active).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
            var quotes = sp.GetRequiredService<QuoteService>();
            var made = await quotes.CreateAsync(new QuoteInput { AccountId = await NewAccountAsync(sp, admin), Lines = [new QuoteLineInput { ProductId = product, ExtraDiscount = 30 }] }, admin);
            Assert.True(made.Ok, made.Problem);
            return (await quotes.ApproveAsync(made.Id!.Value, made.Version!.Value, who)).Ok;
        },
        // A restricted customer subscribed with a reason: only managers override the restriction.
        [Permission.ServeRestrictedCustomers] = async (who, sp) =>
        {
            var account = await NewAccountAsync(sp, admin);
            int periodical;
            await using (var db = await fx.DbAsAsync(admin.Id))
            {
                await db.Accounts.Where(a => a.Id == account).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AccountStatus.Restricted));
                periodical = await db.Periodicals.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
            }
            return (await sp.GetRequiredService<CrmWorkspace.Features.Subscriptions.SubscriptionService>().SubscribeAsync(
                new CrmWorkspace.Features.Subscriptions.SubscriptionInput { AccountId = account, PeriodicalId = periodical, OverrideReason = "table walk" }, who)).Ok;
        },
        [Permission.ReadAudit] = async (who, sp) =>
            await sp.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(PageSize: 1), who) is not null,
        [Permission.SetTargets] = async (who, sp) =>
        {
            // A quarter of its own per call, far back, so the walk never meets its own earlier cells.
            var period = new PeriodKey(CrmWorkspace.Domain.TargetPeriod.Quarter, new DateOnly(2001, 1, 1).AddMonths(3 * Interlocked.Increment(ref _summaryDay)));
            return (await sp.GetRequiredService<TargetService>().SaveAsync(period,
                [new(CrmWorkspace.Domain.SalesTarget.PersonKey(admin.Id), CrmWorkspace.Domain.TargetMeasure.Calls, 10, null)], who)).Ok;
        },
        [Permission.ReadTeamResults] = async (who, sp) =>
            (await sp.GetRequiredService<ResultsService>().BoardAsync(PeriodKey.Of(CrmWorkspace.Domain.TargetPeriod.Month, WorkLogService.Today), BoardView.Teams, who)).Board is not null,
    };

    [Fact]
    public async Task Every_guarded_call_allows_or_refuses_every_role_exactly_as_the_table_says()
    {
        var admin = await fx.StaffAsync("admin@demo.local");
        var calls = Calls(admin);
        Assert.Empty(Enum.GetValues<Permission>().Except(calls.Keys));   // a new permission needs its guarded call here
        var outcomes = new List<string>();
        foreach (var p in Enum.GetValues<Permission>())
            foreach (var role in Roles.All)
            {
                var who = await fx.StaffAsync(People[role]);
                Assert.Equal(role, who.Role);
                var expected = Permissions.Sample(role).May(p);
                Assert.Equal(expected, who.May(p));
                var since = DateTimeOffset.UtcNow;
                using var scope = fx.Scope();
                var done = await calls[p](who, scope.ServiceProvider);
                outcomes.Add($"{p} × {role}: {(done ? "allowed" : "refused")}");
                Assert.True(expected == done, $"{p} × {role}: the table says {(expected ? "allowed" : "refused")}, the service {(done ? "allowed" : "refused")}");
                if (!expected && p != Permission.ExportCustomers)
                {
                    // Every refusal is on the audit trail (the scan's refusal is written in the background).
                    await using var db = await fx.DbAsync();
                    var seen = false;
                    for (var i = 0; i < 50 && !seen; i++)
                    {
                        seen = await db.AuditEntries.AnyAsync(e => e.Kind == AuditKind.PermissionRefused && e.ActorId == who.Id && e.At >= since && e.Detail!.StartsWith(p.ToString()));
                        if (!seen) await Task.Delay(100);
                    }
                    Assert.True(seen, $"{p} × {role}: refusal not on the audit trail");
                }
            }
        // The table is not trivial: each role is refused something and allowed something.
        foreach (var role in Roles.All.Where(r => r != Roles.Administrator))
        {
            Assert.Contains(outcomes, o => o.EndsWith($"× {role}: refused"));
            Assert.Contains(outcomes, o => o.EndsWith($"× {role}: allowed"));
        }
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    private static async Task<int> NewAccountAsync(IServiceProvider sp, StaffIdentity admin) =>
        (await sp.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = $"权限表{Tag()}糖业有限公司", Province = "广西", City = "南宁", OwnerId = admin.Id }, admin)).Id!.Value;

    private async Task<long> NewPairAsync(IServiceProvider sp, StaffIdentity admin)
    {
        var a = await NewAccountAsync(sp, admin);
        var b = await NewAccountAsync(sp, admin);
        await using var db = await fx.DbAsync();
        var pair = new DuplicatePair { Kind = RecordKind.Account, AId = Math.Min(a, b), BId = Math.Max(a, b), Score = 0.9, Source = "scan",
            Status = DuplicateStatus.Open, FoundAt = DateTimeOffset.UtcNow };
        db.DuplicatePairs.Add(pair);
        await db.BaseSaveChangesAsync();
        return pair.Id;
    }

    /// <summary>Raises the discount or the payment of a demo booking by the given amount.</summary>
    private async Task<bool> ChangeBookingAsync(IServiceProvider sp, StaffIdentity who, decimal discount, decimal paid)
    {
        Booking b;
        await using (var db = await fx.DbAsync())
            b = await db.Bookings.AsNoTracking().Where(x => x.Status != BookingStatus.Cancelled).OrderBy(x => x.Id).FirstAsync();
        var r = await sp.GetRequiredService<FairService>().UpdateAsync(b.Id, b.Status, b.Price, b.Discount + discount, b.Deposit, b.Paid + paid,
            b.Services, null, b.Version, who);
        // Refused for the permission, not for anything else.
        if (!r.Ok) Assert.True(r.Error!.StartsWith("Only "), r.Error);
        return r.Ok;
    }

    private static int _summaryDay;

    /// <summary>Records one cent against the first open advertising instalment.</summary>
    private static async Task<bool> PayReceivableAsync(IServiceProvider sp, StaffIdentity who)
    {
        var plans = sp.GetRequiredService<FlatplanService>();
        var open = (await plans.ReceivablesAsync()).First(r => r.Outstanding >= 0.01m);
        var r = await plans.RecordPaymentAsync(open.InstalmentId, 0.01m, DateOnly.FromDateTime(DateTime.Today), who);
        if (!r.Ok) Assert.True(r.Error!.StartsWith("Only "), r.Error);
        return r.Ok;
    }

    private async Task<string> IdAsync(string email)
    {
        await using var db = await fx.DbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
