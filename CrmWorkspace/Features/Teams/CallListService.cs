using CrmWorkspace.Components.Shared;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams;

/// <summary>
/// Call lists: a manager builds one from a customer filter and hands it out (evenly or by region); each person works their share
/// with the renewal desk's call outcomes, every call on the customer's timeline (a call back becomes a follow-up on "My
/// follow-ups"); the manager watches progress per list and per person, live.
/// </summary>
public class CallListService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, TimelineService timeline, StaffDirectory staff,
    IStringLocalizer<TeamsText> L, IStringLocalizer<SubscriptionsText> SL, IStringLocalizer<Components.SharedText> T,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    public const int MaxName = 120;
    /// <summary>Most customers on one list (told in the form before building).</summary>
    public const int MaxCustomers = 5000;
    public const int MaxNote = 2000;

    public static string Scope(int listId) => $"calllist:{listId}";
    /// <summary>Every list's events also go here, for the managers' overview.</summary>
    public const string AllScope = "calllists";

    /// <summary>The customers a filter selects (not deleted, not merged away).</summary>
    public static IQueryable<Account> Apply(CrmDbContext db, CustomerFilter f)
    {
        var q = db.Accounts.AsNoTracking().Where(a => a.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(f.Province)) q = q.Where(a => a.Province == f.Province);
        if (!string.IsNullOrWhiteSpace(f.City)) q = q.Where(a => a.City == f.City);
        if (f.BusinessType is { } bt) q = q.Where(a => a.BusinessType == bt);
        if (f.Status is { } st) q = q.Where(a => a.Status == st);
        if (f.Tier is { } t) q = q.Where(a => a.Tier == t);
        if (f.IntendsToExhibit) q = q.Where(a => a.IntendsToExhibit);
        if (f.IntendsToAdvertise) q = q.Where(a => a.IntendsToAdvertise);
        if (f.IntendsToSubscribe) q = q.Where(a => a.IntendsToSubscribe);
        if (f.LapsedPeriodicalId is { } pid)
        {
            var today = WorkLogService.Today;
            q = q.Where(a => db.Subscriptions.Any(s => s.AccountId == a.Id && s.PeriodicalId == pid && s.EndsOn < today && s.RenewedById == null && s.CancelledAt == null)
                && !db.Subscriptions.Any(s => s.AccountId == a.Id && s.PeriodicalId == pid && s.EndsOn >= today && s.CancelledAt == null));
        }
        return q;
    }

    /// <summary>How many customers the filter selects now (the form shows it before building).</summary>
    public async Task<int> CountAsync(CustomerFilter f, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Apply(db, f).CountAsync(ct);
    }

    public async Task<IReadOnlyList<string>> ProvincesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.Where(a => a.Province != null).Select(a => a.Province!).Distinct().OrderBy(p => p).ToListAsync(ct);
    }

    public string Describe(CustomerFilter f, string? periodicalTitle)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(f.Province)) parts.Add(f.Province.Trim());
        if (!string.IsNullOrWhiteSpace(f.City)) parts.Add(f.City.Trim());
        if (f.BusinessType is { } bt) parts.Add(T.Enum(bt));
        if (f.Status is { } st) parts.Add(T.Enum(st));
        if (f.Tier is { } t) parts.Add(L["Tier {0}", t]);
        if (f.IntendsToExhibit) parts.Add(L["intends to exhibit"]);
        if (f.IntendsToAdvertise) parts.Add(L["intends to advertise"]);
        if (f.IntendsToSubscribe) parts.Add(L["intends to subscribe"]);
        if (periodicalTitle is not null) parts.Add(L["lapsed subscribers of {0}", periodicalTitle]);
        return parts.Count == 0 ? L["all customers"] : string.Join(" · ", parts);
    }

    /// <summary>
    /// Splits customers (id, province) among people: evenly (round robin, so shares differ by one at most) or by region (whole
    /// provinces, the largest first, each to whoever has the fewest so far).
    /// </summary>
    public static Dictionary<int, string> Split(IReadOnlyList<(int Id, string? Province)> customers, IReadOnlyList<string> people, CallListSplit how)
    {
        var result = new Dictionary<int, string>();
        if (how == CallListSplit.Evenly)
        {
            for (var i = 0; i < customers.Count; i++) result[customers[i].Id] = people[i % people.Count];
            return result;
        }
        var load = people.ToDictionary(p => p, _ => 0);
        foreach (var region in customers.GroupBy(c => c.Province ?? "").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var who = people.OrderBy(p => load[p]).ThenBy(p => people.ToList().IndexOf(p)).First();
            foreach (var c in region) result[c.Id] = who;
            load[who] += region.Count();
        }
        return result;
    }

    public async Task<CallListResult> BuildAsync(CallListInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.BuildCallLists, input.Name?.Trim() ?? "call list")) return new CallListResult(false, Error: L["Only managers build call lists and hand them out."]);
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name)) errors[nameof(input.Name)] = L["Give the list a name."];
        else if (input.Name.Trim().Length > MaxName) errors[nameof(input.Name)] = L["The name is too long ({0} characters at most).", MaxName];
        var everyone = await staff.StaffAsync();
        var people = input.AssigneeIds.Distinct().Where(id => everyone.Any(s => s.Id == id)).ToList();
        if (people.Count == 0) errors[nameof(input.AssigneeIds)] = L["Choose who calls: one person or several."];
        if (input.DueOn is { } due && due.Date < DateTime.Today) errors[nameof(input.DueOn)] = L["The due date has passed; choose today or later."];
        if (errors.Count > 0) return new CallListResult(false, Errors: errors);

        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var customers = (await Apply(db, input.Filter).OrderBy(a => a.Id).Select(a => new { a.Id, a.Province }).Take(MaxCustomers + 1).ToListAsync(ct))
            .Select(a => (a.Id, a.Province)).ToList();
        if (customers.Count == 0) return new CallListResult(false, Error: L["No customer matches this filter; widen it."]);
        if (customers.Count > MaxCustomers)
            return new CallListResult(false, Error: L["This filter selects more than {0:N0} customers, too many for one list; narrow it.", MaxCustomers]);
        string? title = input.Filter.LapsedPeriodicalId is { } pid ? await db.Periodicals.Where(p => p.Id == pid).Select(p => p.Title).FirstOrDefaultAsync(ct) : null;
        var split = Split(customers, people, input.Split);
        var list = new CallList
        {
            Name = input.Name?.Trim() ?? "", TeamId = actor.TeamId, FilterText = Describe(input.Filter, title), PeriodicalId = input.Filter.LapsedPeriodicalId,
            Split = input.Split, DueOn = input.DueOn is { } d ? DateOnly.FromDateTime(d) : null,
        };
        // The list and its items commit together; the items go in as multi-row inserts (EF writes one statement per row, which
        // took most of a second for 5,000 customers).
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.CallLists.Add(list);
            await db.SaveChangesAsync(ct);
            await InsertItemsAsync(db, list.Id, customers.Select(c => (c.Id, split[c.Id])).ToList(), people, ct);
            await tx.CommitAsync(ct);
        }
        foreach (var p in people)
            events.Publish(new WorkspaceEvent(EventKind.CalllistCreated, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, list.Name, list.Id,
                Scope: AllScope, AssigneeId: p));
        return new CallListResult(true, list.Id);
    }

    /// <summary>Rows per insert statement: well under every provider's limit on a statement's size.</summary>
    private const int InsertRows = 1000;

    // Ids are integers from our own query, written inline; the few assignees are parameters ({0}, {1}...).
    private static async Task InsertItemsAsync(CrmDbContext db, int listId, IReadOnlyList<(int AccountId, string AssigneeId)> items, IReadOnlyList<string> people,
        CancellationToken ct)
    {
        var slot = people.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        foreach (var chunk in items.Chunk(InsertRows))
        {
            var sql = new System.Text.StringBuilder("INSERT INTO \"CallListItems\" (\"CallListId\", \"AccountId\", \"AssigneeId\") VALUES ");
            for (var i = 0; i < chunk.Length; i++)
                sql.Append(i == 0 ? "" : ", ").Append('(').Append(listId).Append(", ").Append(chunk[i].AccountId).Append(", {").Append(slot[chunk[i].AssigneeId]).Append("})");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), people.Cast<object>(), ct);
        }
    }

    /// <summary>Logs the call on one customer of someone's list: the outcome on the list, the call on the timeline, in one commit.</summary>
    public async Task<CallListResult> LogCallAsync(long itemId, CallInput input, StaffIdentity actor, CancellationToken ct = default, DateTimeOffset? occurredAt = null)
    {
        var errors = new Dictionary<string, string>();
        if (input.Outcome == RenewalCallOutcome.CallBack && (input.CallBackOn is null || input.CallBackOn.Value.Date < DateTime.Today))
            errors[nameof(input.CallBackOn)] = SL["Say when to call back (today or later)."];
        if (input.Outcome == RenewalCallOutcome.Declined && string.IsNullOrWhiteSpace(input.DeclineReason))
            errors[nameof(input.DeclineReason)] = SL["Say why the customer declined."];
        if (input.Note?.Length > MaxNote) errors[nameof(input.Note)] = L["The note is too long ({0} characters at most).", MaxNote];
        if (errors.Count > 0) return new CallListResult(false, Errors: errors);

        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var item = await db.CallListItems.FirstOrDefaultAsync(i => i.Id == itemId, ct);
        var list = item is null ? null : await db.CallLists.FirstOrDefaultAsync(l => l.Id == item.CallListId, ct);
        if (item is null || list is null) return new CallListResult(false, Error: L["This call list no longer exists."]);
        if (item.AssigneeId != actor.Id && !actor.May(Permission.BuildCallLists))
        {
            // The refusal is written on its own once this transaction is given up (SQLite: a second writer waits on an open one).
            await tx.RollbackAsync(ct);
            await audit.AllowedAsync(actor, Permission.BuildCallLists, $"call list item #{itemId}");
            return new CallListResult(false, Error: L["This customer is on a colleague's share of the list."]);
        }
        if (input.Outcome == RenewalCallOutcome.Renewed && list.PeriodicalId is null)
            errors[nameof(input.Outcome)] = L["“Renewed” is for lists of lapsed subscribers."];
        if (errors.Count > 0) return new CallListResult(false, Errors: errors);

        var outcome = SL[$"RenewalCallOutcome.{input.Outcome}"].Value;
        var detail = input.Outcome switch
        {
            RenewalCallOutcome.CallBack => $"{outcome} {input.CallBackOn:yyyy-MM-dd}",
            RenewalCallOutcome.Declined => $"{outcome}: {input.DeclineReason!.Trim()}",
            _ => outcome,
        };
        // The subject is a line the software writes: kept as a line too, so each reader sees it in their own language.
        var line = LocalLine.Of<TeamsText>("Call list · {0}", list.Name);
        var call = new ActivityInput
        {
            Kind = list.PeriodicalId is null ? ActivityKind.Call : ActivityKind.SubscriptionCall,
            Subject = LineText.Format(L, line), Outcome = detail, Body = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            FollowUpOn = input.Outcome == RenewalCallOutcome.CallBack ? input.CallBackOn : null,
            FollowUpAssigneeId = input.Outcome == RenewalCallOutcome.CallBack ? actor.Id : null, OccurredAt = occurredAt,
        };
        if (timeline.Validate(call) is { Count: > 0 } invalid) return new CallListResult(false, Error: string.Join(" ", invalid.Values));
        var (activity, error, account) = await timeline.AddCoreAsync(db, item.AccountId, call, actor, ct, line);
        if (activity is null) return new CallListResult(false, Error: error);
        item.Outcome = input.Outcome;
        item.CalledAt = activity.OccurredAt;
        item.ActivityId = activity.Id;
        // The customer as the entry's own query read it, and its head offices, inside the transaction: nothing is read between the
        // commit and the publish.
        var ancestors = await AccountService.AncestorsAsync(db, account!.ParentId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        // The call is a timeline entry like any other (customer pages, work logs, start pages hear it) and a step on the list.
        timeline.Publish(EventKind.ActivityLogged, activity, actor, account, ancestors);
        events.Publish(new WorkspaceEvent(EventKind.CalllistCalled, item.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, detail, item.Id,
            Scope: Scope(list.Id), AccountName: account.Name));
        events.Publish(new WorkspaceEvent(EventKind.CalllistCalled, 0, actor.Id, actor.Name, null, DateTimeOffset.UtcNow, detail, item.Id, Scope: AllScope));
        return new CallListResult(true, list.Id, Item: (await ItemsAsync(db, i => i.Id == itemId, ct)).Single());
    }

    /// <summary>The lists a manager sees (newest first) with their progress; members see the lists they have a share of.</summary>
    public async Task<IReadOnlyList<CallListProgress>> ListsAsync(StaffIdentity viewer, int? onlyId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var lists = db.CallLists.AsNoTracking();
        if (onlyId is { } id) lists = lists.Where(l => l.Id == id);
        if (!viewer.May(Permission.BuildCallLists)) lists = lists.Where(l => l.Items.Any(i => i.AssigneeId == viewer.Id));
        var rows = await lists.OrderByDescending(l => l.CreatedAt).Take(100).Select(l => new { l.Id, l.Name, l.FilterText, l.Split, l.DueOn, l.CreatedBy, l.CreatedAt, l.PeriodicalId }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.CallListItems.AsNoTracking().Where(i => ids.Contains(i.CallListId))
            .GroupBy(i => new { i.CallListId, i.AssigneeId, i.Outcome }).Select(g => new { g.Key.CallListId, g.Key.AssigneeId, g.Key.Outcome, N = g.Count() }).ToListAsync(ct);
        var people = await staff.StaffAsync();
        return rows.Select(r =>
        {
            var mine = counts.Where(c => c.CallListId == r.Id).ToList();
            var shares = mine.GroupBy(c => c.AssigneeId).Select(g => new CallListShare(g.Key, people.FirstOrDefault(p => p.Id == g.Key)?.Name ?? g.Key,
                    g.Sum(x => x.N), g.Where(x => x.Outcome != null).Sum(x => x.N),
                    g.Where(x => x.Outcome != null).ToDictionary(x => x.Outcome!.Value, x => x.N)))
                .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            return new CallListProgress(r.Id, r.Name, r.FilterText, r.Split, r.DueOn, r.CreatedBy is { } c ? people.FirstOrDefault(p => p.Id == c)?.Name : null, r.CreatedAt,
                shares.Sum(s => s.Customers), shares.Sum(s => s.Called), shares, r.PeriodicalId is not null);
        }).ToList();
    }

    /// <summary>The customers on my lists, those still to call first.</summary>
    public async Task<IReadOnlyList<CallItemRow>> MyItemsAsync(StaffIdentity actor, int? listId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await ItemsAsync(db, i => i.AssigneeId == actor.Id && (listId == null || i.CallListId == listId), ct);
    }

    private static async Task<List<CallItemRow>> ItemsAsync(CrmDbContext db, System.Linq.Expressions.Expression<Func<CallListItem, bool>> where, CancellationToken ct) =>
        await db.CallListItems.AsNoTracking().Where(where)
            .Join(db.CallLists, i => i.CallListId, l => l.Id, (i, l) => new { i, l })
            .Join(db.Accounts.IgnoreQueryFilters(), x => x.i.AccountId, a => a.Id, (x, a) => new { x.i, x.l, a })
            .OrderBy(x => x.i.Outcome != null).ThenBy(x => x.l.DueOn).ThenBy(x => x.i.Id).Take(1000)
            .Select(x => new CallItemRow(x.i.Id, x.l.Id, x.l.Name, x.a.Id, x.a.Name, x.a.Province, x.a.City, x.a.Phone,
                x.a.Contacts.Where(c => c.IsKeyContact).Select(c => c.Name).FirstOrDefault() ?? x.a.Contacts.Select(c => c.Name).FirstOrDefault(),
                x.i.Outcome, x.i.CalledAt, x.l.PeriodicalId != null))
            .ToListAsync(ct);
}
