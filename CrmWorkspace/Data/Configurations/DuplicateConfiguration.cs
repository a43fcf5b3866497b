using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class DuplicatePairConfiguration : IEntityTypeConfiguration<DuplicatePair>
{
    public void Configure(EntityTypeBuilder<DuplicatePair> b)
    {
        b.Property(p => p.Reasons).HasMaxLength(2000);
        b.Property(p => p.Source).HasMaxLength(10);
        b.Property(p => p.Note).HasMaxLength(500);
        b.HasIndex(p => new { p.Kind, p.AId, p.BId }).IsUnique();
        b.HasIndex(p => new { p.Kind, p.BId });
        b.HasIndex(p => new { p.Status, p.Score });
    }
}

public class MergeRecordConfiguration : IEntityTypeConfiguration<MergeRecord>
{
    public void Configure(EntityTypeBuilder<MergeRecord> b)
    {
        b.HasIndex(m => new { m.Kind, m.MergedId });
        b.HasIndex(m => new { m.Kind, m.SurvivorId });
    }
}
