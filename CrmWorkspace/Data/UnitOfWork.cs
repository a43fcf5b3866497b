using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>Opens a unit of work for someone: a person's id, or <see cref="Actors.SystemId"/> for jobs.</summary>
public static class UnitOfWork
{
    /// <summary>A short-lived context whose saves are stamped with this actor (and nobody else's).</summary>
    public static async Task<CrmDbContext> BeginAsync(this IDbContextFactory<CrmDbContext> dbs, string actorId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        var db = await dbs.CreateDbContextAsync(ct);
        db.ActFor(actorId);
        return db;
    }
}
