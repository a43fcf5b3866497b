using CrmWorkspace.Domain;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>The unit of work: one short-lived instance per use case (see IDbContextFactory).</summary>
public class CrmDbContext(DbContextOptions<CrmDbContext> options) : IdentityDbContext<StaffUser>(options)
{
    /// <summary>The staff user id stamped on what this context saves; set by the use case.</summary>
    public string? ActorId { get; set; }

    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<ActivityRevision> ActivityRevisions => Set<ActivityRevision>();
    public DbSet<TeamTouch> TeamTouches => Set<TeamTouch>();
    public DbSet<Fair> Fairs => Set<Fair>();
    public DbSet<Hall> Halls => Set<Hall>();
    public DbSet<Booth> Booths => Set<Booth>();
    public DbSet<Booking> Bookings => Set<Booking>();
    public DbSet<BookingBooth> BookingBooths => Set<BookingBooth>();
    public DbSet<Periodical> Periodicals => Set<Periodical>();
    public DbSet<PeriodicalIssue> PeriodicalIssues => Set<PeriodicalIssue>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Dispatch> Dispatches => Set<Dispatch>();
    public DbSet<DuplicatePair> DuplicatePairs => Set<DuplicatePair>();
    public DbSet<MergeRecord> MergeRecords => Set<MergeRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite stores DateTimeOffset as text it cannot sort or compare; as a number it can (all values are UTC).
        if (Database.IsSqlite())
            conventions.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
        // Every versioned record is checked on save: a stale Version means someone else saved first.
        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IVersioned).IsAssignableFrom(t.ClrType)))
            builder.Entity(type.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Stamp();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Stamp();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Saves without stamping: for bulk loads that carry their own stamps (demo data, imports of history).</summary>
    public Task<int> BaseSaveChangesAsync(CancellationToken ct = default) => base.SaveChangesAsync(true, ct);

    // One place stamps audit fields and rolls concurrency tokens, so no use case can forget.
    private void Stamp()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            if (entry.Entity is IAudited audited)
            {
                if (entry.State == EntityState.Added)
                {
                    if (audited.CreatedAt == default) audited.CreatedAt = now;
                    audited.CreatedBy ??= ActorId;
                }
                audited.UpdatedAt = now;
                audited.UpdatedBy = ActorId ?? audited.UpdatedBy;
            }
            if (entry.Entity is IVersioned versioned) versioned.Version = Guid.NewGuid();
            if (entry.Entity is ISoftDeletable soft && entry.State == EntityState.Modified)
            {
                var deleted = entry.Property(nameof(ISoftDeletable.IsDeleted));
                if (deleted.IsModified) soft.DeletedAt = soft.IsDeleted ? now : null;
            }
        }
    }
}
