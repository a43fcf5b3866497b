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

/// <summary>Who is acting: id, name, team and roles.</summary>
public record StaffIdentity(string Id, string Name, int? TeamId, bool IsAdmin, bool IsManager)
{
    /// <summary>The actor of background jobs (hold expiry, scheduled scans); shown as "System".</summary>
    public static readonly StaffIdentity System = new(Actors.SystemId, "System", null, false, false);

    public bool IsSystem => Id == Actors.SystemId;

    public static StaffIdentity From(ClaimsPrincipal p)
    {
        var id = p.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in.");
        var name = p.FindFirstValue(StaffClaimsFactory.DisplayName) ?? p.Identity?.Name ?? id;
        int? team = int.TryParse(p.FindFirstValue(StaffClaimsFactory.TeamId), out var t) ? t : null;
        return new StaffIdentity(id, name, team, p.IsInRole(Roles.Admin), p.IsInRole(Roles.Admin) || p.IsInRole(Roles.Manager));
    }
}
