using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class CompanyAliasConfiguration : IEntityTypeConfiguration<CompanyAlias>
{
    /// <summary>Limits, the same in the service's validation and the page.</summary>
    public const int AliasMax = 40, FullNameMax = 200;

    public void Configure(EntityTypeBuilder<CompanyAlias> b)
    {
        b.Property(a => a.Alias).HasMaxLength(AliasMax).IsRequired();
        b.Property(a => a.Key).HasMaxLength(AliasMax).IsRequired();
        b.Property(a => a.FullName).HasMaxLength(FullNameMax).IsRequired();
        // Removed rows keep their key: adding the short name again brings the row back instead of a second one.
        b.HasIndex(a => a.Key).IsUnique();
        b.HasQueryFilter(a => !a.IsDeleted);
    }
}
