using System.Security.Claims;
using CrmWorkspace.Domain;
using Microsoft.AspNetCore.Components.Authorization;

namespace CrmWorkspace.Features.Staff;

/// <summary>The signed-in staff member of this circuit or request.</summary>
public class CurrentUser(AuthenticationStateProvider auth)
{
    private ClaimsPrincipal? _principal;

    public async Task<ClaimsPrincipal> PrincipalAsync()
    {
        if (_principal is null) _principal = (await auth.GetAuthenticationStateAsync()).User;
        return _principal;
    }

    public async Task<string?> IdAsync() => (await PrincipalAsync()).FindFirstValue(ClaimTypes.NameIdentifier);

    public async Task<StaffIdentity> GetAsync()
    {
        var p = await PrincipalAsync();
        return StaffIdentity.From(p);
    }
}

/// <summary>Who is acting: id, name, team and role (Sales, Manager, Finance or Administrator).</summary>
public record StaffIdentity(string Id, string Name, int? TeamId, bool IsAdmin, bool IsManager, string? RoleName = null)
{
    /// <summary>The actor of background jobs (hold expiry, scheduled scans); shown as "System".</summary>
    public static readonly StaffIdentity System = new(Actors.SystemId, "System", null, false, false, "System");

    public bool IsSystem => Id == Actors.SystemId;

    /// <summary>The job role; without one given, derived from the administrator and manager flags.</summary>
    public string Role => RoleName ?? (IsAdmin ? Roles.Administrator : IsManager ? Roles.Manager : Roles.Sales);

    public static StaffIdentity ForRole(string id, string name, int? teamId, string role) =>
        new(id, name, teamId, role == Roles.Administrator, role is Roles.Administrator or Roles.Manager, role);

    public static StaffIdentity From(ClaimsPrincipal p)
    {
        var id = p.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in.");
        var name = p.FindFirstValue(StaffClaimsFactory.DisplayName) ?? p.Identity?.Name ?? id;
        int? team = int.TryParse(p.FindFirstValue(StaffClaimsFactory.TeamId), out var t) ? t : null;
        var role = Roles.All.LastOrDefault(p.IsInRole) ?? Roles.Sales;
        return ForRole(id, name, team, role);
    }
}
