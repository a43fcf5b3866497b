using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.DemoData;

/// <summary>
/// The key-customer part of the demo story: a value customer the marketing manager thanked, one whose value is falling (a
/// renewal declined), a key customer with an open complaint, a key contact whose birthday is next week; then every score is
/// computed and the eleven months before get snapshots, so the trend and the "value that changes" list have a past.
/// The past months are made up (drawn around today's score, the two story customers moving clearly); nothing else is.
/// </summary>
public class DemoKeyCustomers(IDbContextFactory<CrmDbContext> dbs, ScoreKeeper keeper)
{
    public async Task SeedAsync(int seed, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        if (await db.CustomerScores.AnyAsync(ct)) return;
        var rng = new Random(seed + 16);
        var staff = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email, u.TeamId }).ToListAsync(ct);
        var manager = staff.Single(u => u.Email == "marketing@demo.local");
        var service = staff.Single(u => u.Email == "service@demo.local");
        var circulation = staff.Single(u => u.Email == "circulation@demo.local");
        // Score everyone first, so the story picks customers by their computed value.
        await keeper.RecomputeAllAsync(ct: ct);
        var heads = await db.Accounts.AsNoTracking().Where(a => a.ParentId == null && a.Status != AccountStatus.Restricted && a.OwnerId != null)
            .Join(db.CustomerScores, a => a.Id, s => s.AccountId, (a, s) => new { a.Id, a.Name, a.OwnerId, s.Score })
            .OrderByDescending(a => a.Score).ThenBy(a => a.Id).ToListAsync(ct);
        if (heads.Count < 4) return;
        var withSubs = await db.Subscriptions.AsNoTracking().Where(s => s.CancelledAt == null).Select(s => s.AccountId).Distinct().ToListAsync(ct);
        var withContacts = await db.Contacts.AsNoTracking().Select(c => c.AccountId).Distinct().ToListAsync(ct);
        var valued = heads.First(h => withSubs.Contains(h.Id) && withContacts.Contains(h.Id));
        var troubled = heads.First(h => h.Id != valued.Id);
        var declining = heads.Skip(heads.Count / 3).First(h => withSubs.Contains(h.Id) && h.Id != valued.Id && h.Id != troubled.Id);
        Activity Entry(int accountId, ActivityKind kind, string subject, string? outcome, string authorId, int? team, int daysAgo) => new()
        {
            AccountId = accountId, Kind = kind, Subject = subject, Outcome = outcome, AuthorId = authorId, TeamId = team,
            OccurredAt = now.AddDays(-daysAgo), CreatedAt = now.AddDays(-daysAgo), CreatedBy = authorId, UpdatedAt = now.AddDays(-daysAgo), UpdatedBy = authorId,
        };

        db.Activities.Add(Entry(valued.Id, ActivityKind.Call, "感谢续订并在春季糖酒会预订两个展位", "客户很满意，答应介绍两家经销商", manager.Id, manager.TeamId, 4));
        db.Activities.Add(Entry(troubled.Id, ActivityKind.Complaint, "连续两期杂志没有收到，客户要求补寄并说明原因", null, service.Id, service.TeamId, 3));
        var sub = await db.Subscriptions.Where(s => s.AccountId == declining.Id && s.CancelledAt == null).OrderByDescending(s => s.EndsOn).FirstAsync(ct);
        sub.LastCallOutcome = RenewalCallOutcome.Declined;
        sub.LastCallAt = now.AddDays(-6);
        sub.DeclineReason = "预算削减，今年改订电子版";
        db.Activities.Add(Entry(declining.Id, ActivityKind.SubscriptionCall, "续订电话", $"拒绝续订：{sub.DeclineReason}", circulation.Id, circulation.TeamId, 6));
        var contact = await db.Contacts.Where(c => c.AccountId == valued.Id).OrderByDescending(c => c.IsKeyContact).FirstOrDefaultAsync(ct);
        if (contact is not null)
        {
            var day = DateOnly.FromDateTime(now.Date).AddDays(6);
            contact.Birthday = new DateOnly(1976, day.Month, Math.Min(day.Day, DateTime.DaysInMonth(1976, day.Month)));
            contact.IsKeyContact = true;
        }
        await db.BaseSaveChangesAsync(ct);
        // "Who works this customer" agrees with the new entries.
        foreach (var (account, team) in new[] { (valued.Id, manager.TeamId), (troubled.Id, service.TeamId), (declining.Id, circulation.TeamId) })
            await Timeline.TeamSummary.TouchAsync(db, account, team, ct);
        await db.BaseSaveChangesAsync(ct);
        await keeper.RecomputeAsync([valued.Id, declining.Id, troubled.Id], ct);

        // Eleven months of history before this one.
        var settings = await db.ScoreSettings.AsNoTracking().OrderBy(s => s.Id).FirstAsync(ct);
        var scores = await db.CustomerScores.AsNoTracking().Select(s => new { s.AccountId, s.Score, s.Breakdown }).ToListAsync(ct);
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var s in scores)
        {
            var drift = s.AccountId == declining.Id ? -4.0 : s.AccountId == valued.Id ? 1.5 : rng.NextDouble() * 2 - 1;
            for (var k = 1; k <= 11; k++)
            {
                var past = s.Score - (int)Math.Round(drift * k) + (s.AccountId == declining.Id || s.AccountId == valued.Id ? 0 : rng.Next(-2, 3));
                db.ScoreSnapshots.Add(new ScoreSnapshot { AccountId = s.AccountId, Month = thisMonth.AddMonths(-k), Score = past, Tier = ScoreRules.TierOf(past, settings), Breakdown = "[]" });
            }
        }
        await db.BaseSaveChangesAsync(ct);
        // The demo's own writes above went round the save path: nothing is waiting in the queue.
        await db.ScoreDirty.ExecuteDeleteAsync(ct);
    }
}
