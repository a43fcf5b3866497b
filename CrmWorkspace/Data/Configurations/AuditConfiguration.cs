using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.ActorId).HasMaxLength(64);
        b.Property(e => e.ActorName).HasMaxLength(256);
        b.Property(e => e.Subject).HasMaxLength(512);
        b.Property(e => e.Detail).HasMaxLength(2000);
        b.Property(e => e.Address).HasMaxLength(64);
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.ActorId, e.At });
        b.HasIndex(e => new { e.Kind, e.At });
    }
}
