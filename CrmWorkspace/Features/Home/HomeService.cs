using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Home;

/// <summary>Marker for the start page's localised strings.</summary>
public class HomeText;

/// <summary>One of my customers that colleagues worked lately: their newest entry and how many there were.</summary>
public record ColleagueWork(int AccountId, string AccountName, AccountTier Tier, long ActivityId, DateTimeOffset At, string? AuthorId, int? TeamId,
    ActivityKind Kind, string Subject, string? Outcome, int Entries, string? Data = null);

/// <summary>The reads behind the start page: what colleagues did on the customers I own.</summary>
public class HomeService(IDbContextFactory<CrmDbContext> dbs)
{
    /// <summary>My customers (and their branches' entries) that others logged work on in the last <paramref name="days"/> days, newest first.</summary>
    public async Task<ColleagueWorkList> ColleagueWorkAsync(string userId, int days = 14, int take = 8, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var since = DateTimeOffset.UtcNow.AddDays(-days);
        // Indexed by (AccountId, OccurredAt): a short window over a bounded set of owned customers.
        var rows = await Entries(db, userId, since).ToListAsync(ct);
        return new ColleagueWorkList(rows, take);
    }

    /// <summary>
    /// One entry as colleagues' work on my customers (Entries 1), or null when it is not: my own, a system line, a customer someone
    /// else owns, older than the window, or gone. What the start page adds to its list when an entry is logged, instead of reading
    /// the whole window again.
    /// </summary>
    public async Task<ColleagueWork?> ColleagueEntryAsync(string userId, long activityId, int days = 14, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Entries(db, userId, DateTimeOffset.UtcNow.AddDays(-days), activityId).FirstOrDefaultAsync(ct);
    }

    private static IQueryable<ColleagueWork> Entries(CrmDbContext db, string userId, DateTimeOffset since, long? activityId = null) =>
        from a in activityId is { } id ? db.Activities.Where(a => a.Id == id) : db.Activities
        join c in db.Accounts on a.AccountId equals c.Id
        where c.OwnerId == userId && a.AuthorId != userId && a.AuthorId != null && a.Kind != ActivityKind.System && a.OccurredAt >= since
        select new ColleagueWork(a.AccountId, c.Name, c.Tier, a.Id, a.OccurredAt, a.AuthorId, a.TeamId, a.Kind, a.Subject, a.Outcome, 1, a.Data);
}

/// <summary>
/// The start page's "colleagues' work on my customers": the <see cref="Take"/> customers worked most lately, each with its newest
/// entry, and how many entries every customer in the window has. Kept so that a newly logged entry is added from one row
/// (<see cref="Add"/>) and the list stays what a full read would give.
/// </summary>
public sealed class ColleagueWorkList
{
    private readonly Dictionary<int, int> _counts;
    private List<ColleagueWork> _top;

    public ColleagueWorkList(IEnumerable<ColleagueWork> entries, int take)
    {
        Take = take;
        var byAccount = entries.GroupBy(r => r.AccountId)
            .Select(g => g.OrderByDescending(r => r.At).ThenByDescending(r => r.ActivityId).First() with { Entries = g.Count() }).ToList();
        _counts = byAccount.ToDictionary(w => w.AccountId, w => w.Entries);
        _top = [.. byAccount.OrderByDescending(w => w.At).ThenByDescending(w => w.ActivityId).Take(take)];
    }

    public int Take { get; }

    /// <summary>Newest first, at most <see cref="Take"/>.</summary>
    public IReadOnlyList<ColleagueWork> Top => _top;

    /// <summary>
    /// Counts one more entry for its customer; it becomes the customer's row when it is their newest, and the customer enters the list
    /// when that makes them one of the newest. A customer outside the list has only entries older than the list's last row, so an
    /// entry newer than that row is their newest.
    /// </summary>
    public void Add(ColleagueWork entry)
    {
        var count = _counts[entry.AccountId] = _counts.GetValueOrDefault(entry.AccountId) + 1;
        var shown = _top.FindIndex(w => w.AccountId == entry.AccountId);
        var newer = shown < 0 || Newer(entry, _top[shown]);
        var row = newer ? entry with { Entries = count } : _top[shown] with { Entries = count };
        if (shown >= 0) _top.RemoveAt(shown);
        else if (_top.Count == Take && !Newer(entry, _top[^1])) return;
        _top = [.. _top.Append(row).OrderByDescending(w => w.At).ThenByDescending(w => w.ActivityId).Take(Take)];
    }

    private static bool Newer(ColleagueWork a, ColleagueWork b) => a.At > b.At || (a.At == b.At && a.ActivityId > b.ActivityId);
}

public static class HomeSetup
{
    public static IServiceCollection AddHome(this IServiceCollection services) => services.AddScoped<HomeService>();
}
