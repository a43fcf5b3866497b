using CrmWorkspace.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>What a care date is about.</summary>
public enum CareKind { Birthday = 1, Anniversary = 2, Festival = 3 }

/// <summary>
/// One date to keep in touch on: a key contact's birthday, a key customer's anniversary (its first subscription), or a festival
/// (then no customer). <see cref="Key"/> names it for "greeted" (one greeting per contact or customer and year).
/// </summary>
public record CareDate(string Key, DateOnly Date, CareKind Kind, Festival? Festival, int? AccountId, string? AccountName, AccountTier? Tier,
    int? ContactId, string? ContactName, string? OwnerId, int Years, bool Greeted);

/// <summary>The care calendar (特别关怀): key contacts' birthdays, key customers' anniversaries, festivals; and greetings logged.</summary>
public class CareCalendar(IDbContextFactory<CrmDbContext> dbs, TimelineService timeline, IStringLocalizer<KeyCustomersText> L, RestrictedCustomers restricted)
{
    /// <summary>Key customers are tier A and B (computed or pinned), with their branches.</summary>
    private static readonly AccountTier[] KeyTiers = [AccountTier.A, AccountTier.B];

    public async Task<IReadOnlyList<CareDate>> BetweenAsync(DateOnly from, DateOnly to, string? ownerId = null, CancellationToken ct = default)
    {
        if (to < from || to.DayNumber - from.DayNumber > 400) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var list = new List<CareDate>();
        foreach (var (f, d) in ChineseFestivals.Between(from, to))
            list.Add(new CareDate($"care:festival:{f}:{d.Year}", d, CareKind.Festival, f, null, null, null, null, null, null, 0, false));

        var keyAccounts = db.Accounts.Where(a => KeyTiers.Contains(a.Tier) && (ownerId == null || a.OwnerId == ownerId));
        // Only the birthdays in the window's months are read (a month's calendar reads a twelfth of the key contacts).
        var months = Enumerable.Range(0, Math.Min(12, (to.Year - from.Year) * 12 + to.Month - from.Month + 1)).Select(i => from.AddMonths(i).Month).ToList();
        var keyContacts = from c in db.Contacts
                          join a in keyAccounts on c.AccountId equals a.Id
                          where c.IsKeyContact && c.Birthday != null
                          select new { c.Id, c.Name, c.Birthday, a.Tier, a.OwnerId, AccountId = a.Id, AccountName = a.Name };
        if (months.Count < 12) keyContacts = keyContacts.Where(c => months.Contains(c.Birthday!.Value.Month));
        var contacts = await keyContacts.ToListAsync(ct);
        foreach (var c in contacts)
            foreach (var d in Anniversaries(c.Birthday!.Value, from, to))
                list.Add(new CareDate($"care:birthday:{c.Id}:{d.Year}", d, CareKind.Birthday, null, c.AccountId, c.AccountName, c.Tier, c.Id, c.Name, c.OwnerId,
                    d.Year - c.Birthday.Value.Year, false));

        // Head offices written so that SQLite leads with the tier's index (a few hundred), not with ParentId (every head office).
        var firsts = await keyAccounts.Where(a => (a.ParentId ?? 0) == 0)
            .Select(a => new { a.Id, a.Name, a.Tier, a.OwnerId, First = db.Subscriptions.Where(s => s.AccountId == a.Id).Min(s => (DateOnly?)s.StartsOn) })
            .Where(a => a.First != null).ToListAsync(ct);
        foreach (var a in firsts)
            foreach (var d in Anniversaries(a.First!.Value, from, to).Where(d => d.Year > a.First.Value.Year))
                list.Add(new CareDate($"care:anniversary:{a.Id}:{d.Year}", d, CareKind.Anniversary, null, a.Id, a.Name, a.Tier, null, null, a.OwnerId,
                    d.Year - a.First.Value.Year, false));

        var keys = list.Select(x => x.Key).ToList();
        var greeted = (await db.ProblemClosures.Where(p => keys.Contains(p.Key)).Select(p => p.Key).ToListAsync(ct)).ToHashSet();
        return list.Select(x => greeted.Contains(x.Key) ? x with { Greeted = true } : x)
            .OrderBy(x => x.Date).ThenBy(x => x.Kind).ThenBy(x => x.AccountName).ToList();
    }

    /// <summary>A person's care reminders: their key customers' dates in the next configured days, not yet greeted.</summary>
    public async Task<IReadOnlyList<CareDate>> RemindersAsync(string userId, CancellationToken ct = default)
    {
        int days;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            days = await db.ScoreSettings.OrderBy(s => s.Id).Select(s => (int?)s.CareDays).FirstOrDefaultAsync(ct) ?? new ScoreSettings().CareDays;
        var today = DateOnly.FromDateTime(DateTime.Today);
        return (await BetweenAsync(today, today.AddDays(days), userId, ct)).Where(x => !x.Greeted && x.Kind != CareKind.Festival).ToList();
    }

    /// <summary>Logs a greeting (call, card, gift...) on the customer's timeline as a care entry; the reminder closes with it.</summary>
    public async Task<TimelineResult> GreetAsync(string key, int accountId, ActivityKind how, string what, StaffIdentity actor, CancellationToken ct = default) =>
        await GreetAsync(key, accountId, how, what, null, actor, ct);

    /// <summary>As above; a restricted customer is greeted only with a manager's override and its reason (written on the timeline).</summary>
    public async Task<TimelineResult> GreetAsync(string key, int accountId, ActivityKind how, string what, string? overrideReason, StaffIdentity actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(what)) return new TimelineResult(false, Errors: new Dictionary<string, string> { ["Subject"] = L["Say how you greeted them."] });
        if (what.Trim().Length > TimelineService.MaxSubject)
            return new TimelineResult(false, Errors: new Dictionary<string, string> { ["Subject"] = L["Say it in {0} characters at most.", TimelineService.MaxSubject] });
        if (!key.StartsWith("care:") || key.Length > 80) return new TimelineResult(false, Error: L["This date is not on the care calendar."]);
        var restriction = await restricted.CheckAsync(accountId, RestrictedService.CareGreeting, overrideReason, actor, ct);
        if (!restriction.Ok) return new TimelineResult(false, Error: restriction.Error, Errors: restriction.Errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.ProblemClosures.AnyAsync(p => p.Key == key, ct)) return new TimelineResult(false, Error: L["Someone has already greeted them."]);
        var (entry, error) = await timeline.AddAsync(db, accountId, new ActivityInput { Kind = how, Subject = what.Trim(), Outcome = L["Care greeting"] }, actor, ct);
        if (entry is null) return new TimelineResult(false, Error: error);
        db.ProblemClosures.Add(new ProblemClosure { Key = key, AccountId = accountId, ActivityId = entry.Id, ClosedBy = actor.Id, ClosedAt = DateTimeOffset.UtcNow });
        restricted.RecordOverride(db, restriction, accountId, RestrictedService.CareGreeting, overrideReason, actor);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return new TimelineResult(false, Error: L["Someone has already greeted them."]); }
        await tx.CommitAsync(ct);
        await timeline.PublishAsync(db, EventKind.ActivityLogged, entry, actor, null, ct);
        return new TimelineResult(true, entry.Id);
    }

    /// <summary>The yearly returns of a date between two days; 29 February is kept on 28 February in other years.</summary>
    public static IEnumerable<DateOnly> Anniversaries(DateOnly original, DateOnly from, DateOnly to)
    {
        for (var y = from.Year; y <= to.Year; y++)
        {
            var d = new DateOnly(y, original.Month, Math.Min(original.Day, DateTime.DaysInMonth(y, original.Month)));
            if (d >= from && d <= to) yield return d;
        }
    }
}
