using System.Security.Claims;
using CrmWorkspace.Domain;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Security;

/// <summary>
/// An open page (Blazor circuit) re-checks its sign-in every Security:RevalidateSeconds: when the person's security stamp
/// changed (password or role changed, signed out everywhere) or the account is locked or gone, the page signs out.
/// </summary>
public class StampRevalidatingStateProvider(ILoggerFactory logs, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity,
    IOptions<SecurityOptions> security) : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, security.Value.RevalidateSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return await StillValidAsync(users, state.User, identity.Value);
    }

    /// <summary>The principal's stamp still matches the account's and the account is not locked.</summary>
    public static async Task<bool> StillValidAsync(UserManager<StaffUser> users, ClaimsPrincipal principal, IdentityOptions o)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return false;
        if (await users.IsLockedOutAsync(user)) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = principal.FindFirstValue(o.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
