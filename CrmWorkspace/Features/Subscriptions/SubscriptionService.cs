using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>Use cases of circulation: periodicals and issues, subscriptions, the renewal desk, issue dispatch.</summary>
public class SubscriptionService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, TimelineService timeline, IStringLocalizer<SubscriptionsText> L)
{
    /// <summary>Scope of events that change renewal worklists and dispatch lists.</summary>
    public const string Scope = "subscriptions";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    // ---------- periodicals and issues ----------

    public async Task<IReadOnlyList<PeriodicalRow>> PeriodicalsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = Today;
        return await db.Periodicals.AsNoTracking().OrderBy(p => p.Title).Select(p => new PeriodicalRow(p.Id, p.Title, p.Code, p.Frequency, p.IssuesPerYear,
            p.AnnualPrice, p.SpecialIssues,
            db.Subscriptions.Count(s => s.PeriodicalId == p.Id && s.CancelledAt == null && s.StartsOn <= today && s.EndsOn >= today),
            db.PeriodicalIssues.Count(i => i.PeriodicalId == p.Id))).ToListAsync(ct);
    }

    public async Task<string?> PeriodicalTitleAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Periodicals.Where(p => p.Id == id).Select(p => p.Title).FirstOrDefaultAsync(ct);
    }

    public async Task<SubscriptionResult> CreatePeriodicalAsync(Periodical p, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        p.Title = p.Title?.Trim() ?? "";
        p.Code = p.Code?.Trim().ToUpperInvariant() ?? "";
        if (p.Title.Length == 0) errors[nameof(p.Title)] = L["Title is required."];
        if (p.Code.Length is 0 or > 20) errors[nameof(p.Code)] = L["Give a short code of 1 to 20 characters."];
        if (p.IssuesPerYear is < 1 or > 60) errors[nameof(p.IssuesPerYear)] = L["Issues per year must be between 1 and 60."];
        if (p.AnnualPrice < 0) errors[nameof(p.AnnualPrice)] = L["The price cannot be negative."];
        if (errors.Count > 0) return new SubscriptionResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (await db.Periodicals.IgnoreQueryFilters().AnyAsync(x => x.Code == p.Code, ct))
            return new SubscriptionResult(false, Errors: new Dictionary<string, string> { [nameof(p.Code)] = L["Another periodical already uses the code {0}.", p.Code] });
        db.Periodicals.Add(p);
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.PeriodicalChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, p.Title, p.Id, Scope: Scope));
        return new SubscriptionResult(true, p.Id);
    }

    public async Task<IReadOnlyList<PeriodicalIssue>> IssuesAsync(int periodicalId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.PeriodicalIssues.AsNoTracking().Where(i => i.PeriodicalId == periodicalId).OrderByDescending(i => i.PublishedOn).ToListAsync(ct);
    }

    /// <summary>Plans a year's regular issues from the periodical's frequency; existing numbers are kept.</summary>
    public async Task<SubscriptionResult> PlanYearAsync(int periodicalId, int year, StaffIdentity actor, CancellationToken ct = default)
    {
        if (year is < 2000 or > 2100) return new SubscriptionResult(false, Error: L["Choose a year between 2000 and 2100."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var p = await db.Periodicals.FirstOrDefaultAsync(x => x.Id == periodicalId, ct);
        if (p is null) return new SubscriptionResult(false, Error: L["This periodical no longer exists."]);
        var existing = (await db.PeriodicalIssues.Where(i => i.PeriodicalId == periodicalId).Select(i => i.Number).ToListAsync(ct)).ToHashSet();
        var added = 0;
        foreach (var (number, date) in Schedule(p, year))
        {
            if (!existing.Add(number)) continue;
            db.PeriodicalIssues.Add(new PeriodicalIssue { PeriodicalId = periodicalId, Number = number, PublishedOn = date });
            added++;
        }
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.IssueChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{p.Title} {year}", periodicalId, Scope: Scope));
        return new SubscriptionResult(true, added);
    }

    public async Task<SubscriptionResult> AddIssueAsync(int periodicalId, string number, DateOnly publishedOn, bool special, StaffIdentity actor, CancellationToken ct = default)
    {
        number = number?.Trim() ?? "";
        if (number.Length is 0 or > 30) return new SubscriptionResult(false, Error: L["Give the issue number as printed (at most 30 characters)."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (await db.PeriodicalIssues.AnyAsync(i => i.PeriodicalId == periodicalId && i.Number == number, ct))
            return new SubscriptionResult(false, Error: L["Issue {0} already exists.", number]);
        var issue = new PeriodicalIssue { PeriodicalId = periodicalId, Number = number, PublishedOn = publishedOn, IsSpecial = special };
        db.PeriodicalIssues.Add(issue);
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.IssueChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, number, periodicalId, Scope: Scope));
        return new SubscriptionResult(true, issue.Id);
    }

    /// <summary>Issue numbers and dates of a year, spread evenly by frequency ("2026-01", "2026-02"...).</summary>
    public static IEnumerable<(string Number, DateOnly Date)> Schedule(Periodical p, int year)
    {
        var n = Math.Clamp(p.IssuesPerYear, 1, 60);
        var start = new DateOnly(year, 1, 1);
        var days = DateOnly.FromDateTime(new DateTime(year, 12, 31)).DayNumber - start.DayNumber + 1;
        for (var i = 0; i < n; i++)
            yield return ($"{year}-{i + 1:00}", start.AddDays(i * days / n + Math.Min(9, days / n / 2)));
    }

    // ---------- subscriptions ----------

    public Dictionary<string, string> Validate(SubscriptionInput input)
    {
        var errors = new Dictionary<string, string>();
        if (input.AccountId <= 0) errors[nameof(input.AccountId)] = L["Choose the customer."];
        if (input.PeriodicalId <= 0) errors[nameof(input.PeriodicalId)] = L["Choose the periodical."];
        if (input.Copies is < 1 or > 10_000) errors[nameof(input.Copies)] = L["Copies must be between 1 and 10,000."];
        if (input.StartsOn is null) errors[nameof(input.StartsOn)] = L["Give the start date."];
        if (input.Months is < 1 or > 60) errors[nameof(input.Months)] = L["A period runs 1 to 60 months."];
        if (input.Price < 0 || input.Paid < 0) errors[nameof(input.Price)] = L["Amounts cannot be negative."];
        if (input.DeliveryAddress?.Length > 300) errors[nameof(input.DeliveryAddress)] = L["The address is too long (300 characters at most)."];
        return errors;
    }

    public async Task<SubscriptionResult> SubscribeAsync(SubscriptionInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new SubscriptionResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var account = await db.Accounts.Where(a => a.Id == input.AccountId).Select(a => new { a.Id, a.ParentId, a.Address }).FirstOrDefaultAsync(ct);
        if (account is null) return new SubscriptionResult(false, Error: L["This customer no longer exists."]);
        var periodical = await db.Periodicals.FirstOrDefaultAsync(p => p.Id == input.PeriodicalId, ct);
        if (periodical is null) return new SubscriptionResult(false, Errors: new Dictionary<string, string> { [nameof(input.PeriodicalId)] = L["Choose the periodical."] });
        string? contactAddress = null;
        if (input.ContactId is { } cid)
        {
            var contact = await db.Contacts.Where(c => c.Id == cid && c.AccountId == input.AccountId).Select(c => new { c.Address }).FirstOrDefaultAsync(ct);
            if (contact is null) return new SubscriptionResult(false, Error: L["That contact is not at this customer."]);
            contactAddress = contact.Address;
        }
        var start = DateOnly.FromDateTime(input.StartsOn!.Value);
        var s = new Subscription
        {
            AccountId = input.AccountId, ContactId = input.ContactId, PeriodicalId = input.PeriodicalId, Copies = input.Copies,
            DeliveryAddress = Clean(input.DeliveryAddress) ?? contactAddress ?? account.Address,
            StartsOn = start, EndsOn = start.AddMonths(input.Months).AddDays(-1),
            Price = input.Price ?? Math.Round(periodical.AnnualPrice * input.Copies * input.Months / 12m, 2), Paid = input.Paid,
            Channel = input.Channel, SalespersonId = input.SalespersonId ?? actor.Id,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Subscriptions.Add(s);
        await db.SaveChangesAsync(ct);
        db.Activities.Add(Activity.SystemEntry(s.AccountId, EventKind.SubscriptionCreated.Name(), $"{periodical.Title} × {s.Copies}", actor.Id, actor.TeamId,
            JsonSerializer.Serialize(new { s.Id, s.StartsOn, s.EndsOn, s.Price }), s.ContactId));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.SubscriptionCreated, s, $"{periodical.Title} × {s.Copies}", actor, ct);
        return new SubscriptionResult(true, s.Id);
    }

    /// <summary>A customer's subscriptions, with those of its branches when asked (they roll up to the parent).</summary>
    public async Task<IReadOnlyList<SubscriptionView>> OfCustomerAsync(int accountId, bool includeBranches = true, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = includeBranches ? await AccountService.WithDescendantsAsync(db, accountId, ct) : [accountId];
        var today = Today;
        var rows = await db.Subscriptions.AsNoTracking().Where(s => ids.Contains(s.AccountId))
            .OrderByDescending(s => s.EndsOn).ThenByDescending(s => s.Id)
            .Select(s => new
            {
                s.Id, s.AccountId, Account = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == s.AccountId).Select(a => a.Name).First(),
                s.ContactId, Contact = db.Contacts.IgnoreQueryFilters().Where(c => c.Id == s.ContactId).Select(c => c.Name).FirstOrDefault(),
                Title = s.Periodical!.Title, s.Copies, s.StartsOn, s.EndsOn, s.Price, s.Paid, s.Channel, s.SalespersonId, s.CancelledAt,
                s.RenewedById, s.LastCallOutcome, s.LastCallAt, s.Version,
            }).Take(500).ToListAsync(ct);
        return rows.Select(r => new SubscriptionView(r.Id, r.AccountId, r.Account, r.ContactId, r.Contact, r.Title, r.Copies, r.StartsOn, r.EndsOn,
            r.Price, r.Paid, r.Channel, r.SalespersonId, Subscription.StatusOf(r.CancelledAt, r.EndsOn, today), r.RenewedById, r.LastCallOutcome,
            r.LastCallAt, r.Version)).ToList();
    }

    // ---------- renewal desk ----------

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
        await PublishAsync(db, EventKind.SubscriptionCalled, s, detail, actor, ct, logged.FollowUpAssigneeId);
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
        await PublishAsync(db, EventKind.SubscriptionRenewed, renewal, summary, actor, ct);
        return new SubscriptionResult(true, renewal.Id);
    }

    public async Task<SubscriptionResult> CancelAsync(int subscriptionId, string reason, StaffIdentity actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) return new SubscriptionResult(false, Error: L["Say why the subscription is cancelled."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var s = await db.Subscriptions.Include(x => x.Periodical).FirstOrDefaultAsync(x => x.Id == subscriptionId, ct);
        if (s is null) return new SubscriptionResult(false, Error: L["This subscription no longer exists."]);
        if (s.CancelledAt is not null) return new SubscriptionResult(false, Error: L["This subscription is already cancelled."]);
        s.CancelledAt = DateTimeOffset.UtcNow;
        s.CancelReason = reason.Trim();
        db.Activities.Add(Activity.SystemEntry(s.AccountId, EventKind.SubscriptionCancelled.Name(), $"{s.Periodical!.Title}: {s.CancelReason}", actor.Id, actor.TeamId, contactId: s.ContactId));
        await db.SaveChangesAsync(ct);
        await PublishAsync(db, EventKind.SubscriptionCancelled, s, s.Periodical.Title, actor, ct);
        return new SubscriptionResult(true, s.Id);
    }

    // ---------- dispatch ----------

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
        events.Publish(new WorkspaceEvent(EventKind.DispatchMarked, 0, actor.Id, actor.Name, actor.TeamId, now, eligible.Count.ToString(), issueId, Scope: Scope));
        return new SubscriptionResult(true, eligible.Count);
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
        await PublishAsync(db, EventKind.DispatchReturned, s, subject, actor, ct);
        return new SubscriptionResult(true, s.Id);
    }

    private async Task PublishAsync(CrmDbContext db, EventKind kind, Subscription s, string summary, StaffIdentity actor, CancellationToken ct, string? assigneeId = null)
    {
        events.Publish(new WorkspaceEvent(kind, s.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, summary, s.Id,
            await AccountService.AncestorsOfAsync(db, s.AccountId, ct), Scope, AssigneeId: assigneeId));
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
