using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Fairs;

/// <summary>Use cases of the fair office: fairs, halls and booths, bookings that never double-book, the floor map.</summary>
public class FairService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff, IStringLocalizer<FairsText> L,
    CrmWorkspace.Features.Security.AuditTrail audit, IStringLocalizer<CrmWorkspace.Features.Security.SecurityText> S,
    CrmWorkspace.Features.KeyCustomers.RestrictedCustomers restricted)
{
    public static string Scope(int fairId) => $"fair:{fairId}";

    public async Task<IReadOnlyList<FairRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var fairs = await db.Fairs.AsNoTracking().OrderByDescending(f => f.StartsOn).ToListAsync(ct);
        var booths = await db.Booths.GroupBy(b => b.FairId).Select(g => new { FairId = g.Key, Count = g.Count(), Area = g.Sum(b => (double)b.Area) }).ToListAsync(ct);
        var booked = await (from bb in db.BookingBooths where bb.Live join b in db.Booths on bb.BoothId equals b.Id
                            group b by b.FairId into g select new { FairId = g.Key, Count = g.Count(), Area = g.Sum(b => (double)b.Area) }).ToListAsync(ct);
        return fairs.Select(f =>
        {
            var all = booths.FirstOrDefault(x => x.FairId == f.Id);
            var live = booked.FirstOrDefault(x => x.FairId == f.Id);
            return new FairRow(f.Id, f.Name, f.City, f.Venue, f.StartsOn, f.EndsOn, f.BookingDeadline, f.Status,
                all?.Count ?? 0, live?.Count ?? 0, (decimal)(all?.Area ?? 0), (decimal)(live?.Area ?? 0));
        }).ToList();
    }

    public async Task<Fair?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Fairs.AsNoTracking().Include(f => f.Halls.OrderBy(h => h.SortOrder)).FirstOrDefaultAsync(f => f.Id == id, ct);
    }

    public async Task<BookingResult> CreateFairAsync(Fair fair, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(fair.Name)) errors[nameof(fair.Name)] = L["Name is required."];
        if (string.IsNullOrWhiteSpace(fair.City)) errors[nameof(fair.City)] = L["City is required."];
        if (fair.EndsOn < fair.StartsOn) errors[nameof(fair.EndsOn)] = L["The fair cannot end before it starts."];
        if (fair.BookingDeadline is { } d && d > fair.EndsOn) errors[nameof(fair.BookingDeadline)] = L["The booking deadline must be before the fair ends."];
        if (errors.Count > 0) return new BookingResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        db.Fairs.Add(fair);
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.FairChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, fair.Name, fair.Id, Scope: Scope(fair.Id)));
        return new BookingResult(true, fair.Id);
    }

    /// <summary>Creates a hall with booths in bulk: rows (e.g. A–F) × numbers (e.g. 1–40), codes like "3A01".</summary>
    public async Task<BookingResult> AddHallAsync(int fairId, string hallName, string firstRow, string lastRow, int firstNumber, int lastNumber,
        decimal area, BoothType type, decimal price, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(hallName)) errors["Hall"] = L["Name the hall."];
        if (firstRow.Length != 1 || lastRow.Length != 1 || !char.IsAsciiLetterUpper(firstRow[0]) || !char.IsAsciiLetterUpper(lastRow[0]) || lastRow[0] < firstRow[0])
            errors["Rows"] = L["Rows run from one capital letter to a later one, e.g. A to F."];
        if (firstNumber < 1 || lastNumber < firstNumber || lastNumber - firstNumber >= 200) errors["Numbers"] = L["Numbers run from 1 up, at most 200 per row."];
        if (area <= 0 || area > 2000) errors["Area"] = L["Area must be between 0 and 2000 m²."];
        if (price < 0) errors["Price"] = L["Price cannot be negative."];
        if (errors.Count > 0) return new BookingResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (await db.Halls.AnyAsync(h => h.FairId == fairId && h.Name == hallName.Trim(), ct))
            return new BookingResult(false, Errors: new Dictionary<string, string> { ["Hall"] = L["This fair already has a hall called {0}.", hallName] });
        var prefix = new string(hallName.Where(char.IsAsciiDigit).ToArray());
        var hall = new Hall { FairId = fairId, Name = hallName.Trim(), SortOrder = await db.Halls.CountAsync(h => h.FairId == fairId, ct) + 1 };
        for (var r = firstRow[0]; r <= lastRow[0]; r++)
            for (var n = firstNumber; n <= lastNumber; n++)
                hall.Booths.Add(new Booth { FairId = fairId, Row = r.ToString(), Number = n, Code = $"{prefix}{r}{n:00}", Area = area, Type = type, Price = price });
        db.Halls.Add(hall);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return new BookingResult(false, Error: L["Some booth codes already exist at this fair; use another hall number."]); }
        events.Publish(new WorkspaceEvent(EventKind.HallChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, hall.Name, hall.Id, Scope: Scope(fairId)));
        return new BookingResult(true, hall.Id);
    }

    /// <summary>The floor map of a hall: every booth with its live booking, if any.</summary>
    public async Task<HallMap?> HallMapAsync(int hallId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hall = await db.Halls.AsNoTracking().Where(h => h.Id == hallId).Select(h => new { h.Id, h.Name }).FirstOrDefaultAsync(ct);
        if (hall is null) return null;
        var tiles = await (from b in db.Booths.Where(b => b.HallId == hallId)
                           join live in db.BookingBooths.Where(x => x.Live) on b.Id equals live.BoothId into lives
                           from live in lives.DefaultIfEmpty()
                           join bk in db.Bookings on live.BookingId equals bk.Id into bks
                           from bk in bks.DefaultIfEmpty()
                           orderby b.Row, b.Number
                           select new BoothTile(b.Id, b.HallId, b.Code, b.Row, b.Number, b.Area, b.Type, b.Price,
                               bk == null ? null : bk.Id, bk == null ? null : bk.Status, bk == null ? null : bk.AccountId,
                               bk == null ? null : db.Accounts.IgnoreQueryFilters().Where(a => a.Id == bk.AccountId).Select(a => a.Name).FirstOrDefault(),
                               bk == null ? null : bk.SalespersonId, bk == null ? null : bk.HoldExpiresAt))
            .AsNoTracking().ToListAsync(ct);
        return new HallMap(hall.Id, hall.Name, tiles);
    }

    public Dictionary<string, string> Validate(BookingInput input)
    {
        var errors = new Dictionary<string, string>();
        if (input.AccountId <= 0) errors[nameof(input.AccountId)] = L["Choose the exhibitor."];
        if (input.BoothIds.Count == 0) errors[nameof(input.BoothIds)] = L["Choose at least one booth."];
        if (input.Status == BookingStatus.Cancelled) errors[nameof(input.Status)] = L["A new booking cannot start cancelled."];
        if (input.Status == BookingStatus.Reserved && input.HoldDays is < 1 or > 60) errors[nameof(input.HoldDays)] = L["Hold a reservation for 1 to 60 days."];
        if (input.Discount < 0 || input.Deposit < 0 || input.Paid < 0 || input.Price < 0) errors["Amounts"] = L["Amounts cannot be negative."];
        return errors;
    }

    /// <summary>
    /// Books booths for a customer. Runs in one immediate transaction; the unique live-booth index is the final word,
    /// so of two agents booking the same booth at once exactly one succeeds and the other is told who holds it.
    /// </summary>
    public Task<BookingResult> BookAsync(int fairId, BookingInput input, StaffIdentity actor, CancellationToken ct = default) =>
        BookAsync(fairId, input, actor, pastFairAllowed: false, ct);

    /// <summary>Books like <see cref="BookAsync(int, BookingInput, StaffIdentity, CancellationToken)"/> but also for a fair already held: demo data and bookings carried over from an older system.</summary>
    public Task<BookingResult> RecordPastBookingAsync(int fairId, BookingInput input, StaffIdentity actor, CancellationToken ct = default) =>
        BookAsync(fairId, input, actor, pastFairAllowed: true, ct);

    private async Task<BookingResult> BookAsync(int fairId, BookingInput input, StaffIdentity actor, bool pastFairAllowed, CancellationToken ct)
    {
        if (await MoneyRefusalAsync(actor, input.Discount != 0, input.Paid != 0 || input.Deposit != 0 || input.Status is BookingStatus.DepositPaid or BookingStatus.PaidInFull, "new booking") is { } refused)
            return refused;
        var errors = Validate(input);
        if (errors.Count > 0) return new BookingResult(false, Errors: errors);
        // Carrying over a booking of a fair already held is a record of the past, not a service to the customer.
        var restriction = pastFairAllowed ? CrmWorkspace.Features.KeyCustomers.RestrictionCheck.NotRestricted
            : await restricted.CheckAsync(input.AccountId, CrmWorkspace.Features.KeyCustomers.RestrictedService.Booking, input.OverrideReason, actor, ct);
        if (!restriction.Ok) return new BookingResult(false, Error: restriction.Error, Errors: restriction.Errors);
        await ExpireHoldsAsync(ct);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!pastFairAllowed && await db.Fairs.Where(f => f.Id == fairId).Select(f => (DateOnly?)f.EndsOn).FirstOrDefaultAsync(ct) is { } endsOn
            && endsOn < DateOnly.FromDateTime(DateTime.Now))
            return new BookingResult(false, Error: L["This fair ended on {0:d}; its booths can no longer be booked.", endsOn.ToDateTime(TimeOnly.MinValue)]);
        var booths = await db.Booths.Where(b => b.FairId == fairId && input.BoothIds.Contains(b.Id)).ToListAsync(ct);
        if (booths.Count != input.BoothIds.Distinct().Count()) return new BookingResult(false, Error: L["Some of these booths are not at this fair."]);
        var account = await db.Accounts.Where(a => a.Id == input.AccountId).Select(a => new { a.Id, a.Name, a.ParentId }).FirstOrDefaultAsync(ct);
        if (account is null) return new BookingResult(false, Error: L["This customer no longer exists."]);
        if (await HolderAsync(db, input.BoothIds, ct) is { } taken) return new BookingResult(false, Error: taken);

        var booking = new Booking
        {
            FairId = fairId, AccountId = input.AccountId, ContactId = input.ContactId, Status = input.Status,
            HoldExpiresAt = input.Status == BookingStatus.Reserved ? DateTimeOffset.UtcNow.AddDays(input.HoldDays) : null,
            Price = input.Price ?? booths.Sum(b => b.Price), Discount = input.Discount, Deposit = input.Deposit, Paid = input.Paid,
            Services = input.Services, SalespersonId = input.SalespersonId ?? actor.Id, Notes = input.Notes,
            Booths = booths.Select(b => new BookingBooth { BoothId = b.Id, Live = true }).ToList(),
        };
        db.Bookings.Add(booking);
        try
        {
            await db.SaveChangesAsync(ct);
            var codes = string.Join(", ", booths.OrderBy(b => b.Code).Select(b => b.Code));
            db.Activities.Add(Activity.SystemEntry(input.AccountId, EventKind.BookingCreated.Name(), codes, actor.Id, actor.TeamId,
                JsonSerializer.Serialize(new { booking.Id, fairId, booking.Status, booking.Price })));
            restricted.RecordOverride(db, restriction, input.AccountId, CrmWorkspace.Features.KeyCustomers.RestrictedService.Booking, input.OverrideReason, actor);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost the race at the database: report who holds it now.
            await tx.RollbackAsync(ct);
            await using var fresh = await dbs.CreateDbContextAsync(ct);
            return new BookingResult(false, Error: await HolderAsync(fresh, input.BoothIds, ct) ?? L["Someone booked one of these booths at the same moment."]);
        }
        await PublishAsync(db, EventKind.BookingCreated, booking, actor, account.ParentId, ct);
        return new BookingResult(true, booking.Id);
    }

    /// <summary>A message naming the booking that holds any of these booths, or null when all are free.</summary>
    private async Task<string?> HolderAsync(CrmDbContext db, IEnumerable<int> boothIds, CancellationToken ct)
    {
        var ids = boothIds.ToList();
        var holder = await (from bb in db.BookingBooths.Where(x => x.Live && ids.Contains(x.BoothId))
                            join bk in db.Bookings.IgnoreQueryFilters() on bb.BookingId equals bk.Id
                            join b in db.Booths on bb.BoothId equals b.Id
                            select new { b.Code, bk.Id, bk.Status, bk.SalespersonId, Account = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == bk.AccountId).Select(a => a.Name).First() })
            .FirstOrDefaultAsync(ct);
        if (holder is null) return null;
        var who = (await staff.FindAsync(holder.SalespersonId))?.Name ?? "—";
        return L["Booth {0} is already held by {1} (booking #{2}, {3}, salesperson {4}).", holder.Code, holder.Account, holder.Id, L[$"BookingStatus.{holder.Status}"], who];
    }

    public async Task<BookingView?> BookingAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, db.Bookings.Where(b => b.Id == id), ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<BookingView>> BookingsOfFairAsync(int fairId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await ViewsAsync(db, db.Bookings.Where(b => b.FairId == fairId && b.Status != BookingStatus.Cancelled), ct);
    }

    public async Task<IReadOnlyList<BookingView>> BookingsOfCustomerAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await ViewsAsync(db, db.Bookings.Where(b => b.AccountId == accountId), ct);
    }

    private static async Task<IReadOnlyList<BookingView>> ViewsAsync(CrmDbContext db, IQueryable<Booking> q, CancellationToken ct)
    {
        var rows = await q.OrderByDescending(b => b.Id).Select(b => new
        {
            b.Id, b.FairId, Fair = db.Fairs.IgnoreQueryFilters().Where(f => f.Id == b.FairId).Select(f => f.Name).First(),
            b.AccountId, Account = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == b.AccountId).Select(a => a.Name).First(),
            b.ContactId, Contact = db.Contacts.IgnoreQueryFilters().Where(c => c.Id == b.ContactId).Select(c => c.Name).FirstOrDefault(),
            Phone = db.Set<ContactPhone>().Where(p => p.ContactId == b.ContactId).Select(p => p.Number).FirstOrDefault(),
            AccountPhone = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == b.AccountId).Select(a => a.Phone).First(),
            b.Status, b.HoldExpiresAt, b.Price, b.Discount, b.Deposit, b.Paid, b.Services, b.SalespersonId, b.Version, b.CreatedAt,
        }).AsNoTracking().ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        // A booking made without naming a contact is with the customer's key contact (else its first one): reports and letters name them.
        var noContact = rows.Where(r => r.Contact is null).Select(r => r.AccountId).Distinct().ToList();
        var keyContacts = noContact.Count == 0 ? [] : (await db.Contacts.Where(c => noContact.Contains(c.AccountId))
                .OrderByDescending(c => c.IsKeyContact).ThenBy(c => c.Id)
                .Select(c => new { c.AccountId, c.Name, Phone = c.Phones.OrderBy(p => p.Id).Select(p => p.Number).FirstOrDefault() })
                .ToListAsync(ct))
            .GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => g.First());
        // A cancelled booking still shows the booths it had.
        var booths = await (from bb in db.BookingBooths where ids.Contains(bb.BookingId)
                            join b in db.Booths on bb.BoothId equals b.Id
                            join h in db.Halls on b.HallId equals h.Id
                            orderby b.Code
                            select new { bb.BookingId, b.Id, b.Code, Hall = h.Name, b.Area }).ToListAsync(ct);
        return rows.Select(r => new BookingView(r.Id, r.FairId, r.Fair, r.AccountId, r.Account, r.ContactId,
            r.Contact ?? keyContacts.GetValueOrDefault(r.AccountId)?.Name,
            r.Contact is null ? keyContacts.GetValueOrDefault(r.AccountId)?.Phone ?? r.AccountPhone : r.Phone ?? r.AccountPhone,
            r.Status, r.HoldExpiresAt, r.Price, r.Discount, r.Deposit, r.Paid, Math.Max(0, r.Price - r.Discount - r.Paid), r.Services, r.SalespersonId,
            booths.Where(b => b.BookingId == r.Id).Select(b => (b.Id, b.Code, b.Hall, b.Area)).ToList(), r.Version, r.CreatedAt)).ToList();
    }

    /// <summary>Discounts are approved by managers; payments recorded by finance (and managers): refused otherwise, and noted.</summary>
    private async Task<BookingResult?> MoneyRefusalAsync(StaffIdentity actor, bool discount, bool payment, string subject)
    {
        if (discount && !await audit.AllowedAsync(actor, Permission.ApproveDiscounts, subject))
            return new BookingResult(false, Error: S["Only managers approve discounts."]);
        if (payment && !await audit.AllowedAsync(actor, Permission.RecordPayments, subject))
            return new BookingResult(false, Error: S["Only finance (or a manager) records payments."]);
        return null;
    }

    /// <summary>Moves a booking along (contracted, deposit paid, paid in full) or cancels it, releasing its booths.</summary>
    public async Task<BookingResult> UpdateAsync(int id, BookingStatus status, decimal price, decimal discount, decimal deposit, decimal paid,
        AgencyServices services, string? cancelReason, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        if (price < 0 || discount < 0 || deposit < 0 || paid < 0) return new BookingResult(false, Error: L["Amounts cannot be negative."]);
        if (status == BookingStatus.Cancelled && string.IsNullOrWhiteSpace(cancelReason)) return new BookingResult(false, Error: L["Say why the booking is cancelled."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        // Discounts and payments are checked (and a refusal written) before the booking's transaction opens.
        if (await db.Bookings.AsNoTracking().Where(b => b.Id == id).Select(b => new { b.Discount, b.Paid, b.Deposit, b.Status }).FirstOrDefaultAsync(ct) is { } now)
        {
            var paymentChanged = paid != now.Paid || deposit != now.Deposit
                || (status != now.Status && status is BookingStatus.DepositPaid or BookingStatus.PaidInFull);
            if (await MoneyRefusalAsync(actor, discount != now.Discount, paymentChanged, $"booking #{id}") is { } refused) return refused;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var booking = await db.Bookings.Include(b => b.Booths).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null) return new BookingResult(false, Error: L["This booking no longer exists."]);
        if (booking.Version != expectedVersion)
        {
            var by = (await staff.FindAsync(booking.UpdatedBy))?.Name ?? "—";
            return new BookingResult(false, Error: L["{0} changed this booking at {1:t}; reopen it to see their change.", by, booking.UpdatedAt.ToLocalTime()]);
        }
        if (booking.Status == BookingStatus.Cancelled) return new BookingResult(false, Error: L["A cancelled booking cannot be changed; book again."]);
        var before = booking.Status;
        booking.Status = status;
        booking.Price = price; booking.Discount = discount; booking.Deposit = deposit; booking.Paid = paid; booking.Services = services;
        if (status != BookingStatus.Reserved) booking.HoldExpiresAt = null;
        if (status == BookingStatus.Cancelled)
        {
            booking.CancelReason = cancelReason!.Trim();
            foreach (var bb in booking.Booths) bb.Live = false;
        }
        db.Activities.Add(Activity.SystemEntry(booking.AccountId, status == BookingStatus.Cancelled ? EventKind.BookingCancelled.Name() : EventKind.BookingChanged.Name(),
            $"#{booking.Id}", actor.Id, actor.TeamId, FieldChange.Json([new("Status", before.ToString(), status.ToString()), new("Paid", null, paid.ToString("0.00"))])));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, status == BookingStatus.Cancelled ? EventKind.BookingCancelled : EventKind.BookingChanged, booking, actor, null, ct);
        return new BookingResult(true, id);
    }

    /// <summary>Releases reservations whose hold has run out; returns how many lapsed.</summary>
    public async Task<int> ExpireHoldsAsync(CancellationToken ct = default)
    {
        // The lapse is the system's doing, not the person whose booking happened to trigger the check.
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var now = DateTimeOffset.UtcNow;
        var expired = await db.Bookings.Include(b => b.Booths)
            .Where(b => b.Status == BookingStatus.Reserved && b.HoldExpiresAt != null && b.HoldExpiresAt < now).ToListAsync(ct);
        if (expired.Count == 0) return 0;
        foreach (var b in expired)
        {
            b.Status = BookingStatus.Cancelled;
            b.CancelReason = "hold expired";
            foreach (var bb in b.Booths) bb.Live = false;
            db.Activities.Add(Activity.SystemEntry(b.AccountId, EventKind.BookingExpired.Name(), $"#{b.Id}", Actors.SystemId, null));
        }
        await db.SaveChangesAsync(ct);
        foreach (var b in expired)
            events.Publish(new WorkspaceEvent(EventKind.BookingExpired, b.AccountId, StaffIdentity.System.Id, StaffIdentity.System.Name, null, now, $"#{b.Id}", b.Id, Scope: Scope(b.FairId)));
        return expired.Count;
    }

    /// <summary>Customers who exhibited at the previous fair and have not booked this one.</summary>
    public async Task<IReadOnlyList<RebookingRow>> RebookingAsync(int fairId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var fair = await db.Fairs.FirstOrDefaultAsync(f => f.Id == fairId, ct);
        if (fair is null) return [];
        var previous = await db.Fairs.Where(f => f.StartsOn < fair.StartsOn).OrderByDescending(f => f.StartsOn).Select(f => (int?)f.Id).FirstOrDefaultAsync(ct);
        if (previous is null) return [];
        var bookedNow = db.Bookings.Where(b => b.FairId == fairId && b.Status != BookingStatus.Cancelled).Select(b => b.AccountId);
        var last = await (from bk in db.Bookings.Where(b => b.FairId == previous && b.Status != BookingStatus.Cancelled && !bookedNow.Contains(b.AccountId))
                          join a in db.Accounts on bk.AccountId equals a.Id
                          from bb in db.BookingBooths.Where(x => x.BookingId == bk.Id)
                          join booth in db.Booths on bb.BoothId equals booth.Id
                          select new { a.Id, a.Name, a.Province, a.City, a.Phone, a.OwnerId, booth.Code, booth.Area }).ToListAsync(ct);
        return last.GroupBy(x => x.Id).Select(g => new RebookingRow(g.Key, g.First().Name, g.First().Province, g.First().City, g.First().Phone, g.First().OwnerId,
            string.Join(", ", g.Select(x => x.Code).Order()), g.Sum(x => x.Area))).OrderByDescending(r => r.LastArea).ToList();
    }

    private async Task PublishAsync(CrmDbContext db, EventKind kind, Booking b, StaffIdentity actor, int? parentId, CancellationToken ct)
    {
        parentId ??= await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == b.AccountId).Select(a => a.ParentId).FirstOrDefaultAsync(ct);
        events.Publish(new WorkspaceEvent(kind, b.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"#{b.Id}", b.Id,
            await AccountService.AncestorsAsync(db, parentId, ct), Scope(b.FairId)));
    }
}

/// <summary>
/// Releases lapsed reservations every half minute, so a hold ends even when nobody books. With several servers only the holder of
/// the "hold-expiry" lease does it; another server takes over when the holder's lease lapses.
/// </summary>
public sealed class HoldExpiry(IServiceScopeFactory scopes, JobLeases leases, ILogger<HoldExpiry> log) : BackgroundService
{
    public const string Job = "hold-expiry";

    /// <summary>How many times this server released lapsed holds (tests see which server did the work).</summary>
    public int Runs;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ticks well within the lease, so the holder renews it before it lapses.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(30, Math.Max(1, leases.Duration.TotalSeconds / 3))));
        do
        {
            try
            {
                if (!await leases.TryAcquireAsync(Job, stoppingToken)) continue;
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<FairService>().ExpireHoldsAsync(stoppingToken);
                Interlocked.Increment(ref Runs);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception ex) { log.LogWarning(ex, "Releasing lapsed holds failed"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await leases.ReleaseAsync(Job, cancellationToken); } catch (Exception ex) { log.LogInformation(ex, "Could not give up the hold-expiry lease"); }
    }
}
