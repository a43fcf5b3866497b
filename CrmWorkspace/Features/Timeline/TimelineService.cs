using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Timeline;

/// <summary>Use cases of the shared customer timeline: log, edit, delete, complete follow-ups, and the reads behind the pages.</summary>
public class TimelineService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff, IStringLocalizer<TimelineText> L)
{
    public const int MaxSubject = 300;
    public const int MaxBody = 20_000;

    public Dictionary<string, string> Validate(ActivityInput input)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Subject)) errors[nameof(input.Subject)] = L["Subject is required."];
        else if (input.Subject.Trim().Length > MaxSubject) errors[nameof(input.Subject)] = L["Subject is too long ({0} characters at most).", MaxSubject];
        if (input.Body?.Length > MaxBody || input.BodyLength > MaxBody) errors[nameof(input.Body)] = L["The text is too long ({0} characters at most).", MaxBody];
        else if (input.BodyLength is { } sent && sent != (input.Body?.Length ?? 0))
            errors[nameof(input.Body)] = L["Only {0:N0} of the note's {1:N0} characters arrived; nothing was saved. Save again.", input.Body?.Length ?? 0, sent];
        if (input.Kind == ActivityKind.System) errors[nameof(input.Kind)] = L["Choose what kind of work this was."];
        if (input.OccurredAt is { } at && at > DateTimeOffset.UtcNow.AddMinutes(5)) errors[nameof(input.OccurredAt)] = L["An activity cannot happen in the future; use a follow-up for that."];
        return errors;
    }

    public async Task<TimelineResult> LogAsync(int accountId, ActivityInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new TimelineResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        // An immediate transaction serialises writers, so the team summary is computed on current data.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (activity, error, account) = await AddCoreAsync(db, accountId, input, actor, ct);
        if (activity is null) return new TimelineResult(false, Error: error);
        // What the event says of the customer is read inside the transaction (the existence check above already read it), so nothing
        // stands between the commit and the publish: on PostgreSQL every read after the commit was one more round trip before delivery.
        var ancestors = await AccountService.AncestorsAsync(db, account!.ParentId, ct);
        await tx.CommitAsync(ct);
        Publish(EventKind.ActivityLogged, activity, actor, account, ancestors);
        // The writer's own entry is read after the others were told: open views apply an event LiveOptions.ViewsAfterMs after it was
        // published, so this read still comes first on the writer's screen; hub clients are not kept waiting for it.
        var entry = await SingleAsync(db, activity.Id, ct);
        return new TimelineResult(true, activity.Id, Entry: entry);
    }

    /// <summary>
    /// Adds a validated activity and its team summary inside the caller's unit of work and transaction (the renewal desk's
    /// call is one commit with the subscription it changes); the caller commits and publishes.
    /// </summary>
    internal async Task<(Activity? Activity, string? Error)> AddAsync(CrmDbContext db, int accountId, ActivityInput input, StaffIdentity actor, CancellationToken ct,
        LocalLine? line = null)
    {
        var (activity, error, _) = await AddCoreAsync(db, accountId, input, actor, ct, line);
        return (activity, error);
    }

    /// <summary>What an activity's event says of its customer.</summary>
    internal sealed record AccountFacts(string Name, int? ParentId, string? OwnerId, AccountTier Tier);

    /// <summary>
    /// Adds an entry inside the caller's unit of work and returns what the event will say of its customer, read in the same query
    /// (for a caller that publishes the entry itself, with <see cref="Publish"/>, and names the customer in its own events).
    /// </summary>
    internal async Task<(Activity? Activity, string? Error, AccountFacts? Account)> AddCoreAsync(CrmDbContext db, int accountId, ActivityInput input, StaffIdentity actor,
        CancellationToken ct, LocalLine? line = null)
    {
        // One round trip: the customer's facts and the writer's team summary row, which is tracked, so TeamSummary finds it without a query.
        var team = actor.TeamId ?? -1;
        // A left join on the summary's key (a subquery in the projection needs APPLY, which SQLite has not).
        var row = await (from a in db.Accounts.Where(a => a.Id == accountId)
                         join t in db.TeamTouches.Where(t => t.TeamId == team) on a.Id equals t.AccountId into touches
                         from t in touches.DefaultIfEmpty()
                         select new { a.Name, a.ParentId, a.OwnerId, a.Tier, Touch = t }).FirstOrDefaultAsync(ct);
        if (row is null) return (null, L["This customer no longer exists."], null);
        var account = new AccountFacts(row.Name, row.ParentId, row.OwnerId, row.Tier);
        if (input.ContactId is { } cid && !await db.Contacts.AnyAsync(c => c.Id == cid && c.AccountId == accountId, ct))
            return (null, L["That contact is not at this customer."], null);
        var activity = new Activity
        {
            AccountId = accountId, TeamId = actor.TeamId, AuthorId = actor.Id,
            OccurredAt = input.OccurredAt?.ToUniversalTime() ?? DateTimeOffset.UtcNow,
        };
        Apply(input, activity, actor);
        // A line the software writes for the person (a pipeline step, a quote): kept as its template too, drawn per reader.
        activity.Data = line?.Json();
        db.Activities.Add(activity);
        await db.SaveChangesAsync(ct);
        await TeamSummary.TouchNewAsync(db, activity, ct);
        await db.SaveChangesAsync(ct);
        return (activity, null, account);
    }

    public async Task<TimelineResult> EditAsync(long id, ActivityInput input, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new TimelineResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return new TimelineResult(false, Error: L["This entry was deleted."]);
        if (activity.AuthorId != actor.Id || activity.Kind == ActivityKind.System) return new TimelineResult(false, Error: L["Only the author can change an entry."]);
        if (activity.Version != expectedVersion) return new TimelineResult(false, Error: L["This entry was changed in another window; reload it first."]);
        db.ActivityRevisions.Add(Revision(activity, actor));
        var subject = activity.Subject;
        Apply(input, activity, actor);
        // The author rewrote a line the software wrote for them: their words are shown from now on, not the template.
        if (activity.Subject != subject && LocalLine.From(activity.Data) is not null) activity.Data = null;
        if (input.OccurredAt is { } at) activity.OccurredAt = at.ToUniversalTime();
        await db.SaveChangesAsync(ct);
        await TeamSummary.TouchAsync(db, activity.AccountId, activity.TeamId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.ActivityEdited, activity, actor, null, ct);
        return new TimelineResult(true, id);
    }

    public async Task<TimelineResult> DeleteAsync(long id, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return new TimelineResult(true, id);
        if (activity.AuthorId != actor.Id || activity.Kind == ActivityKind.System) return new TimelineResult(false, Error: L["Only the author can delete an entry."]);
        db.ActivityRevisions.Add(Revision(activity, actor));
        activity.IsDeleted = true;
        await db.SaveChangesAsync(ct);
        await TeamSummary.TouchAsync(db, activity.AccountId, activity.TeamId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.ActivityDeleted, activity, actor, null, ct);
        return new TimelineResult(true, id);
    }

    public async Task<TimelineResult> CompleteFollowUpAsync(long id, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity?.FollowUpOn is null) return new TimelineResult(false, Error: L["This follow-up no longer exists."]);
        if (activity.FollowUpDoneAt is not null) return new TimelineResult(true, id);
        activity.FollowUpDoneAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await TeamSummary.TouchAsync(db, activity.AccountId, activity.TeamId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.FollowupDone, activity, actor, null, ct);
        return new TimelineResult(true, id);
    }

    public async Task<IReadOnlyList<ActivityRevision>> HistoryAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ActivityRevisions.AsNoTracking().Where(r => r.ActivityId == id).OrderByDescending(r => r.ReplacedAt).ToListAsync(ct);
    }

    /// <summary>One keyset page of a customer's timeline, newest first.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> PageAsync(TimelineQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = q.IncludeBranches ? await AccountService.WithDescendantsAsync(db, q.AccountId, ct) : [q.AccountId];
        var rows = ids.Count == 1 ? db.Activities.Where(a => a.AccountId == q.AccountId) : db.Activities.Where(a => ids.Contains(a.AccountId));
        if (q.TeamIds is { Count: > 0 } teams) rows = rows.Where(a => a.TeamId != null && teams.Contains(a.TeamId.Value));
        if (q.Kinds is { Count: > 0 } kinds) rows = rows.Where(a => kinds.Contains(a.Kind));
        if (!string.IsNullOrEmpty(q.AuthorId)) rows = rows.Where(a => a.AuthorId == q.AuthorId);
        if (q.From is { } from) { var f = new DateTimeOffset(from.Date, TimeSpan.Zero); rows = rows.Where(a => a.OccurredAt >= f); }
        if (q.To is { } to) { var t = new DateTimeOffset(to.Date.AddDays(1), TimeSpan.Zero); rows = rows.Where(a => a.OccurredAt < t); }
        if (!string.IsNullOrWhiteSpace(q.Text)) { var s = q.Text.Trim(); rows = rows.Where(a => a.Subject.Contains(s) || (a.SearchText != null && a.SearchText.Contains(s)) || (a.Body != null && a.Body.Contains(s)) || (a.Outcome != null && a.Outcome.Contains(s))); }
        if (q.Before is var (at, id)) rows = rows.Where(a => a.OccurredAt < at || (a.OccurredAt == at && a.Id < id));
        return await rows.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(q.Take)
            .Select(a => new TimelineEntry(a.Id, a.AccountId, ids.Count == 1 ? null : db.Accounts.Where(x => x.Id == a.AccountId).Select(x => x.Name).FirstOrDefault(),
                a.ContactId, a.ContactId == null ? null : db.Contacts.Where(c => c.Id == a.ContactId).Select(c => c.Name).FirstOrDefault(),
                a.TeamId, a.AuthorId, a.Kind, a.SystemEvent, a.Subject, a.Body, a.Outcome, a.OccurredAt, a.FollowUpOn, a.FollowUpAssigneeId,
                a.FollowUpDoneAt, a.Kind != ActivityKind.System && db.ActivityRevisions.Any(r => r.ActivityId == a.Id), a.Version, a.Data))
            .AsNoTracking().ToListAsync(ct);
    }

    /// <summary>A single entry (for live inserts).</summary>
    public async Task<TimelineEntry?> EntryAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await SingleAsync(db, id, ct);
    }

    private static async Task<TimelineEntry?> SingleAsync(CrmDbContext db, long id, CancellationToken ct) =>
        await Entries(db, db.Activities.Where(a => a.Id == id)).FirstOrDefaultAsync(ct);

    /// <summary>Whole entries (customer and contact names, whether edited) of the given rows, in their order, in one statement.</summary>
    private static IQueryable<TimelineEntry> Entries(CrmDbContext db, IQueryable<Activity> rows) =>
        rows.Select(a => new TimelineEntry(a.Id, a.AccountId, db.Accounts.Where(x => x.Id == a.AccountId).Select(x => x.Name).FirstOrDefault(),
            a.ContactId, a.ContactId == null ? null : db.Contacts.Where(c => c.Id == a.ContactId).Select(c => c.Name).FirstOrDefault(),
            a.TeamId, a.AuthorId, a.Kind, a.SystemEvent, a.Subject, a.Body, a.Outcome, a.OccurredAt, a.FollowUpOn, a.FollowUpAssigneeId,
            a.FollowUpDoneAt, db.ActivityRevisions.Any(r => r.ActivityId == a.Id), a.Version, a.Data)).AsNoTracking();

    /// <summary>A customer's name (deleted ones too), for live views whose event did not carry it.</summary>
    public async Task<string?> AccountNameAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId).Select(a => a.Name).FirstOrDefaultAsync(ct);
    }

    /// <summary>Open follow-ups of a customer, soonest first (overdue ones first of all).</summary>
    public async Task<IReadOnlyList<TimelineEntry>> OpenFollowUpsAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // One statement (it was one for the ids and one per follow-up: up to 21 round trips per customer page on PostgreSQL).
        return await Entries(db, db.Activities.Where(a => a.AccountId == accountId && a.FollowUpOn != null && a.FollowUpDoneAt == null)
            .OrderBy(a => a.FollowUpOn).ThenBy(a => a.Id).Take(20)).ToListAsync(ct);
    }

    /// <summary>The signed-in user's open follow-ups, overdue first.</summary>
    public async Task<IReadOnlyList<FollowUpItem>> MyFollowUpsAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Deleted entries left out explicitly: the name lookup ignores query filters, which EF applies to the whole query.
        return await db.Activities.Where(a => !a.IsDeleted && a.FollowUpAssigneeId == userId && a.FollowUpDoneAt == null && a.FollowUpOn != null)
            .OrderBy(a => a.FollowUpOn).Take(500)
            .Select(a => new FollowUpItem(a.Id, a.AccountId, db.Accounts.IgnoreQueryFilters().Where(x => x.Id == a.AccountId).Select(x => x.Name).First(),
                a.Subject, a.FollowUpOn!.Value, a.AuthorId, a.TeamId))
            .AsNoTracking().ToListAsync(ct);
    }

    /// <summary>The newest entries across the workspace (the live activity panel).</summary>
    public async Task<IReadOnlyList<TimelineEntry>> LatestAsync(int? teamId, int take = 30, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Deleted entries left out explicitly: the name lookup ignores query filters, which EF applies to the whole query.
        var rows = db.Activities.Where(a => !a.IsDeleted);
        if (teamId is { } t) rows = rows.Where(a => a.TeamId == t);
        return await rows.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(take)
            .Select(a => new TimelineEntry(a.Id, a.AccountId, db.Accounts.IgnoreQueryFilters().Where(x => x.Id == a.AccountId).Select(x => x.Name).FirstOrDefault(),
                a.ContactId, null, a.TeamId, a.AuthorId, a.Kind, a.SystemEvent, a.Subject, null, a.Outcome, a.OccurredAt, a.FollowUpOn,
                a.FollowUpAssigneeId, a.FollowUpDoneAt, false, a.Version, a.Data))
            .AsNoTracking().ToListAsync(ct);
    }

    /// <summary>Who works these customers: per customer, one line per team that has touched it.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<TeamWork>>> WhoWorksAsync(IReadOnlyCollection<int> accountIds, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var teams = await staff.TeamsAsync();
        // With the last entry's Data (by its key), so a line the software wrote is shown in each reader's language.
        var touches = await (from t in db.TeamTouches.AsNoTracking().Where(t => accountIds.Contains(t.AccountId) && (t.LastAt != null || t.OpenFollowUps > 0))
                             join a in db.Activities on t.LastActivityId equals (long?)a.Id into last
                             from a in last.DefaultIfEmpty()
                             select new { Touch = t, a.Data }).ToListAsync(ct);
        return accountIds.ToDictionary(id => id, id => (IReadOnlyList<TeamWork>)touches.Where(r => r.Touch.AccountId == id)
            .Join(teams, r => r.Touch.TeamId, x => x.Id, (r, x) => new TeamWork(x.Id, x.Name, x.NameZh, x.Color, r.Touch.LastAt, r.Touch.LastAuthorId,
                r.Touch.LastSubject, r.Touch.LastKind, r.Touch.OpenFollowUps, r.Data))
            .OrderByDescending(w => w.LastAt).ToList());
    }

    private static ActivityRevision Revision(Activity a, StaffIdentity actor) => new()
    {
        ActivityId = a.Id, Kind = a.Kind, Subject = a.Subject, Body = a.Body, Outcome = a.Outcome, OccurredAt = a.OccurredAt,
        FollowUpOn = a.FollowUpOn, FollowUpAssigneeId = a.FollowUpAssigneeId, ReplacedAt = DateTimeOffset.UtcNow, ReplacedBy = actor.Id,
    };

    private static void Apply(ActivityInput input, Activity a, StaffIdentity actor)
    {
        a.Kind = input.Kind;
        a.Subject = input.Subject.Trim();
        a.Body = string.IsNullOrWhiteSpace(input.Body) ? null : input.Body.Trim();
        a.Outcome = string.IsNullOrWhiteSpace(input.Outcome) ? null : input.Outcome.Trim();
        a.ContactId = input.ContactId;
        a.FollowUpOn = input.FollowUpOn is { } f ? DateOnly.FromDateTime(f) : null;
        a.FollowUpAssigneeId = a.FollowUpOn is null ? null : input.FollowUpAssigneeId ?? actor.Id;
    }

    internal async Task PublishAsync(CrmDbContext db, EventKind kind, Activity a, StaffIdentity actor, int? parentId, CancellationToken ct)
    {
        var account = await db.Accounts.IgnoreQueryFilters().Where(x => x.Id == a.AccountId).Select(x => new { x.Name, x.ParentId, x.OwnerId, x.Tier }).FirstOrDefaultAsync(ct);
        events.Publish(Event(kind, a, actor, account?.Name, account?.OwnerId, await AccountService.AncestorsAsync(db, parentId ?? account?.ParentId, ct), account?.Tier));
    }

    /// <summary>The same, for a caller that has the customer's facts from <see cref="AddCoreAsync"/>.</summary>
    internal void Publish(EventKind kind, Activity a, StaffIdentity actor, AccountFacts account, IReadOnlyList<int> ancestors) =>
        events.Publish(Event(kind, a, actor, account.Name, account.OwnerId, ancestors, account.Tier));

    // The customer's tier rides along, so views that count key customers (the managers' neglect alerts) can tell an entry on an
    // ordinary customer, which cannot change them, without reading.
    private static WorkspaceEvent Event(EventKind kind, Activity a, StaffIdentity actor, string? accountName, string? ownerId, IReadOnlyList<int> ancestors, AccountTier? tier) =>
        new(kind, a.AccountId, actor.Id, actor.Name, a.TeamId ?? actor.TeamId, DateTimeOffset.UtcNow, a.Subject, a.Id, ancestors,
            AccountName: accountName, AssigneeId: a.FollowUpAssigneeId, OwnerId: ownerId, Line: LocalLine.From(a.Data) is null ? null : a.Data, Tier: tier);
}

/// <summary>Marker for the timeline's localised strings.</summary>
public class TimelineText;
