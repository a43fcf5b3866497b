using CrmWorkspace.Data;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>
/// Computes and stores value scores: for given customers (their whole group: head office and branches) or for everyone. Writes
/// the score, this month's snapshot and the tier shown everywhere (Account.Tier of the head office and its branches).
/// </summary>
public sealed class ScoreKeeper(IDbContextFactory<CrmDbContext> dbs, IEnumerable<IScoreInputSource> sources, TimeProvider clock)
{
    /// <summary>Head offices per batch of a full recompute: bounds memory and the size of each query's id list.</summary>
    private const int Batch = 2_000;
    // One computation at a time: two overlapping ones could store the older reading last (in this process; the database is one file).
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>The settings and weights in force; the defaults are written the first time they are asked for.</summary>
    public static async Task<(ScoreSettings Settings, List<ScoreWeight> Weights)> SettingsAsync(CrmDbContext db, CancellationToken ct)
    {
        var settings = await db.ScoreSettings.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        var weights = await db.ScoreWeights.AsNoTracking().ToListAsync(ct);
        var missing = ScoreRules.DefaultWeights().Where(d => weights.All(w => w.Input != d.Input)).ToList();
        if (settings is null || missing.Count > 0)
        {
            if (settings is null) db.ScoreSettings.Add(settings = new ScoreSettings { UpdatedAt = DateTimeOffset.UtcNow, UpdatedBy = Actors.SystemId });
            db.ScoreWeights.AddRange(missing);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { db.ChangeTracker.Clear(); return await SettingsAsync(db, ct); } // someone else wrote them first
            db.ChangeTracker.Clear();
            weights.AddRange(missing);
        }
        return (settings, weights.OrderBy(w => w.Input).ToList());
    }

    /// <summary>True when customers exist but none was ever scored (a database from before scores): the worker then scores everyone.</summary>
    public async Task<bool> NeverComputedAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return !await db.CustomerScores.AnyAsync(ct) && await db.Accounts.AnyAsync(ct);
    }

    /// <summary>Recomputes the groups these customers belong to; returns the head offices whose tier changed.</summary>
    public async Task<IReadOnlyList<int>> RecomputeAsync(IReadOnlyCollection<int> accountIds, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try { return await RecomputeLockedAsync(accountIds, ct); }
        finally { _gate.Release(); }
    }

    private async Task<IReadOnlyList<int>> RecomputeLockedAsync(IReadOnlyCollection<int> accountIds, CancellationToken ct) =>
        (await RecomputeGroupsAsync(accountIds, ct)).TierChanged;

    private async Task<Stored> RecomputeGroupsAsync(IReadOnlyCollection<int> accountIds, CancellationToken ct)
    {
        if (accountIds.Count == 0) return Stored.None;
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var heads = new HashSet<int>();
        foreach (var id in accountIds)
        {
            var up = await AccountService.AncestorsOfAsync(db, id, ct);
            heads.Add(up.Count > 0 ? up[^1] : id);
        }
        var headOf = new Dictionary<int, int>();
        foreach (var head in heads)
            foreach (var member in await AccountService.WithDescendantsAsync(db, head, ct))
                headOf[member] = head;
        // A head office that is gone (deleted, merged) keeps no score.
        var live = await db.Accounts.Where(a => heads.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        await db.CustomerScores.Where(s => heads.Contains(s.AccountId) && !live.Contains(s.AccountId)).ExecuteDeleteAsync(ct);
        var stored = await ComputeAndStoreAsync(db, headOf.Where(p => live.Contains(p.Value)).ToDictionary(), ct);
        var gone = heads.Where(h => !live.Contains(h)).ToList();
        return gone.Count == 0 ? stored : stored with { Moved = [.. stored.Moved, .. gone] };
    }

    /// <summary>Recomputes every customer in batches (after the weights change), reporting (done, total) head offices.</summary>
    public async Task<int> RecomputeAllAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var all = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.ParentId }).ToListAsync(ct);
        var parent = all.ToDictionary(a => a.Id, a => a.ParentId);
        int Root(int id)
        {
            var seen = 0;
            while (parent.TryGetValue(id, out var p) && p is { } up && parent.ContainsKey(up) && seen++ < 50) id = up;
            return id;
        }
        var groups = all.GroupBy(a => Root(a.Id)).ToList();
        var done = 0;
        foreach (var chunk in groups.Chunk(Batch))
        {
            ct.ThrowIfCancellationRequested();
            var headOf = chunk.SelectMany(g => g.Select(a => (a.Id, Head: g.Key))).ToDictionary(x => x.Id, x => x.Head);
            await _gate.WaitAsync(ct);
            try { await ComputeAndStoreAsync(db, headOf, ct); }
            finally { _gate.Release(); }
            db.ChangeTracker.Clear();
            done += chunk.Length;
            progress?.Report((done, groups.Count));
        }
        return groups.Count;
    }

    /// <summary>
    /// Works off the queue the save path fills: recomputes the customers whose inputs changed, then removes exactly the rows
    /// it read (rows added meanwhile stay for the next round). Returns the head offices recomputed and those whose tier changed.
    /// </summary>
    public async Task<(IReadOnlyList<int> Recomputed, IReadOnlyList<int> TierChanged)> ProcessQueueAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try { return await ProcessQueueLockedAsync(ct); }
        finally { _gate.Release(); }
    }

    private async Task<(IReadOnlyList<int> Recomputed, IReadOnlyList<int> TierChanged)> ProcessQueueLockedAsync(CancellationToken ct)
    {
        List<ScoreDirty> rows;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            rows = await db.ScoreDirty.AsNoTracking().OrderBy(d => d.Id).Take(5_000).ToListAsync(ct);
        if (rows.Count == 0) return ([], []);
        var ids = rows.Select(r => r.AccountId).Distinct().ToList();
        var stored = await RecomputeGroupsAsync(ids, ct);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var maxId = rows[^1].Id;
            await db.ScoreDirty.Where(d => d.Id <= maxId).ExecuteDeleteAsync(ct);
        }
        // Only scores that moved are news: most saves (another call logged today) leave the score as it was, and telling
        // every open page of the customer would make each of them re-read it for nothing.
        return (stored.Moved, stored.TierChanged);
    }

    /// <summary>What a recompute stored: the head offices whose score, breakdown or tier moved, and those whose tier moved.</summary>
    private sealed record Stored(IReadOnlyList<int> Moved, IReadOnlyList<int> TierChanged)
    {
        public static readonly Stored None = new([], []);
    }

    private async Task<Stored> ComputeAndStoreAsync(CrmDbContext db, Dictionary<int, int> headOf, CancellationToken ct)
    {
        if (headOf.Count == 0) return Stored.None;
        var (settings, weights) = await SettingsAsync(db, ct);
        var today = Today;
        var ids = headOf.Keys.ToList();
        var measure = new ScoreMeasure(db, headOf, ids, today, settings);
        foreach (var source in sources) await source.MeasureAsync(measure, ct);

        var heads = headOf.Values.Distinct().ToList();
        var month = new DateOnly(today.Year, today.Month, 1);
        var existing = await db.CustomerScores.Where(s => heads.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, ct);
        var snapshots = await db.ScoreSnapshots.Where(s => s.Month == month && heads.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, ct);
        var tierChanged = new List<int>();
        var moved = new List<int>();
        var now = DateTimeOffset.UtcNow;
        var byTier = new Dictionary<AccountTier, List<int>>();
        foreach (var head in heads)
        {
            var result = ScoreRules.Compute(measure.Amounts.GetValueOrDefault(head) ?? [], weights, settings);
            var json = ScoreRules.Serialize(result.Lines);
            if (!existing.TryGetValue(head, out var score)) db.CustomerScores.Add(score = new CustomerScore { AccountId = head, ComputedTier = result.Tier });
            var before = existing.ContainsKey(head) ? score.Tier : (AccountTier?)null;
            if (before is null || score.Score != result.Score || score.Breakdown != json || score.ComputedTier != result.Tier) moved.Add(head);
            score.Score = result.Score;
            score.ComputedTier = result.Tier;
            score.Breakdown = json;
            score.ComputedAt = now;
            if (before != score.Tier) tierChanged.Add(head);
            if (!snapshots.TryGetValue(head, out var snap)) db.ScoreSnapshots.Add(snap = new ScoreSnapshot { AccountId = head, Month = month });
            snap.Score = result.Score;
            snap.Tier = score.Tier;
            snap.Breakdown = json;
            if (!byTier.TryGetValue(score.Tier, out var list)) byTier[score.Tier] = list = [];
            list.Add(head);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // The tier everyone sees (lists, search, badges) is the head office's, on it and on its branches. A bulk update keeps
        // the accounts' concurrency tokens, so nobody editing a customer is told someone else changed it.
        foreach (var (tier, group) in byTier)
        {
            var set = group.ToHashSet();
            var members = headOf.Where(p => set.Contains(p.Value)).Select(p => p.Key).ToList();
            await db.Accounts.Where(a => members.Contains(a.Id) && a.Tier != tier).ExecuteUpdateAsync(u => u.SetProperty(a => a.Tier, tier), ct);
        }
        await tx.CommitAsync(ct);
        return new Stored(moved, tierChanged);
    }
}
