using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Customers;

/// <summary>Use cases on customer companies: list, read, create, edit (with conflict detection), delete, restore.</summary>
public class AccountService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff,
    CustomerValidation validation, IStringLocalizer<CustomersText> L, AuditTrail audit, IStringLocalizer<SecurityText> S,
    CrmWorkspace.Features.KeyCustomers.TierPins pins)
{
    public async Task<Paged<AccountRow>> ListAsync(AccountQuery q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var accounts = q.Deleted ? db.Accounts.IgnoreQueryFilters().Where(a => a.IsDeleted) : db.Accounts.AsQueryable();
        if (!string.IsNullOrWhiteSpace(q.Name))
        {
            var term = q.Name.Trim();
            var ids = await SearchIndex.AccountIdsAsync(db, term, 5_000, ct);
            accounts = accounts.Where(a => ids.Contains(a.Id));
        }
        if (!string.IsNullOrWhiteSpace(q.Province)) accounts = accounts.Where(a => a.Province == q.Province);
        if (q.Stage is { } stage) accounts = accounts.Where(a => a.Stage == stage);
        if (q.BusinessType is { } bt) accounts = accounts.Where(a => a.BusinessType == bt);
        if (q.Tier is { } tier) accounts = accounts.Where(a => a.Tier == tier);
        if (!string.IsNullOrWhiteSpace(q.OwnerId)) accounts = accounts.Where(a => a.OwnerId == q.OwnerId);

        var total = await accounts.CountAsync(ct);
        accounts = (q.SortBy, q.Descending) switch
        {
            ("Name", false) => accounts.OrderBy(a => a.Name),
            ("Name", true) => accounts.OrderByDescending(a => a.Name),
            ("Province", false) => accounts.OrderBy(a => a.Province).ThenBy(a => a.City),
            ("Province", true) => accounts.OrderByDescending(a => a.Province).ThenByDescending(a => a.City),
            ("Tier", false) => accounts.OrderBy(a => a.Tier).ThenBy(a => a.Name),
            ("Tier", true) => accounts.OrderByDescending(a => a.Tier).ThenBy(a => a.Name),
            ("UpdatedAt", false) => accounts.OrderBy(a => a.UpdatedAt),
            _ => accounts.OrderByDescending(a => a.UpdatedAt),
        };
        var rows = await accounts.Skip(q.Page * q.PageSize).Take(q.PageSize)
            .Select(a => new AccountRow(a.Id, a.Name, a.ShortName, a.Province, a.City, a.Tier, a.Status, a.OwnerId,
                a.Contacts.Count(), a.Branches.Count(), a.UpdatedAt, a.IntendsToSubscribe, a.IntendsToExhibit, a.IntendsToAdvertise,
                a.Parent != null ? a.Parent.Name : null, a.Stage, a.BusinessType))
            .AsNoTracking().ToListAsync(ct);
        return new Paged<AccountRow>(rows, total);
    }

    public async Task<IReadOnlyList<string>> ProvincesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.Where(a => a.Province != null).Select(a => a.Province!).Distinct().OrderBy(p => p).ToListAsync(ct);
    }

    public async Task<AccountDetails?> GetAsync(int id, bool includeDeleted = false, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var accounts = includeDeleted ? db.Accounts.IgnoreQueryFilters() : db.Accounts;
        // The customer, its head office's name and whether it has branches, in one statement.
        var row = await accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new
            {
                Account = a,
                ParentName = a.ParentId == null ? null : db.Accounts.Where(p => p.Id == a.ParentId).Select(p => p.Name).FirstOrDefault(),
                HasBranches = db.Accounts.Any(b => b.ParentId == a.Id),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var (account, parentName) = (row.Account, row.ParentName);
        var contacts = await db.Contacts.AsNoTracking().Include(c => c.Phones).Include(c => c.Emails)
            .Where(c => c.AccountId == id).OrderByDescending(c => c.IsKeyContact).ThenBy(c => c.Name).ToListAsync(ct);
        var branches = row.HasBranches ? await BranchTreeAsync(db, id, ct) : [];
        return new AccountDetails(account, parentName, branches, contacts,
            contacts.Count + branches.Sum(b => b.ConsolidatedContacts), branches.Sum(b => b.ConsolidatedBranches + 1));
    }

    /// <summary>The whole subtree under an account, level by level (hierarchies are shallow).</summary>
    private static async Task<IReadOnlyList<BranchNode>> BranchTreeAsync(CrmDbContext db, int rootId, CancellationToken ct)
    {
        var rows = new List<(int Id, int ParentId, string Name, string? City, int Contacts)>();
        var frontier = new List<int> { rootId };
        var seen = new HashSet<int> { rootId };
        while (frontier.Count > 0)
        {
            var level = await db.Accounts.Where(a => a.ParentId != null && frontier.Contains(a.ParentId.Value))
                .Select(a => new { a.Id, ParentId = a.ParentId!.Value, a.Name, a.City, Contacts = a.Contacts.Count() })
                .ToListAsync(ct);
            frontier = [];
            foreach (var r in level.Where(r => seen.Add(r.Id)))
            {
                rows.Add((r.Id, r.ParentId, r.Name, r.City, r.Contacts));
                frontier.Add(r.Id);
            }
        }
        IReadOnlyList<BranchNode> Build(int parent) => rows.Where(r => r.ParentId == parent).OrderBy(r => r.Name).Select(r =>
        {
            var children = Build(r.Id);
            return new BranchNode(r.Id, r.Name, r.City, r.Contacts, r.Contacts + children.Sum(c => c.ConsolidatedContacts),
                children.Sum(c => c.ConsolidatedBranches + 1), children);
        }).ToList();
        return Build(rootId);
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> FindParentsAsync(string term, int excludeId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.Accounts.Where(a => a.Id != excludeId);
        if (!string.IsNullOrWhiteSpace(term)) q = q.Where(a => a.Name.Contains(term.Trim()));
        var list = await q.OrderBy(a => a.Name.Length).ThenBy(a => a.Name).Take(20).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        return list.Select(x => (x.Id, x.Name)).ToList();
    }

    public async Task<string?> NameAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == id).Select(a => a.Name).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// A new customer from validated input, built the one way every entrance uses (the form, the CSV import): without an owner
    /// given, its territory's owner (or team pool) gets it; outside every territory it stays unassigned.
    /// </summary>
    public static Account NewAccount(AccountInput input, StaffIdentity actor, Teams.TerritoryMap territories)
    {
        var account = new Account();
        input.ApplyTo(account);
        account.PhoneE164 = PhoneNormalizer.ToE164(account.Phone);
        territories.Assign(account);
        return account;
    }

    public async Task<SaveResult> CreateAsync(AccountInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ChangeCustomers, input.Name)) return SaveResult.Refused(S["Your role may read customers but not change them."]);
        var errors = validation.Validate(input);
        if (errors.Count > 0) return SaveResult.Fail(errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (input.ParentId is { } pid && !await db.Accounts.AnyAsync(a => a.Id == pid, ct))
            return SaveResult.Fail(new Dictionary<string, string> { [nameof(input.ParentId)] = L["The parent company no longer exists."] });
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var territories = await Teams.TerritoryService.MapAsync(db, ct);
        var account = NewAccount(input, actor, territories);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        territories.AddPoolEntries(db, account.CreatedAt);
        db.Activities.Add(Activity.SystemEntry(account.Id, EventKind.AccountCreated.Name(), account.Name, actor.Id, actor.TeamId));
        if (account.ParentId is { } parent)
            db.Activities.Add(Activity.SystemEntry(parent, EventKind.BranchLinked.Name(), account.Name, actor.Id, actor.TeamId, FieldChange.Json([new("Branch", null, account.Name)])));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.AccountCreated, account.Id, actor.Id, actor.Name, actor.TeamId,
            account.CreatedAt, account.Name, account.Id, await AncestorsAsync(db, account.ParentId, ct)));
        return new SaveResult(true, account.Id, account.Version);
    }

    /// <summary>
    /// Saves the fields the user changed since <paramref name="original"/>. If someone else saved in between,
    /// nothing is written and the conflict is returned, naming who changed what.
    /// </summary>
    public async Task<SaveResult> UpdateAsync(int id, AccountInput original, AccountInput mine, Guid expectedVersion,
        StaffIdentity actor, CancellationToken ct = default) => await UpdateAsync(id, original, mine, expectedVersion, actor, null, ct);

    /// <summary>As above; a tier typed on the form is a pin of the value score's tier: a manager's, with <paramref name="tierPinReason"/>.</summary>
    public async Task<SaveResult> UpdateAsync(int id, AccountInput original, AccountInput mine, Guid expectedVersion,
        StaffIdentity actor, string? tierPinReason, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ChangeCustomers, $"customer #{id}")) return SaveResult.Refused(S["Your role may read customers but not change them."]);
        var errors = validation.Validate(mine);
        if (errors.Count > 0) return SaveResult.Fail(errors);
        var typedTier = AccountInput.Diff(original, mine).Contains(nameof(AccountInput.Tier));
        if (typedTier && await pins.RefusalAsync(id, mine.ParentId is not null, tierPinReason, actor) is { } tierRefused) return SaveResult.Fail(tierRefused);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return SaveResult.Refused(L["This customer was deleted by someone else."]);
        var myFields = AccountInput.Diff(original, mine);
        if (account.Version != expectedVersion) return SaveResult.Fail(new Dictionary<string, string>()) with
        {
            Conflict = await ConflictAsync(account, original, myFields),
        };
        if (myFields.Count == 0) return new SaveResult(true, id, account.Version);
        if (myFields.Contains(nameof(AccountInput.ParentId)) && mine.ParentId is { } newParent && await CreatesCycleAsync(db, id, newParent, ct))
            return SaveResult.Fail(new Dictionary<string, string> { [nameof(AccountInput.ParentId)] = L["A company cannot be a branch of itself or of one of its own branches."] });

        var before = AccountInput.From(account);
        mine.ApplyTo(account, myFields);
        if (myFields.Contains(nameof(AccountInput.Tier))) pins.Pin(db, account, mine.Tier, tierPinReason!, actor);
        account.PhoneE164 = PhoneNormalizer.ToE164(account.Phone);
        var changes = myFields.Select(f => new FieldChange(f, Show(before.Get(f)), Show(mine.Get(f)))).ToList();
        db.Activities.Add(Activity.SystemEntry(id, EventKind.AccountChanged.Name(), string.Join(", ", myFields), actor.Id, actor.TeamId, FieldChange.Json(changes)));
        if (myFields.Contains(nameof(AccountInput.ParentId)) && mine.ParentId is { } linkedTo)
            db.Activities.Add(Activity.SystemEntry(linkedTo, EventKind.BranchLinked.Name(), account.Name, actor.Id, actor.TeamId, FieldChange.Json([new("Branch", null, account.Name)])));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Lost a race between our read and our write: report it exactly as a version mismatch.
            await using var fresh = await dbs.CreateDbContextAsync(ct);
            var current = await fresh.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
            if (current is null) return SaveResult.Refused(L["This customer was deleted by someone else."]);
            return SaveResult.Fail(new Dictionary<string, string>()) with { Conflict = await ConflictAsync(current, original, myFields) };
        }
        var summary = string.Join(", ", changes.Select(c => $"{c.Field}: {c.Before ?? "—"} → {c.After ?? "—"}"));
        events.Publish(new WorkspaceEvent(EventKind.AccountChanged, id, actor.Id, actor.Name, actor.TeamId,
            account.UpdatedAt, summary, id, await AncestorsAsync(db, account.ParentId, ct)));
        return new SaveResult(true, id, account.Version);
    }

    /// <summary>
    /// Links <paramref name="branchId"/> as a branch of <paramref name="headId"/> (managers and administrators): sets its parent, writes
    /// the link on both timelines and runs <paramref name="alsoInTransaction"/> (the duplicates queue closes its pair) in the same
    /// transaction, then publishes the change.
    /// </summary>
    public async Task<SaveResult> LinkAsBranchAsync(int branchId, int headId, StaffIdentity actor,
        Func<CrmDbContext, CancellationToken, Task>? alsoInTransaction = null, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.LinkBranches, $"customer #{branchId} → #{headId}")) return SaveResult.Refused(L["Only managers and administrators can link a customer as a branch."]);
        if (branchId == headId) return SaveResult.Refused(L["A company cannot be a branch of itself or of one of its own branches."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var branch = await db.Accounts.FirstOrDefaultAsync(a => a.Id == branchId, ct);
        var head = await db.Accounts.FirstOrDefaultAsync(a => a.Id == headId, ct);
        if (branch is null || head is null) return SaveResult.Refused(L["Customer not found."]);
        if (await CreatesCycleAsync(db, branchId, headId, ct))
            return SaveResult.Refused(L["A company cannot be a branch of itself or of one of its own branches."]);
        var oldParent = branch.ParentId is { } op ? await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == op).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = branch.ParentId != headId;
        if (changed)
        {
            branch.ParentId = headId;
            db.Activities.Add(Activity.SystemEntry(branchId, EventKind.AccountChanged.Name(), nameof(AccountInput.ParentId), actor.Id, actor.TeamId,
                FieldChange.Json([new(nameof(AccountInput.ParentId), oldParent, head.Name)])));
            db.Activities.Add(Activity.SystemEntry(headId, EventKind.BranchLinked.Name(), branch.Name, actor.Id, actor.TeamId, FieldChange.Json([new("Branch", null, branch.Name)])));
        }
        try
        {
            await db.SaveChangesAsync(ct);
            if (alsoInTransaction is not null) await alsoInTransaction(db, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Refused(L["Someone else changed this customer meanwhile; open it again and retry."]);
        }
        if (changed)
        {
            var ancestors = await AncestorsAsync(db, headId, ct);
            events.Publish(new WorkspaceEvent(EventKind.AccountChanged, branchId, actor.Id, actor.Name, actor.TeamId, branch.UpdatedAt,
                $"ParentId: {oldParent ?? "—"} → {head.Name}", branchId, ancestors));
            events.Publish(new WorkspaceEvent(EventKind.BranchLinked, headId, actor.Id, actor.Name, actor.TeamId, branch.UpdatedAt, branch.Name, headId,
                await AncestorsAsync(db, head.ParentId, ct)));
        }
        return new SaveResult(true, branchId, branch.Version);
    }

    private static string? Show(object? v) => v switch { null => null, string s when s.Length == 0 => null, _ => v.ToString() };

    private async Task<ConflictInfo> ConflictAsync(Account current, AccountInput original, IReadOnlyList<string> myFields)
    {
        var theirs = AccountInput.From(current);
        var theirFields = AccountInput.Diff(original, theirs);
        var by = (await staff.FindAsync(current.UpdatedBy))?.Name ?? L["another user"];
        return new ConflictInfo(by, current.UpdatedAt, theirs, current.Version, theirFields, myFields,
            myFields.Intersect(theirFields).ToList());
    }

    private static async Task<bool> CreatesCycleAsync(CrmDbContext db, int id, int newParent, CancellationToken ct)
    {
        int? cursor = newParent;
        var guard = 0;
        while (cursor is { } c && guard++ < 100)
        {
            if (c == id) return true;
            cursor = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c).Select(a => a.ParentId).FirstOrDefaultAsync(ct);
        }
        return false;
    }

    /// <summary>Parent, grandparent... so a parent's open views hear about its branches.</summary>
    /// <summary>The ancestors of an account, looked up from its id (for events published by other features).</summary>
    internal static async Task<IReadOnlyList<int>> AncestorsOfAsync(CrmDbContext db, int accountId, CancellationToken ct) =>
        await AncestorsAsync(db, await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == accountId).Select(a => a.ParentId).FirstOrDefaultAsync(ct), ct);

    /// <summary>An account and all its branches, level by level (capped at 10,000).</summary>
    internal static async Task<IReadOnlyList<int>> WithDescendantsAsync(CrmDbContext db, int root, CancellationToken ct)
    {
        var all = new List<int> { root };
        var frontier = new List<int> { root };
        while (frontier.Count > 0 && all.Count < 10_000)
        {
            frontier = await db.Accounts.Where(a => a.ParentId != null && frontier.Contains(a.ParentId.Value)).Select(a => a.Id).ToListAsync(ct);
            frontier = frontier.Where(id => !all.Contains(id)).ToList();
            all.AddRange(frontier);
        }
        return all;
    }

    internal static async Task<IReadOnlyList<int>> AncestorsAsync(CrmDbContext db, int? parentId, CancellationToken ct)
    {
        var list = new List<int>();
        while (parentId is { } p && list.Count < 20 && !list.Contains(p))
        {
            list.Add(p);
            parentId = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == p).Select(a => a.ParentId).FirstOrDefaultAsync(ct);
        }
        return list;
    }

    public async Task<SaveResult> DeleteAsync(int id, StaffIdentity actor, CancellationToken ct = default) =>
        await SetDeletedAsync(id, true, actor, ct);

    public async Task<SaveResult> RestoreAsync(int id, StaffIdentity actor, CancellationToken ct = default) =>
        await SetDeletedAsync(id, false, actor, ct);

    private async Task<SaveResult> SetDeletedAsync(int id, bool deleted, StaffIdentity actor, CancellationToken ct)
    {
        if (!await audit.AllowedAsync(actor, Permission.DeleteCustomers, $"customer #{id}"))
            return SaveResult.Refused(S["Only managers and administrators delete or restore customers."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var account = await db.Accounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return SaveResult.Refused(L["Customer not found."]);
        if (account.IsDeleted == deleted) return new SaveResult(true, id, account.Version);
        account.IsDeleted = deleted;
        db.Activities.Add(Activity.SystemEntry(id, deleted ? EventKind.AccountDeleted.Name() : EventKind.AccountRestored.Name(), account.Name, actor.Id, actor.TeamId));
        audit.Add(db, actor, new AuditNote(deleted ? AuditKind.Deleted : AuditKind.Restored, $"customer #{id}", account.Name));
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(deleted ? EventKind.AccountDeleted : EventKind.AccountRestored, id, actor.Id, actor.Name,
            actor.TeamId, account.UpdatedAt, account.Name, id, await AncestorsAsync(db, account.ParentId, ct)));
        return new SaveResult(true, id, account.Version);
    }
}
