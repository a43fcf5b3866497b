using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Advertising;

/// <summary>What the customer page shows of a customer's advertising: a handful of numbers, no entities.</summary>
public record CustomerAdSummary(decimal SpendThisYear, decimal SpendLastYear, int OpenDeals, decimal OpenValue, decimal Overdue, int OverdueInstalments)
{
    public bool IsEmpty => SpendThisYear == 0 && SpendLastYear == 0 && OpenDeals == 0 && Overdue == 0;
}

/// <summary>A customer's most advanced open advertising deal, and whose it is (the "who works" strip and the duplicate panel show it).</summary>
public record OpenDeal(int Id, int AccountId, string Title, PipelineStep Step, decimal Value, string OwnerId, string OwnerName);

/// <summary>Small reads of a customer's advertising for other features' views (customer page, who-works strip, duplicate warnings).</summary>
public class CustomerAdvertising(IDbContextFactory<CrmDbContext> dbs, StaffDirectory staff)
{
    /// <summary>Events after which a customer's advertising figures or open deal may have changed.</summary>
    public static bool Changes(WorkspaceEvent e) => e.Kind is EventKind.OpportunityCreated or EventKind.OpportunityMoved or EventKind.OpportunityChanged
        or EventKind.OpportunityLost or EventKind.ContractSigned or EventKind.PaymentRecorded;

    /// <summary>Contracts signed this calendar year and last (ad spend), open deals and overdue instalments, in three small reads.</summary>
    public async Task<CustomerAdSummary> SummaryAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = Ads.Today;
        var lastYearStart = new DateOnly(today.Year - 1, 1, 1);
        // A customer has a handful of contracts and deals: the rows are summed here, the same on SQLite and PostgreSQL.
        var spend = await db.AdContracts.Where(c => c.AccountId == accountId && c.SignedOn >= lastYearStart)
            .Select(c => new { c.SignedOn, c.Total }).ToListAsync(ct);
        var open = await db.Opportunities.Where(o => o.AccountId == accountId && o.LostAt == null && o.Step < PipelineStep.Satisfied)
            .Select(o => o.ExpectedValue).ToListAsync(ct);
        var overdue = await (from i in db.AdInstalments
                             join c in db.AdContracts on i.ContractId equals c.Id
                             where c.AccountId == accountId && i.DueOn < today && i.Paid < i.Amount
                             select new { i.Amount, i.Paid }).ToListAsync(ct);
        return new CustomerAdSummary(spend.Where(s => s.SignedOn.Year == today.Year).Sum(s => s.Total), spend.Where(s => s.SignedOn.Year == today.Year - 1).Sum(s => s.Total),
            open.Count, open.Sum(), overdue.Sum(o => o.Amount - o.Paid), overdue.Count);
    }

    /// <summary>The most advanced open deal of each of these customers (then the larger, then the newer), with its owner's name.</summary>
    public async Task<IReadOnlyDictionary<int, OpenDeal>> OpenDealsAsync(IReadOnlyCollection<int> accountIds, CancellationToken ct = default)
    {
        if (accountIds.Count == 0) return new Dictionary<int, OpenDeal>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Opportunities.AsNoTracking().Where(o => accountIds.Contains(o.AccountId) && o.LostAt == null && o.Step < PipelineStep.Satisfied)
            .Select(o => new { o.Id, o.AccountId, o.Title, o.Step, o.ExpectedValue, o.OwnerId }).ToListAsync(ct);
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        return rows.GroupBy(r => r.AccountId)
            .Select(g => g.OrderByDescending(r => r.Step).ThenByDescending(r => r.ExpectedValue).ThenByDescending(r => r.Id).First())
            .ToDictionary(r => r.AccountId, r => new OpenDeal(r.Id, r.AccountId, r.Title, r.Step, r.ExpectedValue, r.OwnerId, people.GetValueOrDefault(r.OwnerId, "—")));
    }
}
