using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class FairConfiguration : IEntityTypeConfiguration<Fair>
{
    public void Configure(EntityTypeBuilder<Fair> b)
    {
        b.Property(f => f.Name).HasMaxLength(200).IsRequired();
        b.Property(f => f.City).HasMaxLength(40).IsRequired();
        b.Property(f => f.Venue).HasMaxLength(200);
        b.HasMany(f => f.Halls).WithOne().HasForeignKey(h => h.FairId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(f => !f.IsDeleted);
        b.HasIndex(f => f.StartsOn);
    }
}

public class HallConfiguration : IEntityTypeConfiguration<Hall>
{
    public void Configure(EntityTypeBuilder<Hall> b)
    {
        b.Property(h => h.Name).HasMaxLength(60).IsRequired();
        b.HasMany(h => h.Booths).WithOne().HasForeignKey(x => x.HallId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(h => new { h.FairId, h.Name }).IsUnique();
    }
}

public class BoothConfiguration : IEntityTypeConfiguration<Booth>
{
    public void Configure(EntityTypeBuilder<Booth> b)
    {
        b.Property(x => x.Code).HasMaxLength(20).IsRequired();
        b.Property(x => x.Row).HasMaxLength(5).IsRequired();
        b.Property(x => x.Area).HasPrecision(8, 2);
        b.Property(x => x.Price).HasPrecision(12, 2);
        b.HasOne<Fair>().WithMany().HasForeignKey(x => x.FairId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.FairId, x.Code }).IsUnique();
        b.HasIndex(x => new { x.HallId, x.Row, x.Number });
    }
}

public class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> b)
    {
        foreach (var p in new[] { nameof(Booking.Price), nameof(Booking.Discount), nameof(Booking.Deposit), nameof(Booking.Paid) })
            b.Property(p).HasPrecision(12, 2);
        b.Property(x => x.Notes).HasMaxLength(2000);
        b.Property(x => x.CancelReason).HasMaxLength(300);
        b.Ignore(x => x.Outstanding);
        b.HasOne<Fair>().WithMany().HasForeignKey(x => x.FairId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Booths).WithOne().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(x => !x.IsDeleted);
        b.HasIndex(x => new { x.FairId, x.Status });
        b.HasIndex(x => new { x.AccountId, x.FairId });
        b.HasIndex(x => new { x.Status, x.HoldExpiresAt });
    }
}

public class BookingBoothConfiguration : IEntityTypeConfiguration<BookingBooth>
{
    public void Configure(EntityTypeBuilder<BookingBooth> b)
    {
        b.HasOne<Booth>().WithMany().HasForeignKey(x => x.BoothId).OnDelete(DeleteBehavior.Restrict);
        // The database itself refuses a second live hold on a booth: UX_BookingBooth_LiveBooth, a partial unique index declared in
        // DatabaseSetup.ProviderModel (its filter is SQL of the provider).
        b.HasIndex(x => x.BookingId);
        // Joins filter on "Live" as a bare column, which the partial index above cannot serve; this one can.
        b.HasIndex(x => new { x.BoothId, x.Live }).HasDatabaseName("IX_BookingBooth_Booth_Live");
    }
}
