using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Advertising;

/// <summary>A booking on the sites board.</summary>
public record SiteBookingRow(int Id, int AccountId, string Advertiser, string ContractNumber, DateOnly From, DateOnly To, string SalespersonId, Guid Version);

/// <summary>An online slot or outdoor site and its bookings in the weeks shown.</summary>
public record SiteRow(string SiteKey, AdMedium Medium, string Site, IReadOnlyList<SiteBookingRow> Bookings);

/// <summary>A signed contract line of an online or outdoor product with weeks or periods still to book.</summary>
public record BookableLine(int ContractId, string ContractNumber, int QuoteLineId, string Advertiser, string Description, AdMedium Medium, string Site, int Quantity, int Booked);

/// <summary>
/// Online slots sold by the week and outdoor sites sold by the period. Each week (online) or day (outdoor) a booking holds is a row
/// unique per site in the database, so a slot is never sold twice for overlapping weeks or periods, whoever books at the same moment.
/// </summary>
public class SiteBookingService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff, IStringLocalizer<AdvertisingText> L)
{
    public const string Scope = "sites";
    /// <summary>The longest outdoor period one booking may hold (a year and a day).</summary>
    public const int MaxDays = 366;
    private static readonly AdMedium[] Media = [AdMedium.Online, AdMedium.Outdoor];

    /// <summary>Every site on the rate card (any year) with its live bookings that overlap the days firstDay..lastDay.</summary>
    public async Task<IReadOnlyList<SiteRow>> SitesAsync(DateOnly firstDay, DateOnly lastDay, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var products = await db.AdProducts.AsNoTracking().Where(p => Media.Contains(p.Medium) && p.Site != null)
            .OrderByDescending(p => p.Year).Select(p => new { p.Medium, p.Site }).ToListAsync(ct);
        var sites = products.GroupBy(p => AdSiteBooking.KeyOf(p.Medium, p.Site!)).Select(g => (Key: g.Key, g.First().Medium, Site: g.First().Site!.Trim())).ToList();
        var rows = await (from b in db.AdSiteBookings.AsNoTracking().Where(b => b.Live && b.From <= lastDay && b.To >= firstDay)
                          join c in db.AdContracts on b.ContractId equals c.Id
                          orderby b.From
                          select new { b.Id, b.SiteKey, c.AccountId, c.Number, b.From, b.To, c.SalespersonId, b.Version,
                              Advertiser = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First() }).ToListAsync(ct);
        return sites.OrderBy(s => s.Medium).ThenBy(s => s.Site)
            .Select(s => new SiteRow(s.Key, s.Medium, s.Site, rows.Where(r => r.SiteKey == s.Key)
                .Select(r => new SiteBookingRow(r.Id, r.AccountId, r.Advertiser, r.Number, r.From, r.To, r.SalespersonId, r.Version)).ToList()))
            .ToList();
    }

    /// <summary>Contract lines of online and outdoor products with weeks (online) or periods (outdoor) not yet booked.</summary>
    public async Task<IReadOnlyList<BookableLine>> BookableAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await (from c in db.AdContracts
                          join l in db.QuoteLines on c.QuoteId equals l.QuoteId
                          join p in db.AdProducts.IgnoreQueryFilters() on l.ProductId equals p.Id
                          where Media.Contains(p.Medium) && p.Site != null
                          select new { c.Id, c.Number, LineId = l.Id, l.Description, p.Medium, p.Site, l.Quantity,
                              Advertiser = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First(),
                              Weeks = db.AdSiteUses.Count(u => db.AdSiteBookings.Any(b => b.Id == u.BookingId && b.QuoteLineId == l.Id && b.Live)),
                              Periods = db.AdSiteBookings.Count(b => b.QuoteLineId == l.Id && b.Live) }).AsNoTracking().ToListAsync(ct);
        return rows.Select(r => new BookableLine(r.Id, r.Number, r.LineId, r.Advertiser, r.Description, r.Medium, r.Site!, r.Quantity,
                r.Medium == AdMedium.Online ? r.Weeks : r.Periods))
            .Where(r => r.Booked < r.Quantity).OrderBy(r => r.ContractNumber).ThenBy(r => r.QuoteLineId).ToList();
    }

    /// <summary>
    /// Books a contract line's site: an online slot for <paramref name="weeks"/> whole weeks from the week of <paramref name="from"/>,
    /// an outdoor site from <paramref name="from"/> to <paramref name="to"/>. In one immediate transaction: overlapping weeks or days
    /// already held are refused naming the holder; the unique index on the held units has the final word on a race.
    /// </summary>
    public async Task<AdResult> BookAsync(int quoteLineId, DateOnly from, DateOnly? to, int weeks, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var line = await (from l in db.QuoteLines where l.Id == quoteLineId
                          join c in db.AdContracts on l.QuoteId equals c.QuoteId
                          join p in db.AdProducts.IgnoreQueryFilters() on l.ProductId equals p.Id
                          select new { l.Id, l.Quantity, ContractId = c.Id, c.AccountId, c.Number, ProductId = p.Id, p.Medium, p.Site }).FirstOrDefaultAsync(ct);
        if (line is null) return new AdResult(false, Error: L["This line is not part of a signed contract."]);
        if (!Media.Contains(line.Medium) || line.Site is null) return new AdResult(false, Error: L["Only online slots and outdoor sites are booked by date."]);
        DateOnly start, end;
        if (line.Medium == AdMedium.Online)
        {
            var held = await db.AdSiteUses.CountAsync(u => db.AdSiteBookings.Any(b => b.Id == u.BookingId && b.QuoteLineId == line.Id && b.Live), ct);
            if (weeks < 1) return new AdResult(false, Error: L["Book at least one week."]);
            if (held + weeks > line.Quantity) return new AdResult(false, Error: L["This line has {0} weeks and {1} are booked; {2} more do not fit.", line.Quantity, held, weeks]);
            start = AdSiteBooking.WeekOf(from);
            end = start.AddDays(7 * weeks - 1);
        }
        else
        {
            if (to is not { } last || last < from) return new AdResult(false, Error: L["The period ends on or after its first day."]);
            if (last.DayNumber - from.DayNumber + 1 > MaxDays) return new AdResult(false, Error: L["A period is at most {0} days.", MaxDays]);
            if (await db.AdSiteBookings.CountAsync(b => b.QuoteLineId == line.Id && b.Live, ct) >= line.Quantity)
                return new AdResult(false, Error: L["All {0} periods of this line are already booked.", line.Quantity]);
            (start, end) = (from, last);
        }
        var key = AdSiteBooking.KeyOf(line.Medium, line.Site);
        if (await HolderAsync(db, key, start, end, ct) is { } taken) return new AdResult(false, Error: taken);
        var booking = new AdSiteBooking
        {
            ContractId = line.ContractId, QuoteLineId = line.Id, ProductId = line.ProductId, Medium = line.Medium, Site = line.Site.Trim(), SiteKey = key, From = start, To = end,
        };
        db.AdSiteBookings.Add(booking);
        try
        {
            await db.SaveChangesAsync(ct);
            db.AdSiteUses.AddRange(AdSiteBooking.UnitsOf(line.Medium, start, end).Select(u => new AdSiteUse { BookingId = booking.Id, SiteKey = key, Unit = u }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            await using var fresh = await dbs.CreateDbContextAsync(ct);
            return new AdResult(false, Error: await HolderAsync(fresh, key, start, end, ct) ?? L["Someone booked this site at the same moment."], Conflict: true);
        }
        Publish(EventKind.SiteBooked, line.AccountId, booking.Id, $"{line.Number} · {booking.Site} {start:yyyy-MM-dd}–{end:yyyy-MM-dd}", actor);
        return new AdResult(true, booking.Id, Version: booking.Version);
    }

    /// <summary>Cancels a booking: its weeks or days are free again at once.</summary>
    public async Task<AdResult> CancelAsync(int bookingId, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var b = await db.AdSiteBookings.FirstOrDefaultAsync(x => x.Id == bookingId, ct);
        if (b is null || !b.Live) return new AdResult(false, Error: L["This booking no longer exists."]);
        if (b.Version != expectedVersion) return new AdResult(false, Error: L["Someone else changed this booking meanwhile; look again."], Conflict: true);
        b.Live = false;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new AdResult(false, Error: L["Someone else changed this booking meanwhile; look again."], Conflict: true); }
        await db.AdSiteUses.Where(u => u.BookingId == b.Id).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        var accountId = await db.AdContracts.Where(c => c.Id == b.ContractId).Select(c => c.AccountId).FirstAsync(ct);
        Publish(EventKind.SiteCancelled, accountId, b.Id, $"{b.Site} {b.From:yyyy-MM-dd}–{b.To:yyyy-MM-dd}", actor);
        return new AdResult(true, b.Id);
    }

    /// <summary>A message naming who holds any of the days firstDay..lastDay of this site, or null when they are free.</summary>
    private async Task<string?> HolderAsync(CrmDbContext db, string key, DateOnly firstDay, DateOnly lastDay, CancellationToken ct)
    {
        var holder = await (from b in db.AdSiteBookings.Where(b => b.SiteKey == key && b.Live && b.From <= lastDay && b.To >= firstDay)
                            join c in db.AdContracts on b.ContractId equals c.Id
                            orderby b.From
                            select new { b.Site, b.From, b.To, c.Number, c.SalespersonId,
                                Advertiser = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First() }).FirstOrDefaultAsync(ct);
        if (holder is null) return null;
        var who = (await staff.FindAsync(holder.SalespersonId))?.Name ?? "—";
        return L["{0} is already booked from {1} to {2} by {3} (contract {4}, salesperson {5}).", holder.Site, holder.From.ToString("yyyy-MM-dd"),
            holder.To.ToString("yyyy-MM-dd"), holder.Advertiser, holder.Number, who];
    }

    private void Publish(EventKind kind, int accountId, long id, string summary, StaffIdentity actor) =>
        events.Publish(new WorkspaceEvent(kind, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, summary, id, Scope: Scope));
}
