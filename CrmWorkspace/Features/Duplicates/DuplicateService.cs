using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>Marker for the duplicates feature's localised strings.</summary>
public class DuplicatesText;

/// <summary>One record of a review group, with what the reviewer compares.</summary>
public record ReviewRecord(int Id, int AccountId, string Name, string? Detail, string? Phone, string? Extra, DateTimeOffset CreatedAt, int Children);

/// <summary>A likely-duplicate pair in the review queue.</summary>
/// <remarks>For a head office and its branch, <see cref="HeadId"/> and <see cref="BranchId"/> are set: the pair is linked, never merged.</remarks>
public record ReviewPair(long Id, RecordKind Kind, int AId, int BId, double Score, IReadOnlyList<MatchReason> Reasons, string Source, DuplicateStatus Status, string? Note,
    int? HeadId = null, int? BranchId = null);

/// <summary>Records that the open pairs link together, shown and decided as one group.</summary>
public record ReviewGroup(RecordKind Kind, IReadOnlyList<ReviewRecord> Records, IReadOnlyList<ReviewPair> Pairs)
{
    public double Score => Pairs.Max(p => p.Score);
}

/// <summary>The outcome of "link as a branch".</summary>
public record LinkResult(bool Ok, string? Error = null, int? HeadId = null, int? BranchId = null) : CommandResult(Ok, Error);

/// <summary>The review queue: pairs found by the scan, imports or typing; "not duplicates" decisions are remembered.</summary>
public class DuplicateService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, AccountService accounts, IStringLocalizer<DuplicatesText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
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
    /// <param name="involving">Only the pairs of this record (of <paramref name="kind"/>).</param>
    public async Task<IReadOnlyList<ReviewGroup>> GroupsAsync(RecordKind? kind = null, int take = 50, int? involving = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.DuplicatePairs.AsNoTracking().Where(p => p.Status == DuplicateStatus.Open);
        if (kind is { } k) q = q.Where(p => p.Kind == k);
        if (involving is { } id) q = q.Where(p => p.AId == id || p.BId == id);
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
                groups.Add(new ReviewGroup(byKind.Key, members, set.Select(p => Pair(p, records)).ToList()));
            }
        }
        return groups.OrderByDescending(g => g.Score).Take(take).ToList();
    }

    /// <summary>A stored pair as the queue shows it; a head office and its branch are told as such, whatever the pair was stored with.</summary>
    private static ReviewPair Pair(DuplicatePair p, Dictionary<int, ReviewRecord> records)
    {
        var reasons = ParseReasons(p.Reasons);
        if (p.Kind != RecordKind.Account || !records.TryGetValue(p.AId, out var a) || !records.TryGetValue(p.BId, out var b))
            return new ReviewPair(p.Id, p.Kind, p.AId, p.BId, p.Score, reasons, p.Source, p.Status, p.Note);
        var branch = BranchOf(a.Name, b.Name);
        if (branch is null) return new ReviewPair(p.Id, p.Kind, p.AId, p.BId, p.Score, reasons, p.Source, p.Status, p.Note);
        // The parts that decide, named as the matcher names them now (a pair stored before the branch rule has none).
        var parts = branch.Value.Reasons;
        var shown = parts.Concat(reasons.Where(r => !parts.Any(x => x.Code == r.Code))).ToList();
        var (head, br) = branch.Value.AIsBranch ? (p.BId, p.AId) : (p.AId, p.BId);
        return new ReviewPair(p.Id, p.Kind, p.AId, p.BId, p.Score, shown, p.Source, p.Status, p.Note, head, br);
    }

    /// <summary>Whether one of two company names is a branch of the other (…有限公司 and …有限公司成都分公司), with the parts that decided.</summary>
    public static (bool AIsBranch, IReadOnlyList<MatchReason> Reasons)? BranchOf(string nameA, string nameB)
    {
        var a = CompanyNameNormalizer.Normalize(nameA);
        var b = CompanyNameNormalizer.Normalize(nameB);
        var parts = ChineseNameParts.Compare(a, b);
        if (parts.Relation != ChineseNameParts.Kinship.HeadAndBranch) return null;
        return (a.Branch is not null, parts.Reasons);
    }

    /// <summary>
    /// "Link as a branch of …": the branch of a head-office/branch pair gets the head office as its parent (through the customers
    /// feature, managers and administrators only), both timelines say so, and the pair leaves the queue, all in one transaction.
    /// </summary>
    public async Task<LinkResult> LinkAsBranchAsync(long pairId, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.LinkBranches, $"duplicate pair #{pairId}")) return new LinkResult(false, L["Only managers and administrators can link a customer as a branch."]);
        (int Head, int Branch)? link;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var pair = await db.DuplicatePairs.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pairId, ct);
            if (pair is null || pair.Status != DuplicateStatus.Open) return new LinkResult(false, L["Someone else has already decided this pair."]);
            if (pair.Kind != RecordKind.Account) return new LinkResult(false, L["Only customers can be linked as branches."]);
            var names = await db.Accounts.Where(a => a.Id == pair.AId || a.Id == pair.BId).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
            if (names.Count < 2) return new LinkResult(false, L["One of the two customers no longer exists."]);
            link = BranchOf(names[pair.AId], names[pair.BId]) is { } r ? r.AIsBranch ? (pair.BId, pair.AId) : (pair.AId, pair.BId) : null;
        }
        if (link is not { } l) return new LinkResult(false, L["Neither name is a branch of the other; merge them or mark them as not duplicates."]);
        var taken = false;
        var saved = await accounts.LinkAsBranchAsync(l.Branch, l.Head, actor, async (db, token) =>
        {
            var closed = await db.DuplicatePairs.Where(p => p.Id == pairId && p.Status == DuplicateStatus.Open).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.Status, DuplicateStatus.LinkedAsBranch).SetProperty(p => p.DecidedBy, actor.Id)
                .SetProperty(p => p.DecidedAt, DateTimeOffset.UtcNow), token);
            // Someone decided the pair meanwhile: undo the link with the rest of the transaction.
            taken = closed == 0;
            if (taken) throw new DbUpdateConcurrencyException("The pair was decided meanwhile.");
        }, ct);
        if (!saved.Ok) return new LinkResult(false, taken ? L["Someone else has already decided this pair."] : saved.Problem);
        events.Publish(new WorkspaceEvent(EventKind.BranchLinked, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{l.Branch} → {l.Head}", Scope: Scope));
        return new LinkResult(true, null, l.Head, l.Branch);
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
