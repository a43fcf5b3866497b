using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Customers;

/// <summary>Use cases on the people at a customer: add, edit (never silently over someone else's save), delete, restore.</summary>
public class ContactService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff,
    CustomerValidation validation, IStringLocalizer<CustomersText> L, AuditTrail audit, IStringLocalizer<SecurityText> S)
{
    public async Task<Contact?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Contacts.AsNoTracking().Include(c => c.Phones).Include(c => c.Emails).FirstOrDefaultAsync(c => c.Id == id, ct);
    }

    public async Task<SaveResult> AddAsync(int accountId, ContactInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ChangeCustomers, "contact")) return SaveResult.Refused(S["Your role may read customers but not change them."]);
        var errors = validation.Validate(input);
        if (errors.Count > 0) return SaveResult.Fail(errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var account = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.Id, a.ParentId }).FirstOrDefaultAsync(ct);
        if (account is null) return SaveResult.Refused(L["Customer not found."]);
        var contact = NewContact(accountId, input);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        db.Activities.Add(Activity.SystemEntry(accountId, EventKind.ContactAdded.Name(), contact.Name, actor.Id, actor.TeamId, contactId: contact.Id));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.ContactAdded, accountId, actor.Id, actor.Name, actor.TeamId,
            contact.CreatedAt, contact.Name, contact.Id, await AccountService.AncestorsAsync(db, account.ParentId, ct)));
        return new SaveResult(true, contact.Id, contact.Version);
    }

    /// <summary>Saves a contact; with a stale version it refuses and names who saved in between, unless overwrite is chosen.</summary>
    public async Task<SaveResult> UpdateAsync(int id, ContactInput input, Guid expectedVersion, bool overwrite, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ChangeCustomers, "contact")) return SaveResult.Refused(S["Your role may read customers but not change them."]);
        var errors = validation.Validate(input);
        if (errors.Count > 0) return SaveResult.Fail(errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var contact = await db.Contacts.Include(c => c.Phones).Include(c => c.Emails).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null) return SaveResult.Refused(L["This contact was deleted by someone else."]);
        if (contact.Version != expectedVersion && !overwrite)
        {
            var by = (await staff.FindAsync(contact.UpdatedBy))?.Name ?? L["another user"];
            return new SaveResult(false, id, contact.Version, Error: L["{0} saved this contact at {1:t} after you opened it. Reload to see their changes, or overwrite them with yours.", by, contact.UpdatedAt.ToLocalTime()]);
        }
        var before = ContactInput.From(contact);
        Apply(input, contact);
        db.Activities.Add(Activity.SystemEntry(contact.AccountId, EventKind.ContactChanged.Name(), contact.Name, actor.Id, actor.TeamId,
            FieldChange.Json(ContactChanges(before, input)), contact.Id));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new SaveResult(false, id, Error: L["Someone else saved this contact at the same moment. Reload and try again."]);
        }
        var accountParent = await db.Accounts.Where(a => a.Id == contact.AccountId).Select(a => a.ParentId).FirstOrDefaultAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.ContactChanged, contact.AccountId, actor.Id, actor.Name, actor.TeamId,
            contact.UpdatedAt, contact.Name, contact.Id, await AccountService.AncestorsAsync(db, accountParent, ct)));
        return new SaveResult(true, id, contact.Version);
    }

    public async Task<SaveResult> SetDeletedAsync(int id, bool deleted, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ChangeCustomers, "contact")) return SaveResult.Refused(S["Your role may read customers but not change them."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var contact = await db.Contacts.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null) return SaveResult.Refused(L["Contact not found."]);
        contact.IsDeleted = deleted;
        audit.Add(db, actor, new AuditNote(deleted ? AuditKind.Deleted : AuditKind.Restored, $"contact #{id} (customer #{contact.AccountId})", contact.Name));
        db.Activities.Add(Activity.SystemEntry(contact.AccountId, deleted ? EventKind.ContactDeleted.Name() : EventKind.ContactRestored.Name(), contact.Name, actor.Id, actor.TeamId, contactId: contact.Id));
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(deleted ? EventKind.ContactDeleted : EventKind.ContactRestored, contact.AccountId, actor.Id,
            actor.Name, actor.TeamId, contact.UpdatedAt, contact.Name, contact.Id));
        return new SaveResult(true, id, contact.Version);
    }

    /// <summary>A new contact from validated input, built the one way every entrance uses (the dialog, the CSV import).</summary>
    public static Contact NewContact(int accountId, ContactInput input)
    {
        var contact = new Contact { AccountId = accountId };
        Apply(input, contact);
        return contact;
    }

    private static void Apply(ContactInput input, Contact c)
    {
        c.Name = input.Name.Trim();
        c.Title = Clean(input.Title);
        c.Department = Clean(input.Department);
        c.Birthday = input.Birthday is { } b ? DateOnly.FromDateTime(b) : null;
        c.IsKeyContact = input.IsKeyContact;
        if (c.Address != Clean(input.Address)) c.AddressProblem = null;
        c.Address = Clean(input.Address);
        c.PostalCode = Clean(input.PostalCode);
        c.Notes = Clean(input.Notes);
        c.Phones.Clear();
        foreach (var p in input.Phones.Where(p => !string.IsNullOrWhiteSpace(p.Number)))
            c.Phones.Add(new ContactPhone { Number = p.Number!.Trim(), E164 = PhoneNormalizer.ToE164(p.Number)!, Kind = p.Kind });
        c.Emails.Clear();
        foreach (var e in input.Emails.Where(e => !string.IsNullOrWhiteSpace(e.Address)).DistinctBy(e => EmailNormalizer.Normalize(e.Address!)))
            c.Emails.Add(new ContactEmail { Address = EmailNormalizer.Normalize(e.Address!) });
    }

    private static List<FieldChange> ContactChanges(ContactInput before, ContactInput after)
    {
        static string? Phones(ContactInput c) => string.Join(", ", c.Phones.Where(p => !string.IsNullOrWhiteSpace(p.Number)).Select(p => p.Number!.Trim()));
        static string? Emails(ContactInput c) => string.Join(", ", c.Emails.Where(e => !string.IsNullOrWhiteSpace(e.Address)).Select(e => e.Address!.Trim().ToLowerInvariant()));
        var pairs = new (string Field, string? Before, string? After)[]
        {
            ("Name", before.Name, after.Name.Trim()), ("Title", before.Title, Clean(after.Title)), ("Department", before.Department, Clean(after.Department)),
            ("Phones", Phones(before), Phones(after)), ("Emails", Emails(before), Emails(after)),
            ("Birthday", before.Birthday?.ToString("yyyy-MM-dd"), after.Birthday?.ToString("yyyy-MM-dd")),
            ("IsKeyContact", before.IsKeyContact.ToString(), after.IsKeyContact.ToString()), ("Address", before.Address, Clean(after.Address)),
            ("Notes", before.Notes, Clean(after.Notes)),
        };
        return pairs.Where(p => (Clean(p.Before) ?? "") != (Clean(p.After) ?? "")).Select(p => new FieldChange(p.Field, Clean(p.Before), Clean(p.After))).ToList();
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
