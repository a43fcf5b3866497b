using CrmWorkspace.Domain;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Teams;

/// <summary>
/// 王磊 builds a call list from a filter and hands it to 赵敏 and 孙强; each works their share with the renewal desk's outcomes,
/// every call on the customer's timeline, a call back on "My follow-ups"; members cannot build lists or work a colleague's share.
/// </summary>
[Collection(AppCollection.Name)]
public class CallListServiceTests(AppFixture fx)
{
    [Fact]
    public void Splitting_evenly_gives_shares_that_differ_by_one_at_most_and_by_region_keeps_each_province_with_one_person()
    {
        var customers = Enumerable.Range(1, 11).Select(i => (i, (string?)(i <= 6 ? "四川" : i <= 9 ? "贵州" : "山东"))).ToList();
        var even = CallListService.Split(customers, ["a", "b", "c"], CallListSplit.Evenly);
        Assert.Equal(11, even.Count);
        Assert.Equal([4, 4, 3], even.Values.GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));

        var byRegion = CallListService.Split(customers, ["a", "b"], CallListSplit.ByRegion);
        Assert.Equal(11, byRegion.Count);
        foreach (var province in customers.GroupBy(c => c.Item2))
            Assert.Single(province.Select(c => byRegion[c.i]).Distinct());
        // 四川 (6) to a; then 贵州 (3) and 山东 (2) both to b, who has fewer: 6 and 5.
        Assert.Equal([6, 5], byRegion.Values.GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public async Task A_manager_builds_a_list_from_a_filter_and_each_person_works_their_share_onto_the_timeline()
    {
        using var s = fx.Scope();
        var lists = s.ServiceProvider.GetRequiredService<CallListService>();
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var sun = await fx.StaffAsync("sales2@demo.local");
        var filter = new CustomerFilter { IntendsToExhibit = true };
        int expected;
        await using (var db = await fx.DbAsync()) expected = await db.Accounts.CountAsync(a => a.IntendsToExhibit && a.MergedIntoId == null);
        Assert.True(expected >= 2);
        Assert.Equal(expected, await lists.CountAsync(filter));

        // Members may not build lists.
        var refused = await lists.BuildAsync(new CallListInput { Name = "成员的任务", Filter = filter, AssigneeIds = [zhao.Id] }, zhao);
        Assert.False(refused.Ok);
        Assert.Equal("Only managers build call lists and hand them out.", refused.Error);
        Assert.False((await lists.BuildAsync(new CallListInput { Name = "", Filter = filter, AssigneeIds = [] }, wang)).Ok);

        var built = await lists.BuildAsync(new CallListInput { Name = "参展意向客户回访", Filter = filter, AssigneeIds = [zhao.Id, sun.Id], Split = CallListSplit.Evenly }, wang);
        Assert.True(built.Ok, built.Problem);
        var progress = Assert.Single(await lists.ListsAsync(wang, built.Id));
        Assert.Equal(expected, progress.Customers);
        Assert.Equal(0, progress.Called);
        Assert.Equal(2, progress.People.Count);
        Assert.True(Math.Abs(progress.People[0].Customers - progress.People[1].Customers) <= 1);
        Assert.Equal("intends to exhibit", progress.FilterText);

        var mine = await lists.MyItemsAsync(zhao, built.Id);
        var theirs = await lists.MyItemsAsync(sun, built.Id);
        Assert.Equal(expected, mine.Count + theirs.Count);
        Assert.Empty(mine.Select(i => i.AccountId).Intersect(theirs.Select(i => i.AccountId)));

        // 赵敏 calls: no answer on the first, a call back tomorrow on the second.
        var heard = new TaskCompletionSource<CrmWorkspace.Live.WorkspaceEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = fx.Get<CrmWorkspace.Live.IWorkspaceEvents>().Subscribe(CrmWorkspace.Live.Topic.Customer(mine[0].AccountId), e =>
        {
            if (e.Kind == CrmWorkspace.Live.EventKind.ActivityLogged) heard.TrySetResult(e);
            return Task.CompletedTask;
        });
        var first = await lists.LogCallAsync(mine[0].Id, new CallInput { Outcome = RenewalCallOutcome.NoAnswer }, zhao);
        Assert.True(first.Ok, first.Problem);
        // She works in English; a Chinese colleague's live panel draws the event's line in Chinese.
        var lines = fx.Get<CrmWorkspace.Localization.LineText>();
        var logged = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Call list · 参展意向客户回访", logged.Summary);
        Assert.Equal("电话任务 · 参展意向客户回访", CrmWorkspace.Tests.Localization.LocalLineTests.In("zh-Hans", () => lines.Subject(logged.Summary!, logged.Line)));
        var tomorrow = DateTime.Today.AddDays(1);
        var second = await lists.LogCallAsync(mine[1].Id, new CallInput { Outcome = RenewalCallOutcome.CallBack, CallBackOn = tomorrow, Note = "下午三点再打" }, zhao);
        Assert.True(second.Ok, second.Problem);
        Assert.Equal(RenewalCallOutcome.CallBack, second.Item!.Outcome);
        // She cannot work 孙强's share; "Renewed" is only for lapsed subscribers; a decline needs a reason.
        Assert.False((await lists.LogCallAsync(theirs[0].Id, new CallInput { Outcome = RenewalCallOutcome.NoAnswer }, zhao)).Ok);
        Assert.False((await lists.LogCallAsync(mine[2 % mine.Count].Id, new CallInput { Outcome = RenewalCallOutcome.Renewed }, zhao)).Ok);
        Assert.False((await lists.LogCallAsync(mine[2 % mine.Count].Id, new CallInput { Outcome = RenewalCallOutcome.Declined }, zhao)).Ok);

        progress = Assert.Single(await lists.ListsAsync(wang, built.Id));
        Assert.Equal(2, progress.Called);
        var hers = Assert.Single(progress.People, p => p.PersonId == zhao.Id);
        Assert.Equal(2, hers.Called);
        Assert.Equal(1, hers.ByOutcome[RenewalCallOutcome.NoAnswer]);
        Assert.Equal(1, hers.ByOutcome[RenewalCallOutcome.CallBack]);
        Assert.Equal(0, Assert.Single(progress.People, p => p.PersonId == sun.Id).Called);

        // Both calls are on the customers' timelines by 赵敏; the call back is on her follow-ups for tomorrow.
        await using (var db = await fx.DbAsync())
        {
            var call = await db.Activities.SingleAsync(a => a.AccountId == mine[1].AccountId && a.Subject == "Call list · 参展意向客户回访");
            Assert.Equal(zhao.Id, call.AuthorId);
            Assert.Equal(ActivityKind.Call, call.Kind);
            Assert.StartsWith("Call back", call.Outcome);
            Assert.Equal("下午三点再打", call.Body);
            Assert.Equal(zhao.Id, call.CreatedBy);
            Assert.Equal(1, await db.Activities.CountAsync(a => a.AccountId == mine[0].AccountId && a.Subject == "Call list · 参展意向客户回访" && a.Outcome == "No answer"));
            // The timeline, the start page and the panel after a reload draw it from the entry's line.
            Assert.Equal("电话任务 · 参展意向客户回访", CrmWorkspace.Tests.Localization.LocalLineTests.In("zh-Hans", () => lines.Subject(call.Subject, call.Data)));
        }
        var followUps = await s.ServiceProvider.GetRequiredService<TimelineService>().MyFollowUpsAsync(zhao.Id);
        Assert.Contains(followUps, f => f.AccountId == mine[1].AccountId && f.Due == DateOnly.FromDateTime(tomorrow));
    }
}
