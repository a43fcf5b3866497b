using System.Text;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>Imported records reach the views of their customers, as records saved from a form do.</summary>
[Collection(AppCollection.Name)]
public class ImportEventsTests(AppFixture fx)
{
    [Fact]
    public async Task A_customer_page_that_is_open_hears_of_contacts_imported_into_it()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        using var s = fx.Scope();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var company = $"导入事件测试{tag}酒业有限公司";
        var account = (await s.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = company }, lina)).Id!.Value;
        var heard = new TaskCompletionSource<WorkspaceEvent>();
        using var view = fx.Get<IWorkspaceEvents>().Subscribe(Topic.Customer(account), e =>
        {
            if (e.Kind == EventKind.ContactImported) heard.TrySetResult(e);
            return Task.CompletedTask;
        });
        var csv = $"name,company,phone\n导入联系人{tag},{company},13912345678\n";
        var result = await s.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv), ImportKind.Contacts, lina);
        Assert.True(result.Ok, result.Error);
        var e = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(account, e.AccountId);
        Assert.Equal($"导入联系人{tag}", e.Summary);
        Assert.Equal(lina.Id, e.ActorId);
    }
}
