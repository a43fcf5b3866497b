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

/// <summary>Subscriptions of a customer: take one, list them (branches roll up), cancel one.</summary>
public class SubscriptionService(IDbContextFactory<CrmDbContext> dbs, SubscriptionEvents events, IStringLocalizer<SubscriptionsText> L,
    CrmWorkspace.Features.KeyCustomers.RestrictedCustomers restricted)
{
    /// <summary>Scope of events that change renewal worklists and dispatch lists.</summary>
    public const string Scope = "subscriptions";


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
        var restriction = await restricted.CheckAsync(input.AccountId, CrmWorkspace.Features.KeyCustomers.RestrictedService.Subscription, input.OverrideReason, actor, ct);
        if (!restriction.Ok) return new SubscriptionResult(false, Error: restriction.Error, Errors: restriction.Errors);
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
        restricted.RecordOverride(db, restriction, s.AccountId, CrmWorkspace.Features.KeyCustomers.RestrictedService.Subscription, input.OverrideReason, actor);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await events.PublishAsync(db, EventKind.SubscriptionCreated, s, $"{periodical.Title} × {s.Copies}", actor, ct);
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
        await events.PublishAsync(db, EventKind.SubscriptionCancelled, s, s.Periodical.Title, actor, ct);
        return new SubscriptionResult(true, s.Id);
    }

}
