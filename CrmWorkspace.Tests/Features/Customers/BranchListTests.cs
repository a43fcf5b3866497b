using Bunit;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Customers.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace CrmWorkspace.Tests.Features.Customers;

public class BranchListTests : BunitContext
{
    public BranchListTests()
    {
        Services.AddMudServices();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Branches_show_consolidated_counts_and_link_to_each_office()
    {
        var office = new BranchNode(3, "某某酒业成都办事处", "成都", 2, 2, 0, []);
        var branch = new BranchNode(2, "某某酒业四川分公司", "成都", 1, 3, 1, [office]);
        var cut = Render<BranchList>(p => p.Add(x => x.Nodes, new[] { branch }));
        var items = cut.FindAll("[data-testid=branch-node]");
        Assert.Equal(2, items.Count);
        Assert.Contains("contacts: 3", items[0].TextContent);
        Assert.Contains("branches: 1", items[0].TextContent);
        Assert.Equal("/customers/3", cut.Find("li li a").GetAttribute("href"));
    }
}
