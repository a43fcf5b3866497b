using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b)
    {
        b.Property(a => a.Subject).HasMaxLength(300).IsRequired();
        b.Property(a => a.Body).HasMaxLength(20_000);
        b.Property(a => a.Outcome).HasMaxLength(300);
        b.Property(a => a.SystemEvent).HasMaxLength(60);
        b.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Team>().WithMany().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.SetNull);
        b.HasQueryFilter(a => !a.IsDeleted);
        // The timeline reads newest first per customer.
        b.HasIndex(a => new { a.AccountId, a.OccurredAt, a.Id });
        // Follow-up lists (mine, a manager's overdue ones) read open follow-ups by assignee and day. Only the entries that have one open
        // are in this index: in a company's history they are a few in a hundred, and a full index (every entry, most without an
        // assignee) made SQLite's statistics count one "assignee" of 98 % of the rows, so it scanned the whole table for a team's
        // follow-ups (0.4 s on 2M entries). Deleted entries are left out too, so a count needs no row of the table (every team's
        // overdue follow-ups on the scale dataset: 46 ms with a lookup per entry, 1.2 ms without). The same SQL on both providers;
        // every query of it says these conditions (the deleted ones through the query filter).
        b.HasIndex(a => new { a.FollowUpAssigneeId, a.FollowUpOn }, "IX_Activities_OpenFollowUps")
            .HasFilter("\"FollowUpDoneAt\" IS NULL AND \"FollowUpAssigneeId\" IS NOT NULL AND NOT \"IsDeleted\"");
        b.HasIndex(a => a.OccurredAt);
        b.HasIndex(a => new { a.AccountId, a.TeamId, a.OccurredAt });
        // A team's work log for a day or week: one index range (it also serves the team foreign key, so no separate TeamId index).
        b.HasIndex(a => new { a.TeamId, a.OccurredAt });
    }
}

public class ActivityRevisionConfiguration : IEntityTypeConfiguration<ActivityRevision>
{
    public void Configure(EntityTypeBuilder<ActivityRevision> b)
    {
        b.Property(a => a.Subject).HasMaxLength(300).IsRequired();
        b.Property(a => a.Body).HasMaxLength(20_000);
        b.Property(a => a.Outcome).HasMaxLength(300);
        b.HasOne<Activity>().WithMany().HasForeignKey(r => r.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.ActivityId, r.ReplacedAt });
    }
}

public class TeamTouchConfiguration : IEntityTypeConfiguration<TeamTouch>
{
    public void Configure(EntityTypeBuilder<TeamTouch> b)
    {
        b.HasKey(t => new { t.AccountId, t.TeamId });
        b.Property(t => t.LastSubject).HasMaxLength(300);
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
