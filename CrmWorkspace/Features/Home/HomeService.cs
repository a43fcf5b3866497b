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
    public async Task<IReadOnlyList<ColleagueWork>> ColleagueWorkAsync(string userId, int days = 14, int take = 8, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var since = DateTimeOffset.UtcNow.AddDays(-days);
        // Indexed by (AccountId, OccurredAt): a short window over a bounded set of owned customers.
        var rows = await (from a in db.Activities
                          join c in db.Accounts on a.AccountId equals c.Id
                          where c.OwnerId == userId && a.AuthorId != userId && a.AuthorId != null && a.Kind != ActivityKind.System && a.OccurredAt >= since
                          select new { a.Id, a.AccountId, c.Name, c.Tier, a.OccurredAt, a.AuthorId, a.TeamId, a.Kind, a.Subject, a.Outcome, a.Data })
            .AsNoTracking().ToListAsync(ct);
        return rows.GroupBy(r => r.AccountId)
            .Select(g =>
            {
                var last = g.OrderByDescending(r => r.OccurredAt).ThenByDescending(r => r.Id).First();
                return new ColleagueWork(g.Key, last.Name, last.Tier, last.Id, last.OccurredAt, last.AuthorId, last.TeamId, last.Kind, last.Subject, last.Outcome, g.Count(), last.Data);
            })
            .OrderByDescending(w => w.At).Take(take).ToList();
    }
}

public static class HomeSetup
{
    public static IServiceCollection AddHome(this IServiceCollection services) => services.AddScoped<HomeService>();
}
