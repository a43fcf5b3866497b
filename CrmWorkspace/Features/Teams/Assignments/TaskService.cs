using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams;

/// <summary>The task form of a manager.</summary>
public class TaskInput
{
    public string? AssigneeId { get; set; }
    /// <summary>The customer it is about, if any.</summary>
    public int? AccountId { get; set; }
    public string Title { get; set; } = "";
    public string? Notes { get; set; }
    public DateTime? DueOn { get; set; }
    /// <summary>How many days before the due day the reminder goes out (0: on the day).</summary>
    public int RemindDaysBefore { get; set; } = 1;
}

/// <summary>A task as the lists show it.</summary>
public record TaskItem(long Id, string Title, string? Notes, DateOnly DueOn, DateOnly RemindOn, int? AccountId, string? AccountName,
    string AssigneeId, string AssignedById, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt);

/// <summary>The outcome of giving or finishing a task.</summary>
public record TaskResult(bool Ok, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, long? Id = null) : CommandResult(Ok, Error, Errors);

/// <summary>
/// Single tasks (任务) a manager gives one person, on a customer or on none, with a due day: they join the person's "My follow-ups",
/// a reminder goes out as the day nears (<see cref="SendRemindersAsync"/>, run by <see cref="TeamWatchJob"/>), and only the person
/// marks them done. A task on a customer is on its timeline when given and when done, in the same transaction.
/// </summary>
public class TaskService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, IStringLocalizer<AssignmentText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    public const string Scope = "tasks";
    public const int MaxTitle = 200;
    public const int MaxNotes = 2000;
    public const int MaxRemindDays = 30;

    /// <summary>The rules the form shows live and the service checks last.</summary>
    public Dictionary<string, string> Validate(TaskInput input, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(input.AssigneeId)) errors[nameof(input.AssigneeId)] = L["Choose who does it."];
        if (string.IsNullOrWhiteSpace(input.Title)) errors[nameof(input.Title)] = L["Say what is to be done."];
        else if (input.Title.Trim().Length > MaxTitle) errors[nameof(input.Title)] = L["At most {0} characters.", MaxTitle];
        if (input.Notes?.Length > MaxNotes) errors[nameof(input.Notes)] = L["At most {0} characters.", MaxNotes];
        if (input.DueOn is null) errors[nameof(input.DueOn)] = L["Choose the due day."];
        else if (DateOnly.FromDateTime(input.DueOn.Value) < today) errors[nameof(input.DueOn)] = L["The due day has passed already."];
        if (input.RemindDaysBefore is < 0 or > MaxRemindDays) errors[nameof(input.RemindDaysBefore)] = L["Between 0 and {0} days before.", MaxRemindDays];
        return errors;
    }

    /// <summary>A manager gives someone a task; it appears on their "My follow-ups" at once (<paramref name="at"/>: the demo's moment).</summary>
    public async Task<TaskResult> AssignAsync(TaskInput input, StaffIdentity actor, CancellationToken ct = default, DateTimeOffset? at = null)
    {
        if (!await audit.AllowedAsync(actor, Permission.AssignTasks, input.Title)) return new TaskResult(false, L["Only managers give tasks."]);
        var today = WorkLogService.Today;
        var errors = Validate(input, today);
        if (errors.Count > 0) return new TaskResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var person = await db.Users.Where(u => u.Id == input.AssigneeId).Select(u => new { u.DisplayName, u.TeamId }).FirstOrDefaultAsync(ct);
        if (person is null) return new TaskResult(false, Errors: new Dictionary<string, string> { [nameof(input.AssigneeId)] = L["This person no longer exists."] });
        string? accountName = null;
        if (input.AccountId is { } aid)
        {
            accountName = await db.Accounts.Where(a => a.Id == aid).Select(a => a.Name).FirstOrDefaultAsync(ct);
            if (accountName is null) return new TaskResult(false, Errors: new Dictionary<string, string> { [nameof(input.AccountId)] = L["This customer no longer exists."] });
        }
        var due = DateOnly.FromDateTime(input.DueOn!.Value);
        var remind = due.AddDays(-input.RemindDaysBefore);
        var task = new AssignedTask
        {
            AssigneeId = input.AssigneeId!, AssignedById = actor.Id, TeamId = person.TeamId, AccountId = input.AccountId, Title = input.Title.Trim(),
            Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(), DueOn = due, RemindOn = remind < today ? today : remind,
            CreatedAt = at ?? DateTimeOffset.UtcNow,
        };
        db.AssignedTasks.Add(task);
        if (input.AccountId is { } onCustomer)
        {
            var line = LocalLine.Of<AssignmentText>("Task for {0}, due {1:d}: {2}", person.DisplayName, due, task.Title);
            var entry = Activity.SystemEntry(onCustomer, EventKind.TaskAssigned.Name(), LineText.Format(L, line), actor.Id, actor.TeamId, line.Json());
            entry.OccurredAt = task.CreatedAt;
            db.Activities.Add(entry);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.TaskAssigned, input.AccountId ?? 0, actor.Id, actor.Name, person.TeamId, DateTimeOffset.UtcNow, task.Title, task.Id,
            Scope: Scope, AccountName: accountName, AssigneeId: task.AssigneeId));
        return new TaskResult(true, Id: task.Id);
    }

    /// <summary>The person marks their task done (nobody else does it for them).</summary>
    public async Task<TaskResult> CompleteAsync(long id, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var task = await db.AssignedTasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return new TaskResult(false, L["This task no longer exists."]);
        if (task.AssigneeId != actor.Id) return new TaskResult(false, L["Only the person it was given to marks a task done."]);
        if (task.DoneAt is not null) return new TaskResult(true, Id: id);
        task.DoneAt = DateTimeOffset.UtcNow;
        if (task.AccountId is { } onCustomer)
            db.Activities.Add(Activity.SystemEntry(onCustomer, EventKind.TaskDone.Name(), task.Title, actor.Id, actor.TeamId));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException) { return new TaskResult(true, Id: id); } // done twice at once (two tabs): done is done
        events.Publish(new WorkspaceEvent(EventKind.TaskDone, task.AccountId ?? 0, actor.Id, actor.Name, task.TeamId, DateTimeOffset.UtcNow, task.Title, task.Id,
            Scope: Scope, AssigneeId: task.AssignedById));
        return new TaskResult(true, Id: id);
    }

    /// <summary>My open tasks, the soonest due first.</summary>
    public async Task<IReadOnlyList<TaskItem>> MyOpenAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Items(db, db.AssignedTasks.Where(t => t.AssigneeId == userId && t.DoneAt == null).OrderBy(t => t.DueOn).ThenBy(t => t.Id).Take(200)).ToListAsync(ct);
    }

    /// <summary>The tasks of a team (null: every team), open ones and those done in the last week, for the manager.</summary>
    public async Task<IReadOnlyList<TaskItem>> TeamAsync(int? teamId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var since = DateTimeOffset.UtcNow.AddDays(-7);
        var q = db.AssignedTasks.Where(t => t.DoneAt == null || t.DoneAt >= since);
        if (teamId is { } team) q = q.Where(t => t.TeamId == team);
        return await Items(db, q.OrderBy(t => t.DoneAt != null).ThenBy(t => t.DueOn).ThenBy(t => t.Id).Take(500)).ToListAsync(ct);
    }

    private static IQueryable<TaskItem> Items(CrmDbContext db, IQueryable<AssignedTask> q) => q.AsNoTracking().Select(t => new TaskItem(t.Id, t.Title, t.Notes, t.DueOn, t.RemindOn,
        t.AccountId, db.Accounts.IgnoreQueryFilters().Where(a => a.Id == t.AccountId).Select(a => a.Name).FirstOrDefault(), t.AssigneeId, t.AssignedById, t.CreatedAt, t.DoneAt));

    /// <summary>Sends each open task's reminder once, on its day (or later, if the job was not running then); returns how many went out.</summary>
    public async Task<int> SendRemindersAsync(DateOnly today, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var due = await db.AssignedTasks.Where(t => t.DoneAt == null && t.RemindedAt == null && t.RemindOn <= today)
            .OrderBy(t => t.Id).Select(t => new { t.Id, t.AssigneeId, t.TeamId, t.Title, t.DueOn, t.AccountId }).Take(1000).ToListAsync(ct);
        var sent = 0;
        foreach (var t in due)
        {
            // Conditional: two servers (or two runs) never remind twice.
            if (await db.AssignedTasks.Where(x => x.Id == t.Id && x.RemindedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.RemindedAt, DateTimeOffset.UtcNow).SetProperty(x => x.Version, Guid.NewGuid()), ct) == 0) continue;
            sent++;
            events.Publish(new WorkspaceEvent(EventKind.TaskReminded, t.AccountId ?? 0, Actors.SystemId, "System", t.TeamId, DateTimeOffset.UtcNow, t.Title, t.Id,
                Scope: Scope, AssigneeId: t.AssigneeId));
        }
        return sent;
    }
}
