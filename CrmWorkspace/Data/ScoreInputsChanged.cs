using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>
/// The save path's part of keeping value scores current: whenever a write touches what a score is made of (a subscription, a
/// booking, an activity such as a complaint or a call, the customer itself), a <see cref="ScoreDirty"/> row for that customer
/// is added to the same save, so it commits (or rolls back) with the change. The key-customer worker recomputes from the queue.
/// </summary>
public static class ScoreInputsChanged
{
    public static void Mark(CrmDbContext db, DateTimeOffset now)
    {
        HashSet<int>? changed = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var accountId = entry.Entity switch
            {
                Subscription s => s.AccountId,
                Booking b => b.AccountId,
                // Work with the customer (calls, visits, complaints); system entries come with the change they record.
                Activity a when a.Kind != ActivityKind.System => a.AccountId,
                // A new customer, a branch moved to another head office, a customer deleted or restored.
                Account a when entry.State != EntityState.Modified || entry.Property(nameof(Account.ParentId)).IsModified
                               || entry.Property(nameof(Account.IsDeleted)).IsModified => a.Id,
                _ => 0,
            };
            if (accountId > 0) (changed ??= []).Add(accountId);
            // A branch moved away: its old head office loses its figures.
            if (entry.Entity is Account && entry.State == EntityState.Modified && entry.Property(nameof(Account.ParentId)) is { IsModified: true, OriginalValue: int oldParent })
                changed!.Add(oldParent);
        }
        if (changed is null) return;
        foreach (var id in changed)
            // A customer added in this same save has no id yet; the worker's full recompute on start-up covers it.
            if (id > 0) db.ScoreDirty.Add(new ScoreDirty { AccountId = id, At = now });
    }

    /// <summary>The reason stored with a tier typed on the customer form before pins needed a manager and a reason (older rows show it).</summary>
    public const string HandTypedReason = "Set on the customer form";
}
