using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.DemoData;

/// <summary>
/// The demo's territories and managers' tasks: 王磊 has mapped the marketing team's provinces (四川 to 赵敏 except 成都, which is
/// 孙强's; 贵州 to the team's pool; 山东 his own) and given his salespeople this week's tasks, one of them on a customer. Through
/// the services, at the demo's moment, so the same seed and day write the same rows.
/// </summary>
public static class DemoAssignmentsSeeder
{
    private static readonly (string Province, string? City, string? OwnerEmail)[] Territories =
    [
        ("四川", null, "sales1@demo.local"), ("四川", "成都", "sales2@demo.local"), ("贵州", null, null), ("山东", null, "marketing@demo.local"),
    ];

    public static async Task SeedAsync(IServiceProvider sp, IDbContextFactory<CrmDbContext> dbs, Func<string, StaffIdentity> who, DateTimeOffset local, CancellationToken ct = default)
    {
        var manager = who("marketing@demo.local") with { IsManager = true, RoleName = Roles.Manager };
        var territories = sp.GetRequiredService<TerritoryService>();
        foreach (var (province, city, owner) in Territories)
        {
            var r = await territories.SaveAsync(null, new TerritoryInput { Province = province, City = city, TeamId = manager.TeamId, OwnerId = owner is null ? null : who(owner).Id },
                null, manager, ct);
            if (!r.Ok) throw new InvalidOperationException($"Demo territory {province} {city}: {r.Problem}");
        }

        // This week's tasks: one on the oldest 四川 customer of 赵敏's, two without a customer.
        int? sichuan;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            sichuan = await db.Accounts.AsNoTracking().Where(a => a.Province == "四川" && a.ParentId == null).OrderBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
        var tasks = sp.GetRequiredService<TaskService>();
        var day = local.Date;
        (string Email, int? Account, string Title, int DueIn, int Remind)[] given =
        [
            ("sales1@demo.local", sichuan, "带上去年秋季糖酒会的展位数据再拜访一次", 2, 1),
            ("sales2@demo.local", null, "整理成都地区经销商名单（至少20家）", 0, 0),
            ("sales1@demo.local", null, "周五前交春季广告报价汇总", 4, 2),
        ];
        for (var i = 0; i < given.Length; i++)
        {
            var (email, account, title, dueIn, remind) = given[i];
            var r = await tasks.AssignAsync(new TaskInput { AssigneeId = who(email).Id, AccountId = account, Title = title, DueOn = day.AddDays(dueIn), RemindDaysBefore = remind },
                manager, ct, local.AddMinutes(-30 + i));
            if (!r.Ok) throw new InvalidOperationException($"Demo task: {r.Problem}");
        }
    }
}
