using CrmWorkspace.Domain;
using CrmWorkspace.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmWorkspace.Features.Timeline;

/// <summary>
/// Keeps <see cref="Activity.SearchText"/> with <see cref="Activity.Data"/> on every save: an entry added, or whose Data changed,
/// gets its line's readings in every language (or none, when it no longer carries a line: the author rewrote it). One place, so
/// no feature that writes a line for someone has to remember it. Bulk SQL writers (the pool sweep) set the column themselves.
/// </summary>
public sealed class LineSearch(LineText lines) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Fill(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Fill(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>What the filter searches for an entry with this Data, beside its subject, body and outcome.</summary>
    public string? For(string? data) => LocalLine.From(data) is { } line ? For(line) : null;

    /// <summary>The same for a line in hand (bulk SQL writers), without a round trip through its JSON.</summary>
    public string? For(LocalLine line) => lines.Readings(line);

    private void Fill(DbContext? db)
    {
        if (db is null) return;
        // Changes were just detected (CrmDbContext stamps every save after detecting them; a bulk load only adds): no third pass
        // over everything tracked on each save.
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in db.ChangeTracker.Entries<Activity>())
            {
                if (entry.State == EntityState.Added || (entry.State == EntityState.Modified && entry.Property(a => a.Data).IsModified))
                    entry.Entity.SearchText = For(entry.Entity.Data);
            }
        }
        finally { db.ChangeTracker.AutoDetectChangesEnabled = detect; }
    }
}
