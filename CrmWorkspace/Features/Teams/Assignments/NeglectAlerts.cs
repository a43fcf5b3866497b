using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Teams;

/// <summary>The neglect alerts' settings (appsettings "Alerts").</summary>
public class AlertOptions
{
    /// <summary>A key customer (tier A or B) nobody logged work on for this many days escalates to its owner's manager.</summary>
    public int KeyCustomerIdleDays { get; set; } = 30;
    /// <summary>At most this many alerts of each kind are listed (the counts are whole).</summary>
    public int MaxRows { get; set; } = 50;
    /// <summary>How often the team watch (task reminders) runs, in minutes.</summary>
    public int WatchMinutes { get; set; } = 5;
}

/// <summary>Why something escalated to a manager.</summary>
public enum NeglectReason { KeyCustomerUntouched = 1, FollowUpOverdue = 2, TaskOverdue = 3 }

/// <summary>One thing a manager should look at: what, whose, since when, and where it leads.</summary>
public record NeglectAlert(NeglectReason Reason, string PersonId, int? AccountId, string? AccountName, string? Subject, int Days, DateOnly? Due, AccountTier? Tier);

/// <summary>A manager's alerts: the first rows of each kind and the whole counts.</summary>
public record NeglectAlerts(IReadOnlyList<NeglectAlert> Rows, int UntouchedKeyCustomers, int OverdueFollowUps, int OverdueTasks, int IdleDays)
{
    public int Total => UntouchedKeyCustomers + OverdueFollowUps + OverdueTasks;
}

/// <summary>
/// Neglect alerts (预警): key customers of a team's people untouched for <see cref="AlertOptions.KeyCustomerIdleDays"/> and their
/// overdue follow-ups and tasks, escalated to the team's managers. Computed on read from indexed columns (owner, team touches,
/// follow-up assignee and day), so the list is always current and costs a few index lookups per team member.
/// </summary>
public class NeglectAlertService(IDbContextFactory<CrmDbContext> dbs, IOptions<AlertOptions> options, CrmWorkspace.Features.Security.AuditTrail audit)
{
    /// <summary>
    /// Whether an event can change a team's alerts, so open panels read them again only then. A new entry touches one customer: it
    /// can clear that customer's alert only if the customer is a key customer (tier A or B, told by the event), and it adds an overdue
    /// follow-up only if it has a follow-up at all. Everything else that changes work (edits, deletions, follow-ups done, tasks,
    /// owners, the pool) reads again, as does an entry whose event does not tell the tier.
    /// </summary>
    public static bool MayChange(WorkspaceEvent e) =>
        e.Kind == EventKind.ActivityLogged && e.Tier is { } tier
            ? tier is AccountTier.A or AccountTier.B || e.AssigneeId is not null
            : e.Kind.IsTimelineWork() || e.Kind is EventKind.TaskAssigned or EventKind.TaskDone or EventKind.OwnerHanded or EventKind.PoolReturned or EventKind.PoolClaimed;

    /// <summary>The alerts of a team (null: every team, for administrators); refused (null) to those who may not read them.</summary>
    public async Task<NeglectAlerts?> ForTeamAsync(int? teamId, StaffIdentity reader, DateOnly today, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(reader, Permission.AssignTasks, "neglect alerts")) return null;
        // A manager reads their own team's; only a manager without a team (an administrator) reads every team's.
        if (reader.TeamId is { } own && !reader.IsAdmin) teamId = own;
        var o = options.Value;
        var cutoff = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-o.KeyCustomerIdleDays);
        await using var db = await dbs.CreateDbContextAsync(ct);
        // The team's people first (a handful of ids), so every lookup below is an index range per person.
        var people = await (teamId is { } team ? db.Users.Where(u => u.TeamId == team) : db.Users.Where(u => u.TeamId != null)).Select(u => u.Id).ToListAsync(ct);

        var keys = db.Accounts.AsNoTracking().Where(a => (a.Tier == AccountTier.A || a.Tier == AccountTier.B) && a.MergedIntoId == null && a.OwnerId != null
            && people.Contains(a.OwnerId!) && a.CreatedAt < cutoff && !db.TeamTouches.Any(t => t.AccountId == a.Id && t.LastAt >= cutoff));
        var keyCount = await keys.CountAsync(ct);
        var keyRows = await keys.Select(a => new { a.Id, a.Name, a.OwnerId, a.Tier, Last = db.TeamTouches.Where(t => t.AccountId == a.Id).Max(t => t.LastAt), a.CreatedAt })
            .OrderBy(a => a.Tier).ThenBy(a => a.Last ?? a.CreatedAt).Take(o.MaxRows).ToListAsync(ct);

        // Deleted entries left out explicitly: the rows' name lookup ignores query filters, which EF applies to the whole query.
        var follow = db.Activities.AsNoTracking().Where(a => !a.IsDeleted && a.FollowUpAssigneeId != null && people.Contains(a.FollowUpAssigneeId) && a.FollowUpDoneAt == null
            && a.FollowUpOn < today);
        var followCount = await follow.CountAsync(ct);
        var followRows = await follow.OrderBy(a => a.FollowUpOn).Take(o.MaxRows)
            .Select(a => new { a.AccountId, Name = db.Accounts.IgnoreQueryFilters().Where(x => x.Id == a.AccountId).Select(x => x.Name).FirstOrDefault(), a.FollowUpAssigneeId, a.Subject, a.FollowUpOn })
            .ToListAsync(ct);

        var tasks = db.AssignedTasks.AsNoTracking().Where(t => t.DoneAt == null && t.DueOn < today && (teamId == null || t.TeamId == teamId));
        var taskCount = await tasks.CountAsync(ct);
        var taskRows = await tasks.OrderBy(t => t.DueOn).Take(o.MaxRows)
            .Select(t => new { t.AccountId, Name = db.Accounts.IgnoreQueryFilters().Where(x => x.Id == t.AccountId).Select(x => x.Name).FirstOrDefault(), t.AssigneeId, t.Title, t.DueOn })
            .ToListAsync(ct);

        var todayAt = today.ToDateTime(TimeOnly.MinValue);
        var rows = new List<NeglectAlert>();
        rows.AddRange(keyRows.Select(k => new NeglectAlert(NeglectReason.KeyCustomerUntouched, k.OwnerId!, k.Id, k.Name, null,
            (int)(todayAt - (k.Last ?? k.CreatedAt).UtcDateTime.Date).TotalDays, null, k.Tier)));
        rows.AddRange(followRows.Select(f => new NeglectAlert(NeglectReason.FollowUpOverdue, f.FollowUpAssigneeId!, f.AccountId, f.Name, f.Subject,
            today.DayNumber - f.FollowUpOn!.Value.DayNumber, f.FollowUpOn, null)));
        rows.AddRange(taskRows.Select(t => new NeglectAlert(NeglectReason.TaskOverdue, t.AssigneeId, t.AccountId, t.Name, t.Title, today.DayNumber - t.DueOn.DayNumber, t.DueOn, null)));
        return new NeglectAlerts(rows, keyCount, followCount, taskCount, o.KeyCustomerIdleDays);
    }
}

/// <summary>
/// The team watch: sends task reminders as their day comes, on one server at a time (the "team-watch" job lease), within its lease. Neglect alerts need no job: they are read fresh.
/// </summary>
public sealed class TeamWatchJob(TaskService tasks, JobLeases leases, IOptions<AlertOptions> options, TimeProvider clock, ILogger<TeamWatchJob> log) : BackgroundService
{
    public const string Lease = "team-watch";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ticks within the lease (so the holder keeps it), at most every WatchMinutes.
        var every = TimeSpan.FromSeconds(Math.Max(1, Math.Min(options.Value.WatchMinutes * 60, leases.Duration.TotalSeconds / 3)));
        using var timer = new PeriodicTimer(every, clock);
        do
        {
            try
            {
                if (!await leases.TryAcquireAsync(Lease, stoppingToken)) continue;
                var sent = await tasks.SendRemindersAsync(DateOnly.FromDateTime(clock.GetLocalNow().DateTime), stoppingToken);
                if (sent > 0) log.LogInformation("Team watch: {Count} task reminders sent", sent);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "The team watch failed; it runs again later"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
