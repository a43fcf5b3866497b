using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Staff;

/// <summary>A staff member as shown in lists: who, which team.</summary>
public record StaffMember(string Id, string Name, string Email, int? TeamId, string? TeamName, string? TeamNameZh, string? TeamColor);

/// <summary>
/// Cached list of staff and teams (small, read everywhere); refreshed when the admin changes someone, on every server
/// (the "staff" signal of <see cref="Live.ClusterSignals"/>).
/// </summary>
public class StaffDirectory
{
    private const string Signal = "staff";
    private readonly IDbContextFactory<CrmDbContext> dbs;
    private readonly Live.ClusterSignals signals;

    public StaffDirectory(IDbContextFactory<CrmDbContext> dbs, Live.ClusterSignals signals)
    {
        this.dbs = dbs;
        this.signals = signals;
        signals.On(Signal, _ => { _staff = null; _teams = null; });
    }

    private IReadOnlyList<StaffMember>? _staff;
    private IReadOnlyList<Team>? _teams;

    public async Task<IReadOnlyList<StaffMember>> StaffAsync()
    {
        if (_staff is { } s) return s;
        await using var db = await dbs.CreateDbContextAsync();
        _staff = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName)
            .Select(u => new StaffMember(u.Id, u.DisplayName, u.Email ?? "", u.TeamId,
                u.Team != null ? u.Team.Name : null, u.Team != null ? u.Team.NameZh : null, u.Team != null ? u.Team.Color : null))
            .ToListAsync();
        return _staff;
    }

    public async Task<IReadOnlyList<Team>> TeamsAsync()
    {
        if (_teams is { } t) return t;
        await using var db = await dbs.CreateDbContextAsync();
        _teams = await db.Teams.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
        return _teams;
    }

    public async Task<StaffMember?> FindAsync(string? id) =>
        id is null ? null : (await StaffAsync()).FirstOrDefault(s => s.Id == id);

    /// <summary>Forgets the lists here and on the other servers.</summary>
    public void Invalidate() => signals.Raise(Signal);
}
