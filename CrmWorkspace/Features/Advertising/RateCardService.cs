using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Advertising;

/// <summary>The rate card: what advertising is sold, at which list price per year, with which series and volume discounts.</summary>
public class RateCardService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, IStringLocalizer<AdvertisingText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    public const string Scope = "ratecard";
    public const int MaxName = 120;

    public async Task<IReadOnlyList<AdProductRow>> ProductsAsync(int year, bool activeOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AdProducts.AsNoTracking().Where(p => p.Year == year && (!activeOnly || p.Active))
            .OrderBy(p => p.Medium).ThenBy(p => p.PeriodicalId).ThenBy(p => p.Position).ThenBy(p => p.Size).ThenBy(p => p.Name)
            .Select(p => new AdProductRow(p.Id, p.Year, p.Medium, p.PeriodicalId, db.Periodicals.Where(x => x.Id == p.PeriodicalId).Select(x => x.Title).FirstOrDefault(),
                p.Name, p.Size, p.Colour, p.Position, p.Site, p.Unit, p.ListPrice, p.Active, p.Version)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<int>> YearsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var years = await db.AdProducts.Select(p => p.Year).Distinct().ToListAsync(ct);
        if (!years.Contains(Ads.Today.Year)) years.Add(Ads.Today.Year);
        return years.OrderDescending().ToList();
    }

    public async Task<IReadOnlyList<AdDiscountTier>> TiersAsync(int year, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AdDiscountTiers.AsNoTracking().Where(t => t.Year == year).OrderBy(t => t.Basis).ThenBy(t => t.Threshold).ToListAsync(ct);
    }

    /// <summary>The unit a medium is sold by: print per issue, online per week, services per month, outdoor per period.</summary>
    public static AdUnit UnitOf(AdMedium m) => m switch
    {
        AdMedium.Print => AdUnit.Issue, AdMedium.Online => AdUnit.Week, AdMedium.WebsiteDesign or AdMedium.Listing => AdUnit.Month, _ => AdUnit.Period,
    };

    public Dictionary<string, string> Validate(AdProductInput p)
    {
        var e = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(p.Name)) e[nameof(p.Name)] = L["Name the product."];
        else if (p.Name.Trim().Length > MaxName) e[nameof(p.Name)] = L["The name is too long ({0} characters at most).", MaxName];
        if (p.Year is < 2000 or > 2100) e[nameof(p.Year)] = L["Choose a year between 2000 and 2100."];
        if (p.ListPrice <= 0 || p.ListPrice > 100_000_000) e[nameof(p.ListPrice)] = L["The list price must be above 0."];
        if (p.Medium == AdMedium.Print)
        {
            if (p.PeriodicalId is null) e[nameof(p.PeriodicalId)] = L["A print ad appears in a periodical: choose it."];
            if (p.Size is null) e[nameof(p.Size)] = L["Choose the page size."];
            if (p.Position is not (AdPosition.RunOfBook) && p.Size != AdSize.Full) e[nameof(p.Size)] = L["Premium positions are sold as full pages."];
        }
        else if (p.Position != AdPosition.RunOfBook) e[nameof(p.Position)] = L["Only print ads have positions."];
        if (p.Medium is AdMedium.Online or AdMedium.Outdoor && string.IsNullOrWhiteSpace(p.Site)) e[nameof(p.Site)] = L["Name the slot or site."];
        if (p.Site?.Trim().Length > MaxName) e[nameof(p.Site)] = L["The name is too long ({0} characters at most).", MaxName];
        return e;
    }

    /// <summary>Adds or changes a product. Managers only; a stale version is refused, and quotes already made keep their prices.</summary>
    public async Task<AdResult> SaveProductAsync(AdProductInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.EditRateCard, input.Name)) return new AdResult(false, Error: L["Only managers can change the rate card."]);
        var errors = Validate(input);
        if (errors.Count > 0) return new AdResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        AdProduct p;
        if (input.Id == 0) db.AdProducts.Add(p = new AdProduct());
        else
        {
            p = await db.AdProducts.FirstOrDefaultAsync(x => x.Id == input.Id, ct) ?? throw new InvalidOperationException();
            if (p.Version != input.Version) return new AdResult(false, Error: L["Someone else changed this product meanwhile; reload it first."], Conflict: true);
        }
        p.Year = input.Year; p.Medium = input.Medium; p.Name = input.Name.Trim(); p.Site = Ads.Clean(input.Site);
        p.PeriodicalId = input.Medium == AdMedium.Print ? input.PeriodicalId : null;
        p.Size = input.Medium == AdMedium.Print ? input.Size : null;
        p.Colour = input.Colour; p.Position = input.Medium == AdMedium.Print ? input.Position : AdPosition.RunOfBook;
        p.Unit = UnitOf(input.Medium); p.ListPrice = Math.Round(input.ListPrice, 2); p.Active = input.Active;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new AdResult(false, Error: L["Someone else changed this product meanwhile; reload it first."], Conflict: true); }
        events.Publish(new WorkspaceEvent(EventKind.RatecardChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, p.Name, p.Id, Scope: Scope));
        return new AdResult(true, p.Id, Version: p.Version);
    }

    /// <summary>Sets (or with percent 0 removes) a discount tier of a year. Managers only.</summary>
    public async Task<AdResult> SetTierAsync(int year, AdDiscountBasis basis, decimal threshold, decimal percent, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.EditRateCard, $"discount tier {year} {basis}")) return new AdResult(false, Error: L["Only managers can change the rate card."]);
        if (threshold <= 0) return new AdResult(false, Error: L["The threshold must be above 0."]);
        if (percent is < 0 or > 90) return new AdResult(false, Error: L["A discount is between 0 and 90 percent."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var tier = await db.AdDiscountTiers.FirstOrDefaultAsync(t => t.Year == year && t.Basis == basis && t.Threshold == threshold, ct);
        if (percent == 0) { if (tier is not null) db.AdDiscountTiers.Remove(tier); }
        else if (tier is null) db.AdDiscountTiers.Add(new AdDiscountTier { Year = year, Basis = basis, Threshold = threshold, Percent = percent });
        else tier.Percent = percent;
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.RatecardChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{basis} {threshold}", Scope: Scope));
        return new AdResult(true);
    }
}

/// <summary>The pricing rules, without a database: one place for the quote builder, the quote and the tests.</summary>
public static class Pricing
{
    /// <summary>The best tier reached: series tiers count a line's insertions, volume tiers the whole order's gross amount.</summary>
    public static decimal CardDiscount(IEnumerable<AdDiscountTier> tiers, int quantity, decimal orderGross)
    {
        var best = 0m;
        foreach (var t in tiers)
        {
            var reached = t.Basis == AdDiscountBasis.Series ? quantity >= t.Threshold : orderGross >= t.Threshold;
            if (reached && t.Percent > best) best = t.Percent;
        }
        return best;
    }

    /// <summary>A line's net: list × quantity, less the card discount, then less the extra discount; rounded to the fen.</summary>
    public static decimal Net(decimal unitPrice, int quantity, decimal cardPercent, decimal extraPercent) =>
        Math.Round(unitPrice * quantity * (1 - cardPercent / 100m) * (1 - extraPercent / 100m), 2, MidpointRounding.AwayFromZero);
}
