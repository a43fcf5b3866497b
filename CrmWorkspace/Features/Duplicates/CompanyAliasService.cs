using CrmWorkspace.Data;
using CrmWorkspace.Data.Configurations;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>A known short name as the administrator's page lists it.</summary>
public record AliasRow(int Id, string Alias, string FullName, Guid Version, DateTimeOffset UpdatedAt, string? UpdatedBy);

/// <summary>What the administrator typed.</summary>
public class AliasInput
{
    public string? Alias { get; set; }
    public string? FullName { get; set; }
}

/// <summary>The outcome of adding, editing or removing a short name.</summary>
public record AliasResult(bool Ok, int? Id = null, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null) : CommandResult(Ok, Error, Errors)
{
    public static AliasResult Refused(string message) => new(false, Error: message);
    public static AliasResult Fail(IReadOnlyDictionary<string, string> errors) => new(false, Errors: errors);
}

/// <summary>
/// The table of known short names (中粮 for 中国粮油食品（集团）有限公司) the matcher reads: seeded from the shipped list on first start,
/// edited by administrators. Every change is pushed at once to the matcher in memory (<see cref="CompanyAliases"/>) and published
/// on the live path, where <see cref="CompanyAliasSync"/> reloads it, so typing, imports and the scan use it without a restart.
/// </summary>
public class CompanyAliasService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, IStringLocalizer<DuplicatesText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    /// <summary>Scope of the alias table's events.</summary>
    public const string Scope = "company-aliases";
    private static readonly SemaphoreSlim Writes = new(1, 1);

    public async Task<IReadOnlyList<AliasRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.CompanyAliases.AsNoTracking().Select(a => new AliasRow(a.Id, a.Alias, a.FullName, a.Version, a.UpdatedAt, a.UpdatedBy)).ToListAsync(ct);
        return rows.OrderBy(r => r.Alias, StringComparer.Ordinal).ToList();
    }

    /// <summary>The comparable key of a short name: the core the matcher compares.</summary>
    public static string KeyOf(string alias) => CompanyNameNormalizer.Normalize(alias, useAliases: false).Core;

    /// <summary>Field errors, in the person's language; the same limits as the page's fields.</summary>
    public Dictionary<string, string> Validate(AliasInput input)
    {
        var errors = new Dictionary<string, string>();
        var alias = input.Alias?.Trim() ?? "";
        var full = input.FullName?.Trim() ?? "";
        if (alias.Length == 0) errors[nameof(AliasInput.Alias)] = L["The short name is required."];
        else if (alias.Length > CompanyAliasConfiguration.AliasMax) errors[nameof(AliasInput.Alias)] = L["The short name is too long ({0} characters at most).", CompanyAliasConfiguration.AliasMax];
        else if (KeyOf(alias).Length < 2) errors[nameof(AliasInput.Alias)] = L["The short name needs at least two letters or characters besides legal forms and places."];
        if (full.Length == 0) errors[nameof(AliasInput.FullName)] = L["The full name is required."];
        else if (full.Length > CompanyAliasConfiguration.FullNameMax) errors[nameof(AliasInput.FullName)] = L["The full name is too long ({0} characters at most).", CompanyAliasConfiguration.FullNameMax];
        if (errors.Count == 0 && KeyOf(alias) == CompanyNameNormalizer.Normalize(full, useAliases: false).Core)
            errors[nameof(AliasInput.Alias)] = L["The short name and the full name are the same name; nothing to add."];
        return errors;
    }

    public Task<AliasResult> AddAsync(AliasInput input, StaffIdentity actor, CancellationToken ct = default) => SaveAsync(null, input, null, actor, ct);

    public Task<AliasResult> UpdateAsync(int id, AliasInput input, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default) =>
        SaveAsync(id, input, expectedVersion, actor, ct);

    private async Task<AliasResult> SaveAsync(int? id, AliasInput input, Guid? expectedVersion, StaffIdentity actor, CancellationToken ct)
    {
        if (!await audit.AllowedAsync(actor, Permission.ManageCompanyAliases, input.Alias?.Trim() ?? "short name")) return AliasResult.Refused(L["Only administrators can change the known short names."]);
        var errors = Validate(input);
        if (errors.Count > 0) return AliasResult.Fail(errors);
        var alias = input.Alias!.Trim();
        var full = input.FullName!.Trim();
        var key = KeyOf(alias);
        await Writes.WaitAsync(ct);
        try
        {
            await using var db = await dbs.BeginAsync(actor.Id, ct);
            var sameKey = await db.CompanyAliases.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Key == key, ct);
            if (sameKey is { IsDeleted: false } && sameKey.Id != id)
                return AliasResult.Fail(new Dictionary<string, string> { [nameof(AliasInput.Alias)] = L["The short name {0} is already in the list (for {1}).", sameKey.Alias, sameKey.FullName] });
            CompanyAlias row;
            if (id is { } existing)
            {
                var found = await db.CompanyAliases.FirstOrDefaultAsync(a => a.Id == existing, ct);
                if (found is null) return AliasResult.Refused(L["This short name was removed by someone else."]);
                if (found.Version != expectedVersion) return AliasResult.Refused(L["Someone else changed this short name meanwhile; it now reads {0} = {1}. Your change was not saved.", found.Alias, found.FullName]);
                // A removed row holding the new key gives way (its history is the edited row's now).
                if (sameKey is { IsDeleted: true }) db.CompanyAliases.Remove(sameKey);
                row = found;
            }
            else if (sameKey is { IsDeleted: true })
            {
                row = sameKey;
                row.IsDeleted = false;
            }
            else
            {
                row = new CompanyAlias();
                db.CompanyAliases.Add(row);
            }
            row.Alias = alias;
            row.Key = key;
            row.FullName = full;
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateConcurrencyException) { return AliasResult.Refused(L["Someone else changed this short name meanwhile. Your change was not saved."]); }
            catch (DbUpdateException) { return AliasResult.Fail(new Dictionary<string, string> { [nameof(AliasInput.Alias)] = L["The short name {0} is already in the list.", alias] }); }
            await ApplyAsync(db, ct);
            Publish(actor, $"{alias} = {full}");
            return new AliasResult(true, row.Id);
        }
        finally { Writes.Release(); }
    }

    public async Task<AliasResult> RemoveAsync(int id, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ManageCompanyAliases, $"short name #{id}")) return AliasResult.Refused(L["Only administrators can change the known short names."]);
        await Writes.WaitAsync(ct);
        try
        {
            await using var db = await dbs.BeginAsync(actor.Id, ct);
            var row = await db.CompanyAliases.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (row is null) return new AliasResult(true, id); // already gone: what was asked holds
            row.IsDeleted = true;
            await db.SaveChangesAsync(ct);
            await ApplyAsync(db, ct);
            Publish(actor, row.Alias);
            return new AliasResult(true, id);
        }
        finally { Writes.Release(); }
    }

    private void Publish(StaffIdentity actor, string summary) =>
        events.Publish(new WorkspaceEvent(EventKind.CompanyAliasesChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, summary, Scope: Scope));

    /// <summary>Loads the table in force into the matcher.</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await ApplyAsync(db, ct);
    }

    private static async Task ApplyAsync(CrmDbContext db, CancellationToken ct)
    {
        var rows = await db.CompanyAliases.AsNoTracking().Select(a => new { a.Alias, a.FullName }).ToListAsync(ct);
        CompanyAliases.Replace(rows.Select(r => (r.Alias, r.FullName)));
    }

    /// <summary>
    /// Adds the shipped short names the table has never held (a removed one stays removed; one shipped in a later version arrives), then loads it.
    /// </summary>
    public async Task SeedAndLoadAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var known = (await db.CompanyAliases.IgnoreQueryFilters().Select(a => a.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var (alias, full) in CompanyAliases.ShippedPairs)
        {
            var key = KeyOf(alias);
            if (key.Length == 0 || !known.Add(key)) continue;
            db.CompanyAliases.Add(new CompanyAlias { Alias = alias, Key = key, FullName = full });
        }
        await db.SaveChangesAsync(ct);
        await ApplyAsync(db, ct);
    }
}

/// <summary>Seeds and loads the alias table at start, and reloads it whenever it changes (on the live path).</summary>
public sealed class CompanyAliasSync(IServiceScopeFactory scopes, IWorkspaceEvents events, ILogger<CompanyAliasSync> log) : IHostedService
{
    private IDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using (var scope = scopes.CreateScope())
            await scope.ServiceProvider.GetRequiredService<CompanyAliasService>().SeedAndLoadAsync(cancellationToken);
        _subscription = events.Subscribe(Topic.Scope(CompanyAliasService.Scope), async e =>
        {
            if (e.Kind != EventKind.CompanyAliasesChanged) return;
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<CompanyAliasService>().ReloadAsync();
            }
            catch (Exception ex) { log.LogError(ex, "Reloading the known short names failed"); }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
