using System.Text;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Data;

/// <summary>Who each kind of write is attributed to: the person acting, or "system" for jobs; never a leftover of a pooled context.</summary>
[Collection(AppCollection.Name)]
public class AttributionTests(AppFixture fx)
{
    [Fact]
    public async Task A_pooled_context_never_carries_the_last_persons_name_into_an_unattributed_write()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        // Wang writes through a unit of work; the context goes back to the pool.
        await using (var db = await fx.DbAsAsync(wang.Id)) { Assert.Equal(wang.Id, db.ActorId); }
        // Every later lease starts with nobody acting, and a write without an actor is refused instead of stamped with Wang.
        for (var i = 0; i < 20; i++)
        {
            await using var db = await fx.DbAsync();
            Assert.Null(db.ActorId);
            var account = await db.Accounts.OrderBy(a => a.Id).FirstAsync();
            account.Website = "no-one-acting-" + i + ".example";
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("without an actor", ex.Message);
        }
    }

    [Fact]
    public async Task Customers_contacts_activities_and_subscriptions_are_stamped_with_the_person_who_saved_them()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var contacts = s.ServiceProvider.GetRequiredService<ContactService>();
        var timeline = s.ServiceProvider.GetRequiredService<TimelineService>();
        var subscriptions = s.ServiceProvider.GetRequiredService<SubscriptionService>();
        var subscriptionsPeriodicalService = s.ServiceProvider.GetRequiredService<PeriodicalService>();

        var created = await accounts.CreateAsync(new AccountInput { Name = "归属测试酒业有限公司", Province = "四川", City = "泸州" }, wang);
        Assert.True(created.Ok);
        var accountId = created.Id!.Value;
        var contact = await contacts.AddAsync(accountId, new ContactInput { Name = "归属测试联系人" }, lina);
        Assert.True(contact.Ok, contact.Problem);
        var logged = await timeline.LogAsync(accountId, new ActivityInput { Kind = ActivityKind.Call, Subject = "归属测试电话" }, lina);
        Assert.True(logged.Ok);
        var p = new Periodical { Title = "归属测试刊", Code = "ATTR" + Guid.NewGuid().ToString("N")[..4], IssuesPerYear = 12, AnnualPrice = 100 };
        Assert.True((await subscriptionsPeriodicalService.CreatePeriodicalAsync(p, wang)).Ok);
        var sub = await subscriptions.SubscribeAsync(new SubscriptionInput { AccountId = accountId, PeriodicalId = p.Id, Copies = 1,
            StartsOn = DateTime.Today, Months = 12 }, lina);
        Assert.True(sub.Ok, sub.Error ?? string.Join(" ", sub.Errors?.Values ?? []));

        await using var db = await fx.DbAsync();
        var a = await db.Accounts.SingleAsync(x => x.Id == accountId);
        Assert.Equal(wang.Id, a.CreatedBy);
        Assert.Equal(lina.Id, (await db.Contacts.SingleAsync(c => c.Id == contact.Id)).CreatedBy);
        var activity = await db.Activities.SingleAsync(x => x.Id == logged.Id);
        Assert.Equal(lina.Id, activity.AuthorId);
        Assert.Equal(lina.Id, activity.CreatedBy);
        Assert.Equal(wang.Id, (await db.Periodicals.SingleAsync(x => x.Id == p.Id)).CreatedBy);
        Assert.Equal(lina.Id, (await db.Subscriptions.SingleAsync(x => x.Id == sub.Id)).CreatedBy);
        // The system entry of the creation is Wang's, the subscription's is Lina's.
        Assert.Equal(wang.Id, (await db.Activities.SingleAsync(x => x.AccountId == accountId && x.SystemEvent == "account.created")).AuthorId);
        Assert.Equal(lina.Id, (await db.Activities.SingleAsync(x => x.AccountId == accountId && x.SystemEvent == "subscription.created")).AuthorId);
    }

    [Fact]
    public async Task An_import_is_the_importers_and_a_merge_and_its_undo_are_the_managers()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        using var s = fx.Scope();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var csv = $"name,province,city,phone\n归属导入甲{tag}酒厂,贵州,遵义,\n归属导入乙{tag}糖业,广西,南宁,\n";
        var import = await s.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv), ImportKind.Accounts, lina);
        await using (var db = await fx.DbAsync())
        {
            var imported = await db.Accounts.Where(a => a.Name.Contains(tag)).ToListAsync();
            Assert.Equal(2, imported.Count);
            Assert.All(imported, a => Assert.Equal(lina.Id, a.CreatedBy));
        }

        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var keep = (await accounts.CreateAsync(new AccountInput { Name = $"归属合并保留{tag}酒业", Province = "四川", City = "宜宾" }, lina)).Id!.Value;
        var gone = (await accounts.CreateAsync(new AccountInput { Name = $"归属合并并入{tag}酒业", Province = "四川", City = "宜宾", Phone = "13900139000" }, lina)).Id!.Value;
        var merges = s.ServiceProvider.GetRequiredService<MergeService>();
        var merged = await merges.MergeAccountsAsync(keep, gone, [nameof(Account.Phone)], wang);
        Assert.True(merged.Ok, merged.Error);
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(wang.Id, (await db.Accounts.SingleAsync(a => a.Id == keep)).UpdatedBy);
            Assert.Equal(wang.Id, (await db.MergeRecords.SingleAsync(m => m.Id == merged.MergeId)).MergedBy);
            Assert.Equal(wang.Id, (await db.Activities.SingleAsync(x => x.AccountId == keep && x.SystemEvent == "account.merged")).AuthorId);
        }
        Assert.True((await merges.UndoAsync(merged.MergeId!.Value, wang)).Ok);
        await using (var db = await fx.DbAsync())
        {
            // Undo puts the records back exactly as Lina left them, and the undo itself is Wang's.
            Assert.Equal(lina.Id, (await db.Accounts.SingleAsync(a => a.Id == keep)).UpdatedBy);
            Assert.Equal(wang.Id, (await db.MergeRecords.SingleAsync(m => m.Id == merged.MergeId)).UndoneBy);
        }
    }
}
