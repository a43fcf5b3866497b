using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

using static CrmWorkspace.Features.Subscriptions.Circulation;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>Issue dispatch: who gets which issue, marking copies sent, and returns.</summary>
public class DispatchService(IDbContextFactory<CrmDbContext> dbs, SubscriptionEvents events, IStringLocalizer<SubscriptionsText> L)
{

    public async Task<(Periodical Periodical, PeriodicalIssue Issue)?> IssueAsync(int issueId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var issue = await db.PeriodicalIssues.AsNoTracking().FirstOrDefaultAsync(i => i.Id == issueId, ct);
        if (issue is null) return null;
        var p = await db.Periodicals.AsNoTracking().FirstAsync(x => x.Id == issue.PeriodicalId, ct);
        return (p, issue);
    }

    /// <summary>Every subscription of the periodical active on the issue's date: recipient, address, copies, and what was dispatched.</summary>
    public async Task<IReadOnlyList<DispatchRow>> DispatchListAsync(int issueId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var issue = await db.PeriodicalIssues.AsNoTracking().FirstOrDefaultAsync(i => i.Id == issueId, ct);
        if (issue is null) return [];
        var day = issue.PublishedOn;
        var cutoff = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return await (from s in db.Subscriptions.AsNoTracking()
                      where s.PeriodicalId == issue.PeriodicalId && s.StartsOn <= day && s.EndsOn >= day && (s.CancelledAt == null || s.CancelledAt > cutoff)
                      join a in db.Accounts.IgnoreQueryFilters() on s.AccountId equals a.Id
                      join c in db.Contacts.IgnoreQueryFilters() on s.ContactId equals c.Id into cs
                      from c in cs.DefaultIfEmpty()
                      join d in db.Dispatches.Where(x => x.IssueId == issueId) on s.Id equals d.SubscriptionId into ds
                      from d in ds.DefaultIfEmpty()
                      orderby a.Province, a.City, a.Name, s.Id
                      select new DispatchRow(s.Id, a.Id, a.Name, c == null ? null : c.Name, s.DeliveryAddress ?? (c == null ? a.Address : c.Address ?? a.Address),
                          c == null ? null : c.AddressProblem, s.Copies, d == null ? null : d.Id, d == null ? null : d.DispatchedAt, d == null ? null : d.Returned,
                          // The contact's postal code goes with the contact's address (which a subscription copies when it starts), not with another one.
                          c != null && c.Address != null && (s.DeliveryAddress == null || s.DeliveryAddress == c.Address) ? c.PostalCode : null))
            .ToListAsync(ct);
    }

    /// <summary>Marks these subscriptions' copies of the issue as dispatched (already dispatched ones are left as they are).</summary>
    public async Task<SubscriptionResult> MarkDispatchedAsync(int issueId, IReadOnlyCollection<int> subscriptionIds, StaffIdentity actor, CancellationToken ct = default)
    {
        if (subscriptionIds.Count == 0) return new SubscriptionResult(false, Error: L["Select the subscriptions to mark as dispatched."]);
        var list = await DispatchListAsync(issueId, ct);
        var eligible = list.Where(r => r.DispatchId is null && subscriptionIds.Contains(r.SubscriptionId)).ToList();
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var now = DateTimeOffset.UtcNow;
        db.Dispatches.AddRange(eligible.Select(r => new Dispatch { IssueId = issueId, SubscriptionId = r.SubscriptionId, Copies = r.Copies, DispatchedAt = now, DispatchedBy = actor.Id }));
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return new SubscriptionResult(false, Error: L["Someone marked some of these at the same moment; the list is reloaded."]); }
        events.Publish(new WorkspaceEvent(EventKind.DispatchMarked, 0, actor.Id, actor.Name, actor.TeamId, now, eligible.Count.ToString(), issueId, Scope: SubscriptionService.Scope));
        return new SubscriptionResult(true, Count: eligible.Count);
    }

    /// <summary>Records copies that came back; a bad address flags the contact's address and shows on the timeline.</summary>
    public async Task<SubscriptionResult> RecordReturnAsync(long dispatchId, ReturnReason reason, string? note, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var d = await db.Dispatches.FirstOrDefaultAsync(x => x.Id == dispatchId, ct);
        if (d is null) return new SubscriptionResult(false, Error: L["This dispatch no longer exists."]);
        if (d.Returned is not null) return new SubscriptionResult(false, Error: L["This return is already recorded."]);
        var s = await db.Subscriptions.IgnoreQueryFilters().Include(x => x.Periodical).FirstAsync(x => x.Id == d.SubscriptionId, ct);
        var issue = await db.PeriodicalIssues.FirstAsync(i => i.Id == d.IssueId, ct);
        d.Returned = reason;
        d.ReturnedAt = DateTimeOffset.UtcNow;
        d.ReturnNote = Clean(note);
        var reasonText = L[$"ReturnReason.{reason}"].Value;
        if (reason == ReturnReason.BadAddress && s.ContactId is { } cid && await db.Contacts.FirstOrDefaultAsync(c => c.Id == cid, ct) is { } contact)
            contact.AddressProblem = L["Returned: {0} {1}", s.Periodical!.Title, issue.Number].Value;
        var subject = L["{0} {1} returned: {2}", s.Periodical!.Title, issue.Number, reasonText].Value;
        db.Activities.Add(Activity.SystemEntry(s.AccountId, EventKind.DispatchReturned.Name(), subject, actor.Id, actor.TeamId,
            JsonSerializer.Serialize(new { d.Id, IssueId = issue.Id, reason, note = d.ReturnNote }), s.ContactId));
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(db, EventKind.DispatchReturned, s, subject, actor, ct);
        return new SubscriptionResult(true, s.Id);
    }

}
