using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams;

/// <summary>Marker for the localised strings of territories, hand-overs, managers' tasks and neglect alerts.</summary>
public class AssignmentText;

/// <summary>A territory as the settings page shows it.</summary>
public record TerritoryRow(int Id, string Province, string? City, int? TeamId, string? OwnerId, Guid Version);

/// <summary>The territory form: a region (a province, optionally one city) and who works new customers there.</summary>
public class TerritoryInput
{
    public string Province { get; set; } = "";
    public string? City { get; set; }
    public int? TeamId { get; set; }
    public string? OwnerId { get; set; }
}

/// <summary>The outcome of saving or removing a territory.</summary>
public record TerritoryResult(bool Ok, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, int? Id = null)
    : CommandResult(Ok, Error, Errors);

/// <summary>Who a new customer in a region goes to: its owner, or (no owner) its team's pool.</summary>
public record TerritoryMatch(int TerritoryId, int? TeamId, string? OwnerId);

/// <summary>
/// Every territory, read once for one unit of work (a customer created, a file imported): matches a region in memory, so an
/// import of thousands of rows costs one query. A city's territory beats its province's; no match leaves the customer unassigned.
/// </summary>
public sealed class TerritoryMap
{
    private readonly Dictionary<(string, string), TerritoryMatch> _byRegion;
    private readonly List<(Account Account, int TeamId)> _toPool = [];

    public TerritoryMap(IEnumerable<Territory> territories) =>
        _byRegion = territories.ToDictionary(t => (TerritoryService.Key(t.Province), TerritoryService.Key(t.City)), t => new TerritoryMatch(t.Id, t.TeamId, t.OwnerId));

    public static readonly TerritoryMap Empty = new([]);

    public int Count => _byRegion.Count;

    /// <summary>The territory of a region: the city's if it has one, else the province's, else none.</summary>
    public TerritoryMatch? Match(string? province, string? city)
    {
        var p = TerritoryService.Key(province);
        if (p.Length == 0) return null;
        var c = TerritoryService.Key(city);
        if (c.Length > 0 && _byRegion.TryGetValue((p, c), out var byCity)) return byCity;
        return _byRegion.GetValueOrDefault((p, ""));
    }

    /// <summary>
    /// Gives a new customer without an owner its territory's owner; a territory with only a team puts it into that team's pool once
    /// it is saved (<see cref="AddPoolEntries"/>). A customer with an owner keeps it.
    /// </summary>
    public void Assign(Account account)
    {
        if (account.OwnerId is not null) return;
        if (Match(account.Province, account.City) is not { } m) return;
        if (m.OwnerId is not null) account.OwnerId = m.OwnerId;
        else if (m.TeamId is { } team) _toPool.Add((account, team));
    }

    /// <summary>Adds the pool rows of the customers assigned to a team without an owner (after the save that gave them ids).</summary>
    public void AddPoolEntries(CrmDbContext db, DateTimeOffset now)
    {
        db.PoolEntries.AddRange(_toPool.Where(p => p.Account.Id > 0).Select(p => new PoolEntry { AccountId = p.Account.Id, TeamId = p.TeamId, PooledAt = now }));
        _toPool.Clear();
    }
}

/// <summary>
/// Territories (销售区域): managers map provinces and cities to a team and an owner on the settings page; every new customer
/// without an owner (the form, the CSV import) gets the owner of its territory through <see cref="TerritoryMap"/>.
/// </summary>
public class TerritoryService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, IStringLocalizer<AssignmentText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    public const string Scope = "territories";
    public const int MaxRegion = 40;

    /// <summary>The comparable form of a region name: trimmed, without the administrative suffix (四川省 = 四川, 成都市 = 成都).</summary>
    public static string Key(string? region)
    {
        var s = (region ?? "").Trim();
        foreach (var suffix in new[] { "省", "市" })
            if (s.Length > suffix.Length + 1 && s.EndsWith(suffix, StringComparison.Ordinal)) return s[..^suffix.Length];
        return s;
    }

    public async Task<IReadOnlyList<TerritoryRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Territories.AsNoTracking().OrderBy(t => t.Province).ThenBy(t => t.City)
            .Select(t => new TerritoryRow(t.Id, t.Province, t.City, t.TeamId, t.OwnerId, t.Version)).ToListAsync(ct);
    }

    /// <summary>Every territory, for one unit of work that creates customers.</summary>
    public static async Task<TerritoryMap> MapAsync(CrmDbContext db, CancellationToken ct = default) =>
        new(await db.Territories.AsNoTracking().ToListAsync(ct));

    /// <summary>The territory a region falls into now (the customer form shows who would get a new customer).</summary>
    public async Task<TerritoryMatch?> MatchAsync(string? province, string? city, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await MapAsync(db, ct)).Match(province, city);
    }

    /// <summary>The same rules for the form and the service: a province, at most <see cref="MaxRegion"/> characters each, a team or an owner.</summary>
    public Dictionary<string, string> Validate(TerritoryInput input)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Province)) errors[nameof(input.Province)] = L["Name the province."];
        else if (input.Province.Trim().Length > MaxRegion) errors[nameof(input.Province)] = L["At most {0} characters.", MaxRegion];
        if (input.City?.Trim().Length > MaxRegion) errors[nameof(input.City)] = L["At most {0} characters.", MaxRegion];
        if (input.TeamId is null && string.IsNullOrEmpty(input.OwnerId)) errors[nameof(input.OwnerId)] = L["Choose a team, an owner, or both."];
        return errors;
    }

    /// <summary>Adds a territory (<paramref name="id"/> null) or changes one, refusing a stale <paramref name="expected"/> version.</summary>
    public async Task<TerritoryResult> SaveAsync(int? id, TerritoryInput input, Guid? expected, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ManageTerritories, $"territory {input.Province} {input.City}"))
            return new TerritoryResult(false, L["Only managers set territories."]);
        var errors = Validate(input);
        if (errors.Count > 0) return new TerritoryResult(false, Errors: errors);
        var province = input.Province.Trim();
        var city = string.IsNullOrWhiteSpace(input.City) ? null : input.City.Trim();
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var owner = input.OwnerId is null ? null : await db.Users.Where(u => u.Id == input.OwnerId).Select(u => new { u.DisplayName, u.TeamId }).FirstOrDefaultAsync(ct);
        if (input.OwnerId is not null && owner is null) return new TerritoryResult(false, Errors: new Dictionary<string, string> { [nameof(input.OwnerId)] = L["This person no longer exists."] });
        // The owner works in the territory's team: without a team given, it is the owner's.
        var team = input.TeamId ?? owner?.TeamId;
        if (owner is not null && input.TeamId is { } t && owner.TeamId != t)
            return new TerritoryResult(false, Errors: new Dictionary<string, string> { [nameof(input.OwnerId)] = L["{0} is not in this team.", owner.DisplayName] });
        // One territory per region, compared as people write them (四川省 is 四川).
        var (pk, ck) = (Key(province), Key(city));
        var same = (await db.Territories.AsNoTracking().Where(x => x.Id != (id ?? 0)).Select(x => new { x.Province, x.City }).ToListAsync(ct))
            .Any(x => Key(x.Province) == pk && Key(x.City) == ck);
        if (same) return new TerritoryResult(false, Errors: new Dictionary<string, string> { [nameof(input.City)] = L["{0} already has a territory.", city is null ? province : $"{province} {city}"] });
        Territory row;
        if (id is { } existing)
        {
            row = await db.Territories.FirstOrDefaultAsync(x => x.Id == existing, ct) ?? null!;
            if (row is null) return new TerritoryResult(false, L["This territory was removed meanwhile."]);
            if (expected is { } v && row.Version != v) return new TerritoryResult(false, L["Someone changed this territory meanwhile; the list shows it now. Make your change again."]);
        }
        else db.Territories.Add(row = new Territory());
        row.Province = province;
        row.City = city;
        row.TeamId = team;
        row.OwnerId = input.OwnerId;
        row.UpdatedAt = DateTimeOffset.UtcNow;
        row.UpdatedBy = actor.Id;
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException) { return new TerritoryResult(false, L["Someone changed this territory meanwhile; the list shows it now. Make your change again."]); }
        events.Publish(new WorkspaceEvent(EventKind.TerritoriesChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{province} {city}".Trim(), row.Id, Scope: Scope));
        return new TerritoryResult(true, Id: row.Id);
    }

    public async Task<TerritoryResult> RemoveAsync(int id, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ManageTerritories, $"territory #{id}")) return new TerritoryResult(false, L["Only managers set territories."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (await db.Territories.Where(t => t.Id == id).ExecuteDeleteAsync(ct) == 0) return new TerritoryResult(false, L["This territory was removed meanwhile."]);
        events.Publish(new WorkspaceEvent(EventKind.TerritoriesChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, null, id, Scope: Scope));
        return new TerritoryResult(true, Id: id);
    }
}
