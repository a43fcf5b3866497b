using CrmWorkspace.Data;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>
/// Computes and stores value scores: for given customers (their whole group: head office and branches) or for everyone. Writes
/// the score, this month's snapshot and the tier shown everywhere (Account.Tier of the head office and its branches).
/// </summary>
public sealed class ScoreKeeper(IDbContextFactory<CrmDbContext> dbs, IEnumerable<IScoreInputSource> sources, TimeProvider clock)
{
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

    /// <summary>
    /// Recomputes the groups of these customers and stores what moved in one write transaction, which also drops the scores that no
    /// longer belong to a head office and, from the queue, the rows <paramref name="queued"/> it was asked for by: one turn at the write
    /// lock per recompute (it was four: two deletes that nearly always matched nothing still took SQLite's lock, and saves waited
    /// behind them), and a short one when nothing moved (the queue's delete alone).
    /// </summary>
    private async Task<Stored> RecomputeGroupsAsync(IReadOnlyCollection<int> accountIds, CancellationToken ct, IReadOnlyCollection<long>? queued = null)
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
        // Nor does a former head office that became a branch: scores exist for head offices only (the key-customer list counts on it).
        var ids = accountIds.ToList();
        IQueryable<CustomerScore> Stale() => db.CustomerScores.Where(s => (heads.Contains(s.AccountId) && !live.Contains(s.AccountId))
            || (ids.Contains(s.AccountId) && !heads.Contains(s.AccountId)));
        // Read first: a delete that matches nothing (nearly every time) is not sent at all.
        var anyStale = await Stale().AnyAsync(ct);
        var stored = await ComputeAndStoreAsync(db, headOf.Where(p => live.Contains(p.Value)).ToDictionary(), ct, !anyStale && queued is null ? null : async () =>
        {
            if (anyStale) await Stale().ExecuteDeleteAsync(ct);
            // Exactly the rows read: on PostgreSQL a row with a lower id can commit after the read, and "up to the last id" would drop it unscored.
            if (queued is not null) await db.ScoreDirty.Where(d => queued.Contains(d.Id)).ExecuteDeleteAsync(ct);
        });
        var gone = heads.Where(h => !live.Contains(h)).ToList();
        return gone.Count == 0 ? stored : stored with { Moved = [.. stored.Moved, .. gone] };
    }

    /// <summary>
    /// Recomputes every customer (after the weights change), reporting (done, total) head offices. Each source is read once for
    /// everyone (grouped, set-based queries), the scores are computed in memory and written in batches of prepared upserts, one
    /// transaction per batch; a score or snapshot that did not move is left as it was (ComputedAt is
    /// when it last changed). A customer the queue recomputed while this ran keeps that fresher reading.
    /// </summary>
    public async Task<int> RecomputeAllAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        _freshDuringFull = [];
        _gate.Release();
        try
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
            var headOf = all.ToDictionary(a => a.Id, a => Root(a.Id));
            var membersOf = headOf.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
            var heads = membersOf.Keys.Order().ToList();
            progress?.Report((0, heads.Count));
            var (settings, weights) = await SettingsAsync(db, ct);
            var measure = new ScoreMeasure(db, headOf, null, Today, settings);
            foreach (var source in sources) await source.MeasureAsync(measure, ct);
            var done = 0;
            foreach (var chunk in heads.Chunk(FullBatch))
            {
                ct.ThrowIfCancellationRequested();
                await _gate.WaitAsync(ct);
                try { await WriteAllBatchAsync(db, chunk, membersOf, measure, weights, settings, ct); }
                finally { _gate.Release(); }
                done += chunk.Length;
                progress?.Report((done, heads.Count));
            }
            // Scores of accounts that are no longer head offices (a branch now, or gone) are removed: the list counts scores alone.
            var stale = (await db.CustomerScores.AsNoTracking().Select(s => s.AccountId).ToListAsync(ct)).Where(id => !membersOf.ContainsKey(id)).ToList();
            foreach (var part in stale.Chunk(FullBatch))
            {
                await _gate.WaitAsync(ct);
                try { await db.CustomerScores.Where(s => part.Contains(s.AccountId) && !db.Accounts.Any(a => a.Id == s.AccountId && a.ParentId == null)).ExecuteDeleteAsync(ct); }
                finally { _gate.Release(); }
            }
            return heads.Count;
        }
        finally
        {
            await _gate.WaitAsync(CancellationToken.None);
            _freshDuringFull = null;
            _gate.Release();
        }
    }

    /// <summary>Head offices per write batch of a full recompute (one transaction each; the gate is free between batches).</summary>
    private const int FullBatch = 5_000;
    // Head offices the queue recomputed while a full recompute runs (null when none runs); read and written under the gate only.
    private HashSet<int>? _freshDuringFull;

    private async Task WriteAllBatchAsync(CrmDbContext db, int[] chunk, Dictionary<int, List<int>> membersOf, ScoreMeasure measure,
        List<ScoreWeight> weights, ScoreSettings settings, CancellationToken ct)
    {
        var fresh = _freshDuringFull ?? [];
        var (lo, hi) = (chunk[0], chunk[^1]);
        // Pinned tiers of this id range (a pin is rare; the primary key's range is read, not every score).
        var pinned = await db.CustomerScores.AsNoTracking().Where(s => s.AccountId >= lo && s.AccountId <= hi && s.PinnedTier != null)
            .Select(s => new { s.AccountId, s.PinnedTier }).ToDictionaryAsync(s => s.AccountId, s => s.PinnedTier!.Value, ct);
        var today = Today;
        var month = new DateOnly(today.Year, today.Month, 1);
        var now = DateTimeOffset.UtcNow;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var scoreType = db.Model.FindEntityType(typeof(CustomerScore))!;
        var snapType = db.Model.FindEntityType(typeof(ScoreSnapshot))!;
        // Parameters made by the model's own type mappings, so each value is stored exactly as EF stores it on either provider.
        Upsert Command(string sql, params (string Name, IEntityType Type, string Property)[] ps)
        {
            var cmd = connection.CreateCommand();
            cmd.Transaction = tx.GetDbTransaction();
            cmd.CommandText = sql;
            var mappings = ps.Select(p => p.Type.FindProperty(p.Property)!.GetRelationalTypeMapping()).ToArray();
            for (var i = 0; i < ps.Length; i++) cmd.Parameters.Add(mappings[i].CreateParameter(cmd, ps[i].Name, null, nullable: true));
            return new Upsert(cmd, mappings.Select(m => m.Converter).ToArray());
        }
        await using var upsertScore = Command("""
            INSERT INTO "CustomerScores" ("AccountId", "Score", "ComputedTier", "Tier", "Breakdown", "ComputedAt") VALUES (@a, @s, @c, @t, @b, @at)
            ON CONFLICT ("AccountId") DO UPDATE SET "Score" = excluded."Score", "ComputedTier" = excluded."ComputedTier",
              "Tier" = COALESCE("CustomerScores"."PinnedTier", excluded."ComputedTier"), "Breakdown" = excluded."Breakdown", "ComputedAt" = excluded."ComputedAt"
            WHERE "CustomerScores"."Score" <> excluded."Score" OR "CustomerScores"."ComputedTier" <> excluded."ComputedTier" OR "CustomerScores"."Breakdown" <> excluded."Breakdown"
            """, ("@a", scoreType, nameof(CustomerScore.AccountId)), ("@s", scoreType, nameof(CustomerScore.Score)), ("@c", scoreType, nameof(CustomerScore.ComputedTier)),
            ("@t", scoreType, nameof(CustomerScore.Tier)), ("@b", scoreType, nameof(CustomerScore.Breakdown)), ("@at", scoreType, nameof(CustomerScore.ComputedAt)));
        await using var upsertSnapshot = Command("""
            INSERT INTO "ScoreSnapshots" ("AccountId", "Month", "Score", "Tier", "Breakdown") VALUES (@a, @m, @s, @t, @b)
            ON CONFLICT ("AccountId", "Month") DO UPDATE SET "Score" = excluded."Score", "Tier" = excluded."Tier", "Breakdown" = excluded."Breakdown"
            WHERE "ScoreSnapshots"."Score" <> excluded."Score" OR "ScoreSnapshots"."Tier" <> excluded."Tier" OR "ScoreSnapshots"."Breakdown" <> excluded."Breakdown"
            """, ("@a", snapType, nameof(ScoreSnapshot.AccountId)), ("@m", snapType, nameof(ScoreSnapshot.Month)), ("@s", snapType, nameof(ScoreSnapshot.Score)),
            ("@t", snapType, nameof(ScoreSnapshot.Tier)), ("@b", snapType, nameof(ScoreSnapshot.Breakdown)));
        await upsertScore.Command.PrepareAsync(ct);
        await upsertSnapshot.Command.PrepareAsync(ct);
        var byTier = new Dictionary<AccountTier, List<int>>();
        foreach (var head in chunk)
        {
            if (fresh.Contains(head)) continue;
            var result = ScoreRules.Compute(measure.Amounts.GetValueOrDefault(head) ?? [], weights, settings);
            var json = ScoreRules.Serialize(result.Lines);
            var tier = pinned.TryGetValue(head, out var pin) ? pin : result.Tier;
            await upsertScore.RunAsync(ct, head, result.Score, result.Tier, tier, json, now);
            await upsertSnapshot.RunAsync(ct, head, month, result.Score, tier, json);
            if (!byTier.TryGetValue(tier, out var list)) byTier[tier] = list = [];
            list.AddRange(membersOf[head]);
        }
        // The tier everyone sees, on the head offices and their branches; only rows whose tier moved are written.
        foreach (var (tier, members) in byTier)
            await ShowTierAsync(db, tier, members, ct);
        await tx.CommitAsync(ct);
    }

    // The tier everyone sees (lists, search, badges), on these accounts: only rows whose tier moved are written, and a bulk update
    // keeps the accounts' concurrency tokens, so nobody editing a customer is told someone else changed it.
    private static Task ShowTierAsync(CrmDbContext db, AccountTier tier, List<int> members, CancellationToken ct) =>
        db.Accounts.Where(a => members.Contains(a.Id) && a.Tier != tier).ExecuteUpdateAsync(u => u.SetProperty(a => a.Tier, tier), ct);

    /// <summary>A prepared statement and the converters of its parameters (enums to numbers, instants as the provider stores them).</summary>
    private sealed record Upsert(System.Data.Common.DbCommand Command, ValueConverter?[] Converters) : IAsyncDisposable
    {
        public async Task RunAsync(CancellationToken ct, params object[] values)
        {
            for (var i = 0; i < values.Length; i++) Command.Parameters[i].Value = Converters[i] is { } c ? c.ConvertToProvider(values[i]) : values[i];
            await Command.ExecuteNonQueryAsync(ct);
        }

        public ValueTask DisposeAsync() => Command.DisposeAsync();
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
        // The rows it read leave the queue in the transaction that stores their scores (rows added meanwhile stay).
        var stored = await RecomputeGroupsAsync(ids, ct, queued: rows.Select(r => r.Id).ToList());
        // Only scores that moved are news: most saves (another call logged today) leave the score as it was, and telling
        // every open page of the customer would make each of them re-read it for nothing.
        return (stored.Moved, stored.TierChanged);
    }

    /// <summary>What a recompute stored: the head offices whose score, breakdown or tier moved, and those whose tier moved.</summary>
    private sealed record Stored(IReadOnlyList<int> Moved, IReadOnlyList<int> TierChanged)
    {
        public static readonly Stored None = new([], []);
    }

    /// <summary>Stores the scores of these groups in one transaction, with <paramref name="alsoInTransaction"/> (none: nothing else to write).</summary>
    private async Task<Stored> ComputeAndStoreAsync(CrmDbContext db, Dictionary<int, int> headOf, CancellationToken ct, Func<Task>? alsoInTransaction)
    {
        if (headOf.Count == 0)
        {
            // Nothing to score: the other writes alone, and no transaction at all when there are none.
            await WriteAsync(db, [], alsoInTransaction, ct);
            return Stored.None;
        }
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
            // A score that did not move is not written at all (most saves leave it as it was): ComputedAt is when it last changed.
            // Rewriting it after every save held SQLite's write lock while people's saves waited.
            if (before is null || score.Score != result.Score || score.Breakdown != json || score.ComputedTier != result.Tier)
            {
                moved.Add(head);
                score.Score = result.Score;
                score.ComputedTier = result.Tier;
                score.Breakdown = json;
                score.ComputedAt = now;
            }
            if (before != score.Tier) tierChanged.Add(head);
            // Unchanged values leave the tracked snapshot unmodified, so EF writes nothing for it.
            if (!snapshots.TryGetValue(head, out var snap)) db.ScoreSnapshots.Add(snap = new ScoreSnapshot { AccountId = head, Month = month });
            snap.Score = result.Score;
            snap.Tier = score.Tier;
            snap.Breakdown = json;
            if (!byTier.TryGetValue(score.Tier, out var list)) byTier[score.Tier] = list = [];
            list.Add(head);
        }
        // The tier everyone sees (lists, search, badges) is the head office's, on it and on its branches. Read first: an update
        // that matches nothing (nearly every time) is not sent, since it would still take SQLite's write lock.
        var showTiers = new List<(AccountTier Tier, List<int> Members)>();
        foreach (var (tier, group) in byTier)
        {
            var set = group.ToHashSet();
            var members = headOf.Where(p => set.Contains(p.Value)).Select(p => p.Key).ToList();
            if (await db.Accounts.AnyAsync(a => members.Contains(a.Id) && a.Tier != tier, ct)) showTiers.Add((tier, members));
        }
        await WriteAsync(db, showTiers, alsoInTransaction, ct);
        _freshDuringFull?.UnionWith(heads);
        return new Stored(moved, tierChanged);
    }

    /// <summary>
    /// The tracked changes, the tiers to show and <paramref name="alsoInTransaction"/> in one write transaction; none at all when there
    /// is nothing to write (an empty transaction still takes SQLite's write lock).
    /// </summary>
    private static async Task WriteAsync(CrmDbContext db, List<(AccountTier Tier, List<int> Members)> showTiers, Func<Task>? alsoInTransaction, CancellationToken ct)
    {
        if (showTiers.Count == 0 && alsoInTransaction is null && !db.ChangeTracker.HasChanges()) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // A bulk update keeps the accounts' concurrency tokens, so nobody editing a customer is told someone else changed it.
        foreach (var (tier, members) in showTiers) await ShowTierAsync(db, tier, members, ct);
        if (alsoInTransaction is not null) await alsoInTransaction();
        await tx.CommitAsync(ct);
    }
}
