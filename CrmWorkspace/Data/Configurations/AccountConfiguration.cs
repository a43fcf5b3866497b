using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.Property(a => a.Name).HasMaxLength(200).IsRequired();
        b.Property(a => a.ShortName).HasMaxLength(60);
        b.Property(a => a.Province).HasMaxLength(40);
        b.Property(a => a.City).HasMaxLength(40);
        b.Property(a => a.Address).HasMaxLength(300);
        b.Property(a => a.Phone).HasMaxLength(40);
        b.Property(a => a.PhoneE164).HasMaxLength(20);
        b.Property(a => a.Website).HasMaxLength(200);
        b.HasOne(a => a.Parent).WithMany(a => a.Branches).HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Owner).WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.SetNull);
        b.HasQueryFilter(a => !a.IsDeleted);
        b.HasIndex(a => a.Name);
        b.HasIndex(a => a.PhoneE164);
        b.HasIndex(a => a.ParentId);
        b.HasIndex(a => new { a.Province, a.City });
        // The customer list filters by region and tier and sorts by name; IsDeleted last makes them covering for the count.
        b.HasIndex(a => new { a.Province, a.Tier, a.Name, a.IsDeleted });
        b.HasIndex(a => new { a.Tier, a.Name, a.IsDeleted });
        // A person's customers (and of those, by tier).
        b.HasIndex(a => new { a.OwnerId, a.Tier });
        // Key customers (tier A = 1, B = 2) by owner: the few of them alone, so "these people's key customers" stays a few seeks
        // whatever the statistics say. SQLite's statistics know averages, not skew: with every customer owned and most of them C or
        // D, they priced the owner-and-tier seeks above a range over every customer's creation date, which it then walked (0.3 s
        // on 200k customers). The filter is the queries' own `Tier == A || Tier == B` as EF writes it (SQLite uses a partial index
        // only for a query that says its condition); same SQL on both providers.
        b.HasIndex(a => new { a.OwnerId, a.Tier }, "IX_Accounts_KeyCustomers_Owner").HasFilter("\"Tier\" IN (1, 2)");
        b.HasIndex(a => a.UpdatedAt);
    }
}

public class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.Property(c => c.Name).HasMaxLength(100).IsRequired();
        b.Property(c => c.Title).HasMaxLength(100);
        b.Property(c => c.Department).HasMaxLength(100);
        b.Property(c => c.Address).HasMaxLength(300);
        b.Property(c => c.AddressProblem).HasMaxLength(100);
        b.Property(c => c.PostalCode).HasMaxLength(12);
        b.Property(c => c.Notes).HasMaxLength(2000);
        b.HasOne(c => c.Account).WithMany(a => a.Contacts).HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Phones).WithOne().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Emails).WithOne().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(c => !c.IsDeleted);
        b.HasIndex(c => c.AccountId);
        b.HasIndex(c => c.Name);
    }
}

public class ContactPhoneConfiguration : IEntityTypeConfiguration<ContactPhone>
{
    public void Configure(EntityTypeBuilder<ContactPhone> b)
    {
        b.Property(p => p.Number).HasMaxLength(40).IsRequired();
        b.Property(p => p.E164).HasMaxLength(20).IsRequired();
        b.HasIndex(p => p.E164);
    }
}

public class ContactEmailConfiguration : IEntityTypeConfiguration<ContactEmail>
{
    public void Configure(EntityTypeBuilder<ContactEmail> b)
    {
        b.Property(e => e.Address).HasMaxLength(200).IsRequired();
        b.HasIndex(e => e.Address);
    }
}

public class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.Property(t => t.Name).HasMaxLength(60).IsRequired();
        b.Property(t => t.NameZh).HasMaxLength(60).IsRequired();
        b.Property(t => t.Color).HasMaxLength(20);
        b.HasIndex(t => t.Code).IsUnique();
        b.HasData(
            new Team { Id = 1, Code = TeamCode.Marketing, Name = "Marketing Center", NameZh = "营销中心", Color = "#1e88e5" },
            new Team { Id = 2, Code = TeamCode.Circulation, Name = "Circulation", NameZh = "发行部", Color = "#43a047" },
            new Team { Id = 3, Code = TeamCode.TradeFair, Name = "Trade-Fair Office", NameZh = "糖酒会办公室", Color = "#fb8c00" },
            new Team { Id = 4, Code = TeamCode.News, Name = "News Center", NameZh = "新闻中心", Color = "#8e24aa" },
            new Team { Id = 5, Code = TeamCode.Service, Name = "Service", NameZh = "综合服务部", Color = "#e53935" });
    }
}

public class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Property(u => u.Culture).HasMaxLength(10);
        b.HasOne(u => u.Team).WithMany().HasForeignKey(u => u.TeamId).OnDelete(DeleteBehavior.SetNull);
    }
}
