using CrmWorkspace.Domain;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Data;

/// <summary>The unit of work: one short-lived instance per use case (see IDbContextFactory).</summary>
public class CrmDbContext(DbContextOptions<CrmDbContext> options) : IdentityDbContext<StaffUser>(options),
    Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    /// <summary>
    /// Who this unit of work acts for, stamped on what it saves. Given only when the unit of work is created
    /// (<see cref="UnitOfWork.BeginAsync"/>) and cleared when it is disposed, so a pooled context never carries a leftover.
    /// </summary>
    public string? ActorId { get; private set; }

    internal void ActFor(string actorId) => ActorId = actorId;

    public override void Dispose()
    {
        ActorId = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ActorId = null;
        return base.DisposeAsync();
    }

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
    public DbSet<CompanyAlias> CompanyAliases => Set<CompanyAlias>();
    // Teams: work log
    public DbSet<DailySummary> DailySummaries => Set<DailySummary>();
    public DbSet<CallList> CallLists => Set<CallList>();
    public DbSet<CallListItem> CallListItems => Set<CallListItem>();
    public DbSet<PoolEntry> PoolEntries => Set<PoolEntry>();
    public DbSet<Territory> Territories => Set<Territory>();
    public DbSet<AssignedTask> AssignedTasks => Set<AssignedTask>();
    public DbSet<SalesTarget> SalesTargets => Set<SalesTarget>();
    // Key customers: the value score, its settings, history and the recompute queue.
    public DbSet<ScoreWeight> ScoreWeights => Set<ScoreWeight>();
    public DbSet<ScoreSettings> ScoreSettings => Set<ScoreSettings>();
    public DbSet<CustomerScore> CustomerScores => Set<CustomerScore>();
    public DbSet<ScoreSnapshot> ScoreSnapshots => Set<ScoreSnapshot>();
    public DbSet<ScoreDirty> ScoreDirty => Set<ScoreDirty>();
    public DbSet<ProblemClosure> ProblemClosures => Set<ProblemClosure>();
    // Several servers: background jobs' leases, and the data-protection keys that sign-in cookies are sealed with.
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();
    // Advertising
    public DbSet<AdProduct> AdProducts => Set<AdProduct>();
    public DbSet<AdDiscountTier> AdDiscountTiers => Set<AdDiscountTier>();
    public DbSet<AdIssuePlan> AdIssuePlans => Set<AdIssuePlan>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<Quote> Quotes => Set<Quote>();
    public DbSet<QuoteLine> QuoteLines => Set<QuoteLine>();
    public DbSet<AdContract> AdContracts => Set<AdContract>();
    public DbSet<AdInsertion> AdInsertions => Set<AdInsertion>();
    public DbSet<AdInstalment> AdInstalments => Set<AdInstalment>();
    public DbSet<AdSiteBooking> AdSiteBookings => Set<AdSiteBooking>();
    public DbSet<AdSiteUse> AdSiteUses => Set<AdSiteUse>();
    // Security: the audit trail (append-only)
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        DatabaseSetup.ProviderConventions(conventions, Database);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
        DatabaseSetup.ProviderModel(builder, Database);
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
        ScoreInputsChanged.Mark(this, now);
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException("The audit trail is append-only: an entry cannot be changed or deleted.");
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            if (entry.Entity is IAudited audited)
            {
                // A write with no one acting is a programming error: refuse it rather than stamp a guess.
                if (ActorId is null)
                    throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} saved by a unit of work without an actor: open it with UnitOfWork.BeginAsync(actor).");
                if (entry.State == EntityState.Added)
                {
                    if (audited.CreatedAt == default) audited.CreatedAt = now;
                    audited.CreatedBy ??= ActorId;
                }
                audited.UpdatedAt = now;
                audited.UpdatedBy = ActorId;
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
