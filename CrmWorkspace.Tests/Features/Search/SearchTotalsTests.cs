using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Search;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Search;

[Collection(AppCollection.Name)]
public class SearchTotalsTests(AppFixture fx)
{
    [Fact]
    public async Task Search_says_how_many_customers_match_in_all_the_same_number_the_filtered_customer_list_shows()
    {
        var me = await fx.StaffAsync("marketing@demo.local");
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        for (var i = 0; i < 12; i++)
            Assert.True((await accounts.CreateAsync(new AccountInput { Name = $"搜索总数测试{(char)('甲' + i)}号酒业有限公司" }, me)).Ok);

        var results = await s.ServiceProvider.GetRequiredService<SearchService>().SearchAsync("搜索总数测试", 8);
        var list = await accounts.ListAsync(new AccountQuery { Name = "搜索总数测试", PageSize = 100 });

        Assert.Equal(8, results.Customers.Count);
        Assert.Equal(12, results.CustomerTotal);
        Assert.Equal(12, list.Total);
        Assert.True(results.ByName);
    }
}
