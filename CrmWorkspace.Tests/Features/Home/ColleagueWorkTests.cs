using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Home;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Home;

[Collection(AppCollection.Name)]
public class ColleagueWorkTests(AppFixture fx)
{
    [Fact]
    public async Task My_customers_that_colleagues_worked_come_newest_first_with_their_newest_entry_and_how_many_there_were()
    {
        var owner = await fx.StaffAsync("fair@demo.local");
        var colleague = await fx.StaffAsync("news@demo.local");
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var timeline = s.ServiceProvider.GetRequiredService<TimelineService>();
        async Task<int> Customer(string name) => (await accounts.CreateAsync(new AccountInput { Name = name, OwnerId = owner.Id }, owner)).Id!.Value;
        var older = await Customer("湖南长沙同事动态测试酒业有限公司");
        var newer = await Customer("湖南岳阳同事动态测试酒业有限公司");
        var now = DateTimeOffset.UtcNow;
        foreach (var (subject, hours) in new[] { ("第一次采访", -30), ("第三次采访", -20), ("第二次采访", -25) })
            await timeline.LogAsync(older, new ActivityInput { Kind = ActivityKind.Interview, Subject = subject, OccurredAt = now.AddHours(hours) }, colleague);
        // The owner's own entry is newer, but it is not a colleague's; nor is an entry older than the window.
        await timeline.LogAsync(older, new ActivityInput { Kind = ActivityKind.Call, Subject = "我自己的电话", OccurredAt = now.AddHours(-1) }, owner);
        await timeline.LogAsync(older, new ActivityInput { Kind = ActivityKind.Call, Subject = "一个月前", OccurredAt = now.AddDays(-30) }, colleague);
        await timeline.LogAsync(newer, new ActivityInput { Kind = ActivityKind.Visit, Subject = "拜访岳阳", OccurredAt = now.AddHours(-2) }, colleague);

        var work = await s.ServiceProvider.GetRequiredService<HomeService>().ColleagueWorkAsync(owner.Id, days: 14, take: 50);

        var mine = work.Where(w => w.AccountId == older || w.AccountId == newer).ToList();
        Assert.Equal([newer, older], mine.Select(w => w.AccountId));
        Assert.Equal(("拜访岳阳", 1, colleague.Id), (mine[0].Subject, mine[0].Entries, mine[0].AuthorId));
        Assert.Equal(("第三次采访", 3, "湖南长沙同事动态测试酒业有限公司"), (mine[1].Subject, mine[1].Entries, mine[1].AccountName));
        Assert.True(work.Zip(work.Skip(1)).All(p => p.First.At >= p.Second.At), "newest first");
    }
}
