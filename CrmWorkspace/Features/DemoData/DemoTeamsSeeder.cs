using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.DemoData;

/// <summary>
/// The demo's team day: two more salespeople in 王磊's marketing team, today's calls and visits by several people (so the
/// work log is alive on the first sign-in), and yesterday's daily summaries with one of the manager's comments. Every write
/// goes through the services, as people would make it.
/// </summary>
public class DemoTeamsSeeder(IDbContextFactory<CrmDbContext> dbs, IServiceScopeFactory scopes)
{
    /// <summary>The salespeople added to the marketing team (Members), beside the demo sign-ins.</summary>
    public static readonly (string Email, string Name)[] Salespeople = [("sales1@demo.local", "赵敏"), ("sales2@demo.local", "孙强")];

    private static readonly (string Email, ActivityKind Kind, string Subject, string? Outcome)[] Today =
    [
        ("sales1@demo.local", ActivityKind.Call, "电话：春季糖酒会广告版位意向", "有意向，下周报价"),
        ("marketing@demo.local", ActivityKind.Visit, "拜访：年度广告合作洽谈", "确认合作框架"),
        ("sales2@demo.local", ActivityKind.Call, "电话：介绍网络广告套餐", "未接通"),
        ("circulation@demo.local", ActivityKind.SubscriptionCall, "续订电话 · 糖酒快讯", "同意续订"),
        ("sales1@demo.local", ActivityKind.Email, "邮件：发送广告刊例", null),
        ("fair@demo.local", ActivityKind.FairTalk, "糖酒会展位咨询", "需要角位"),
        ("sales2@demo.local", ActivityKind.Visit, "拜访：经销商新品推广", "约定二次拜访"),
        ("sales1@demo.local", ActivityKind.Call, "电话：回访上期广告效果", "效果满意"),
        ("circulation@demo.local", ActivityKind.SubscriptionCall, "续订电话 · 酒业周刊", "稍后回电"),
        ("marketing@demo.local", ActivityKind.Call, "电话：确认合同细节", null),
    ];

    private static readonly (string Email, string Text)[] Yesterday =
    [
        ("sales1@demo.local", "上午电话回访8家老客户，3家有春季广告意向；下午整理报价。明天重点跟进四川的两家酒厂。"),
        ("sales2@demo.local", "拜访2家经销商，介绍网络广告套餐，一家要求下周给方案。"),
        ("circulation@demo.local", "续订电话15个，续订6家，2家明确不续（预算削减）。"),
    ];

    public async Task SeedAsync(string password, DateTimeOffset now, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var sp = scope.ServiceProvider;
        await using (var check = await dbs.CreateDbContextAsync(ct))
            if (await check.Users.AnyAsync(u => u.Email == Salespeople[0].Email, ct)) return;
        var admin = sp.GetRequiredService<StaffAdminService>();
        foreach (var (email, name) in Salespeople)
        {
            var r = await admin.CreateFirstAsync(new NewStaff(email, name, password, (int)TeamCode.Marketing, Roles.Member));
            if (!r.Ok) throw new InvalidOperationException($"Demo user {email}: {r.Problem}");
        }
        sp.GetRequiredService<StaffDirectory>().Invalidate();

        await using var db = await dbs.CreateDbContextAsync(ct);
        var people = await db.Users.AsNoTracking().Where(u => u.Email != null).ToDictionaryAsync(u => u.Email!, ct);
        StaffIdentity Who(string email)
        {
            var u = people[email];
            var manager = email == "marketing@demo.local";
            return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, manager);
        }
        var customers = await db.Accounts.AsNoTracking().Where(a => a.ParentId == null).OrderBy(a => a.Id).Select(a => a.Id).Take(40).ToListAsync(ct);
        if (customers.Count == 0) return;
        // Renewal calls go to subscribers and fair talks to exhibitors, as the rest of the demo's history does.
        var subscribers = await db.Subscriptions.AsNoTracking().OrderBy(x => x.AccountId).Select(x => x.AccountId).Distinct().Take(40).ToListAsync(ct);
        var exhibitors = await db.Accounts.AsNoTracking().Where(a => a.IntendsToExhibit).OrderBy(a => a.Id).Select(a => a.Id).Take(40).ToListAsync(ct);

        // Spread today's work over the part of the day that has passed (never in the future of the demo's "now").
        var local = now.ToLocalTime();
        var dayStart = new DateTimeOffset(local.Date, local.Offset);
        var span = TimeSpan.FromMinutes(Math.Min((local - dayStart).TotalMinutes, 10 * 60));
        var timeline = sp.GetRequiredService<TimelineService>();
        for (var i = 0; i < Today.Length; i++)
        {
            var (email, kind, subject, outcome) = Today[i];
            var at = local - span + span * (i + 1) / (Today.Length + 1);
            var pool = kind switch { ActivityKind.SubscriptionCall when subscribers.Count > 0 => subscribers, ActivityKind.FairTalk when exhibitors.Count > 0 => exhibitors, _ => customers };
            var r = await timeline.LogAsync(pool[(i * 7) % pool.Count], new ActivityInput { Kind = kind, Subject = subject, Outcome = outcome, OccurredAt = at }, Who(email), ct);
            if (!r.Ok) throw new InvalidOperationException($"Demo work log: {r.Problem}");
        }

        var worklog = sp.GetRequiredService<WorkLogService>();
        var yesterday = DateOnly.FromDateTime(local.Date).AddDays(-1);
        foreach (var (email, text) in Yesterday)
        {
            var r = await worklog.WriteSummaryAsync(yesterday, text, null, Who(email), ct);
            if (!r.Ok) throw new InvalidOperationException($"Demo summary: {r.Problem}");
            if (email == Salespeople[0].Email)
                await worklog.CommentAsync(r.Summary!.Id, "思路清晰。四川两家酒厂请带上去年秋季糖酒会的展位数据。", r.Summary.Version, Who("marketing@demo.local"), ct);
        }
        await SeedCallListAsync(sp.GetRequiredService<CallListService>(), Who, local, span, ct);
        await DemoAssignmentsSeeder.SeedAsync(sp, dbs, Who, local, ct);
        // A few of 王磊's customers went back to the marketing pool last night, for his salespeople to claim.
        var pooled = await db.Accounts.AsNoTracking().Where(a => a.OwnerId == people["marketing@demo.local"].Id && a.ParentId == null)
            .OrderBy(a => db.Activities.Where(x => x.AccountId == a.Id && x.AuthorId == a.OwnerId).Max(x => (DateTimeOffset?)x.OccurredAt) ?? a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => a.Id).Take(4).ToListAsync(ct);
        await sp.GetRequiredService<PoolService>().ReturnAsync(pooled, LocalLine.Of<TeamsText>("Demo: back to the pool after a month without follow-up"),
            dayStart.AddHours(-6), ct);
    }

    // This week's call list of fair prospects, handed to the two salespeople evenly; each has called the first half of their share.
    private static async Task SeedCallListAsync(CallListService lists, Func<string, StaffIdentity> who, DateTimeOffset local, TimeSpan span, CancellationToken ct)
    {
        var built = await lists.BuildAsync(new CallListInput
        {
            Name = "春季糖酒会参展意向回访", Filter = new CustomerFilter { IntendsToExhibit = true }, Split = CallListSplit.Evenly, DueOn = local.Date.AddDays(4),
            AssigneeIds = [.. Salespeople.Select(p => who(p.Email).Id)],
        }, who("marketing@demo.local"), ct);
        if (!built.Ok) return;
        RenewalCallOutcome[] outcomes = [RenewalCallOutcome.NoAnswer, RenewalCallOutcome.CallBack, RenewalCallOutcome.Declined, RenewalCallOutcome.NoAnswer];
        foreach (var (email, _) in Salespeople)
        {
            var me = who(email);
            var items = await lists.MyItemsAsync(me, built.Id, ct);
            var half = items.Count / 2;
            for (var i = 0; i < half; i++)
            {
                var o = outcomes[i % outcomes.Length];
                var at = local - span / 2 + span / 2 * (i + 1) / (half + 1);
                var r = await lists.LogCallAsync(items[i].Id, new CallInput
                {
                    Outcome = o, CallBackOn = o == RenewalCallOutcome.CallBack ? local.Date.AddDays(2) : null,
                    DeclineReason = o == RenewalCallOutcome.Declined ? "今年预算已定，不参展" : null,
                }, me, ct, at);
                if (!r.Ok) throw new InvalidOperationException($"Demo call list: {r.Problem}");
            }
        }
    }
}
