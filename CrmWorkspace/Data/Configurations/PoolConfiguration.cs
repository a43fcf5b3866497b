using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class PoolEntryConfiguration : IEntityTypeConfiguration<PoolEntry>
{
    public void Configure(EntityTypeBuilder<PoolEntry> b)
    {
        // One row per customer: a customer is in the pool once or not at all.
        b.HasKey(p => p.AccountId);
        b.Property(p => p.FormerOwnerId).HasMaxLength(64);
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.TeamId, p.PooledAt });
    }
}
