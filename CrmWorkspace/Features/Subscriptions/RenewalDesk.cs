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

/// <summary>The renewal desk: the worklist of expiring and lapsed subscriptions, calls on it, and one-step renewal.</summary>
public class RenewalDesk(IDbContextFactory<CrmDbContext> dbs, SubscriptionEvents events, IStringLocalizer<SubscriptionsText> L, TimelineService timeline)
{

    public Dictionary<string, string> Validate(RenewalQuery q)
    {
        var errors = new Dictionary<string, string>();
        if (q.Days is < 0 or > RenewalQuery.MaxDays) errors[nameof(q.Days)] = L["The expiry window must be between 0 and {0} days.", RenewalQuery.MaxDays];
        if (q.LapsedDays is < 0 or > RenewalQuery.MaxDays) errors[nameof(q.LapsedDays)] = L["Lapsed subscriptions can be included for 0 to {0} days.", RenewalQuery.MaxDays];
        if (q.PeriodicalId is <= 0) errors[nameof(q.PeriodicalId)] = L["Unknown periodical."];
        return errors;
    }

    /// <summary>Open subscriptions (not cancelled, not yet renewed) that end within the window or lapsed recently, soonest first.</summary>
    public async Task<IReadOnlyList<RenewalRow>> WorklistAsync(RenewalQuery q, int? limit = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = q.Today ?? Today;
        var until = today.AddDays(q.Days);
        var from = today.AddDays(-q.LapsedDays);
        var subs = db.Subscriptions.AsNoTracking()
            .Where(s => s.CancelledAt == null && s.RenewedById == null && !s.IsDeleted && s.EndsOn <= until && s.EndsOn >= from);
        if (q.PeriodicalId is { } pid) subs = subs.Where(s => s.PeriodicalId == pid);
        if (q.AccountId is { } aid) subs = subs.Where(s => s.AccountId == aid);
        if (!string.IsNullOrWhiteSpace(q.SalespersonId)) subs = subs.Where(s => s.SalespersonId == q.SalespersonId);
        var query = from s in subs
                    join a in db.Accounts on s.AccountId equals a.Id
                    select new { s, a };
        if (!string.IsNullOrWhiteSpace(q.Province)) query = query.Where(x => x.a.Province == q.Province);
        var ordered = query.OrderBy(x => x.s.EndsOn).ThenBy(x => x.s.Id).Select(x => new
        {
            x.s.Id, x.s.AccountId, x.a.Name, x.a.Province, x.a.City, x.s.ContactId,
            Contact = db.Contacts.Where(c => c.Id == x.s.ContactId).Select(c => c.Name).FirstOrDefault(),
            Phone = db.Set<ContactPhone>().Where(p => p.ContactId == x.s.ContactId).Select(p => p.Number).FirstOrDefault() ?? x.a.Phone,
            x.s.PeriodicalId, Title = x.s.Periodical!.Title, x.s.Copies, x.s.Price, x.s.Paid, x.s.StartsOn, x.s.EndsOn, x.s.CancelledAt, x.s.SalespersonId,
            x.s.LastCallAt, x.s.LastCallOutcome, x.s.CallBackAt,
            LastContact = db.TeamTouches.Where(t => t.AccountId == x.s.AccountId).Max(t => t.LastAt), x.s.Version,
        });
        var rows = limit is { } l ? await ordered.Take(l).ToListAsync(ct) : await ordered.ToListAsync(ct);
        return rows.Select(r => new RenewalRow(r.Id, r.AccountId, r.Name, r.Province, r.City, r.ContactId, r.Contact, r.Phone, r.PeriodicalId, r.Title,
            r.Copies, r.Price, r.Paid, r.StartsOn, r.EndsOn, Subscription.StatusOf(r.CancelledAt, r.EndsOn, today), r.SalespersonId, r.LastCallAt,
            r.LastCallOutcome, r.CallBackAt, r.LastContact, r.Version)).ToList();
    }

    /// <summary>Provinces that have customers, for the region filter.</summary>
    public async Task<IReadOnlyList<string>> ProvincesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.Where(a => a.Province != null).Select(a => a.Province!).Distinct().OrderBy(p => p).ToListAsync(ct);
    }

    /// <summary>Logs a renewal call on the shared timeline and remembers its outcome on the subscription.</summary>
    public async Task<SubscriptionResult> LogCallAsync(int subscriptionId, CallInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (input.Outcome == RenewalCallOutcome.CallBack && (input.CallBackOn is null || input.CallBackOn.Value.Date < DateTime.Today))
            errors[nameof(input.CallBackOn)] = L["Say when to call back (today or later)."];
        if (input.Outcome == RenewalCallOutcome.Declined && string.IsNullOrWhiteSpace(input.DeclineReason))
            errors[nameof(input.DeclineReason)] = L["Say why the customer declined."];
        if (input.Outcome == RenewalCallOutcome.Renewed)
            errors[nameof(input.Outcome)] = L["Use Renew to record a renewal: it sets the new period."];
        if (errors.Count > 0) return new SubscriptionResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var s = await db.Subscriptions.Include(x => x.Periodical).FirstOrDefaultAsync(x => x.Id == subscriptionId, ct);
        if (s is null) return new SubscriptionResult(false, Error: L["This subscription no longer exists."]);
        var outcome = L[$"RenewalCallOutcome.{input.Outcome}"].Value;
        var detail = input.Outcome switch
        {
            RenewalCallOutcome.CallBack => $"{outcome} {input.CallBackOn:yyyy-MM-dd}",
            RenewalCallOutcome.Declined => $"{outcome}: {input.DeclineReason!.Trim()}",
            _ => outcome,
        };
        var call = new ActivityInput
        {
            Kind = ActivityKind.SubscriptionCall, ContactId = s.ContactId,
            Subject = L["Renewal call · {0}", s.Periodical!.Title], Outcome = detail, Body = Clean(input.Note),
            FollowUpOn = input.Outcome == RenewalCallOutcome.CallBack ? input.CallBackOn : null,
            FollowUpAssigneeId = input.Outcome == RenewalCallOutcome.CallBack ? actor.Id : null,
        };
        if (timeline.Validate(call) is { Count: > 0 } invalid) return new SubscriptionResult(false, Error: string.Join(" ", invalid.Values));
        // The call on the timeline and the subscription's call state are one commit: both or neither.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (logged, error) = await timeline.AddAsync(db, s.AccountId, call, actor, ct);
        if (logged is null) return new SubscriptionResult(false, Error: error);
        s.LastCallAt = DateTimeOffset.UtcNow;
        s.LastCallOutcome = input.Outcome;
        s.CallBackAt = input.Outcome == RenewalCallOutcome.CallBack ? new DateTimeOffset(input.CallBackOn!.Value.Date, TimeSpan.Zero) : null;
        s.DeclineReason = input.Outcome == RenewalCallOutcome.Declined ? input.DeclineReason!.Trim() : null;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await events.PublishAsync(db, EventKind.SubscriptionCalled, s, detail, actor, ct, logged.FollowUpAssigneeId);
        return new SubscriptionResult(true, s.Id);
    }

    /// <summary>Renews in one step: a new period (from the day after the old end), price and copies; the old one points to it.</summary>
    public async Task<SubscriptionResult> RenewAsync(int subscriptionId, RenewalInput input, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (input.Copies is < 1 or > 10_000) errors[nameof(input.Copies)] = L["Copies must be between 1 and 10,000."];
        if (input.Months is < 1 or > 60) errors[nameof(input.Months)] = L["A period runs 1 to 60 months."];
        if (input.Price < 0 || input.Paid < 0) errors[nameof(input.Price)] = L["Amounts cannot be negative."];
        if (errors.Count > 0) return new SubscriptionResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var old = await db.Subscriptions.Include(x => x.Periodical).FirstOrDefaultAsync(x => x.Id == subscriptionId, ct);
        if (old is null) return new SubscriptionResult(false, Error: L["This subscription no longer exists."]);
        if (old.RenewedById is not null || old.Version != expectedVersion)
        {
            var who = await db.Users.Where(u => u.Id == old.UpdatedBy).Select(u => u.DisplayName ?? u.UserName).FirstOrDefaultAsync(ct) ?? "—";
            return new SubscriptionResult(false, Error: old.RenewedById is not null
                ? L["{0} already renewed this subscription at {1:t}.", who, old.UpdatedAt.ToLocalTime()]
                : L["{0} changed this subscription at {1:t}; reload to see their change.", who, old.UpdatedAt.ToLocalTime()]);
        }
        if (old.CancelledAt is not null) return new SubscriptionResult(false, Error: L["A cancelled subscription cannot be renewed; take a new subscription."]);
        var start = input.StartsOn is { } d ? DateOnly.FromDateTime(d) : (old.EndsOn < Today.AddDays(-30) ? Today : old.EndsOn.AddDays(1));
        var renewal = new Subscription
        {
            AccountId = old.AccountId, ContactId = old.ContactId, PeriodicalId = old.PeriodicalId, DeliveryAddress = old.DeliveryAddress,
            Copies = input.Copies, StartsOn = start, EndsOn = start.AddMonths(input.Months).AddDays(-1),
            Price = input.Price ?? Math.Round(old.Periodical!.AnnualPrice * input.Copies * input.Months / 12m, 2), Paid = input.Paid,
            Channel = input.Channel, SalespersonId = actor.Id, RenewedFromId = old.Id,
        };
        db.Subscriptions.Add(renewal);
        await db.SaveChangesAsync(ct);
        old.RenewedById = renewal.Id;
        old.LastCallOutcome = RenewalCallOutcome.Renewed;
        old.LastCallAt = DateTimeOffset.UtcNow;
        old.CallBackAt = null;
        var summary = L["{0} × {1}, {2:yyyy-MM-dd} – {3:yyyy-MM-dd}", old.Periodical!.Title, renewal.Copies, renewal.StartsOn, renewal.EndsOn].Value;
        db.Activities.Add(Activity.SystemEntry(old.AccountId, EventKind.SubscriptionRenewed.Name(), summary, actor.Id, actor.TeamId,
            JsonSerializer.Serialize(new { renewal.Id, From = old.Id, renewal.StartsOn, renewal.EndsOn, renewal.Copies, renewal.Price }), old.ContactId));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await events.PublishAsync(db, EventKind.SubscriptionRenewed, renewal, summary, actor, ct);
        return new SubscriptionResult(true, renewal.Id);
    }

}
