using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Teams;

/// <summary>The customer pool's settings (appsettings "Pool").</summary>
public class PoolOptions
{
    /// <summary>Days without any entry by its owner after which a customer goes back to the pool; 0 switches the sweep off.</summary>
    public int IdleDays { get; set; }
    /// <summary>Most customers one person may own; a claim beyond it is refused.</summary>
    public int MaxHeld { get; set; } = 300;
    /// <summary>How often the background sweep runs.</summary>
    public int SweepMinutes { get; set; } = 60;
}

/// <summary>The outcome of a claim or a handover.</summary>
public record PoolResult(bool Ok, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null) : CommandResult(Ok, Error, Errors);

/// <summary>A customer in the pool, as the pool list shows it.</summary>
public record PoolRow(int AccountId, string Name, string? Province, string? City, AccountTier Tier, string? FormerOwnerId, DateTimeOffset PooledAt);

/// <summary>
/// The customer pool (公海): customers whose owner logged nothing for <see cref="PoolOptions.IdleDays"/> go back to their team's
/// pool (a system job, on the timeline); anyone in the team claims one, first come first served, enforced by the database (a
/// conditional update that only one claim can win), up to <see cref="PoolOptions.MaxHeld"/> customers per person. Handing a
/// customer over is one step with a reason, on the timeline.
/// </summary>
public class PoolService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, IOptions<PoolOptions> options, IStringLocalizer<TeamsText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    public const string Scope = "pool";
    public const int MaxReason = 300;
    private const int Batch = 2000;

    /// <summary>Moves every customer idle for its owner since <paramref name="now"/> − IdleDays into the pool; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var days = options.Value.IdleDays;
        if (days <= 0) return 0;
        var cutoff = now.AddDays(-days);
        // One pass over the owned customers finds the candidates (re-reading from the start for every batch scanned them all again,
        // ~95 times on 200,000 customers); each batch checks its own again inside its transaction, so work logged meanwhile keeps them.
        List<int> candidates;
        await using (var read = await dbs.CreateDbContextAsync(ct))
            candidates = await Idle(read, cutoff).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var total = 0;
        foreach (var chunk in candidates.Chunk(Batch))
        {
            await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = chunk.ToList();
            var idle = await Idle(db, cutoff).Where(a => ids.Contains(a.Id))
                .Select(a => new { a.Id, a.OwnerId, TeamId = db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.TeamId).FirstOrDefault() }).ToListAsync(ct);
            if (idle.Count == 0) continue;
            await MoveAsync(db, tx, idle.Select(i => (i.Id, i.OwnerId, i.TeamId)).ToList(), now, L["Back to the pool: no entry by its owner for {0} days", days], ct);
            total += idle.Count;
        }
        return total;
    }

    // Owned, older than the cutoff, and nothing on it by its owner since.
    private static IQueryable<Account> Idle(CrmDbContext db, DateTimeOffset cutoff) => db.Accounts.Where(a => a.OwnerId != null && a.CreatedAt < cutoff
        && a.MergedIntoId == null && !db.Activities.Any(x => x.AccountId == a.Id && x.AuthorId == a.OwnerId && x.OccurredAt >= cutoff));

    /// <summary>Puts these customers into their owners' team pools now, with this line on their timelines (the sweep, and the demo's story).</summary>
    public async Task ReturnAsync(IReadOnlyCollection<int> accountIds, string why, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.Accounts.Where(a => accountIds.Contains(a.Id) && a.OwnerId != null)
            .Select(a => new { a.Id, a.OwnerId, TeamId = db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.TeamId).FirstOrDefault() }).ToListAsync(ct);
        await MoveAsync(db, tx, rows.Select(i => (i.Id, i.OwnerId, i.TeamId)).ToList(), now, why, ct);
    }

    private async Task MoveAsync(CrmDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, List<(int Id, string? OwnerId, int? TeamId)> idle,
        DateTimeOffset now, string why, CancellationToken ct)
    {
        var ids = idle.Select(i => i.Id).ToList();
        await db.Accounts.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.OwnerId, (string?)null), ct);
        db.PoolEntries.AddRange(idle.Select(i => new PoolEntry { AccountId = i.Id, TeamId = i.TeamId, FormerOwnerId = i.OwnerId, PooledAt = now }));
        // Stamped with the sweep's moment, so a run for a given "now" always writes the same rows.
        db.Activities.AddRange(idle.Select(i =>
        {
            var entry = Activity.SystemEntry(i.Id, EventKind.PoolReturned.Name(), why, Actors.SystemId, i.TeamId);
            entry.OccurredAt = now;
            return entry;
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var i in idle)
            events.Publish(new WorkspaceEvent(EventKind.PoolReturned, i.Id, Actors.SystemId, "System", i.TeamId, DateTimeOffset.UtcNow, null, null, Scope: Scope, OwnerId: i.OwnerId));
    }

    /// <summary>The pool of a team (managers: any team, or all with null).</summary>
    public async Task<IReadOnlyList<PoolRow>> PoolAsync(int? teamId, int take = 500, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = db.PoolEntries.AsNoTracking().AsQueryable();
        if (teamId is { } t) rows = rows.Where(p => p.TeamId == t);
        return await rows.OrderBy(p => p.PooledAt).ThenBy(p => p.AccountId).Take(take)
            .Join(db.Accounts, p => p.AccountId, a => a.Id, (p, a) => new PoolRow(a.Id, a.Name, a.Province, a.City, a.Tier, p.FormerOwnerId, p.PooledAt))
            .ToListAsync(ct);
    }

    /// <summary>Claims a pooled customer: exactly one of several simultaneous claims wins; the holding limit is kept.</summary>
    public async Task<PoolResult> ClaimAsync(int accountId, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        // An immediate transaction: claims are serialised, so the holding count read here is still true at the update.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var entry = await db.PoolEntries.AsNoTracking().FirstOrDefaultAsync(p => p.AccountId == accountId, ct);
        if (entry is null) return new PoolResult(false, L["Someone else claimed this customer first."]);
        if (entry.TeamId is { } team && team != actor.TeamId && !actor.IsAdmin)
            return new PoolResult(false, L["This customer is in another team's pool."]);
        var held = await db.Accounts.CountAsync(a => a.OwnerId == actor.Id, ct);
        if (held >= options.Value.MaxHeld)
            return new PoolResult(false, L["You already hold {0} customers, the most one person may; hand one over before claiming.", options.Value.MaxHeld]);
        // The database decides: only a claim that finds the customer still without owner and still in the pool changes it.
        var won = await db.PoolEntries.Where(p => p.AccountId == accountId).ExecuteDeleteAsync(ct);
        if (won == 0) return new PoolResult(false, L["Someone else claimed this customer first."]);
        if (await db.Accounts.Where(a => a.Id == accountId && a.OwnerId == null).ExecuteUpdateAsync(u => u.SetProperty(a => a.OwnerId, actor.Id), ct) == 0)
            return new PoolResult(false, L["Someone else claimed this customer first."]);
        db.Activities.Add(Activity.SystemEntry(accountId, EventKind.PoolClaimed.Name(), L["Claimed from the pool by {0}", actor.Name], actor.Id, actor.TeamId));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.PoolClaimed, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, null, null, Scope: Scope, OwnerId: actor.Id));
        return new PoolResult(true);
    }

    /// <summary>Hands a customer to someone else with a reason (its owner, or a manager for any customer); on the timeline.</summary>
    public async Task<PoolResult> HandOverAsync(int accountId, string toPersonId, string? reason, StaffIdentity actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) return new PoolResult(false, Errors: new Dictionary<string, string> { ["Reason"] = L["Say why the customer is handed over."] });
        if (reason.Trim().Length > MaxReason) return new PoolResult(false, Errors: new Dictionary<string, string> { ["Reason"] = L["The reason is too long ({0} characters at most).", MaxReason] });
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        // Someone else's customer needs the permission: checked (and a refusal written) before the transaction opens.
        var owner = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.OwnerId }).FirstOrDefaultAsync(ct);
        if (owner is null) return new PoolResult(false, L["This customer no longer exists."]);
        var mayAny = owner.OwnerId == actor.Id || await audit.AllowedAsync(actor, Permission.HandOverAnyCustomer, $"customer #{accountId}");
        if (!mayAny) return new PoolResult(false, L["Only its owner or a manager hands a customer over."]);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.OwnerId, a.Name }).FirstOrDefaultAsync(ct);
        if (account is null) return new PoolResult(false, L["This customer no longer exists."]);
        // The owner may have changed since: the conditional update below fails then; a non-owner without the permission is refused here.
        if (account.OwnerId != actor.Id && !actor.May(Permission.HandOverAnyCustomer))
            return new PoolResult(false, L["Only its owner or a manager hands a customer over."]);
        var to = await db.Users.Where(u => u.Id == toPersonId).Select(u => new { u.DisplayName, u.TeamId }).FirstOrDefaultAsync(ct);
        if (to is null) return new PoolResult(false, L["Choose a colleague to hand the customer to."]);
        if (toPersonId == account.OwnerId) return new PoolResult(false, L["{0} already owns this customer.", to.DisplayName]);
        if (await db.Accounts.CountAsync(a => a.OwnerId == toPersonId, ct) >= options.Value.MaxHeld)
            return new PoolResult(false, L["{0} already holds {1} customers, the most one person may.", to.DisplayName, options.Value.MaxHeld]);
        // Conditional on the owner read above: a claim or handover in between makes this one fail instead of overwrite it.
        if (await db.Accounts.Where(a => a.Id == accountId && a.OwnerId == account.OwnerId).ExecuteUpdateAsync(u => u.SetProperty(a => a.OwnerId, toPersonId), ct) == 0)
            return new PoolResult(false, L["The owner changed meanwhile; reload the customer."]);
        await db.PoolEntries.Where(p => p.AccountId == accountId).ExecuteDeleteAsync(ct);
        db.Activities.Add(Activity.SystemEntry(accountId, EventKind.OwnerHanded.Name(), L["Handed over to {0}: {1}", to.DisplayName, reason.Trim()], actor.Id, actor.TeamId,
            FieldChange.Json([new("Owner", account.OwnerId, toPersonId)])));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.OwnerHanded, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, reason.Trim(), null,
            Scope: Scope, AssigneeId: toPersonId, OwnerId: account.OwnerId));
        return new PoolResult(true);
    }
}

/// <summary>Runs the pool sweep as the system, every <see cref="PoolOptions.SweepMinutes"/> while the sweep is switched on.</summary>
public sealed class PoolSweepJob(PoolService pool, IOptions<PoolOptions> options, TimeProvider clock, ILogger<PoolSweepJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IdleDays <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.SweepMinutes)), clock);
        do
        {
            try
            {
                var moved = await pool.SweepAsync(clock.GetUtcNow(), stoppingToken);
                if (moved > 0) log.LogInformation("Customer pool: {Count} idle customers went back to the pool", moved);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "The pool sweep failed; it runs again later"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
