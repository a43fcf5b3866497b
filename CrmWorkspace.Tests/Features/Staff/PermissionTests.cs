using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Staff;

/// <summary>
/// Rules live in the services: a member who reaches a manager's action (a re-enabled button, a crafted Blazor event, another
/// program) is refused by the service itself and nothing changes.
/// </summary>
[Collection(AppCollection.Name)]
public class PermissionTests(AppFixture fx)
{
    [Fact]
    public async Task A_member_cannot_merge_undo_dismiss_or_scan_and_nothing_changes()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");   // member
        var wang = await fx.StaffAsync("marketing@demo.local");     // manager
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var merges = s.ServiceProvider.GetRequiredService<MergeService>();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var keep = (await accounts.CreateAsync(new AccountInput { Name = $"权限测试保留{tag}酒业", Province = "四川", City = "宜宾" }, lina)).Id!.Value;
        var gone = (await accounts.CreateAsync(new AccountInput { Name = $"权限测试并入{tag}酒业", Province = "四川", City = "宜宾" }, lina)).Id!.Value;

        var refused = await merges.MergeAccountsAsync(keep, gone, [], lina);
        Assert.False(refused.Ok);
        Assert.Contains("managers", refused.Error);
        await using (var db = await fx.DbAsync())
        {
            Assert.Null((await db.Accounts.SingleAsync(a => a.Id == gone)).MergedIntoId);
            Assert.False(await db.MergeRecords.AnyAsync(m => m.SurvivorId == keep));
        }

        var merged = await merges.MergeAccountsAsync(keep, gone, [], wang);
        Assert.True(merged.Ok);
        var undo = await merges.UndoAsync(merged.MergeId!.Value, lina);
        Assert.False(undo.Ok);
        await using (var db = await fx.DbAsync())
            Assert.Null((await db.MergeRecords.SingleAsync(m => m.Id == merged.MergeId)).UndoneAt);

        var contacts = s.ServiceProvider.GetRequiredService<ContactService>();
        var c1 = (await contacts.AddAsync(keep, new ContactInput { Name = "权限甲" }, lina)).Id!.Value;
        var c2 = (await contacts.AddAsync(keep, new ContactInput { Name = "权限乙" }, lina)).Id!.Value;
        Assert.False((await merges.MergeContactsAsync(c1, c2, [], lina)).Ok);

        var duplicates = s.ServiceProvider.GetRequiredService<DuplicateService>();
        long pairId;
        await using (var db = await fx.DbAsync())
        {
            var pair = new DuplicatePair { Kind = RecordKind.Contact, AId = Math.Min(c1, c2), BId = Math.Max(c1, c2), Score = 0.9,
                Source = "scan", Status = DuplicateStatus.Open, FoundAt = DateTimeOffset.UtcNow };
            db.DuplicatePairs.Add(pair);
            await db.BaseSaveChangesAsync();
            pairId = pair.Id;
        }
        Assert.False(await duplicates.DismissAsync([pairId], "member tries", lina));
        await using (var db = await fx.DbAsync())
            Assert.Equal(DuplicateStatus.Open, (await db.DuplicatePairs.SingleAsync(p => p.Id == pairId)).Status);
        Assert.True(await duplicates.DismissAsync([pairId], "manager decides", wang));

        var scan = s.ServiceProvider.GetRequiredService<DuplicateScan>();
        Assert.False(scan.Start(lina));
        Assert.False(scan.State.Running);
        Assert.False(scan.Cancel(lina));
    }

    [Fact]
    public async Task Only_an_administrator_creates_staff_or_changes_a_role()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");   // a manager, not an administrator
        var admin = await fx.StaffAsync("admin@demo.local");
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<StaffAdminService>();
        var email = $"perm-{Guid.NewGuid().ToString("N")[..8]}@demo.local";
        var refused = await service.CreateAsync(new NewStaff(email, "越权测试", "Demo-2026!x", 1, Roles.Admin), wang);
        Assert.False(refused.Ok);
        await using (var db = await fx.DbAsync()) Assert.False(await db.Users.AnyAsync(u => u.Email == email));

        Assert.True((await service.CreateAsync(new NewStaff(email, "权限测试", "Demo-2026!x", 1, Roles.Member), admin)).Ok);
        var id = (await service.ListAsync()).Single(r => r.Email == email).Id;
        Assert.False((await service.SetTeamAndRoleAsync(id, 1, Roles.Admin, wang)).Ok);
        Assert.Equal(Roles.Member, (await service.ListAsync()).Single(r => r.Id == id).Role);
    }
}
