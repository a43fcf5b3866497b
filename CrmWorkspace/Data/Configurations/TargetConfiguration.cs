using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class SalesTargetConfiguration : IEntityTypeConfiguration<SalesTarget>
{
    public void Configure(EntityTypeBuilder<SalesTarget> b)
    {
        b.Property(t => t.Holder).HasMaxLength(80).IsRequired();
        b.Property(t => t.PersonId).HasMaxLength(64);
        b.Property(t => t.Amount).HasPrecision(14, 2);
        b.HasOne<StaffUser>().WithMany().HasForeignKey(t => t.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);
        // One target per holder, period and measure: the database decides when two managers save the same cell.
        b.HasIndex(t => new { t.Period, t.Starts, t.Measure, t.Holder }).IsUnique();
    }
}

/// <summary>
/// Indexes for results against targets: each measure's grouped query reads one index range (the period) and nothing else,
/// so the board counts a quarter of a large company's records without touching the tables.
/// </summary>
public class ResultIndexesConfiguration :
    IEntityTypeConfiguration<Activity>, IEntityTypeConfiguration<Subscription>, IEntityTypeConfiguration<Booking>,
    IEntityTypeConfiguration<AdContract>, IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Activity> b) =>
        b.HasIndex(a => new { a.Kind, a.OccurredAt, a.AuthorId, a.IsDeleted }).HasDatabaseName("IX_Activities_Results");

    public void Configure(EntityTypeBuilder<Subscription> b) =>
        b.HasIndex(s => new { s.CreatedAt, s.SalespersonId, s.CancelledAt, s.IsDeleted, s.RenewedFromId, s.Price, s.Paid }).HasDatabaseName("IX_Subscriptions_Results");

    public void Configure(EntityTypeBuilder<Booking> b) =>
        b.HasIndex(x => new { x.CreatedAt, x.SalespersonId, x.Status, x.IsDeleted }).HasDatabaseName("IX_Bookings_Results");

    public void Configure(EntityTypeBuilder<AdContract> b) =>
        b.HasIndex(x => new { x.SignedOn, x.SalespersonId, x.IsDeleted, x.Total }).HasDatabaseName("IX_AdContracts_Results");

    public void Configure(EntityTypeBuilder<Account> b) =>
        b.HasIndex(a => new { a.CreatedAt, a.CreatedBy, a.MergedIntoId, a.IsDeleted }).HasDatabaseName("IX_Accounts_Results");
}
