using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using UglyToad.PdfPig;

namespace CrmWorkspace.Tests.Features.Teams;

/// <summary>
/// The work log: 赵敏 (a marketing salesperson) calls and visits customers; her own log and her team's count exactly that work,
/// by kind and customers touched; she writes her day's summary and her manager 王磊 comments on it. Members read only their own.
/// </summary>
[Collection(AppCollection.Name)]
public class WorkLogServiceTests(AppFixture fx)
{
    private static DateOnly Today => WorkLogService.Today;

    private async Task<int[]> CustomersAsync(int n, int skip)
    {
        await using var db = await fx.DbAsync();
        return await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(skip).Take(n).Select(a => a.Id).ToArrayAsync();
    }

    private async Task LogAsync(IServiceScope s, StaffIdentity who, int account, ActivityKind kind, string subject, DateTimeOffset? at = null)
    {
        var r = await s.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(account, new ActivityInput { Kind = kind, Subject = subject, OccurredAt = at }, who);
        Assert.True(r.Ok, r.Problem);
    }

    [Fact]
    public async Task A_persons_day_and_their_team_count_every_activity_by_kind_and_the_customers_touched()
    {
        using var s = fx.Scope();
        var worklog = s.ServiceProvider.GetRequiredService<WorkLogService>();
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");
        var before = (await worklog.ReadAsync(new WorkLogQuery(Today, PersonId: zhao.Id), zhao)).Log!;
        var teamBefore = (await worklog.ReadAsync(new WorkLogQuery(Today, TeamId: zhao.TeamId), wang)).Log!;
        var c = await CustomersAsync(2, 20);

        await LogAsync(s, zhao, c[0], ActivityKind.Call, "工作日志测试：电话一");
        await LogAsync(s, zhao, c[0], ActivityKind.Call, "工作日志测试：电话二");
        await LogAsync(s, zhao, c[1], ActivityKind.Visit, "工作日志测试：拜访");
        // Yesterday's work is not today's.
        await LogAsync(s, zhao, c[1], ActivityKind.Visit, "工作日志测试：昨天的拜访", WorkLogService.StartOf(Today).AddHours(-3));

        var log = (await worklog.ReadAsync(new WorkLogQuery(Today, PersonId: zhao.Id), zhao)).Log!;
        Assert.Equal(before.Activities + 3, log.Activities);
        Assert.Equal(before.ByKind.GetValueOrDefault(ActivityKind.Call) + 2, log.ByKind[ActivityKind.Call]);
        Assert.Equal(before.ByKind.GetValueOrDefault(ActivityKind.Visit) + 1, log.ByKind[ActivityKind.Visit]);
        Assert.Equal(before.Entries.Select(e => e.AccountId).Union(c).Distinct().Count(), log.Customers);
        Assert.Contains(log.Entries, e => e.Subject == "工作日志测试：拜访" && e.AccountId == c[1]);
        Assert.DoesNotContain(log.Entries, e => e.Subject == "工作日志测试：昨天的拜访");

        // The figures agree with the timeline itself, counted by hand from the database.
        await using (var db = await fx.DbAsync())
        {
            var (from, to) = (WorkLogService.StartOf(Today), WorkLogService.StartOf(Today.AddDays(1)));
            var mine = await db.Activities.Where(a => a.AuthorId == zhao.Id && a.Kind != ActivityKind.System && a.OccurredAt >= from && a.OccurredAt < to)
                .Select(a => a.AccountId).ToListAsync();
            Assert.Equal(mine.Count, log.Activities);
            Assert.Equal(mine.Distinct().Count(), log.Customers);
        }

        // Her manager sees the same figures on her line of the team's day, and the team's total grew by exactly her work.
        var team = (await worklog.ReadAsync(new WorkLogQuery(Today, TeamId: zhao.TeamId), wang)).Log!;
        Assert.Equal(teamBefore.Activities + 3, team.Activities);
        var line = Assert.Single(team.People, p => p.PersonId == zhao.Id);
        Assert.Equal(log.Activities, line.Activities);
        Assert.Equal(log.Customers, line.Customers);
        // A team member who has logged nothing is listed too, with zero.
        Assert.All(team.People, p => Assert.Equal(p.ByKind.Values.Sum(), p.Activities));

        // The week holds the day (and yesterday, when yesterday is in the same week).
        var week = (await worklog.ReadAsync(new WorkLogQuery(Today, WorkLogPeriod.Week, PersonId: zhao.Id), zhao)).Log!;
        Assert.Equal(DayOfWeek.Monday, week.Query.Start.DayOfWeek);
        Assert.True(week.Activities >= log.Activities + (Today.DayOfWeek == DayOfWeek.Monday ? 0 : 1));
    }

    [Fact]
    public async Task Members_read_only_their_own_log_and_cannot_comment()
    {
        using var s = fx.Scope();
        var worklog = s.ServiceProvider.GetRequiredService<WorkLogService>();
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var sun = await fx.StaffAsync("sales2@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");

        var team = await worklog.ReadAsync(new WorkLogQuery(Today, TeamId: zhao.TeamId), zhao);
        Assert.Null(team.Log);
        Assert.Contains("Only managers", team.Error);
        Assert.Null((await worklog.ReadAsync(new WorkLogQuery(Today, PersonId: sun.Id), zhao)).Log);
        Assert.Null((await worklog.ReadAsync(new WorkLogQuery(Today), zhao)).Log);
        Assert.NotNull((await worklog.ReadAsync(new WorkLogQuery(Today, PersonId: zhao.Id), zhao)).Log);
        Assert.NotNull((await worklog.ReadAsync(new WorkLogQuery(Today, PersonId: zhao.Id), wang)).Log);

        var written = await worklog.WriteSummaryAsync(Today.AddDays(-2), "两天前：拜访三家", null, sun);
        Assert.True(written.Ok, written.Problem);
        var refused = await worklog.CommentAsync(written.Summary!.Id, "同事的批注", written.Summary.Version, zhao);
        Assert.False(refused.Ok);
        Assert.Equal("Only managers comment on daily summaries.", refused.Error);
        await using var db = await fx.DbAsync();
        Assert.Null(await db.DailySummaries.Where(x => x.Id == written.Summary.Id).Select(x => x.Comment).SingleAsync());
    }

    [Fact]
    public async Task A_summary_is_one_per_day_never_overwritten_from_a_stale_window_and_the_managers_comment_reaches_the_author()
    {
        using var s = fx.Scope();
        var worklog = s.ServiceProvider.GetRequiredService<WorkLogService>();
        var events = fx.Get<IWorkspaceEvents>();
        var sun = await fx.StaffAsync("sales2@demo.local");
        var wang = await fx.StaffAsync("marketing@demo.local");
        var heard = new List<WorkspaceEvent>();
        using var _ = events.Subscribe(Topic.Person(sun.Id), e => { lock (heard) heard.Add(e); return Task.CompletedTask; });

        // Limits are told, and nothing is stored.
        var tooLong = await worklog.WriteSummaryAsync(Today, new string('字', WorkLogService.MaxSummary + 1), null, sun);
        Assert.Equal($"The summary is too long ({WorkLogService.MaxSummary} characters at most).", tooLong.Errors!["Text"]);
        Assert.False((await worklog.WriteSummaryAsync(Today.AddDays(1), "明天", null, sun)).Ok);
        Assert.False((await worklog.WriteSummaryAsync(Today, "   ", null, sun)).Ok);
        var exact = await worklog.WriteSummaryAsync(Today.AddDays(-3), new string('字', WorkLogService.MaxSummary), null, sun);
        Assert.True(exact.Ok, exact.Problem);

        var first = await worklog.WriteSummaryAsync(Today, "上午：电话五家", null, sun);
        Assert.True(first.Ok, first.Problem);
        var second = await worklog.WriteSummaryAsync(Today, "上午：电话五家；下午：拜访两家", first.Summary!.Version, sun);
        Assert.True(second.Ok, second.Problem);
        Assert.Equal(first.Summary.Id, second.Summary!.Id);
        // A window still holding the first version cannot overwrite the second.
        var stale = await worklog.WriteSummaryAsync(Today, "旧窗口的内容", first.Summary.Version, sun);
        Assert.False(stale.Ok);
        Assert.True(stale.Conflict);
        // A window that never saw the summary cannot make a second one for the same day.
        Assert.False((await worklog.WriteSummaryAsync(Today, "另一个新窗口", null, sun)).Ok);

        var comment = await worklog.CommentAsync(second.Summary.Id, "下午的两家请写清结果。", second.Summary.Version, wang);
        Assert.True(comment.Ok, comment.Problem);
        var staleComment = await worklog.CommentAsync(second.Summary.Id, "基于旧版本的批注", second.Summary.Version, wang);
        Assert.False(staleComment.Ok);

        var mine = (await worklog.ReadAsync(new WorkLogQuery(Today, PersonId: sun.Id), sun)).Log!;
        var shown = Assert.Single(mine.Summaries, x => x.Day == Today);
        Assert.Equal("上午：电话五家；下午：拜访两家", shown.Text);
        Assert.Equal("下午的两家请写清结果。", shown.Comment);
        Assert.Equal(wang.Name, shown.CommentedByName);
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(1, await db.DailySummaries.CountAsync(x => x.AuthorId == sun.Id && x.Day == Today));
            var row = await db.DailySummaries.SingleAsync(x => x.AuthorId == sun.Id && x.Day == Today);
            Assert.Equal(sun.Id, row.CreatedBy);
            Assert.Equal(wang.Id, row.UpdatedBy);
        }
        // The author hears both their own writes and the manager's comment on their own topic (their page updates live).
        for (var i = 0; i < 50 && heard.Count(e => e.Kind == EventKind.SummaryCommented) == 0; i++) await Task.Delay(20);
        lock (heard)
        {
            Assert.Contains(heard, e => e.Kind == EventKind.SummaryWritten && e.ActorId == sun.Id);
            Assert.Contains(heard, e => e.Kind == EventKind.SummaryCommented && e.ActorId == wang.Id && e.AssigneeId == sun.Id);
        }
    }

    [Fact]
    public async Task The_printed_and_exported_log_carry_the_same_figures_as_the_screen()
    {
        using var s = fx.Scope();
        var worklog = s.ServiceProvider.GetRequiredService<WorkLogService>();
        var reports = s.ServiceProvider.GetRequiredService<WorkLogReports>();
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var c = await CustomersAsync(1, 25);
        await LogAsync(s, zhao, c[0], ActivityKind.Meeting, "工作日志导出测试：会议");
        var q = new WorkLogQuery(Today, TeamId: zhao.TeamId);
        var log = (await worklog.ReadAsync(q, wang)).Log!;
        Assert.True(log.Activities > 0);

        var xlsx = await reports.ExcelAsync(q, wang);
        var rows = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "Activities").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(log.Activities, rows.Count);
        Assert.Contains(rows, r => (string)r["Subject"] == "工作日志导出测试：会议" && (string)r["Person"] == zhao.Name);
        var counts = new MemoryStream(xlsx).Query(useHeaderRow: true, sheetName: "Counts").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(log.Activities, counts.Sum(r => Convert.ToInt32(r["Activities"])));

        var html = System.Net.WebUtility.HtmlDecode(await reports.HtmlAsync(log, wang));
        Assert.Contains("工作日志导出测试：会议", html);
        Assert.Contains($"Total: {log.Activities} activities · {log.Customers} customers touched", html);

        using var doc = PdfDocument.Open(await reports.PdfAsync(log, wang));
        var text = string.Concat(doc.GetPages().Select(p => p.Text)).Replace("\u00a0", " ");
        Assert.Contains("Daily work log", text);
        Assert.Contains($"Total: {log.Activities} activities · {log.Customers} customers touched", text);
    }
}
