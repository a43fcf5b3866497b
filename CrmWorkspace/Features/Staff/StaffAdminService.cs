using CrmWorkspace.Domain;
using CrmWorkspace.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Staff;

/// <summary>Input for creating a staff account.</summary>
public record NewStaff(string Email, string DisplayName, string Password, int? TeamId, string Role);

/// <summary>Outcome of an admin action, with Identity's messages.</summary>
public record AdminResult(bool Ok, string? Error = null) : CommandResult(Ok, Error)
{
    public static readonly AdminResult Done = new(true);
    public static AdminResult Fail(params IEnumerable<string> errors) => new(false, string.Join(" ", errors));
}

/// <summary>A staff account as the admin page lists it; <see cref="LockedUntil"/> is set while the account is locked.</summary>
public record StaffRow(string Id, string Email, string DisplayName, int? TeamId, string Role, DateTimeOffset? LockedUntil = null, int FailedAttempts = 0);

/// <summary>Admin use cases: create staff, set team and role.</summary>
public class StaffAdminService(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, StaffDirectory directory, AuditTrail audit,
    Microsoft.Extensions.Localization.IStringLocalizer<SecurityText> L)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var r in Roles.All)
            if (!await roles.RoleExistsAsync(r)) await roles.CreateAsync(new IdentityRole(r));
    }

    public async Task<AdminResult> CreateAsync(NewStaff input, StaffIdentity by)
    {
        if (!await audit.AllowedAsync(by, Permission.ManageStaff, input.Email)) return AdminResult.Fail(L["Only administrators can create staff accounts."]);
        var result = await CreateUncheckedAsync(input);
        if (result.Ok) await audit.WriteAsync(by, new AuditNote(AuditKind.StaffCreated, input.Email.Trim(), $"role {input.Role}, team {input.TeamId?.ToString() ?? "-"}"));
        return result;
    }

    /// <summary>The first administrator, when nobody exists yet (first-run setup, demo staff): no one to check against.</summary>
    public async Task<AdminResult> CreateFirstAsync(NewStaff input)
    {
        if (await users.Users.AnyAsync(u => u.Email == input.Email.Trim())) return AdminResult.Fail("This account already exists.");
        return await CreateUncheckedAsync(input);
    }

    private async Task<AdminResult> CreateUncheckedAsync(NewStaff input)
    {
        if (string.IsNullOrWhiteSpace(input.Email)) return AdminResult.Fail("Email is required.");
        if (string.IsNullOrWhiteSpace(input.DisplayName)) return AdminResult.Fail("Name is required.");
        if (!Roles.All.Contains(input.Role)) return AdminResult.Fail($"Unknown role '{input.Role}'.");
        if (PasswordPolicy.Check(input.Password, input.Email, input.DisplayName, L) is { } weak) return AdminResult.Fail(weak);
        await EnsureRolesAsync();
        var user = new StaffUser
        {
            UserName = input.Email.Trim(), Email = input.Email.Trim(), EmailConfirmed = true,
            DisplayName = input.DisplayName.Trim(), TeamId = input.TeamId,
        };
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded) return AdminResult.Fail(created.Errors.Select(e => e.Description));
        await users.AddToRoleAsync(user, input.Role);
        directory.Invalidate();
        return AdminResult.Done;
    }

    public async Task<List<StaffRow>> ListAsync()
    {
        var list = await users.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync();
        var rows = new List<StaffRow>();
        foreach (var u in list)
        {
            var rs = await users.GetRolesAsync(u);
            var locked = u.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? end : (DateTimeOffset?)null;
            rows.Add(new StaffRow(u.Id, u.Email ?? "", u.DisplayName, u.TeamId, rs.FirstOrDefault() ?? Roles.Sales, locked, u.AccessFailedCount));
        }
        return rows;
    }

    public async Task<AdminResult> SetTeamAndRoleAsync(string userId, int? teamId, string role, StaffIdentity by)
    {
        if (!await audit.AllowedAsync(by, Permission.ManageStaff, userId)) return AdminResult.Fail(L["Only administrators can change teams and roles."]);
        if (!Roles.All.Contains(role)) return AdminResult.Fail($"Unknown role '{role}'.");
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AdminResult.Fail(L["User not found."]);
        var oldTeam = user.TeamId;
        user.TeamId = teamId;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return AdminResult.Fail(updated.Errors.Select(e => e.Description));
        var current = await users.GetRolesAsync(user);
        var roleChanged = !current.SequenceEqual([role]);
        if (roleChanged)
        {
            await users.RemoveFromRolesAsync(user, current);
            await users.AddToRoleAsync(user, role);
            await audit.WriteAsync(by, new AuditNote(AuditKind.RoleChanged, user.Email, $"{string.Join(",", current)} → {role}"));
        }
        if (oldTeam != teamId)
            await audit.WriteAsync(by, new AuditNote(AuditKind.TeamChanged, user.Email, $"{oldTeam?.ToString() ?? "-"} → {teamId?.ToString() ?? "-"}"));
        // Role and team travel in the sign-in cookie: a new stamp signs the person out everywhere, to sign in with the new ones.
        if (roleChanged || oldTeam != teamId) await users.UpdateSecurityStampAsync(user);
        directory.Invalidate();
        return AdminResult.Done;
    }

    /// <summary>Ends a lockout at once and forgets the failed attempts.</summary>
    public async Task<AdminResult> UnlockAsync(string userId, StaffIdentity by)
    {
        if (!await audit.AllowedAsync(by, Permission.ManageStaff, userId)) return AdminResult.Fail(L["Only administrators can unlock accounts."]);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AdminResult.Fail(L["User not found."]);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await audit.WriteAsync(by, new AuditNote(AuditKind.Unlocked, user.Email));
        return AdminResult.Done;
    }

    /// <summary>Sets a new password (the person is signed out everywhere: Identity renews the security stamp).</summary>
    public async Task<AdminResult> SetPasswordAsync(string userId, string password, StaffIdentity by)
    {
        if (!await audit.AllowedAsync(by, Permission.ManageStaff, userId)) return AdminResult.Fail(L["Only administrators can set passwords."]);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AdminResult.Fail(L["User not found."]);
        if (PasswordPolicy.Check(password, user.Email, user.DisplayName, L) is { } weak) return AdminResult.Fail(weak);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded) return AdminResult.Fail(reset.Errors.Select(e => e.Description));
        await audit.WriteAsync(by, new AuditNote(AuditKind.PasswordChanged, user.Email));
        return AdminResult.Done;
    }

    public async Task SetPreferencesAsync(string userId, bool? darkMode)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null) return;
        if (darkMode is { } d) user.DarkMode = d;
        await users.UpdateAsync(user);
    }

    public async Task<bool> DarkModeAsync(string userId) =>
        (await users.FindByIdAsync(userId))?.DarkMode ?? false;
}
