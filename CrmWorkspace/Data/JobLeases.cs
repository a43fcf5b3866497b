using CrmWorkspace.Domain;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>Settings of the "Jobs" section: how long a job's lease lasts without renewal (another server takes over after it).</summary>
public class JobOptions
{
    public int LeaseSeconds { get; set; } = 90;
}

/// <summary>
/// Background work runs on one server at a time: a job runs only while this server holds its lease (a row in JobLeases).
/// Taking or renewing is one conditional UPDATE (or the first INSERT), so two servers can never both hold it; on one server the
/// lease is simply always this server's.
/// </summary>
public sealed class JobLeases(IDbContextFactory<CrmDbContext> dbs, ServerIdentity me, TimeProvider clock, Microsoft.Extensions.Options.IOptions<JobOptions> options)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>Takes (or renews) the lease of <paramref name="job"/> for this server; false while another server holds it.</summary>
    public async Task<bool> TryAcquireAsync(string job, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var until = now + Duration;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var taken = await db.JobLeases.Where(l => l.Name == job && (l.Holder == me.Id || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, me.Id).SetProperty(l => l.ExpiresAt, until), ct);
        if (taken == 1) return true;
        if (await db.JobLeases.AnyAsync(l => l.Name == job, ct)) return false;
        try
        {
            db.JobLeases.Add(new JobLease { Name = job, Holder = me.Id, ExpiresAt = until });
            await db.BaseSaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException) { return false; } // another server inserted it first
    }

    /// <summary>Gives the lease up (a server that stops), so another server need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string job, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.JobLeases.Where(l => l.Name == job && l.Holder == me.Id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Who holds the lease now (null: nobody, or it has expired).</summary>
    public async Task<string?> HolderAsync(string job, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.JobLeases.Where(l => l.Name == job && l.ExpiresAt >= now).Select(l => l.Holder).FirstOrDefaultAsync(ct);
    }
}
