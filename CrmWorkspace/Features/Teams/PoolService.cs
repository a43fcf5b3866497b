using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
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
    CrmWorkspace.Features.Security.AuditTrail audit, Timeline.LineSearch search)
{
    public const string Scope = "pool";
    public const int MaxReason = 300;
    /// <summary>Customers moved per transaction: large enough to be set-based, small enough that other writers wait a moment at most.</summary>
    private const int Batch = 5000;

    /// <summary>Moves every customer idle for its owner since <paramref name="now"/> − IdleDays into the pool; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var days = options.Value.IdleDays;
        if (days <= 0) return 0;
        var cutoff = now.AddDays(-days);
        // One pass over the owned customers finds the candidates, outside any transaction (nobody waits for it); each batch checks
        // its own again inside its transaction, so a customer whose owner logged work meanwhile stays with its owner.
        List<int> candidates;
        await using (var read = await dbs.CreateDbContextAsync(ct))
            candidates = await Idle(read, cutoff).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var why = LocalLine.Of<TeamsText>("Back to the pool: no entry by its owner for {0} days", days);
        var total = 0;
        foreach (var chunk in candidates.Chunk(Batch))
            total += await MoveAsync(chunk, cutoff, now, why, ct);
        Published(total);
        return total;
    }

    // Owned, older than the cutoff, and nothing on it by its owner since.
    private static IQueryable<Account> Idle(CrmDbContext db, DateTimeOffset cutoff) => db.Accounts.Where(a => a.OwnerId != null && a.CreatedAt < cutoff
        && a.MergedIntoId == null && !db.Activities.Any(x => x.AccountId == a.Id && x.AuthorId == a.OwnerId && x.OccurredAt >= cutoff));

    /// <summary>Puts these customers into their owners' team pools now, with this line on their timelines (the sweep, and the demo's story).</summary>
    public async Task ReturnAsync(IReadOnlyCollection<int> accountIds, LocalLine why, DateTimeOffset now, CancellationToken ct = default)
    {
        var moved = 0;
        foreach (var chunk in accountIds.Distinct().Order().Chunk(Batch))
            moved += await MoveAsync(chunk, null, now, why, ct);
        Published(moved);
    }

    /// <summary>
    /// Moves one batch in one transaction, set-based: the customers that still qualify (owned, and with <paramref name="cutoff"/>
    /// still idle for their owner) are selected once into a scratch table, then each gets its pool row and its timeline line and
    /// loses its owner in one statement each. Returns how many moved.
    /// </summary>
    private async Task<int> MoveAsync(int[] ids, DateTimeOffset? cutoff, DateTimeOffset now, LocalLine why, CancellationToken ct)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var sql = new SweepSql(db.Database.IsNpgsql());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(sql.CreateScratch, ct);
        // Ids are integers from our own query, written inline: one statement whatever the batch size (no parameter limit).
        var moved = await db.Database.ExecuteSqlRawAsync(sql.Select(string.Join(',', ids), cutoff is not null), cutoff is { } c ? new[] { sql.Time(c) } : [], ct);
        if (moved > 0)
        {
            // Stamped with the sweep's moment, so a run for a given "now" always writes the same rows; written when it happened.
            var stamp = DateTimeOffset.UtcNow;
            var subject = LineText.Format(L, why);
            await db.Database.ExecuteSqlRawAsync(sql.InsertPoolRows, new[] { sql.Time(now) }, ct);
            await db.Database.ExecuteSqlRawAsync(sql.InsertTimeline,
                new[] { EventKind.PoolReturned.Name(), subject, Actors.SystemId, sql.Time(now), sql.Time(stamp), why.Json(), search.For(why) ?? subject }, ct);
            await db.Database.ExecuteSqlRawAsync(sql.ClearOwners, ct);
        }
        await db.Database.ExecuteSqlRawAsync(sql.DropScratch, ct);
        await tx.CommitAsync(ct);
        return moved;
    }

    // One event for the whole run, however many customers moved: the pools and alert panels reload once, open customer pages check theirs.
    private void Published(int moved)
    {
        if (moved > 0)
            events.Publish(new WorkspaceEvent(EventKind.PoolReturned, 0, Actors.SystemId, "System", null, DateTimeOffset.UtcNow,
                moved.ToString(System.Globalization.CultureInfo.InvariantCulture), moved, Scope: Scope));
    }

    /// <summary>
    /// The sweep's statements in each provider's SQL: quoted names everywhere; SQLite keeps booleans as 0/1, times as the sortable
    /// number EF writes (DateTimeOffsetToBinaryConverter) and versions as upper-case text; PostgreSQL has booleans, timestamptz and uuid.
    /// </summary>
    private sealed class SweepSql(bool pg)
    {
        private static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter Binary = new();
        private string False => pg ? "FALSE" : "0";
        private string Scratch => pg ? "\"PoolSweep\"" : "temp.\"PoolSweep\"";

        public object Time(DateTimeOffset t) => pg ? t.ToUniversalTime() : Binary.ConvertToProvider(t)!;

        public string CreateScratch => pg
            ? "CREATE TEMP TABLE \"PoolSweep\" (\"AccountId\" integer PRIMARY KEY, \"OwnerId\" text, \"TeamId\" integer) ON COMMIT DROP"
            : "DROP TABLE IF EXISTS temp.\"PoolSweep\"; CREATE TEMP TABLE \"PoolSweep\" (\"AccountId\" INTEGER PRIMARY KEY, \"OwnerId\" TEXT, \"TeamId\" INTEGER)";

        public string DropScratch => pg ? "DROP TABLE IF EXISTS \"PoolSweep\"" : "DROP TABLE IF EXISTS temp.\"PoolSweep\"";

        /// <summary>The rule, checked again inside the transaction: owned, not deleted or merged, and (for the sweep) idle for its owner since {0}.</summary>
        public string Select(string ids, bool idle) => $"""
            INSERT INTO {Scratch} ("AccountId", "OwnerId", "TeamId")
            SELECT a."Id", a."OwnerId", u."TeamId" FROM "Accounts" AS a LEFT JOIN "AspNetUsers" AS u ON u."Id" = a."OwnerId"
            WHERE a."Id" IN ({ids}) AND a."OwnerId" IS NOT NULL AND a."IsDeleted" = {False}
            {(idle ? $"""
                AND a."CreatedAt" < {"{0}"} AND a."MergedIntoId" IS NULL
                AND NOT EXISTS (SELECT 1 FROM "Activities" AS x WHERE x."AccountId" = a."Id" AND x."AuthorId" = a."OwnerId" AND x."OccurredAt" >= {"{0}"} AND x."IsDeleted" = {False})
                """ : "")}
            """;

        // A pool row left over for a customer that found an owner without leaving the pool is replaced, not duplicated.
        public string InsertPoolRows => $"""
            INSERT INTO "PoolEntries" ("AccountId", "TeamId", "FormerOwnerId", "PooledAt")
            SELECT s."AccountId", s."TeamId", s."OwnerId", {"{0}"} FROM {Scratch} AS s WHERE TRUE
            ON CONFLICT ("AccountId") DO UPDATE SET "TeamId" = excluded."TeamId", "FormerOwnerId" = excluded."FormerOwnerId", "PooledAt" = excluded."PooledAt"
            """;

        // The timeline line as Activity.SystemEntry writes it: by the system, under the former owner's team, with the readings
        // a save would give it (LineSearch).
        public string InsertTimeline => $"""
            INSERT INTO "Activities" ("AccountId", "TeamId", "AuthorId", "Kind", "SystemEvent", "Subject", "Data", "SearchText", "OccurredAt",
                "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "IsDeleted", "Version")
            SELECT s."AccountId", s."TeamId", {"{2}"}, {(int)ActivityKind.System}, {"{0}"}, {"{1}"}, {"{5}"}, {"{6}"}, {"{3}"}, {"{4}"}, {"{2}"}, {"{4}"}, {"{2}"}, {False}, {NewVersion}
            FROM {Scratch} AS s ORDER BY s."AccountId"
            """;

        public string ClearOwners => $"""UPDATE "Accounts" SET "OwnerId" = NULL WHERE "Id" IN (SELECT "AccountId" FROM {Scratch})""";

        // A new concurrency token per row, as EF's Guid.NewGuid() would give (SQLite: the same upper-case text form).
        private string NewVersion => pg ? "gen_random_uuid()"
            : "upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))";
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
        var line = LocalLine.Of<TeamsText>("Claimed from the pool by {0}", actor.Name);
        db.Activities.Add(Activity.SystemEntry(accountId, EventKind.PoolClaimed.Name(), LineText.Format(L, line), actor.Id, actor.TeamId, line.Json()));
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
        var line = LocalLine.Of<TeamsText>("Handed over to {0}: {1}", to.DisplayName, reason.Trim());
        db.Activities.Add(Activity.SystemEntry(accountId, EventKind.OwnerHanded.Name(), LineText.Format(L, line), actor.Id, actor.TeamId,
            line.Json(new FieldChange[] { new("Owner", account.OwnerId, toPersonId) })));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.OwnerHanded, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, reason.Trim(), null,
            Scope: Scope, AssigneeId: toPersonId, OwnerId: account.OwnerId));
        return new PoolResult(true);
    }
}

/// <summary>
/// Runs the pool sweep as the system, every <see cref="PoolOptions.SweepMinutes"/> while the sweep is switched on, on one server at a
/// time: only the holder of the "pool-sweep" job lease sweeps; it ticks within the lease to keep it, and renews it while a sweep runs.
/// </summary>
public sealed class PoolSweepJob(PoolService pool, JobLeases leases, IOptions<PoolOptions> options, TimeProvider clock, ILogger<PoolSweepJob> log) : BackgroundService
{
    public const string Lease = "pool-sweep";

    /// <summary>How many sweeps this server ran (tests see which server did the work).</summary>
    public int Runs;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IdleDays <= 0) return;
        var every = TimeSpan.FromMinutes(Math.Max(1, options.Value.SweepMinutes));
        // Ticks well within the lease, so the holder keeps it between sweeps; a server that takes it over sweeps at once.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, Math.Min(every.TotalSeconds, leases.Duration.TotalSeconds / 3))), clock);
        DateTimeOffset? last = null;
        do
        {
            try
            {
                if (!await leases.TryAcquireAsync(Lease, stoppingToken)) { last = null; continue; }
                if (last is { } l && clock.GetUtcNow() - l < every) continue;
                last = clock.GetUtcNow();
                using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var renew = RenewAsync(renewing.Token);
                try
                {
                    var moved = await pool.SweepAsync(last.Value, stoppingToken);
                    Interlocked.Increment(ref Runs);
                    if (moved > 0) log.LogInformation("Customer pool: {Count} idle customers went back to the pool", moved);
                }
                finally
                {
                    renewing.Cancel();
                    await renew;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "The pool sweep failed; it runs again later"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // A long sweep keeps its lease, so no other server starts a second one meanwhile.
    private async Task RenewAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(leases.Duration / 3, clock);
            while (await timer.WaitForNextTickAsync(ct)) await leases.TryAcquireAsync(Lease, ct);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { log.LogWarning(e, "Renewing the pool sweep's lease failed"); }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await leases.ReleaseAsync(Lease, cancellationToken); } catch (Exception ex) { log.LogInformation(ex, "Could not give up the pool sweep's lease"); }
    }
}
