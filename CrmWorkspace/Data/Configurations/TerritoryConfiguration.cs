using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class TerritoryConfiguration : IEntityTypeConfiguration<Territory>
{
    public void Configure(EntityTypeBuilder<Territory> b)
    {
        b.Property(t => t.Province).HasMaxLength(Features.Teams.TerritoryService.MaxRegion).IsRequired();
        b.Property(t => t.City).HasMaxLength(Features.Teams.TerritoryService.MaxRegion);
        b.Property(t => t.OwnerId).HasMaxLength(64);
        b.Property(t => t.UpdatedBy).HasMaxLength(64);
        // One territory per region; the province's own row has no city (checked by the service, as NULLs are distinct in an index).
        b.HasIndex(t => new { t.Province, t.City }).IsUnique();
    }
}

public class AssignedTaskConfiguration : IEntityTypeConfiguration<AssignedTask>
{
    public void Configure(EntityTypeBuilder<AssignedTask> b)
    {
        b.Property(t => t.AssigneeId).HasMaxLength(64).IsRequired();
        b.Property(t => t.AssignedById).HasMaxLength(64).IsRequired();
        b.Property(t => t.Title).HasMaxLength(Features.Teams.TaskService.MaxTitle).IsRequired();
        b.Property(t => t.Notes).HasMaxLength(Features.Teams.TaskService.MaxNotes);
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        // My open tasks by due day; the reminder job's and the alerts' open tasks by day.
        b.HasIndex(t => new { t.AssigneeId, t.DoneAt, t.DueOn });
        b.HasIndex(t => new { t.DoneAt, t.RemindOn });
        b.HasIndex(t => new { t.TeamId, t.DoneAt, t.DueOn });
    }
}
