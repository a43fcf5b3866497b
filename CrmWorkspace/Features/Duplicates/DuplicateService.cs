using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>Marker for the duplicates feature's localised strings.</summary>
public class DuplicatesText;

/// <summary>One record of a review group, with what the reviewer compares.</summary>
public record ReviewRecord(int Id, int AccountId, string Name, string? Detail, string? Phone, string? Extra, DateTimeOffset CreatedAt, int Children);

/// <summary>A likely-duplicate pair in the review queue.</summary>
public record ReviewPair(long Id, RecordKind Kind, int AId, int BId, double Score, IReadOnlyList<MatchReason> Reasons, string Source, DuplicateStatus Status, string? Note);

/// <summary>Records that the open pairs link together, shown and decided as one group.</summary>
public record ReviewGroup(RecordKind Kind, IReadOnlyList<ReviewRecord> Records, IReadOnlyList<ReviewPair> Pairs)
{
    public double Score => Pairs.Max(p => p.Score);
}

/// <summary>The review queue: pairs found by the scan, imports or typing; "not duplicates" decisions are remembered.</summary>
public class DuplicateService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, CrmWorkspace.Features.Security.AuditTrail audit)
{
    /// <summary>Scope of the review queue's events.</summary>
    public const string Scope = "duplicates";

    public static string ReasonsJson(IEnumerable<MatchReason> reasons) => JsonSerializer.Serialize(reasons);

    public static IReadOnlyList<MatchReason> ParseReasons(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<MatchReason>>(json) ?? [];

    /// <summary>Adds pairs not seen before; a pair already decided (dismissed, merged) keeps its decision.</summary>
    public static async Task<int> AddPairsAsync(CrmDbContext db, RecordKind kind, IEnumerable<(int A, int B, MatchResult R)> pairs, string source,
        DuplicateStatus status = DuplicateStatus.Open, string? by = null, string? note = null, CancellationToken ct = default)
    {
        var list = pairs.Select(p => p.A < p.B ? p : (p.B, p.A, p.R)).DistinctBy(p => (p.Item1, p.Item2)).ToList();
        if (list.Count == 0) return 0;
        var existing = new HashSet<(int, int)>();
        foreach (var chunk in list.Chunk(500))
        {
            var aIds = chunk.Select(p => p.Item1).Distinct().ToList();
            foreach (var e in await db.DuplicatePairs.Where(p => p.Kind == kind && aIds.Contains(p.AId)).Select(p => new { p.AId, p.BId }).ToListAsync(ct))
                existing.Add((e.AId, e.BId));
        }
        var now = DateTimeOffset.UtcNow;
        var added = 0;
        foreach (var (a, b, r) in list.Where(p => !existing.Contains((p.Item1, p.Item2))))
        {
            db.DuplicatePairs.Add(new DuplicatePair
            {
                Kind = kind, AId = a, BId = b, Score = Math.Round(r.Score, 4), Reasons = ReasonsJson(r.Reasons), Source = source, FoundAt = now, Status = status,
                DecidedBy = status == DuplicateStatus.Open ? null : by, DecidedAt = status == DuplicateStatus.Open ? null : now, Note = note,
            });
            added++;
        }
        await db.BaseSaveChangesAsync(ct);
        return added;
    }

    /// <summary>Someone went on creating a record despite the warning: the pairs are remembered with their reason (dismissed when one was given).</summary>
    public async Task RecordGoOnAsync(RecordKind kind, int newId, IReadOnlyList<DuplicateCandidate> shown, string? reason, StaffIdentity actor, CancellationToken ct = default)
    {
        if (shown.Count == 0) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hasReason = !string.IsNullOrWhiteSpace(reason);
        await AddPairsAsync(db, kind, shown.Select(c => (newId, c.Id, new MatchResult(c.Score, c.Reasons))), "typing",
            hasReason ? DuplicateStatus.Dismissed : DuplicateStatus.Open, actor.Id, hasReason ? reason!.Trim() : null, ct);
        events.Publish(new WorkspaceEvent(EventKind.DuplicatesFound, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, Scope: Scope));
    }

    public async Task<int> OpenCountAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DuplicatePairs.CountAsync(p => p.Status == DuplicateStatus.Open, ct);
    }

    /// <summary>Open pairs grouped into connected sets of records, strongest first.</summary>
    public async Task<IReadOnlyList<ReviewGroup>> GroupsAsync(RecordKind? kind = null, int take = 50, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.DuplicatePairs.AsNoTracking().Where(p => p.Status == DuplicateStatus.Open);
        if (kind is { } k) q = q.Where(p => p.Kind == k);
        var pairs = await q.OrderByDescending(p => p.Score).Take(2000).ToListAsync(ct);
        var groups = new List<ReviewGroup>();
        foreach (var byKind in pairs.GroupBy(p => p.Kind))
        {
            var parent = new Dictionary<int, int>();
            int Find(int x) { while (parent.TryGetValue(x, out var p) && p != x) x = parent[x] = parent.GetValueOrDefault(p, p); return x; }
            foreach (var p in byKind) { parent.TryAdd(p.AId, p.AId); parent.TryAdd(p.BId, p.BId); parent[Find(p.AId)] = Find(p.BId); }
            var sets = byKind.GroupBy(p => Find(p.AId)).ToList();
            var ids = byKind.SelectMany(p => new[] { p.AId, p.BId }).Distinct().ToList();
            var records = await RecordsAsync(db, byKind.Key, ids, ct);
            foreach (var set in sets)
            {
                var members = set.SelectMany(p => new[] { p.AId, p.BId }).Distinct().Where(records.ContainsKey).Select(id => records[id]).OrderBy(r => r.CreatedAt).ToList();
                if (members.Count < 2) continue;
                groups.Add(new ReviewGroup(byKind.Key, members, set.Select(p => new ReviewPair(p.Id, p.Kind, p.AId, p.BId, p.Score, ParseReasons(p.Reasons), p.Source, p.Status, p.Note)).ToList()));
            }
        }
        return groups.OrderByDescending(g => g.Score).Take(take).ToList();
    }

    private static async Task<Dictionary<int, ReviewRecord>> RecordsAsync(CrmDbContext db, RecordKind kind, List<int> ids, CancellationToken ct)
    {
        var result = new Dictionary<int, ReviewRecord>();
        foreach (var chunk in ids.Chunk(500))
        {
            if (kind == RecordKind.Account)
                foreach (var a in await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Id))
                             .Select(a => new { a.Id, a.Name, a.Province, a.City, a.Phone, a.Address, a.CreatedAt, Children = a.Contacts.Count() + db.Activities.Count(x => x.AccountId == a.Id) }).ToListAsync(ct))
                    result[a.Id] = new ReviewRecord(a.Id, a.Id, a.Name, $"{a.Province} {a.City}".Trim(), a.Phone, a.Address, a.CreatedAt, a.Children);
            else
                foreach (var c in await db.Contacts.AsNoTracking().Where(c => chunk.Contains(c.Id))
                             .Select(c => new { c.Id, c.AccountId, c.Name, Account = db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefault(),
                                 Phone = c.Phones.Select(p => p.Number).FirstOrDefault(), c.Address, c.Birthday, c.CreatedAt, Children = db.Activities.Count(x => x.ContactId == c.Id) }).ToListAsync(ct))
                    result[c.Id] = new ReviewRecord(c.Id, c.AccountId, c.Name, c.Account, c.Phone, string.Join(" · ", new[] { c.Address, c.Birthday?.ToString("yyyy-MM-dd") }.Where(x => !string.IsNullOrEmpty(x))), c.CreatedAt, c.Children);
        }
        return result;
    }

    /// <summary>"Not duplicates": remembered, so neither the scan nor imports bring the pair back.</summary>
    public async Task<bool> DismissAsync(IEnumerable<long> pairIds, string? note, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.DismissDuplicates, "duplicates")) return false;
        var ids = pairIds.ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.DuplicatePairs.Where(p => ids.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, DuplicateStatus.Dismissed)
            .SetProperty(p => p.DecidedBy, actor.Id).SetProperty(p => p.DecidedAt, DateTimeOffset.UtcNow).SetProperty(p => p.Note, string.IsNullOrWhiteSpace(note) ? null : note.Trim()), ct);
        events.Publish(new WorkspaceEvent(EventKind.DuplicatesDismissed, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, Scope: Scope));
        return true;
    }
}
