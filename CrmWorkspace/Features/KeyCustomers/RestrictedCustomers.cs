using CrmWorkspace.Data;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>What is done for a customer that a restriction stops until a manager overrides it.</summary>
public enum RestrictedService { Subscription = 1, Booking = 2, Quote = 3, CareGreeting = 4 }

/// <summary>Whether a customer is restricted, and what the person acting may do about it (the warning dialog shows this).</summary>
public record RestrictionInfo(bool Restricted, string? Name, bool MayOverride);

/// <summary>The answer of <see cref="RestrictedCustomers.CheckAsync"/>: why not (also as a per-field error), or whether an override is to be written.</summary>
public record RestrictionCheck(string? Error, IReadOnlyDictionary<string, string>? Errors, bool Overridden)
{
    public static readonly RestrictionCheck NotRestricted = new(null, null, false);
    public static RestrictionCheck Refused(string why) => new(why, new Dictionary<string, string> { [RestrictedCustomers.ReasonField] = why }, false);
    public bool Ok => Error is null;
}

/// <summary>
/// Restricted customers (seed 001: no service to those who bring nothing or come to take trade secrets): subscribing, booking,
/// quoting and greeting one is refused unless a manager overrides it with a reason, which the caller writes on the customer's
/// timeline inside its own transaction (<see cref="RecordOverride"/>). The restriction is the customer's own status (a branch has its own).
/// </summary>
public class RestrictedCustomers(IDbContextFactory<CrmDbContext> dbs, AuditTrail audit, IStringLocalizer<KeyCustomersText> L)
{
    public const int MaxReason = 300;
    /// <summary>The field a refusal is reported on, so forms can ask for the reason.</summary>
    public const string ReasonField = "OverrideReason";

    /// <summary>Whether the customer is restricted, and whether this person may override it; for the warning before the form saves.</summary>
    public async Task<RestrictionInfo> InfoAsync(int accountId, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var name = await RestrictedNameAsync(db, accountId, ct);
        return new RestrictionInfo(name is not null, name, actor.May(Permission.ServeRestrictedCustomers));
    }

    private static async Task<string?> RestrictedNameAsync(CrmDbContext db, int accountId, CancellationToken ct)
    {
        return await db.Accounts.AsNoTracking().Where(a => a.Id == accountId && a.Status == AccountStatus.Restricted)
            .Select(a => a.Name).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Checked before the caller opens its transaction (a refusal goes on the audit trail through its own unit of work): passes when
    /// the customer is not restricted, or a manager overrides with a reason (then <see cref="RestrictionCheck.Overridden"/>).
    /// </summary>
    public async Task<RestrictionCheck> CheckAsync(int accountId, RestrictedService what, string? reason, StaffIdentity actor, CancellationToken ct = default)
    {
        string? name;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            name = await RestrictedNameAsync(db, accountId, ct);
        if (name is null) return RestrictionCheck.NotRestricted;
        if (!await audit.AllowedAsync(actor, Permission.ServeRestrictedCustomers, $"customer #{accountId}: {what}"))
            return RestrictionCheck.Refused(L["{0} is a restricted customer: only a manager can override the restriction for {1}.", name, Service(what)]);
        if (string.IsNullOrWhiteSpace(reason))
            return RestrictionCheck.Refused(L["{0} is a restricted customer: say why you override the restriction for {1}.", name, Service(what)]);
        if (reason.Trim().Length > MaxReason)
            return RestrictionCheck.Refused(L["The reason is too long ({0} characters at most).", MaxReason]);
        return new RestrictionCheck(null, null, true);
    }

    /// <summary>Adds the override to the caller's unit of work, so it commits (or rolls back) with what it allowed.</summary>
    public void RecordOverride(CrmDbContext db, RestrictionCheck check, int accountId, RestrictedService what, string? reason, StaffIdentity actor)
    {
        if (!check.Overridden || string.IsNullOrWhiteSpace(reason)) return;
        var line = LocalLine.Of<KeyCustomersText>("{0} despite the restriction: {1}", LineArg.Translated($"RestrictedService.{what}"), reason.Trim());
        db.Activities.Add(Activity.SystemEntry(accountId, EventKind.RestrictionOverridden.Name(), LineText.Format(L, line),
            actor.Id, actor.TeamId, line.Json(new { Service = what.ToString(), Reason = reason.Trim() })));
    }

    public string Service(RestrictedService what) => L[$"RestrictedService.{what}"];
}
