using CrmWorkspace.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>The key-customer list's filters: tier (null: A and B, the key customers), the owner's team, region (province), owner.</summary>
public record KeyCustomerQuery(AccountTier? Tier = null, int? TeamId = null, string? Province = null, string? OwnerId = null);

/// <summary>One head office on the key-customer list, with its score and the lines it is made of.</summary>
public record KeyCustomerRow(int AccountId, string Name, string? Province, string? City, string? Address, string? Phone, string? OwnerId,
    int Score, AccountTier Tier, AccountTier ComputedTier, bool Pinned, IReadOnlyList<ScoreLine> Lines);

/// <summary>A page of the key-customer list and how many match in all.</summary>
public record KeyCustomerPage(IReadOnlyList<KeyCustomerRow> Rows, int Total);

/// <summary>Who the key customers are (seed 001, 重点客户辨别): head offices by value score, highest first, with the breakdown.</summary>
public class KeyCustomerListing(IDbContextFactory<CrmDbContext> dbs, StaffDirectory staff)
{
    public const int MaxRows = 10_000;
    private static readonly AccountTier[] KeyTiers = [AccountTier.A, AccountTier.B];

    public async Task<KeyCustomerPage> ListAsync(KeyCustomerQuery q, int take = 100, CancellationToken ct = default)
    {
        take = Math.Clamp(take, 1, MaxRows);
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Led by the scores' (Tier, Score) index: one tier is a range already in score order, so the first page reads a page of rows.
        var scores = q.Tier is { } t ? db.CustomerScores.Where(s => s.Tier == t) : db.CustomerScores.Where(s => s.Tier == AccountTier.A || s.Tier == AccountTier.B);
        // Scores are kept for head offices only (ScoreKeeper removes a former head office's), so the accounts are joined only to filter
        // and show them; with no account filter the count is read from the index alone.
        var accounts = db.Accounts.AsNoTracking();
        var filtered = !string.IsNullOrWhiteSpace(q.Province) || q.OwnerId is not null || q.TeamId is not null;
        if (!string.IsNullOrWhiteSpace(q.Province)) accounts = accounts.Where(a => a.Province == q.Province.Trim());
        if (q.OwnerId is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        if (q.TeamId is { } team)
        {
            var members = (await staff.StaffAsync()).Where(s => s.TeamId == team).Select(s => s.Id).ToList();
            accounts = accounts.Where(a => a.OwnerId != null && members.Contains(a.OwnerId));
        }
        // One person's or one team's customers: their accounts are few, found by (OwnerId, Tier); the account carries the tier its score
        // shows (ScoreKeeper writes both), so saying it here lets the database start from the owner's accounts, not from every A and B.
        if (q.OwnerId is not null || q.TeamId is not null)
            accounts = q.Tier is { } at ? accounts.Where(a => a.Tier == at) : accounts.Where(a => a.Tier == AccountTier.A || a.Tier == AccountTier.B);
        var scored = from s in scores.AsNoTracking()
                     join a in accounts on s.AccountId equals a.Id
                     select new { a, s };
        var total = filtered ? await scored.CountAsync(ct) : await scores.CountAsync(ct);
        var rows = await scored.OrderByDescending(x => x.s.Score).ThenBy(x => x.s.AccountId).Take(take)
            .Select(x => new
            {
                x.a.Id, x.a.Name, x.a.Province, x.a.City, x.a.Address, x.a.Phone, x.a.OwnerId, x.s.Score, x.a.Tier, x.s.ComputedTier, x.s.PinnedTier, x.s.Breakdown,
            }).ToListAsync(ct);
        return new KeyCustomerPage(rows.Select(r => new KeyCustomerRow(r.Id, r.Name, r.Province, r.City, r.Address, r.Phone, r.OwnerId, r.Score, r.Tier,
            r.ComputedTier, r.PinnedTier is not null, ScoreRules.Deserialize(r.Breakdown).Where(l => l.Points != 0).OrderByDescending(l => Math.Abs(l.Points)).ToList())).ToList(), total);
    }

    /// <summary>Provinces that have head offices, for the region filter.</summary>
    public async Task<IReadOnlyList<string>> ProvincesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.AsNoTracking().Where(a => a.Province != null && (a.Tier == KeyTiers[0] || a.Tier == KeyTiers[1]))
            .Select(a => a.Province!).Distinct().OrderBy(p => p).Take(100).ToListAsync(ct);
    }
}
