using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class DailySummaryConfiguration : IEntityTypeConfiguration<DailySummary>
{
    public void Configure(EntityTypeBuilder<DailySummary> b)
    {
        b.Property(s => s.AuthorId).HasMaxLength(64).IsRequired();
        b.Property(s => s.Text).HasMaxLength(Features.Teams.WorkLogService.MaxSummary).IsRequired();
        b.Property(s => s.Comment).HasMaxLength(Features.Teams.WorkLogService.MaxComment);
        b.Property(s => s.CommentedBy).HasMaxLength(64);
        b.HasOne<StaffUser>().WithMany().HasForeignKey(s => s.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.SetNull);
        // One summary per person and day: the database, not the page, keeps two windows from writing two.
        b.HasIndex(s => new { s.AuthorId, s.Day }).IsUnique();
        b.HasIndex(s => new { s.TeamId, s.Day });
    }
}
