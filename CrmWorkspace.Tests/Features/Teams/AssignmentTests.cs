using System.Text;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Teams;

/// <summary>A demo company of its own: territories change who gets every new customer, which other tests would notice.</summary>
public sealed class AssignmentFixture : AppFixture;

/// <summary>
/// The demo's territories: 四川 is 赵敏's except 成都 (孙强's), 贵州 goes to the marketing pool, 山东 is 王磊's. New customers
/// without an owner get theirs from the territory, from the form and from a CSV file alike.
/// </summary>
public class TerritoryTests(AssignmentFixture fx) : IClassFixture<AssignmentFixture>
{
    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    private async Task<Account> CreateAsync(AccountInput input, StaffIdentity who)
    {
        using var scope = fx.Scope();
        var r = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(input, who);
        Assert.True(r.Ok, r.Problem);
        await using var db = await fx.DbAsync();
        return await db.Accounts.SingleAsync(a => a.Id == r.Id);
    }

    [Fact]
    public void A_city_territory_beats_its_province_and_a_region_without_one_matches_nothing()
    {
        var map = new TerritoryMap([
            new Territory { Id = 1, Province = "四川", OwnerId = "zhao", TeamId = 1 },
            new Territory { Id = 2, Province = "四川省", City = "成都市", OwnerId = "sun", TeamId = 1 },
            new Territory { Id = 3, Province = "贵州", TeamId = 1 },
        ]);
        Assert.Equal("sun", map.Match("四川", "成都")?.OwnerId);
        Assert.Equal("sun", map.Match(" 四川省 ", "成都市")?.OwnerId);
        Assert.Equal("zhao", map.Match("四川", "宜宾")?.OwnerId);
        Assert.Equal("zhao", map.Match("四川省", null)?.OwnerId);
        Assert.Null(map.Match("贵州", "遵义")?.OwnerId);
        Assert.Equal(3, map.Match("贵州", "遵义")?.TerritoryId);
        Assert.Null(map.Match("广西", "南宁"));
        Assert.Null(map.Match(null, "成都"));
    }

    [Fact]
    public async Task New_customers_without_an_owner_get_their_territorys_owner_from_the_form_and_from_a_file()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var sun = await fx.StaffAsync("sales2@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");

        // 李娜 (circulation) enters customers by hand without choosing an owner.
        Assert.Equal(zhao.Id, (await CreateAsync(new AccountInput { Name = $"宜宾区域测试{Tag()}酒业有限公司", Province = "四川省", City = "宜宾" }, lina)).OwnerId);
        Assert.Equal(sun.Id, (await CreateAsync(new AccountInput { Name = $"成都区域测试{Tag()}酒业有限公司", Province = "四川", City = "成都市" }, lina)).OwnerId);
        Assert.Equal(wang.Id, (await CreateAsync(new AccountInput { Name = $"济南区域测试{Tag()}糖业有限公司", Province = "山东", City = "济南" }, lina)).OwnerId);
        // Outside every territory: unassigned (not the person who typed it in).
        var guangxi = await CreateAsync(new AccountInput { Name = $"南宁区域测试{Tag()}糖业有限公司", Province = "广西", City = "南宁" }, lina);
        Assert.Null(guangxi.OwnerId);
        // An owner chosen on the form wins over the territory.
        Assert.Equal(lina.Id, (await CreateAsync(new AccountInput { Name = $"泸州区域测试{Tag()}酒业有限公司", Province = "四川", City = "泸州", OwnerId = lina.Id }, lina)).OwnerId);
        // 贵州 has a team and no owner: the customer waits in the marketing pool.
        var guizhou = await CreateAsync(new AccountInput { Name = $"遵义区域测试{Tag()}酒业有限公司", Province = "贵州", City = "遵义" }, lina);
        Assert.Null(guizhou.OwnerId);
        await using (var db = await fx.DbAsync())
        {
            var pooled = await db.PoolEntries.SingleAsync(p => p.AccountId == guizhou.Id);
            Assert.Equal(wang.TeamId, pooled.TeamId);
            Assert.False(await db.PoolEntries.AnyAsync(p => p.AccountId == guangxi.Id));
        }

        // The same rules for a CSV file imported by 李娜.
        var tag = Tag();
        var csv = $"名称,省份,城市\n成都导入{tag}酒业有限公司,四川,成都\n泸州导入{tag}酒业有限公司,四川,泸州\n南宁导入{tag}糖业有限公司,广西,南宁\n遵义导入{tag}酒业有限公司,贵州,遵义\n";
        using (var scope = fx.Scope())
        {
            var r = await scope.ServiceProvider.GetRequiredService<CsvImport>().ImportAsync(Encoding.UTF8.GetBytes(csv), ImportKind.Accounts, lina);
            Assert.True(r.Ok, r.Error);
            Assert.Equal(4, r.Created);
        }
        await using (var db = await fx.DbAsync())
        {
            var imported = await db.Accounts.Where(a => a.Name.Contains(tag)).ToDictionaryAsync(a => a.City!, a => a);
            Assert.Equal(sun.Id, imported["成都"].OwnerId);
            Assert.Equal(zhao.Id, imported["泸州"].OwnerId);
            Assert.Null(imported["南宁"].OwnerId);
            Assert.Null(imported["遵义"].OwnerId);
            Assert.True(await db.PoolEntries.AnyAsync(p => p.AccountId == imported["遵义"].Id && p.TeamId == wang.TeamId));
        }
    }

    [Fact]
    public async Task Only_managers_set_territories_one_per_region_and_a_stale_change_is_refused()
    {
        var territories = fx.Get<TerritoryService>();
        var lina = await fx.StaffAsync("circulation@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var since = DateTimeOffset.UtcNow;
        var refused = await territories.SaveAsync(null, new TerritoryInput { Province = "湖南", OwnerId = lina.Id }, null, lina);
        Assert.Equal("Only managers set territories.", refused.Error);
        await using (var db = await fx.DbAsync())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Kind == AuditKind.PermissionRefused && e.ActorId == lina.Id && e.At >= since && e.Detail!.StartsWith("ManageTerritories")));

        // 四川省 is the 四川 the demo mapped already.
        var twice = await territories.SaveAsync(null, new TerritoryInput { Province = "四川省", OwnerId = zhao.Id }, null, wang);
        Assert.False(twice.Ok);
        Assert.Equal("四川省 already has a territory.", twice.Errors!["City"]);
        // An owner outside the chosen team is refused.
        var wrongTeam = await territories.SaveAsync(null, new TerritoryInput { Province = "湖南", TeamId = wang.TeamId, OwnerId = lina.Id }, null, wang);
        Assert.Equal("李娜 is not in this team.", wrongTeam.Errors!["OwnerId"]);

        var added = await territories.SaveAsync(null, new TerritoryInput { Province = "湖南", City = "长沙", OwnerId = zhao.Id }, null, wang);
        Assert.True(added.Ok, added.Problem);
        var row = (await territories.ListAsync()).Single(t => t.Id == added.Id);
        Assert.Equal(zhao.TeamId, row.TeamId); // the owner's team, none given
        Assert.True((await territories.SaveAsync(row.Id, new TerritoryInput { Province = "湖南", City = "长沙", TeamId = wang.TeamId, OwnerId = wang.Id }, row.Version, wang)).Ok);
        // Someone saving from the old version is told, and does not overwrite.
        var stale = await territories.SaveAsync(row.Id, new TerritoryInput { Province = "湖南", City = "长沙", OwnerId = zhao.Id }, row.Version, wang);
        Assert.False(stale.Ok);
        Assert.Equal(wang.Id, (await territories.ListAsync()).Single(t => t.Id == row.Id).OwnerId);
        Assert.True((await territories.RemoveAsync(row.Id, wang)).Ok);
        Assert.Null(await territories.MatchAsync("湖南", "长沙"));
    }
}

/// <summary>
/// A manager's single tasks: given to one person, on their follow-ups at once, reminded once as the day nears, done by that person
/// only; neglected key customers and overdue work escalate to the owner's manager and clear when the work is done.
/// </summary>
public class TaskAndAlertTests(AssignmentFixture fx) : IClassFixture<AssignmentFixture>
{
    [Fact]
    public async Task A_task_reaches_the_person_live_reminds_once_and_only_they_mark_it_done()
    {
        var tasks = fx.Get<TaskService>();
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var sun = await fx.StaffAsync("sales2@demo.local");
        var today = WorkLogService.Today;
        int customer;
        await using (var db = await fx.DbAsync()) customer = await db.Accounts.Where(a => a.ParentId == null).OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();

        // A salesperson may not give tasks; the refusal is on the audit trail.
        var refused = await tasks.AssignAsync(new TaskInput { AssigneeId = zhao.Id, Title = "帮我打个电话", DueOn = DateTime.Today }, sun);
        Assert.Equal("Only managers give tasks.", refused.Error);
        // The due day is required and not in the past; the title has a limit, told before saving.
        var invalid = await tasks.AssignAsync(new TaskInput { AssigneeId = zhao.Id, Title = new string('字', TaskService.MaxTitle + 1), DueOn = DateTime.Today.AddDays(-1) }, wang);
        Assert.Equal(["DueOn", "Title"], invalid.Errors!.Keys.Order());

        var heard = new TaskCompletionSource<WorkspaceEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = fx.Get<IWorkspaceEvents>().Subscribe(Topic.Person(zhao.Id), e => { if (e.Kind == EventKind.TaskAssigned) heard.TrySetResult(e); return Task.CompletedTask; });
        var given = await tasks.AssignAsync(new TaskInput { AssigneeId = zhao.Id, AccountId = customer, Title = "确认春季糖酒会展位需求", DueOn = DateTime.Today.AddDays(3), RemindDaysBefore = 1 }, wang);
        Assert.True(given.Ok, given.Problem);
        Assert.Equal("确认春季糖酒会展位需求", (await heard.Task.WaitAsync(TimeSpan.FromSeconds(10))).Summary);
        var mine = Assert.Single(await tasks.MyOpenAsync(zhao.Id), t => t.Id == given.Id);
        Assert.Equal((today.AddDays(3), today.AddDays(2), wang.Id), (mine.DueOn, mine.RemindOn, mine.AssignedById));
        await using (var db = await fx.DbAsync())
        {
            var entry = await db.Activities.SingleAsync(a => a.AccountId == customer && a.SystemEvent == "task.assigned");
            Assert.Equal(wang.Id, entry.AuthorId);
            Assert.Contains("赵敏", entry.Subject);
        }

        // The reminder goes out on its day, once.
        var reminded = new List<WorkspaceEvent>();
        using var reminders = fx.Get<IWorkspaceEvents>().Subscribe(Topic.Person(zhao.Id), e => { if (e.Kind == EventKind.TaskReminded && e.EntityId == given.Id) lock (reminded) reminded.Add(e); return Task.CompletedTask; });
        await tasks.SendRemindersAsync(today.AddDays(1));
        await tasks.SendRemindersAsync(today.AddDays(2));
        await tasks.SendRemindersAsync(today.AddDays(2));
        for (var i = 0; i < 50 && reminded.Count == 0; i++) await Task.Delay(100);
        await Task.Delay(200);
        Assert.Single(reminded);

        // Only 赵敏 marks it done; then it leaves her list and the customer's timeline says so.
        Assert.Equal("Only the person it was given to marks a task done.", (await tasks.CompleteAsync(given.Id!.Value, wang)).Error);
        Assert.True((await tasks.CompleteAsync(given.Id!.Value, zhao)).Ok);
        Assert.DoesNotContain(await tasks.MyOpenAsync(zhao.Id), t => t.Id == given.Id);
        await using (var db = await fx.DbAsync())
            Assert.Equal(zhao.Id, (await db.Activities.SingleAsync(a => a.AccountId == customer && a.SystemEvent == "task.done")).AuthorId);
    }

    [Fact]
    public async Task Untouched_key_customers_and_overdue_follow_ups_escalate_to_the_owners_manager_until_worked()
    {
        var alerts = fx.Get<NeglectAlertService>();
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var sun = await fx.StaffAsync("sales2@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        var admin = await fx.StaffAsync("admin@demo.local");
        var today = WorkLogService.Today;

        // A key customer of 赵敏's nobody has worked for 100 days, and a follow-up 孙强 let slip three days ago.
        int key, slipped;
        await using (var db = await fx.DbAsAsync(wang.Id))
        {
            var a = new Account { Name = "冷落重点客户测试酒业有限公司", Province = "四川", City = "宜宾", OwnerId = zhao.Id, Status = AccountStatus.Active, CreatedAt = DateTimeOffset.UtcNow.AddDays(-100) };
            var b = new Account { Name = "逾期跟进测试酒业有限公司", Province = "四川", City = "成都", OwnerId = sun.Id, Status = AccountStatus.Active, CreatedAt = DateTimeOffset.UtcNow.AddDays(-100) };
            db.Accounts.AddRange(a, b);
            await db.SaveChangesAsync();
            (key, slipped) = (a.Id, b.Id);
            db.Activities.Add(new Activity { AccountId = slipped, Kind = ActivityKind.Call, Subject = "回电确认广告版位", AuthorId = sun.Id, TeamId = sun.TeamId,
                OccurredAt = DateTimeOffset.UtcNow.AddDays(-10), FollowUpOn = today.AddDays(-3), FollowUpAssigneeId = sun.Id });
            await db.SaveChangesAsync();
        }
        using (var scope = fx.Scope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<KeyCustomerService>().PinAsync(key, AccountTier.A, "去年秋季糖酒会特装展位", wang)).Ok);

        var seen = await alerts.ForTeamAsync(wang.TeamId, wang, today);
        Assert.NotNull(seen);
        var untouched = Assert.Single(seen.Rows, r => r.AccountId == key);
        Assert.Equal((NeglectReason.KeyCustomerUntouched, zhao.Id, AccountTier.A), (untouched.Reason, untouched.PersonId, untouched.Tier));
        Assert.True(untouched.Days >= 99, $"untouched for {untouched.Days} days");
        var overdue = Assert.Single(seen.Rows, r => r.AccountId == slipped);
        Assert.Equal((NeglectReason.FollowUpOverdue, sun.Id, 3, "回电确认广告版位"), (overdue.Reason, overdue.PersonId, overdue.Days, overdue.Subject));
        Assert.True(seen.UntouchedKeyCustomers >= 1 && seen.OverdueFollowUps >= 1);

        // Another team's manager view (the administrator sees all teams); a salesperson is refused.
        Assert.Contains((await alerts.ForTeamAsync(null, admin, today))!.Rows, r => r.AccountId == key);
        Assert.Null(await alerts.ForTeamAsync(wang.TeamId, lina, today));

        // 赵敏 calls the customer and 孙强 does his follow-up: both alerts clear.
        using (var scope = fx.Scope())
        {
            var timeline = scope.ServiceProvider.GetRequiredService<TimelineService>();
            Assert.True((await timeline.LogAsync(key, new ActivityInput { Kind = ActivityKind.Call, Subject = "电话回访：今年参展计划" }, zhao)).Ok);
            long followUp;
            await using (var db = await fx.DbAsync()) followUp = await db.Activities.Where(a => a.AccountId == slipped && a.FollowUpOn != null).Select(a => a.Id).SingleAsync();
            Assert.True((await timeline.CompleteFollowUpAsync(followUp, sun)).Ok);
        }
        var after = await alerts.ForTeamAsync(wang.TeamId, wang, today);
        Assert.DoesNotContain(after!.Rows, r => r.AccountId == key || r.AccountId == slipped);
        Assert.Equal(seen.UntouchedKeyCustomers - 1, after.UntouchedKeyCustomers);
        Assert.Equal(seen.OverdueFollowUps - 1, after.OverdueFollowUps);
    }

    [Fact]
    public async Task The_alerts_are_read_again_only_for_an_entry_that_can_change_them()
    {
        var alerts = fx.Get<NeglectAlertService>();
        var bus = fx.Get<IWorkspaceEvents>();
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var today = WorkLogService.Today;
        int ordinary, key;
        await using (var db = await fx.DbAsAsync(wang.Id))
        {
            var c = new Account { Name = "普通客户预警测试酒业有限公司", Province = "四川", City = "泸州", OwnerId = zhao.Id, Status = AccountStatus.Active, Tier = AccountTier.C, CreatedAt = DateTimeOffset.UtcNow.AddDays(-100) };
            var a = new Account { Name = "重点客户预警测试酒业有限公司", Province = "四川", City = "泸州", OwnerId = zhao.Id, Status = AccountStatus.Active, Tier = AccountTier.A, CreatedAt = DateTimeOffset.UtcNow.AddDays(-100) };
            db.Accounts.AddRange(c, a);
            await db.SaveChangesAsync();
            (ordinary, key) = (c.Id, a.Id);
        }
        // Pinned, so the value score does not move it while the test runs.
        using (var pin = fx.Scope())
            Assert.True((await pin.ServiceProvider.GetRequiredService<KeyCustomerService>().PinAsync(key, AccountTier.A, "年度战略客户", wang)).Ok);
        var heard = System.Threading.Channels.Channel.CreateUnbounded<WorkspaceEvent>();
        // The entries' own events (the value score and others publish on the same customers).
        Task Hear(WorkspaceEvent e) => e.Kind is EventKind.ActivityLogged or EventKind.ActivityEdited ? heard.Writer.WriteAsync(e).AsTask() : Task.CompletedTask;
        using var onOrdinary = bus.Subscribe(Topic.Customer(ordinary), Hear);
        using var onKey = bus.Subscribe(Topic.Customer(key), Hear);
        async Task<WorkspaceEvent> Next() => await heard.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var before = (await alerts.ForTeamAsync(wang.TeamId, wang, today))!;
        using var scope = fx.Scope();
        var timeline = scope.ServiceProvider.GetRequiredService<TimelineService>();

        // A call on an ordinary customer, no follow-up: its event says tier C, and the alerts are indeed the same after it.
        var call = await timeline.LogAsync(ordinary, new ActivityInput { Kind = ActivityKind.Call, Subject = "例行电话" }, zhao);
        Assert.True(call.Ok);
        var e = await Next();
        Assert.Equal((EventKind.ActivityLogged, AccountTier.C), (e.Kind, e.Tier));
        Assert.False(NeglectAlertService.MayChange(e));
        var after = (await alerts.ForTeamAsync(wang.TeamId, wang, today))!;
        Assert.Equal((before.UntouchedKeyCustomers, before.OverdueFollowUps), (after.UntouchedKeyCustomers, after.OverdueFollowUps));

        // The same with a follow-up (it may be back-dated into the overdue list), on a key customer (it clears its alert), an edit.
        Assert.True((await timeline.LogAsync(ordinary, new ActivityInput { Kind = ActivityKind.Call, Subject = "约回电", FollowUpOn = DateTime.Today.AddDays(1) }, zhao)).Ok);
        Assert.True(NeglectAlertService.MayChange(await Next()));
        Assert.True((await timeline.LogAsync(key, new ActivityInput { Kind = ActivityKind.Call, Subject = "重点客户回访" }, zhao)).Ok);
        var onKeyEvent = await Next();
        Assert.Equal(AccountTier.A, onKeyEvent.Tier);
        Assert.True(NeglectAlertService.MayChange(onKeyEvent));
        Assert.Equal(before.UntouchedKeyCustomers - 1, (await alerts.ForTeamAsync(wang.TeamId, wang, today))!.UntouchedKeyCustomers);
        Assert.True((await timeline.EditAsync(call.Id!.Value, new ActivityInput { Kind = ActivityKind.Call, Subject = "例行电话（已改）" }, call.Entry!.Version, zhao)).Ok);
        Assert.True(NeglectAlertService.MayChange(await Next()));
        // An event that does not tell the tier (another server's older build, a publisher that did not read it) reads again.
        Assert.True(NeglectAlertService.MayChange(e with { Tier = null }));
    }
}
