using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class PeriodicalConfiguration : IEntityTypeConfiguration<Periodical>
{
    public void Configure(EntityTypeBuilder<Periodical> b)
    {
        b.Property(p => p.Title).HasMaxLength(200).IsRequired();
        b.Property(p => p.Code).HasMaxLength(20).IsRequired();
        b.Property(p => p.SpecialIssues).HasMaxLength(500);
        b.Property(p => p.AnnualPrice).HasPrecision(12, 2);
        b.HasIndex(p => p.Code).IsUnique();
        b.HasMany(p => p.Issues).WithOne().HasForeignKey(i => i.PeriodicalId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(p => !p.IsDeleted);
    }
}

public class PeriodicalIssueConfiguration : IEntityTypeConfiguration<PeriodicalIssue>
{
    public void Configure(EntityTypeBuilder<PeriodicalIssue> b)
    {
        b.Property(i => i.Number).HasMaxLength(30).IsRequired();
        b.HasIndex(i => new { i.PeriodicalId, i.Number }).IsUnique();
        b.HasIndex(i => new { i.PeriodicalId, i.PublishedOn });
    }
}

public class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> b)
    {
        b.Property(s => s.DeliveryAddress).HasMaxLength(300);
        b.Property(s => s.Price).HasPrecision(12, 2);
        b.Property(s => s.Paid).HasPrecision(12, 2);
        b.Property(s => s.CancelReason).HasMaxLength(300);
        b.Property(s => s.DeclineReason).HasMaxLength(300);
        b.Property(s => s.SalespersonId).HasMaxLength(450);
        b.HasOne(s => s.Periodical).WithMany().HasForeignKey(s => s.PeriodicalId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Contact>().WithMany().HasForeignKey(s => s.ContactId).OnDelete(DeleteBehavior.SetNull);
        b.HasQueryFilter(s => !s.IsDeleted);
        // The renewal desk: open subscriptions by end date; dispatch: by periodical and period; the customer tab.
        // IX_Subscriptions_Open_EndsOn (a partial index) is declared in DatabaseSetup.ProviderModel: its filter is SQL of the provider.
        b.HasIndex(s => new { s.PeriodicalId, s.StartsOn, s.EndsOn });
        b.HasIndex(s => s.AccountId);
        b.HasIndex(s => s.ContactId);
    }
}

public class DispatchConfiguration : IEntityTypeConfiguration<Dispatch>
{
    public void Configure(EntityTypeBuilder<Dispatch> b)
    {
        b.Property(d => d.ReturnNote).HasMaxLength(300);
        b.HasOne<PeriodicalIssue>().WithMany().HasForeignKey(d => d.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Subscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.IssueId, d.SubscriptionId }).IsUnique();
        b.HasIndex(d => d.SubscriptionId);
    }
}
