using System.Text;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task Two_rows_of_one_file_in_traditional_and_simplified_characters_are_linked_for_review()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        using var s = fx.Scope();
        var tag = new string(Guid.NewGuid().ToString("N")[..4].Select(c => (char)('甲' + c % 10)).ToArray());
        // The same distillery typed twice: once in traditional characters (a Hong Kong catalogue), once in simplified.
        var csv = $"名称,省份,城市\n瀘州老窖{tag}股份有限公司,四川,瀘州\n泸州老窖{tag}股份有限公司,四川,泸州\n";
        var result = await s.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv), ImportKind.Accounts, lina);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, result.DataLines);
        Assert.Equal(2, result.Linked);
        Assert.Empty(result.Rejected);
        var ids = result.Ids.Select(x => x.Id).Order().ToArray();
        await using var db = await fx.DbAsync();
        Assert.True(await db.DuplicatePairs.AnyAsync(p => p.Kind == CrmWorkspace.Domain.RecordKind.Account
            && ((p.AId == ids[0] && p.BId == ids[1]) || (p.AId == ids[1] && p.BId == ids[0]))));
    }
}
