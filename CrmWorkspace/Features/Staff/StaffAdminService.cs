using CrmWorkspace.Domain;
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

/// <summary>A staff account as the admin page lists it.</summary>
public record StaffRow(string Id, string Email, string DisplayName, int? TeamId, string Role);

/// <summary>Admin use cases: create staff, set team and role.</summary>
public class StaffAdminService(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, StaffDirectory directory)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var r in Roles.All)
            if (!await roles.RoleExistsAsync(r)) await roles.CreateAsync(new IdentityRole(r));
    }

    public async Task<AdminResult> CreateAsync(NewStaff input, StaffIdentity by)
    {
        if (!by.May(Permission.ManageStaff)) return AdminResult.Fail("Only administrators can create staff accounts.");
        return await CreateUncheckedAsync(input);
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
            rows.Add(new StaffRow(u.Id, u.Email ?? "", u.DisplayName, u.TeamId, rs.FirstOrDefault() ?? Roles.Member));
        }
        return rows;
    }

    public async Task<AdminResult> SetTeamAndRoleAsync(string userId, int? teamId, string role, StaffIdentity by)
    {
        if (!by.May(Permission.ManageStaff)) return AdminResult.Fail("Only administrators can change teams and roles.");
        if (!Roles.All.Contains(role)) return AdminResult.Fail($"Unknown role '{role}'.");
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AdminResult.Fail("User not found.");
        user.TeamId = teamId;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return AdminResult.Fail(updated.Errors.Select(e => e.Description));
        var current = await users.GetRolesAsync(user);
        if (!current.SequenceEqual([role]))
        {
            await users.RemoveFromRolesAsync(user, current);
            await users.AddToRoleAsync(user, role);
        }
        directory.Invalidate();
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
