using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Home;
using CrmWorkspace.Features.Staff;
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

        var work = (await s.ServiceProvider.GetRequiredService<HomeService>().ColleagueWorkAsync(owner.Id, days: 14, take: 50)).Top;

        var mine = work.Where(w => w.AccountId == older || w.AccountId == newer).ToList();
        Assert.Equal([newer, older], mine.Select(w => w.AccountId));
        Assert.Equal(("拜访岳阳", 1, colleague.Id), (mine[0].Subject, mine[0].Entries, mine[0].AuthorId));
        Assert.Equal(("第三次采访", 3, "湖南长沙同事动态测试酒业有限公司"), (mine[1].Subject, mine[1].Entries, mine[1].AccountName));
        Assert.True(work.Zip(work.Skip(1)).All(p => p.First.At >= p.Second.At), "newest first");
    }

    [Fact]
    public async Task One_entry_counts_as_colleagues_work_only_when_a_colleague_logged_it_lately_on_a_customer_I_own()
    {
        var owner = await fx.StaffAsync("fair@demo.local");
        var colleague = await fx.StaffAsync("news@demo.local");
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var timeline = s.ServiceProvider.GetRequiredService<TimelineService>();
        var home = s.ServiceProvider.GetRequiredService<HomeService>();
        var mine = (await accounts.CreateAsync(new AccountInput { Name = "湖南常德单条同事动态测试酒业有限公司", OwnerId = owner.Id }, owner)).Id!.Value;
        var theirs = (await accounts.CreateAsync(new AccountInput { Name = "湖南益阳单条同事动态测试酒业有限公司", OwnerId = colleague.Id }, colleague)).Id!.Value;
        async Task<long> Log(int account, string subject, StaffIdentity who, int hoursAgo = 0) =>
            (await timeline.LogAsync(account, new ActivityInput { Kind = ActivityKind.Visit, Subject = subject, Outcome = "有意向", OccurredAt = DateTimeOffset.UtcNow.AddHours(-hoursAgo) }, who)).Id!.Value;

        var entry = await home.ColleagueEntryAsync(owner.Id, await Log(mine, "同事拜访常德", colleague));
        Assert.NotNull(entry);
        Assert.Equal((mine, "湖南常德单条同事动态测试酒业有限公司", "同事拜访常德", "有意向", ActivityKind.Visit, colleague.Id, 1),
            (entry.AccountId, entry.AccountName, entry.Subject, entry.Outcome, entry.Kind, entry.AuthorId, entry.Entries));
        Assert.Null(await home.ColleagueEntryAsync(owner.Id, await Log(mine, "我自己拜访", owner)));
        Assert.Null(await home.ColleagueEntryAsync(owner.Id, await Log(theirs, "同事拜访他自己的客户", colleague)));
        Assert.Null(await home.ColleagueEntryAsync(owner.Id, await Log(mine, "三周前的拜访", colleague, hoursAgo: 21 * 24)));
    }

    [Fact]
    public void Entries_added_one_at_a_time_give_the_list_a_full_read_would_give()
    {
        var rng = new Random(7);
        var now = DateTimeOffset.UtcNow;
        long id = 0;
        ColleagueWork Entry(int account, double hoursAgo) =>
            new(account, $"客户{account}", AccountTier.C, ++id, now.AddHours(-hoursAgo), "colleague", 1, ActivityKind.Call, $"电话{id}", null, 1);
        for (var round = 0; round < 50; round++)
        {
            var take = rng.Next(1, 6);
            var read = Enumerable.Range(0, rng.Next(0, 30)).Select(_ => Entry(rng.Next(1, 12), rng.Next(1, 300))).ToList();
            var list = new ColleagueWorkList(read, take);
            var all = new List<ColleagueWork>(read);
            // Mostly new work, some of it back-dated (logged now for a visit last week) and some on customers the list does not show.
            for (var i = 0; i < 20; i++)
            {
                var added = Entry(rng.Next(1, 15), rng.Next(3) == 0 ? rng.Next(1, 300) : -i);
                list.Add(added);
                all.Add(added);
                Assert.Equal(new ColleagueWorkList(all, take).Top, list.Top);
            }
        }
    }
}
