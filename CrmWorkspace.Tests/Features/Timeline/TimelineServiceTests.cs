using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Timeline;

[Collection(AppCollection.Name)]
public class TimelineServiceTests(AppFixture fx)
{
    private async Task<int> NewAccountAsync(string name, int? parent = null)
    {
        using var s = fx.Scope();
        var r = await s.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(new AccountInput { Name = name, ParentId = parent }, await fx.StaffAsync("marketing@demo.local"));
        return r.Id!.Value;
    }

    private static TimelineService Service(IServiceScope s) => s.ServiceProvider.GetRequiredService<TimelineService>();

    [Fact]
    public async Task Entries_come_newest_first_in_keyset_pages_with_filters_by_team_kind_author_and_text()
    {
        var id = await NewAccountAsync("四川泸州时间线测试酒业有限公司");
        using var s = fx.Scope();
        var timeline = Service(s);
        var marketing = await fx.StaffAsync("marketing@demo.local");
        var circulation = await fx.StaffAsync("circulation@demo.local");
        for (var i = 0; i < 7; i++)
            await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Visit, Subject = $"拜访 {i}", OccurredAt = DateTimeOffset.UtcNow.AddHours(-10 + i) }, marketing);
        await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.SubscriptionCall, Subject = "续订《糖酒快讯》", Body = "客户同意续订两份" }, circulation);

        var first = await timeline.PageAsync(new TimelineQuery { AccountId = id, Take = 5 });
        Assert.Equal(5, first.Count);
        Assert.Equal("续订《糖酒快讯》", first[0].Subject);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.OccurredAt >= p.Second.OccurredAt));
        var second = await timeline.PageAsync(new TimelineQuery { AccountId = id, Take = 5, Before = (first[^1].OccurredAt, first[^1].Id) });
        Assert.Empty(first.Select(e => e.Id).Intersect(second.Select(e => e.Id)));
        Assert.Equal(9, first.Count + second.Count); // 8 logged + the "customer created" system entry

        var byTeam = await timeline.PageAsync(new TimelineQuery { AccountId = id, TeamIds = [circulation.TeamId!.Value] });
        Assert.Equal(["续订《糖酒快讯》"], byTeam.Select(e => e.Subject));
        var byKind = await timeline.PageAsync(new TimelineQuery { AccountId = id, Kinds = [ActivityKind.Visit] });
        Assert.Equal(7, byKind.Count);
        var byAuthor = await timeline.PageAsync(new TimelineQuery { AccountId = id, AuthorId = circulation.Id });
        Assert.Single(byAuthor);
        var byText = await timeline.PageAsync(new TimelineQuery { AccountId = id, Text = "两份" });
        Assert.Single(byText);

        var work = (await timeline.WhoWorksAsync([id]))[id];
        Assert.Equal(2, work.Count);
        Assert.Equal("续订《糖酒快讯》", work.Single(w => w.TeamId == circulation.TeamId).LastSubject);
        Assert.Equal(circulation.Id, work.Single(w => w.TeamId == circulation.TeamId).LastAuthorId);
    }

    [Fact]
    public async Task Only_the_author_edits_and_every_earlier_version_is_kept()
    {
        var id = await NewAccountAsync("贵州茅台镇编辑历史酒业有限公司");
        using var s = fx.Scope();
        var timeline = Service(s);
        var author = await fx.StaffAsync("news@demo.local");
        var logged = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Interview, Subject = "采访董事长" }, author);
        var entry = (await timeline.EntryAsync(logged.Id!.Value))!;

        var stranger = await timeline.EditAsync(entry.Id, new ActivityInput { Kind = ActivityKind.Interview, Subject = "改掉" }, entry.Version, await fx.StaffAsync("fair@demo.local"));
        Assert.False(stranger.Ok);

        Assert.True((await timeline.EditAsync(entry.Id, new ActivityInput { Kind = ActivityKind.Interview, Subject = "采访董事长（春季糖酒会）" }, entry.Version, author)).Ok);
        var stale = await timeline.EditAsync(entry.Id, new ActivityInput { Kind = ActivityKind.Interview, Subject = "旧窗口" }, entry.Version, author);
        Assert.False(stale.Ok);

        var after = (await timeline.EntryAsync(entry.Id))!;
        Assert.Equal("采访董事长（春季糖酒会）", after.Subject);
        Assert.True(after.Edited);
        var history = await timeline.HistoryAsync(entry.Id);
        Assert.Equal(["采访董事长"], history.Select(h => h.Subject));

        Assert.True((await timeline.DeleteAsync(entry.Id, author)).Ok);
        Assert.Null(await timeline.EntryAsync(entry.Id));
        Assert.Equal(2, (await timeline.HistoryAsync(entry.Id)).Count);
    }

    [Fact]
    public async Task Customer_changes_appear_on_the_timeline_with_before_and_after()
    {
        var id = await NewAccountAsync("安徽亳州字段历史酒业有限公司");
        using var s = fx.Scope();
        var accounts = s.ServiceProvider.GetRequiredService<AccountService>();
        var loaded = (await accounts.GetAsync(id))!.Account;
        var o = AccountInput.From(loaded);
        var m = o.Clone(); m.City = "亳州"; m.IntendsToExhibit = true;
        Assert.True((await accounts.UpdateAsync(id, o, m, loaded.Version, await fx.StaffAsync("service@demo.local"))).Ok);
        var page = await Service(s).PageAsync(new TimelineQuery { AccountId = id });
        var changed = page.First(e => e.SystemEvent == "account.changed");
        var changes = FieldChange.Parse(changed.Data);
        Assert.Contains(changes, c => c.Field == "City" && c.Before == null && c.After == "亳州");
        Assert.Contains(changes, c => c.Field == "IntendsToExhibit" && c.Before == "False" && c.After == "True");
        Assert.Contains(page, e => e.SystemEvent == "account.created");
    }

    [Fact]
    public async Task A_parent_sees_its_branches_entries_when_asked()
    {
        var parent = await NewAccountAsync("山东青岛集团测试啤酒有限公司");
        var branch = await NewAccountAsync("山东青岛集团测试啤酒有限公司济南分公司", parent);
        using var s = fx.Scope();
        var timeline = Service(s);
        await timeline.LogAsync(branch, new ActivityInput { Kind = ActivityKind.Visit, Subject = "拜访济南分公司" }, await fx.StaffAsync("marketing@demo.local"));
        var own = await timeline.PageAsync(new TimelineQuery { AccountId = parent });
        Assert.DoesNotContain(own, e => e.Subject == "拜访济南分公司");
        var all = await timeline.PageAsync(new TimelineQuery { AccountId = parent, IncludeBranches = true });
        var entry = Assert.Single(all, e => e.Subject == "拜访济南分公司");
        Assert.Equal("山东青岛集团测试啤酒有限公司济南分公司", entry.AccountName);
    }

    [Fact]
    public async Task Follow_ups_land_on_the_assignees_list_and_leave_it_when_done()
    {
        var id = await NewAccountAsync("广西崇左跟进测试糖业有限公司");
        using var s = fx.Scope();
        var timeline = Service(s);
        var circulation = await fx.StaffAsync("circulation@demo.local");
        var r = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Call, Subject = "回电确认订数", FollowUpOn = DateTime.Today.AddDays(-1), FollowUpAssigneeId = circulation.Id }, await fx.StaffAsync("marketing@demo.local"));
        var mine = await timeline.MyFollowUpsAsync(circulation.Id);
        Assert.Contains(mine, f => f.ActivityId == r.Id && f.AccountName == "广西崇左跟进测试糖业有限公司");
        Assert.True((await timeline.CompleteFollowUpAsync(r.Id!.Value, circulation)).Ok);
        Assert.DoesNotContain(await timeline.MyFollowUpsAsync(circulation.Id), f => f.ActivityId == r.Id);
    }

    [Fact]
    public async Task A_deleted_entry_leaves_its_follow_up_list_and_the_live_panel()
    {
        var id = await NewAccountAsync("广西贵港删除跟进测试糖业有限公司");
        using var s = fx.Scope();
        var timeline = Service(s);
        var author = await fx.StaffAsync("marketing@demo.local");
        var circulation = await fx.StaffAsync("circulation@demo.local");
        var r = await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Call, Subject = "记错客户的回电", FollowUpOn = DateTime.Today.AddDays(1), FollowUpAssigneeId = circulation.Id }, author);
        Assert.Contains(await timeline.MyFollowUpsAsync(circulation.Id), f => f.ActivityId == r.Id);
        Assert.Contains(await timeline.LatestAsync(null, take: 200), e => e.Id == r.Id);

        Assert.True((await timeline.DeleteAsync(r.Id!.Value, author)).Ok);
        Assert.DoesNotContain(await timeline.MyFollowUpsAsync(circulation.Id), f => f.ActivityId == r.Id);
        Assert.DoesNotContain(await timeline.LatestAsync(null, take: 200), e => e.Id == r.Id);
    }

    [Fact]
    public async Task A_customers_open_follow_ups_come_soonest_first_whole_and_without_the_done_ones()
    {
        var id = await NewAccountAsync("云南昆明跟进排序测试糖业有限公司");
        using var s = fx.Scope();
        var timeline = Service(s);
        var marketing = await fx.StaffAsync("marketing@demo.local");
        var contact = await s.ServiceProvider.GetRequiredService<ContactService>().AddAsync(id, new ContactInput { Name = "杨跟进" }, marketing);
        async Task<long> Log(string subject, int inDays, int? contactId = null) =>
            (await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Call, Subject = subject, FollowUpOn = DateTime.Today.AddDays(inDays), ContactId = contactId }, marketing)).Id!.Value;
        await Log("下周回访", 7);
        var overdue = await Log("逾期回电", -3, contact.Id!.Value);
        var done = await Log("明天确认", 1);
        await timeline.LogAsync(id, new ActivityInput { Kind = ActivityKind.Note, Subject = "没有跟进的记录" }, marketing);
        Assert.True((await timeline.CompleteFollowUpAsync(done, marketing)).Ok);

        var open = await timeline.OpenFollowUpsAsync(id);
        Assert.Equal(["逾期回电", "下周回访"], open.Select(e => e.Subject));
        var first = open[0];
        Assert.Equal(overdue, first.Id);
        Assert.Equal("杨跟进", first.ContactName);
        Assert.Equal("云南昆明跟进排序测试糖业有限公司", first.AccountName);
        Assert.Equal(marketing.Id, first.FollowUpAssigneeId);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_messages()
    {
        var id = await NewAccountAsync("北京验证测试食品有限公司");
        using var s = fx.Scope();
        var r = await Service(s).LogAsync(id, new ActivityInput { Kind = ActivityKind.Call, Subject = "  ", OccurredAt = DateTimeOffset.UtcNow.AddDays(2) }, await fx.StaffAsync("marketing@demo.local"));
        Assert.False(r.Ok);
        Assert.Equal("Subject is required.", r.Errors!["Subject"]);
        Assert.Contains("OccurredAt", r.Errors.Keys);
    }
}

public class MarkdownTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>**好**")]
    [InlineData("[点我](javascript:alert(1))")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"#\" onclick=\"steal()\">x</a>")]
    public void No_script_gets_through(string markdown)
    {
        var html = MarkdownText.ToSafeHtml(markdown);
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Empty(doc.QuerySelectorAll("script, img, iframe, object"));
        foreach (var el in doc.All)
        {
            Assert.DoesNotContain(el.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("javascript:", el.GetAttribute("href") ?? "", StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Markdown_still_formats()
    {
        var html = MarkdownText.ToSafeHtml("**订 2 份**\n- 《糖酒快讯》\n- https://example.com");
        Assert.Contains("<strong>订 2 份</strong>", html);
        Assert.Contains("<li>《糖酒快讯》</li>", html);
        Assert.Contains("href=\"https://example.com\"", html);
    }
}
