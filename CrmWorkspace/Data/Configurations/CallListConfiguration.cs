using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class CallListConfiguration : IEntityTypeConfiguration<CallList>
{
    public void Configure(EntityTypeBuilder<CallList> b)
    {
        b.Property(l => l.Name).HasMaxLength(Features.Teams.CallListService.MaxName).IsRequired();
        b.Property(l => l.FilterText).HasMaxLength(500);
        b.HasQueryFilter(l => !l.IsDeleted);
        b.HasMany(l => l.Items).WithOne().HasForeignKey(i => i.CallListId).OnDelete(DeleteBehavior.Cascade);
    }
}

public class CallListItemConfiguration : IEntityTypeConfiguration<CallListItem>
{
    public void Configure(EntityTypeBuilder<CallListItem> b)
    {
        b.Property(i => i.AssigneeId).HasMaxLength(64).IsRequired();
        b.HasOne<Account>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Cascade);
        // A customer is on a list once.
        b.HasIndex(i => new { i.CallListId, i.AccountId }).IsUnique();
        b.HasIndex(i => new { i.AssigneeId, i.Outcome });
    }
}
