using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmWorkspace.Data.Configurations;

public class AdProductConfiguration : IEntityTypeConfiguration<AdProduct>
{
    public void Configure(EntityTypeBuilder<AdProduct> b)
    {
        b.Property(x => x.Name).HasMaxLength(120).IsRequired();
        b.Property(x => x.Site).HasMaxLength(120);
        b.Property(x => x.ListPrice).HasPrecision(12, 2);
        b.HasOne<Periodical>().WithMany().HasForeignKey(x => x.PeriodicalId).OnDelete(DeleteBehavior.Restrict);
        b.HasQueryFilter(x => !x.IsDeleted);
        b.HasIndex(x => new { x.Year, x.Medium, x.PeriodicalId });
    }
}

public class AdDiscountTierConfiguration : IEntityTypeConfiguration<AdDiscountTier>
{
    public void Configure(EntityTypeBuilder<AdDiscountTier> b)
    {
        b.Property(x => x.Threshold).HasPrecision(12, 2);
        b.Property(x => x.Percent).HasPrecision(5, 2);
        b.HasIndex(x => new { x.Year, x.Basis, x.Threshold }).IsUnique();
    }
}

public class AdIssuePlanConfiguration : IEntityTypeConfiguration<AdIssuePlan>
{
    public void Configure(EntityTypeBuilder<AdIssuePlan> b)
    {
        b.HasOne<PeriodicalIssue>().WithMany().HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.IssueId).IsUnique();
    }
}

public class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> b)
    {
        b.Property(x => x.Title).HasMaxLength(200).IsRequired();
        b.Property(x => x.OwnerId).HasMaxLength(450).IsRequired();
        b.Property(x => x.ExpectedValue).HasPrecision(14, 2);
        b.Property(x => x.Feedback).HasMaxLength(2000);
        b.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasQueryFilter(x => !x.IsDeleted);
        // The board reads an owner's (or a team's) open cards by step.
        b.HasIndex(x => new { x.OwnerId, x.LostAt, x.Step });
        b.HasIndex(x => new { x.TeamId, x.LostAt, x.Step });
        b.HasIndex(x => x.AccountId);
    }
}

public class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> b)
    {
        b.Property(x => x.Number).HasMaxLength(30).IsRequired();
        b.Property(x => x.Terms).HasMaxLength(4000);
        foreach (var p in new[] { nameof(Quote.Gross), nameof(Quote.Net) }) b.Property(p).HasPrecision(14, 2);
        b.Property(x => x.DiscountPercent).HasPrecision(5, 2);
        b.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Opportunity>().WithMany().HasForeignKey(x => x.OpportunityId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.QuoteId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(x => !x.IsDeleted);
        b.HasIndex(x => new { x.Number, x.Revision }).IsUnique();
        b.HasIndex(x => x.AccountId);
    }
}

public class QuoteLineConfiguration : IEntityTypeConfiguration<QuoteLine>
{
    public void Configure(EntityTypeBuilder<QuoteLine> b)
    {
        b.Property(x => x.Description).HasMaxLength(300).IsRequired();
        b.Property(x => x.Schedule).HasMaxLength(200);
        foreach (var p in new[] { nameof(QuoteLine.UnitPrice), nameof(QuoteLine.Net) }) b.Property(p).HasPrecision(14, 2);
        foreach (var p in new[] { nameof(QuoteLine.CardDiscount), nameof(QuoteLine.ExtraDiscount) }) b.Property(p).HasPrecision(5, 2);
        b.HasOne<AdProduct>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class AdContractConfiguration : IEntityTypeConfiguration<AdContract>
{
    public void Configure(EntityTypeBuilder<AdContract> b)
    {
        b.Property(x => x.Number).HasMaxLength(30).IsRequired();
        b.Property(x => x.Total).HasPrecision(14, 2);
        b.HasOne<Quote>().WithMany().HasForeignKey(x => x.QuoteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Instalments).WithOne().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(x => !x.IsDeleted);
        b.HasIndex(x => x.Number).IsUnique();
        // One contract per quote: accepting twice never makes two.
        b.HasIndex(x => x.QuoteId).IsUnique();
        b.HasIndex(x => x.AccountId);
        // The flatplan offers lines of recent contracts; a salesperson's receivables start from their contracts.
        b.HasIndex(x => x.SignedOn);
        b.HasIndex(x => x.SalespersonId);
    }
}

public class AdInsertionConfiguration : IEntityTypeConfiguration<AdInsertion>
{
    public void Configure(EntityTypeBuilder<AdInsertion> b)
    {
        b.HasOne<AdContract>().WithMany().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PeriodicalIssue>().WithMany().HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Restrict);
        b.HasQueryFilter(x => !x.IsDeleted);
        // The database itself refuses a second live ad in a premium position of one issue (run-of-book is counted by pages
        // instead): a partial unique index, whose filter is SQL of each provider (DatabaseSetup.ProviderModel).
        b.HasIndex(x => new { x.IssueId, x.Live });
        b.HasIndex(x => x.ContractId);
        // How many of a contract line's insertions are placed (the flatplan's lines to place, the placement rule).
        b.HasIndex(x => new { x.QuoteLineId, x.Live });
    }
}

public class AdInstalmentConfiguration : IEntityTypeConfiguration<AdInstalment>
{
    public void Configure(EntityTypeBuilder<AdInstalment> b)
    {
        foreach (var p in new[] { nameof(AdInstalment.Amount), nameof(AdInstalment.Paid) }) b.Property(p).HasPrecision(14, 2);
        b.HasIndex(x => new { x.DueOn, x.ContractId });
    }
}

public class AdSiteBookingConfiguration : IEntityTypeConfiguration<AdSiteBooking>
{
    public void Configure(EntityTypeBuilder<AdSiteBooking> b)
    {
        b.Property(x => x.Site).HasMaxLength(120).IsRequired();
        b.Property(x => x.SiteKey).HasMaxLength(130).IsRequired();
        b.HasOne<AdContract>().WithMany().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Cascade);
        b.HasQueryFilter(x => !x.IsDeleted);
        b.HasIndex(x => new { x.SiteKey, x.From });
        b.HasIndex(x => x.QuoteLineId);
        b.HasIndex(x => x.ContractId);
    }
}

public class AdSiteUseConfiguration : IEntityTypeConfiguration<AdSiteUse>
{
    public void Configure(EntityTypeBuilder<AdSiteUse> b)
    {
        b.Property(x => x.SiteKey).HasMaxLength(130).IsRequired();
        b.HasOne<AdSiteBooking>().WithMany().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
        // The database refuses a second booking of a site for a week or day already held: cancelling deletes the uses, so no filter is needed.
        b.HasIndex(x => new { x.SiteKey, x.Unit }).IsUnique().HasDatabaseName("UX_AdSiteUse_SiteUnit");
        b.HasIndex(x => x.BookingId);
    }
}
