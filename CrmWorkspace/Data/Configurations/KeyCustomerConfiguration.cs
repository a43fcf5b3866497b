using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class ScoreWeightConfiguration : IEntityTypeConfiguration<ScoreWeight>
{
    public void Configure(EntityTypeBuilder<ScoreWeight> b) => b.HasKey(w => w.Input);
}

public class ScoreSettingsConfiguration : IEntityTypeConfiguration<ScoreSettings>
{
    public void Configure(EntityTypeBuilder<ScoreSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.UpdatedBy).HasMaxLength(450);
    }
}

public class CustomerScoreConfiguration : IEntityTypeConfiguration<CustomerScore>
{
    public void Configure(EntityTypeBuilder<CustomerScore> b)
    {
        b.HasKey(s => s.AccountId);
        b.Property(s => s.AccountId).ValueGeneratedNever();
        b.Property(s => s.PinReason).HasMaxLength(300);
        b.HasOne<Account>().WithOne().HasForeignKey<CustomerScore>(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
        // The key-customer list reads one tier (the shown one, pinned or computed) highest score first: a range of this index, in order.
        b.HasIndex(s => new { s.Tier, s.Score }).IsDescending(false, true);
    }
}

public class ScoreSnapshotConfiguration : IEntityTypeConfiguration<ScoreSnapshot>
{
    public void Configure(EntityTypeBuilder<ScoreSnapshot> b)
    {
        b.HasKey(s => new { s.AccountId, s.Month });
        b.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => s.Month);
    }
}

/// <summary>The score's open complaints per customer: one range of this index (the targets' Kind-first index would read every complaint).</summary>
public class ActivityComplaintIndexConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b) =>
        b.HasIndex(a => new { a.AccountId, a.Kind, a.FollowUpDoneAt, a.IsDeleted }).HasDatabaseName("IX_Activities_AccountId_Kind_Open");
}

public class ScoreDirtyConfiguration : IEntityTypeConfiguration<ScoreDirty>
{
    public void Configure(EntityTypeBuilder<ScoreDirty> b) => b.HasIndex(d => d.AccountId);
}

public class ProblemClosureConfiguration : IEntityTypeConfiguration<ProblemClosure>
{
    public void Configure(EntityTypeBuilder<ProblemClosure> b)
    {
        b.Property(p => p.Key).HasMaxLength(80).IsRequired();
        b.Property(p => p.ClosedBy).HasMaxLength(450);
        // One closure per problem: two people closing the same one at once cannot both succeed.
        b.HasIndex(p => p.Key).IsUnique();
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
