using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>Outcome of a merge or an undo.</summary>
public record MergeResult(bool Ok, long? MergeId = null, string? Error = null) : CommandResult(Ok, Error);

/// <summary>
/// Merges two accounts (or two contacts) in one transaction: chosen fields go to the survivor, every child moves to it,
/// the other record stays as a tombstone pointing to the survivor. A snapshot taken first lets undo restore exactly the state before.
/// </summary>
public class MergeService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, IStringLocalizer<DuplicatesText> L, CrmWorkspace.Features.Security.AuditTrail audit)
{
    /// <summary>Account fields the user chooses between when merging.</summary>
    public static readonly string[] AccountFields =
    [
        nameof(Account.Name), nameof(Account.ShortName), nameof(Account.Stage), nameof(Account.BusinessType), nameof(Account.ProductLines),
        nameof(Account.Province), nameof(Account.City), nameof(Account.Address), nameof(Account.Phone), nameof(Account.Website), nameof(Account.Tier),
        nameof(Account.OwnerId), nameof(Account.Status), nameof(Account.IntendsToSubscribe), nameof(Account.IntendsToExhibit), nameof(Account.IntendsToAdvertise),
    ];

    /// <summary>Contact fields the user chooses between when merging.</summary>
    public static readonly string[] ContactFields =
    [
        nameof(Contact.Name), nameof(Contact.Title), nameof(Contact.Department), nameof(Contact.Birthday), nameof(Contact.IsKeyContact),
        nameof(Contact.Address), nameof(Contact.PostalCode), nameof(Contact.Notes),
    ];

    private sealed class Snapshot
    {
        public Dictionary<string, JsonElement> Survivor { get; set; } = [];
        public Dictionary<string, JsonElement> Merged { get; set; } = [];
        public List<int> Contacts { get; set; } = [];
        public List<long> Activities { get; set; } = [];
        public List<int> Bookings { get; set; } = [];
        public List<int> Subscriptions { get; set; } = [];
        public List<int> Branches { get; set; } = [];
        public List<int> Phones { get; set; } = [];
        public List<int> Emails { get; set; } = [];
        public List<Dictionary<string, JsonElement>> TeamTouches { get; set; } = [];
        public Dictionary<long, DuplicateStatus> Pairs { get; set; } = [];
        public long? MergeActivityId { get; set; }
    }

    private static Dictionary<string, JsonElement> Values(EntityEntry e) =>
        e.CurrentValues.Properties.ToDictionary(p => p.Name, p => JsonSerializer.SerializeToElement(e.CurrentValues[p], p.ClrType));

    private static void Restore(EntityEntry e, Dictionary<string, JsonElement> values)
    {
        foreach (var p in e.CurrentValues.Properties.Where(p => !p.IsPrimaryKey()))
            if (values.TryGetValue(p.Name, out var v)) e.CurrentValues[p] = v.Deserialize(p.ClrType);
    }

    /// <summary>The mergeable fields of two records as stored (for the merge dialog's side-by-side choice); null when one is gone.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyDictionary<string, object?>>?> FieldValuesAsync(RecordKind kind, int a, int b, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        object?[] rows = kind == RecordKind.Account
            ? [await db.Accounts.FindAsync([a], ct), await db.Accounts.FindAsync([b], ct)]
            : [await db.Contacts.FindAsync([a], ct), await db.Contacts.FindAsync([b], ct)];
        if (rows.Any(r => r is null)) return null;
        var fields = kind == RecordKind.Account ? AccountFields : ContactFields;
        return new[] { (a, rows[0]!), (b, rows[1]!) }.ToDictionary(x => x.Item1,
            x => (IReadOnlyDictionary<string, object?>)fields.ToDictionary(f => f, f => db.Entry(x.Item2).Property(f).CurrentValue));
    }

    public async Task<MergeResult> MergeAccountsAsync(int survivorId, int mergedId, IReadOnlyCollection<string> fieldsFromMerged, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.MergeRecords, $"#{mergedId} → #{survivorId}")) return new MergeResult(false, Error: L["Only managers can merge records."]);
        if (survivorId == mergedId) return new MergeResult(false, Error: L["Choose two different records."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var survivor = await db.Accounts.FirstOrDefaultAsync(a => a.Id == survivorId, ct);
        var merged = await db.Accounts.FirstOrDefaultAsync(a => a.Id == mergedId, ct);
        if (survivor is null || merged is null) return new MergeResult(false, Error: L["One of these customers was deleted or merged meanwhile."]);
        if (await AccountService.AncestorsAsync(db, survivor.ParentId, ct) is var up && up.Contains(mergedId) && survivor.ParentId != mergedId)
            return new MergeResult(false, Error: L["{0} is higher up in {1}'s company tree; merge the branch levels in between first.", merged.Name, survivor.Name]);

        var snap = new Snapshot
        {
            Survivor = Values(db.Entry(survivor)), Merged = Values(db.Entry(merged)),
            Contacts = await db.Contacts.IgnoreQueryFilters().Where(c => c.AccountId == mergedId).Select(c => c.Id).ToListAsync(ct),
            Activities = await db.Activities.IgnoreQueryFilters().Where(a => a.AccountId == mergedId).Select(a => a.Id).ToListAsync(ct),
            Bookings = await db.Bookings.IgnoreQueryFilters().Where(b => b.AccountId == mergedId).Select(b => b.Id).ToListAsync(ct),
            Subscriptions = await db.Subscriptions.IgnoreQueryFilters().Where(s => s.AccountId == mergedId).Select(s => s.Id).ToListAsync(ct),
            Branches = await db.Accounts.IgnoreQueryFilters().Where(a => a.ParentId == mergedId && a.Id != survivorId).Select(a => a.Id).ToListAsync(ct),
            TeamTouches = (await db.TeamTouches.AsNoTracking().Where(t => t.AccountId == survivorId || t.AccountId == mergedId).ToListAsync(ct)).Select(t => Values(db.Entry(t))).ToList(),
            Pairs = await db.DuplicatePairs.Where(p => p.Kind == RecordKind.Account && (p.AId == mergedId || p.BId == mergedId)).ToDictionaryAsync(p => p.Id, p => p.Status, ct),
        };

        foreach (var f in fieldsFromMerged.Intersect(AccountFields))
        {
            db.Entry(survivor).Property(f).CurrentValue = db.Entry(merged).Property(f).CurrentValue;
            if (f == nameof(Account.Phone)) survivor.PhoneE164 = merged.PhoneE164;
        }
        if (survivor.ParentId == mergedId) survivor.ParentId = merged.ParentId;
        merged.IsDeleted = true;
        merged.MergedIntoId = survivorId;
        await db.SaveChangesAsync(ct);
        await db.Contacts.IgnoreQueryFilters().Where(c => snap.Contacts.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.AccountId, survivorId), ct);
        await db.Activities.IgnoreQueryFilters().Where(a => snap.Activities.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.AccountId, survivorId), ct);
        await db.Bookings.IgnoreQueryFilters().Where(b => snap.Bookings.Contains(b.Id)).ExecuteUpdateAsync(u => u.SetProperty(b => b.AccountId, survivorId), ct);
        await db.Subscriptions.IgnoreQueryFilters().Where(s => snap.Subscriptions.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.AccountId, survivorId), ct);
        await db.Accounts.IgnoreQueryFilters().Where(a => snap.Branches.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.ParentId, survivorId), ct);
        await db.DuplicatePairs.Where(p => snap.Pairs.Keys.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, DuplicateStatus.Merged)
            .SetProperty(p => p.DecidedBy, actor.Id).SetProperty(p => p.DecidedAt, DateTimeOffset.UtcNow), ct);
        await db.TeamTouches.Where(t => t.AccountId == mergedId).ExecuteDeleteAsync(ct);
        await TeamSummary.RebuildAsync(db, survivorId, ct);

        var entry = Activity.SystemEntry(survivorId, EventKind.AccountMerged.Name(), merged.Name, actor.Id, actor.TeamId, JsonSerializer.Serialize(new { mergedId, merged.Name }));
        db.Activities.Add(entry);
        await db.SaveChangesAsync(ct);
        snap.MergeActivityId = entry.Id;
        var record = new MergeRecord { Kind = RecordKind.Account, SurvivorId = survivorId, MergedId = mergedId, Snapshot = JsonSerializer.Serialize(snap), MergedAt = DateTimeOffset.UtcNow, MergedBy = actor.Id };
        db.MergeRecords.Add(record);
        audit.Add(db, actor, new CrmWorkspace.Features.Security.AuditNote(AuditKind.Merge, $"customer #{mergedId} → #{survivorId}", merged.Name));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.AccountMerged, survivorId, mergedId, merged.Name, actor, ct);
        return new MergeResult(true, record.Id);
    }

    public async Task<MergeResult> MergeContactsAsync(int survivorId, int mergedId, IReadOnlyCollection<string> fieldsFromMerged, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.MergeRecords, $"#{mergedId} → #{survivorId}")) return new MergeResult(false, Error: L["Only managers can merge records."]);
        if (survivorId == mergedId) return new MergeResult(false, Error: L["Choose two different records."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var survivor = await db.Contacts.Include(c => c.Phones).Include(c => c.Emails).FirstOrDefaultAsync(c => c.Id == survivorId, ct);
        var merged = await db.Contacts.Include(c => c.Phones).Include(c => c.Emails).FirstOrDefaultAsync(c => c.Id == mergedId, ct);
        if (survivor is null || merged is null) return new MergeResult(false, Error: L["One of these contacts was deleted or merged meanwhile."]);
        // Phones and e-mails the survivor lacks move over; those it already has stay with the tombstone (so undo is exact).
        var phones = merged.Phones.Where(p => survivor.Phones.All(s => s.E164 != p.E164)).Select(p => p.Id).ToList();
        var emails = merged.Emails.Where(e => survivor.Emails.All(s => s.Address != e.Address)).Select(e => e.Id).ToList();
        var snap = new Snapshot
        {
            Survivor = Values(db.Entry(survivor)), Merged = Values(db.Entry(merged)), Phones = phones, Emails = emails,
            Activities = await db.Activities.IgnoreQueryFilters().Where(a => a.ContactId == mergedId).Select(a => a.Id).ToListAsync(ct),
            Bookings = await db.Bookings.IgnoreQueryFilters().Where(b => b.ContactId == mergedId).Select(b => b.Id).ToListAsync(ct),
            Subscriptions = await db.Subscriptions.IgnoreQueryFilters().Where(s => s.ContactId == mergedId).Select(s => s.Id).ToListAsync(ct),
            Pairs = await db.DuplicatePairs.Where(p => p.Kind == RecordKind.Contact && (p.AId == mergedId || p.BId == mergedId)).ToDictionaryAsync(p => p.Id, p => p.Status, ct),
        };
        foreach (var f in fieldsFromMerged.Intersect(ContactFields)) db.Entry(survivor).Property(f).CurrentValue = db.Entry(merged).Property(f).CurrentValue;
        merged.IsDeleted = true;
        merged.MergedIntoId = survivorId;
        await db.SaveChangesAsync(ct);
        await db.Set<ContactPhone>().Where(p => phones.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.ContactId, survivorId), ct);
        await db.Set<ContactEmail>().Where(e => emails.Contains(e.Id)).ExecuteUpdateAsync(u => u.SetProperty(e => e.ContactId, survivorId), ct);
        await db.Activities.IgnoreQueryFilters().Where(a => snap.Activities.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.ContactId, survivorId), ct);
        await db.Bookings.IgnoreQueryFilters().Where(b => snap.Bookings.Contains(b.Id)).ExecuteUpdateAsync(u => u.SetProperty(b => b.ContactId, survivorId), ct);
        await db.Subscriptions.IgnoreQueryFilters().Where(s => snap.Subscriptions.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.ContactId, survivorId), ct);
        await db.DuplicatePairs.Where(p => snap.Pairs.Keys.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, DuplicateStatus.Merged)
            .SetProperty(p => p.DecidedBy, actor.Id).SetProperty(p => p.DecidedAt, DateTimeOffset.UtcNow), ct);
        var entry = Activity.SystemEntry(survivor.AccountId, EventKind.ContactMerged.Name(), $"{merged.Name} → {survivor.Name}", actor.Id, actor.TeamId, contactId: survivorId);
        db.Activities.Add(entry);
        await db.SaveChangesAsync(ct);
        snap.MergeActivityId = entry.Id;
        var record = new MergeRecord { Kind = RecordKind.Contact, SurvivorId = survivorId, MergedId = mergedId, Snapshot = JsonSerializer.Serialize(snap), MergedAt = DateTimeOffset.UtcNow, MergedBy = actor.Id };
        db.MergeRecords.Add(record);
        audit.Add(db, actor, new CrmWorkspace.Features.Security.AuditNote(AuditKind.Merge, $"contact #{mergedId} → #{survivorId}", merged.Name));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.ContactMerged, survivor.AccountId, merged.AccountId, merged.Name, actor, ct);
        return new MergeResult(true, record.Id);
    }

    /// <summary>Puts everything back as it was before the merge: both records field by field, their children, team summaries and review pairs.</summary>
    public async Task<MergeResult> UndoAsync(long mergeId, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.MergeRecords, $"undo merge #{mergeId}")) return new MergeResult(false, Error: L["Only managers can undo a merge."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var record = await db.MergeRecords.FirstOrDefaultAsync(m => m.Id == mergeId, ct);
        if (record is null) return new MergeResult(false, Error: L["This merge no longer exists."]);
        if (record.UndoneAt is not null) return new MergeResult(false, Error: L["This merge was already undone."]);
        var snap = JsonSerializer.Deserialize<Snapshot>(record.Snapshot)!;
        int survivorAccount, mergedAccount;
        if (record.Kind == RecordKind.Account)
        {
            var survivor = await db.Accounts.IgnoreQueryFilters().FirstAsync(a => a.Id == record.SurvivorId, ct);
            var merged = await db.Accounts.IgnoreQueryFilters().FirstAsync(a => a.Id == record.MergedId, ct);
            Restore(db.Entry(survivor), snap.Survivor);
            Restore(db.Entry(merged), snap.Merged);
            await db.BaseSaveChangesAsync(ct);
            var id = record.MergedId;
            await db.Contacts.IgnoreQueryFilters().Where(c => snap.Contacts.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.AccountId, id), ct);
            await db.Activities.IgnoreQueryFilters().Where(a => snap.Activities.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.AccountId, id), ct);
            await db.Bookings.IgnoreQueryFilters().Where(b => snap.Bookings.Contains(b.Id)).ExecuteUpdateAsync(u => u.SetProperty(b => b.AccountId, id), ct);
            await db.Subscriptions.IgnoreQueryFilters().Where(s => snap.Subscriptions.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.AccountId, id), ct);
            await db.Accounts.IgnoreQueryFilters().Where(a => snap.Branches.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.ParentId, id), ct);
            await db.TeamTouches.Where(t => t.AccountId == record.SurvivorId || t.AccountId == record.MergedId).ExecuteDeleteAsync(ct);
            foreach (var t in snap.TeamTouches)
            {
                var touch = new TeamTouch { AccountId = t[nameof(TeamTouch.AccountId)].GetInt32(), TeamId = t[nameof(TeamTouch.TeamId)].GetInt32() };
                db.TeamTouches.Add(touch);
                Restore(db.Entry(touch), t);
            }
            (survivorAccount, mergedAccount) = (record.SurvivorId, record.MergedId);
        }
        else
        {
            var survivor = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == record.SurvivorId, ct);
            var merged = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == record.MergedId, ct);
            Restore(db.Entry(survivor), snap.Survivor);
            Restore(db.Entry(merged), snap.Merged);
            await db.BaseSaveChangesAsync(ct);
            var id = record.MergedId;
            await db.Set<ContactPhone>().Where(p => snap.Phones.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.ContactId, id), ct);
            await db.Set<ContactEmail>().Where(e => snap.Emails.Contains(e.Id)).ExecuteUpdateAsync(u => u.SetProperty(e => e.ContactId, id), ct);
            await db.Activities.IgnoreQueryFilters().Where(a => snap.Activities.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.ContactId, id), ct);
            await db.Bookings.IgnoreQueryFilters().Where(b => snap.Bookings.Contains(b.Id)).ExecuteUpdateAsync(u => u.SetProperty(b => b.ContactId, id), ct);
            await db.Subscriptions.IgnoreQueryFilters().Where(s => snap.Subscriptions.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.ContactId, id), ct);
            (survivorAccount, mergedAccount) = (survivor.AccountId, merged.AccountId);
        }
        if (snap.MergeActivityId is { } aid) await db.Activities.IgnoreQueryFilters().Where(a => a.Id == aid).ExecuteDeleteAsync(ct);
        foreach (var (pairId, status) in snap.Pairs)
            await db.DuplicatePairs.Where(p => p.Id == pairId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, status).SetProperty(p => p.DecidedBy, (string?)null).SetProperty(p => p.DecidedAt, (DateTimeOffset?)null), ct);
        record.UndoneAt = DateTimeOffset.UtcNow;
        record.UndoneBy = actor.Id;
        audit.Add(db, actor, new CrmWorkspace.Features.Security.AuditNote(AuditKind.MergeUndone,
            $"{(record.Kind == RecordKind.Account ? "customer" : "contact")} #{record.MergedId} → #{record.SurvivorId}", $"merge #{record.Id}"));
        await db.BaseSaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, record.Kind == RecordKind.Account ? EventKind.AccountUnmerged : EventKind.ContactUnmerged, survivorAccount, mergedAccount, null, actor, ct);
        return new MergeResult(true, record.Id);
    }

    public async Task<IReadOnlyList<MergeRecord>> RecentAsync(int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.MergeRecords.AsNoTracking().OrderByDescending(m => m.Id).Take(take).ToListAsync(ct);
    }

    private async Task PublishAsync(CrmDbContext db, EventKind kind, int survivorAccount, int mergedAccount, string? summary, StaffIdentity actor, CancellationToken ct)
    {
        foreach (var id in new[] { survivorAccount, mergedAccount }.Distinct())
        {
            events.Publish(new WorkspaceEvent(kind, id, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, summary, id,
                await AccountService.AncestorsOfAsync(db, id, ct), DuplicateService.Scope));
        }
    }
}
