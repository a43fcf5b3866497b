using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Search;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Customers;

[Collection(AppCollection.Name)]
public class AccountServiceTests(AppFixture fx)
{
    private AccountService Accounts(IServiceScope s) => s.ServiceProvider.GetRequiredService<AccountService>();

    private async Task<int> NewAccountAsync(string name, string? phone = null, int? parentId = null)
    {
        using var s = fx.Scope();
        var me = await fx.StaffAsync("marketing@demo.local");
        var r = await Accounts(s).CreateAsync(new AccountInput { Name = name, Phone = phone, ParentId = parentId, Province = "四川", City = "宜宾" }, me);
        Assert.True(r.Ok, string.Join(";", r.Errors?.Values ?? []));
        return r.Id!.Value;
    }

    [Fact]
    public async Task Two_people_saving_different_fields_lose_nothing_and_the_second_is_told_who_changed_what()
    {
        var id = await NewAccountAsync("四川宜宾测试并发酒业有限公司");
        var a = await fx.StaffAsync("marketing@demo.local");
        var b = await fx.StaffAsync("circulation@demo.local");
        using var s = fx.Scope();
        var service = Accounts(s);

        // Both open the form.
        var loaded = (await service.GetAsync(id))!.Account;
        var originalA = AccountInput.From(loaded);
        var originalB = AccountInput.From(loaded);

        var mineA = originalA.Clone(); mineA.Phone = "028-8555-1234";
        Assert.True((await service.UpdateAsync(id, originalA, mineA, loaded.Version, a)).Ok);

        var mineB = originalB.Clone(); mineB.Address = "宜宾市翠屏区酒都路 8 号";
        var second = await service.UpdateAsync(id, originalB, mineB, loaded.Version, b);
        Assert.False(second.Ok);
        var conflict = Assert.IsType<ConflictInfo>(second.Conflict);
        Assert.Equal(a.Name, conflict.ByName);
        Assert.Equal([nameof(AccountInput.Phone)], conflict.TheirFields);
        Assert.Equal([nameof(AccountInput.Address)], conflict.MyFields);
        Assert.Empty(conflict.BothFields);
        // Nothing of B's was written yet.
        Assert.Null((await service.GetAsync(id))!.Account.Address);

        // B chooses to keep both: re-applies their own field on top of A's save.
        var merged = conflict.Theirs.Clone(); merged.Address = mineB.Address;
        Assert.True((await service.UpdateAsync(id, conflict.Theirs, merged, conflict.TheirVersion, b)).Ok);
        var final = (await service.GetAsync(id))!.Account;
        Assert.Equal("028-8555-1234", final.Phone);
        Assert.Equal("+862885551234", final.PhoneE164);
        Assert.Equal("宜宾市翠屏区酒都路 8 号", final.Address);
    }

    [Fact]
    public async Task Both_changing_the_same_field_is_reported_as_a_clash()
    {
        var id = await NewAccountAsync("四川宜宾同字段酒业有限公司");
        using var s = fx.Scope();
        var service = Accounts(s);
        var loaded = (await service.GetAsync(id))!.Account;
        var o = AccountInput.From(loaded);
        var x = o.Clone(); x.City = "泸州";
        var y = o.Clone(); y.City = "成都";
        Assert.True((await service.UpdateAsync(id, o, x, loaded.Version, await fx.StaffAsync("news@demo.local"))).Ok);
        var r = await service.UpdateAsync(id, o, y, loaded.Version, await fx.StaffAsync("fair@demo.local"));
        Assert.Equal([nameof(AccountInput.City)], r.Conflict!.BothFields);
        Assert.Equal("泸州", (await service.GetAsync(id))!.Account.City);
    }

    [Fact]
    public async Task A_company_cannot_become_a_branch_of_its_own_branch()
    {
        var parent = await NewAccountAsync("贵州遵义环路酒业集团有限公司");
        var child = await NewAccountAsync("贵州遵义环路酒业集团有限公司贵阳分公司", parentId: parent);
        using var s = fx.Scope();
        var service = Accounts(s);
        var loaded = (await service.GetAsync(parent))!.Account;
        var o = AccountInput.From(loaded);
        var cyc = o.Clone(); cyc.ParentId = child;
        var r = await service.UpdateAsync(parent, o, cyc, loaded.Version, await fx.StaffAsync("marketing@demo.local"));
        Assert.False(r.Ok);
        Assert.Contains(nameof(AccountInput.ParentId), r.Errors!.Keys);
        var details = await service.GetAsync(parent);
        Assert.Single(details!.Branches);
        Assert.Equal(child, details.Branches[0].Id);
    }

    [Fact]
    public async Task Bad_phone_or_missing_name_is_refused_with_a_message_and_nothing_is_saved()
    {
        using var s = fx.Scope();
        var r = await Accounts(s).CreateAsync(new AccountInput { Name = " ", Phone = "12345" }, await fx.StaffAsync("marketing@demo.local"));
        Assert.False(r.Ok);
        Assert.Equal("Name is required.", r.Errors!["Name"]);
        Assert.Contains("12345", r.Errors["Phone"]);
    }

    [Fact]
    public async Task A_deleted_customer_leaves_lists_and_search_and_comes_back_on_restore()
    {
        var id = await NewAccountAsync("山东烟台删除恢复葡萄酒有限公司", "028-8555-4321");
        using var s = fx.Scope();
        var service = Accounts(s);
        var search = s.ServiceProvider.GetRequiredService<SearchService>();
        var me = await fx.StaffAsync("marketing@demo.local");
        Assert.True((await service.DeleteAsync(id, me)).Ok);
        Assert.Empty((await search.SearchAsync("删除恢复")).Customers);
        Assert.Contains((await service.ListAsync(new AccountQuery { Deleted = true, Name = "删除恢复" })).Items, r => r.Id == id);
        Assert.True((await service.RestoreAsync(id, me)).Ok);
        Assert.Single((await search.SearchAsync("删除恢复")).Customers);
        Assert.Single((await search.SearchAsync("028 85554321")).Customers);
    }

    [Fact]
    public async Task List_filters_sort_and_page_on_the_server()
    {
        using var s = fx.Scope();
        var service = Accounts(s);
        var all = await service.ListAsync(new AccountQuery { PageSize = 1000 });
        Assert.True(all.Total >= 40);
        var tierA = await service.ListAsync(new AccountQuery { Tier = AccountTier.A, PageSize = 1000 });
        Assert.All(tierA.Items, r => Assert.Equal(AccountTier.A, r.Tier));
        var page2 = await service.ListAsync(new AccountQuery { SortBy = "Name", Page = 1, PageSize = 10 });
        Assert.Equal(10, page2.Items.Count);
        Assert.Equal(all.Total, page2.Total);
        var sorted = page2.Items.Select(r => r.Name).ToList();
        Assert.Equal(sorted.OrderBy(n => n, StringComparer.Ordinal), sorted);
    }
}
