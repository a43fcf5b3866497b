using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.DemoData;

/// <summary>
/// The demo's targets for this month and this quarter, set by the marketing manager 王磊 as he would: each person's on the
/// measures of their team, so the board tells a story from the first sign-in: 赵敏 and 李娜 are ahead, 孙强 and 张伟 behind,
/// the others close. Targets follow the demo's own results (same seed and day, same rows) and are written through the service.
/// </summary>
public class DemoTargetsSeeder(IDbContextFactory<CrmDbContext> dbs, IServiceScopeFactory scopes)
{
    /// <summary>Who is ahead (target below what they did) and who is behind (well above).</summary>
    public static readonly string[] Ahead = ["sales1@demo.local", "circulation@demo.local"];
    public static readonly string[] Behind = ["sales2@demo.local", "fair@demo.local"];

    /// <summary>The measures each team is set targets on.</summary>
    public static TargetMeasure[] MeasuresOf(int teamId) => (TeamCode)teamId switch
    {
        TeamCode.Marketing => [TargetMeasure.AdRevenue, TargetMeasure.NewCustomers, TargetMeasure.Calls],
        TeamCode.Circulation => [TargetMeasure.SubscriptionRevenue, TargetMeasure.Renewals, TargetMeasure.Calls],
        TeamCode.TradeFair => [TargetMeasure.Booths, TargetMeasure.NewCustomers, TargetMeasure.Calls],
        _ => [TargetMeasure.Calls],
    };

    public async Task SeedAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.SalesTargets.AnyAsync(ct)) return;
        var people = await db.Users.AsNoTracking().Where(u => u.Email != null && u.TeamId != null).OrderBy(u => u.Email)
            .Select(u => new { u.Id, Email = u.Email!, u.TeamId, u.DisplayName }).ToListAsync(ct);
        var manager = await db.Users.AsNoTracking().Where(u => u.Email == "marketing@demo.local").Select(u => new { u.Id, u.DisplayName, u.TeamId }).FirstOrDefaultAsync(ct);
        if (manager is null) return;
        var actor = StaffIdentity.ForRole(manager.Id, manager.DisplayName, manager.TeamId, Roles.Manager);
        using var scope = scopes.CreateScope();
        var targets = scope.ServiceProvider.GetRequiredService<TargetService>();
        var today = DateOnly.FromDateTime(now.LocalDateTime);
        foreach (var period in new[] { PeriodKey.Of(TargetPeriod.Month, today), PeriodKey.Of(TargetPeriod.Quarter, today) })
        {
            var actuals = await ResultsService.ActualsAsync(db, period, null, ct);
            var changes = new List<TargetChange>();
            var teamSums = new Dictionary<(int, TargetMeasure), decimal>();
            foreach (var p in people)
            {
                foreach (var m in MeasuresOf(p.TeamId!.Value))
                {
                    var actual = actuals.TryGetValue(p.Id, out var c) ? c[m] : 0;
                    var step = m.IsMoney() ? 1000m : 1m;
                    var target = Ahead.Contains(p.Email) ? Math.Max(step, Math.Floor(actual * 0.8m / step) * step)
                        : Behind.Contains(p.Email) ? Math.Ceiling(actual * 1.6m / step) * step + (m.IsMoney() ? 20_000m : 5m)
                        : Math.Ceiling(actual * 1.1m / step) * step + step;
                    // A quarter's target reaches past what the first weeks brought.
                    if (period.Period == TargetPeriod.Quarter && !Ahead.Contains(p.Email)) target += m.IsMoney() ? 10_000m : 3m;
                    target = Math.Min(target, m.Max());
                    changes.Add(new TargetChange(SalesTarget.PersonKey(p.Id), m, target, null));
                    teamSums[(p.TeamId.Value, m)] = teamSums.GetValueOrDefault((p.TeamId.Value, m)) + target;
                }
            }
            changes.AddRange(teamSums.OrderBy(t => t.Key.Item1).ThenBy(t => t.Key.Item2)
                .Select(t => new TargetChange(SalesTarget.TeamKey(t.Key.Item1), t.Key.Item2, Math.Min(t.Value, t.Key.Item2.Max()), null)));
            var r = await targets.SaveAsync(period, changes, actor, ct);
            if (!r.Ok) throw new InvalidOperationException($"Demo targets {period.Code}: {r.Problem}");
        }
    }
}
