using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.DemoData;

/// <summary>
/// Writes the demo company's year (<see cref="DemoHistory"/>) around what is stored: timeline entries in bulk, renewals and call
/// outcomes on the subscriptions, booking entries moved to when the booking was made, and the "who works this customer" summary.
/// </summary>
public class DemoHistorySeeder(IDbContextFactory<CrmDbContext> dbs, ILogger<DemoHistorySeeder> log)
{
    /// <summary>Adds the year when no one has logged work yet; returns how many timeline entries were written.</summary>
    public async Task<int> SeedAsync(int seed, DateTimeOffset now, IReadOnlySet<int> planted, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Activities.IgnoreQueryFilters().AnyAsync(a => a.Kind != ActivityKind.System, ct)) return 0;
        var world = await WorldAsync(db, now, planted, ct);
        if (world.Staff.Count == 0 || world.Customers.Count == 0) return 0;
        var year = new DemoHistory(world, seed).Build();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ApplyRenewalsAsync(db, year, ct);
        await MoveBookingEntriesAsync(db, year, ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Activities.AddRange(year.Activities);
        await db.BaseSaveChangesAsync(ct);
        db.TeamTouches.AddRange(await StoredTouchesAsync(db, ct));
        await db.BaseSaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Demo data: {Entries} timeline entries, {Renewals} renewal outcomes", year.Activities.Count, year.Renewals.Count);
        return year.Activities.Count;
    }

    /// <summary>
    /// Rebuilds "who works this customer" from the timeline: after seeders that set their entries' times by hand (the demo's
    /// story happens in the hours before it opens), the last touch per team follows the times, not the order of writing.
    /// </summary>
    public static async Task RebuildTouchesAsync(IDbContextFactory<CrmDbContext> dbs, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.TeamTouches.ExecuteDeleteAsync(ct);
        db.TeamTouches.AddRange(await StoredTouchesAsync(db, ct));
        await db.BaseSaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>"Who works this customer" as the stored timeline says (only the columns <see cref="Touches"/> reads).</summary>
    private static async Task<IEnumerable<TeamTouch>> StoredTouchesAsync(CrmDbContext db, CancellationToken ct) =>
        Touches(await db.Activities.AsNoTracking().Where(a => a.TeamId != null)
            .Select(a => new Activity { Id = a.Id, AccountId = a.AccountId, TeamId = a.TeamId, AuthorId = a.AuthorId, Kind = a.Kind, Subject = a.Subject,
                OccurredAt = a.OccurredAt, FollowUpOn = a.FollowUpOn, FollowUpDoneAt = a.FollowUpDoneAt, IsDeleted = a.IsDeleted })
            .ToListAsync(ct));

    /// <summary>The stored records the history must agree with.</summary>
    public static async Task<DemoWorld> WorldAsync(CrmDbContext db, DateTimeOffset now, IReadOnlySet<int> planted, CancellationToken ct = default)
    {
        var demoEmails = DemoStaff.Users.Select(u => u.Email).ToList();
        var managers = DemoStaff.Users.Where(u => u.Role == Roles.Manager).Select(u => u.Email).ToHashSet();
        var staff = (await db.Users.AsNoTracking().Where(u => demoEmails.Contains(u.Email!)).Select(u => new { u.Id, u.DisplayName, u.TeamId, u.Email }).ToListAsync(ct))
            .OrderBy(u => demoEmails.IndexOf(u.Email!)).Select(u => new DemoPerson(u.Id, u.DisplayName, u.TeamId, managers.Contains(u.Email!))).ToList();
        var contacts = (await db.Contacts.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.AccountId, c.Id, c.Name, c.Title }).ToListAsync(ct))
            .GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => (IReadOnlyList<DemoContact>)g.Select(c => new DemoContact(c.Id, c.Name, c.Title)).ToList());
        var customers = (await db.Accounts.AsNoTracking().OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.ParentId, a.Name, a.OwnerId, a.Tier, a.Status, a.IntendsToSubscribe, a.IntendsToExhibit, a.IntendsToAdvertise, a.CreatedAt, a.Phone, a.ProductLines })
                .ToListAsync(ct))
            .Select(a => new DemoCustomer(a.Id, a.ParentId, a.Name, a.OwnerId, a.Tier, a.Status, a.IntendsToSubscribe, a.IntendsToExhibit, a.IntendsToAdvertise,
                a.CreatedAt, contacts.GetValueOrDefault(a.Id) ?? [], a.Phone, a.ProductLines, planted.Contains(a.Id)))
            .ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.RenewedFromId == null).OrderBy(s => s.Id)
            .Select(s => new DemoSubscription(s.Id, s.AccountId, s.ContactId, s.PeriodicalId, s.Periodical!.Title, s.Periodical.AnnualPrice, s.StartsOn, s.EndsOn, s.Copies, s.DeliveryAddress))
            .ToListAsync(ct);
        var entries = (await db.Activities.AsNoTracking().Where(a => a.SystemEvent == "booking.created").Select(a => new { a.Id, a.Data }).ToListAsync(ct))
            .Select(a => (a.Id, Booking: BookingId(a.Data))).Where(a => a.Booking is not null).ToDictionary(a => a.Booking!.Value, a => a.Id);
        var bookings = (await db.Bookings.AsNoTracking().OrderBy(b => b.Id)
                .Join(db.Fairs, b => b.FairId, f => f.Id, (b, f) => new { b.Id, b.AccountId, f.Name, f.StartsOn, f.EndsOn, f.Status, BookingStatus = b.Status })
                .ToListAsync(ct))
            .Select(b => new DemoBooking(b.Id, b.AccountId, b.Name, b.StartsOn, b.EndsOn, b.Status == FairStatus.Finished, b.BookingStatus,
                entries.TryGetValue(b.Id, out var e) ? e : null))
            .ToList();
        return new DemoWorld(now, staff, customers, subscriptions, bookings);
    }

    private static int? BookingId(string? data)
    {
        if (string.IsNullOrEmpty(data)) return null;
        try { return JsonDocument.Parse(data).RootElement.TryGetProperty("Id", out var id) ? id.GetInt32() : null; }
        catch (JsonException) { return null; }
    }

    private static async Task ApplyRenewalsAsync(CrmDbContext db, DemoYear year, CancellationToken ct)
    {
        var ids = year.Renewals.Select(r => r.SubscriptionId).ToList();
        var subs = await db.Subscriptions.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        foreach (var r in year.Renewals)
        {
            var s = subs[r.SubscriptionId];
            s.LastCallAt = r.CallAt;
            s.LastCallOutcome = r.Outcome;
            s.CallBackAt = r.CallBackOn is { } back ? new DateTimeOffset(back.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            s.DeclineReason = r.DeclineReason;
            s.UpdatedAt = r.CallAt;
            s.UpdatedBy = r.Next?.SalespersonId ?? s.SalespersonId;
            if (r.Next is not null) db.Subscriptions.Add(r.Next);
        }
        await db.BaseSaveChangesAsync(ct);
        foreach (var r in year.Renewals.Where(r => r.Next is not null))
        {
            var next = r.Next!;
            subs[r.SubscriptionId].RenewedById = next.Id;
            r.RenewedEntry!.Data = JsonSerializer.Serialize(new { next.Id, From = r.SubscriptionId, next.StartsOn, next.EndsOn, next.Copies, next.Price });
        }
        await db.BaseSaveChangesAsync(ct);
    }

    /// <summary>Bookings were written through the fair service just now; their timeline entries move to when they were made.</summary>
    private static async Task MoveBookingEntriesAsync(CrmDbContext db, DemoYear year, CancellationToken ct)
    {
        var ids = year.BookingEntryTimes.Keys.ToList();
        foreach (var a in await db.Activities.Where(a => ids.Contains(a.Id)).ToListAsync(ct))
            a.OccurredAt = a.CreatedAt = a.UpdatedAt = year.BookingEntryTimes[a.Id];
        await db.BaseSaveChangesAsync(ct);
    }

    /// <summary>The "who works this customer" summary, computed exactly as the timeline keeps it (<see cref="Timeline.TimelineService.TouchAsync"/>).</summary>
    public static IEnumerable<TeamTouch> Touches(IEnumerable<Activity> activities)
    {
        foreach (var g in activities.Where(a => a.TeamId is not null && !a.IsDeleted).GroupBy(a => (a.AccountId, TeamId: a.TeamId!.Value)).OrderBy(g => g.Key))
        {
            var last = g.Where(a => a.Kind != ActivityKind.System).OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).FirstOrDefault();
            var open = g.Count(a => a.FollowUpOn != null && a.FollowUpDoneAt == null);
            if (last is null && open == 0) continue;
            yield return new TeamTouch
            {
                AccountId = g.Key.AccountId, TeamId = g.Key.TeamId, LastActivityId = last?.Id, LastAt = last?.OccurredAt, LastAuthorId = last?.AuthorId,
                LastSubject = last?.Subject, LastKind = last?.Kind, OpenFollowUps = open,
            };
        }
    }
}
