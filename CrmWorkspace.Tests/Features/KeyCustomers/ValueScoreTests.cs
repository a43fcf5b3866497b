using System.Globalization;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Tests.Features.KeyCustomers;

/// <summary>The arithmetic of the value score, without a database.</summary>
public class ScoreRulesTests
{
    private static readonly ScoreSettings Cuts = new() { TierA = 50, TierB = 25, TierC = 10 };

    [Fact]
    public void Each_input_gives_its_weight_per_unit_rounded_and_capped()
    {
        var w = ScoreRules.DefaultWeights();
        var r = ScoreRules.Compute(new Dictionary<ScoreInput, decimal>
        {
            [ScoreInput.SubscriptionRevenue] = 8_600,    // 8.6 × 1 per ¥1,000 → +9
            [ScoreInput.SubscriptionCopies] = 14,        // 14 copies, capped at +10
            [ScoreInput.BoothArea] = 18,                 // two 9 m² booths → +2
            [ScoreInput.FairSpend] = 24_000,             // 4.8 per ¥5,000 → +5
            [ScoreInput.CustomerYears] = 3,              // 2 a year → +6
            [ScoreInput.OpenComplaints] = 2,             // −5 each → −10
            [ScoreInput.MonthsWithoutContact] = 0,       // nothing: no line
        }, w, Cuts);

        Assert.Equal([(ScoreInput.SubscriptionRevenue, 9), (ScoreInput.SubscriptionCopies, 10), (ScoreInput.BoothArea, 2), (ScoreInput.FairSpend, 5),
            (ScoreInput.CustomerYears, 6), (ScoreInput.OpenComplaints, -10)], r.Lines.Select(l => (l.Input, l.Points)));
        Assert.Equal(22, r.Score);
        Assert.Equal(AccountTier.C, r.Tier);
    }

    [Fact]
    public void Penalties_are_capped_too_and_the_cut_offs_decide_the_tier()
    {
        var w = ScoreRules.DefaultWeights();
        Assert.Equal(-20, ScoreRules.Points(9, w.Single(x => x.Input == ScoreInput.OverduePayments)));
        Assert.Equal(30, ScoreRules.Points(1_000_000, w.Single(x => x.Input == ScoreInput.SubscriptionRevenue)));
        Assert.Equal(AccountTier.A, ScoreRules.TierOf(50, Cuts));
        Assert.Equal(AccountTier.B, ScoreRules.TierOf(49, Cuts));
        Assert.Equal(AccountTier.C, ScoreRules.TierOf(10, Cuts));
        Assert.Equal(AccountTier.D, ScoreRules.TierOf(9, Cuts));
        Assert.Equal(AccountTier.D, ScoreRules.TierOf(-30, Cuts));
    }
}

/// <summary>Scores in the running app: roll-up to the head office, kept current by the save path, pinned by managers only.</summary>
[Collection(AppCollection.Name)]
public class ValueScoreTests(AppFixture fx)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    private async Task<(int Head, int Branch)> CompanyWithBranchAsync(string name)
    {
        await using var db = await fx.DbAsAsync(Actors.SystemId);
        var head = new Account { Name = name, Status = AccountStatus.Active, CreatedAt = DateTimeOffset.UtcNow.AddYears(-3).AddDays(-5) };
        db.Accounts.Add(head);
        await db.SaveChangesAsync();
        var branch = new Account { Name = name + "成都办事处", ParentId = head.Id, Status = AccountStatus.Active };
        db.Accounts.Add(branch);
        await db.SaveChangesAsync();
        return (head.Id, branch.Id);
    }

    private async Task<int> PeriodicalAsync(StaffIdentity actor)
    {
        using var s = fx.Scope();
        var p = new Periodical { Title = "评分测试月刊", Code = "KC" + Guid.NewGuid().ToString("N")[..6], IssuesPerYear = 12, AnnualPrice = 300 };
        Assert.True((await s.ServiceProvider.GetRequiredService<PeriodicalService>().CreatePeriodicalAsync(p, actor)).Ok);
        return p.Id;
    }

    private async Task SubscribeAsync(int accountId, int periodical, StaffIdentity actor, decimal price, int copies, decimal? paid = null, int startedDaysAgo = 10)
    {
        using var s = fx.Scope();
        var r = await s.ServiceProvider.GetRequiredService<SubscriptionService>().SubscribeAsync(new SubscriptionInput
        {
            AccountId = accountId, PeriodicalId = periodical, StartsOn = DateTime.Today.AddDays(-startedDaysAgo), Months = 12, Copies = copies,
            Price = price, Paid = paid ?? price,
        }, actor);
        Assert.True(r.Ok, r.Problem);
    }

    private async Task<CustomerScoreView> ScoreAsync(int accountId)
    {
        using var s = fx.Scope();
        var v = await s.ServiceProvider.GetRequiredService<KeyCustomerService>().ScoreOfAsync(accountId);
        Assert.NotNull(v);
        return v;
    }

    private static int Points(CustomerScoreView v, ScoreInput input) => v.Lines.SingleOrDefault(l => l.Input == input)?.Points ?? 0;
    private static decimal Amount(CustomerScoreView v, ScoreInput input) => v.Lines.SingleOrDefault(l => l.Input == input)?.Amount ?? 0;

    [Fact]
    public async Task A_branchs_subscriptions_count_at_its_head_office_and_the_branch_page_shows_the_head_offices_score()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        var (head, branch) = await CompanyWithBranchAsync("评分汇总测试酒业有限公司");
        var p = await PeriodicalAsync(lina);
        await SubscribeAsync(head, p, lina, 3_600, 4);
        await SubscribeAsync(branch, p, lina, 5_000, 6);   // the branch's business is the head office's
        await fx.Get<ScoreKeeper>().ProcessQueueAsync();

        var v = await ScoreAsync(head);
        Assert.Equal(8_600m, Amount(v, ScoreInput.SubscriptionRevenue));
        Assert.Equal(9, Points(v, ScoreInput.SubscriptionRevenue));
        Assert.Equal(10, Amount(v, ScoreInput.SubscriptionCopies));
        Assert.Equal(10, Points(v, ScoreInput.SubscriptionCopies));
        Assert.Equal(3, Amount(v, ScoreInput.CustomerYears));
        Assert.Equal(v.Lines.Sum(l => l.Points), v.Score);

        var fromBranch = await ScoreAsync(branch);
        Assert.True(fromBranch.IsBranch);
        Assert.Equal(head, fromBranch.HeadId);
        Assert.Equal(v.Score, fromBranch.Score);
        // The tier everyone sees is the head office's, on the branch too.
        await using var db = await fx.DbAsync();
        Assert.Equal([v.Tier, v.Tier], await db.Accounts.Where(a => a.Id == head || a.Id == branch).Select(a => a.Tier).ToListAsync());
    }

    [Fact]
    public async Task A_complaint_logged_on_a_branch_is_queued_in_the_same_commit_and_lowers_the_head_offices_score()
    {
        var chen = await fx.StaffAsync("service@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        var (head, branch) = await CompanyWithBranchAsync("投诉重算测试食品有限公司");
        await SubscribeAsync(head, await PeriodicalAsync(lina), lina, 12_000, 2);
        var keeper = fx.Get<ScoreKeeper>();
        await keeper.ProcessQueueAsync();
        var before = await ScoreAsync(head);
        Assert.Equal(0, Points(before, ScoreInput.OpenComplaints));

        using (var s = fx.Scope())
        {
            var r = await s.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(branch,
                new ActivityInput { Kind = ActivityKind.Complaint, Subject = "杂志连续两期没有收到" }, chen);
            Assert.True(r.Ok, r.Problem);
        }
        // The change and its "recompute me" mark are one commit: the mark is there before anyone recomputes.
        await using (var db = await fx.DbAsync())
            Assert.True(await db.ScoreDirty.AnyAsync(d => d.AccountId == branch) || (await ScoreAsync(head)).Score != before.Score);
        await keeper.ProcessQueueAsync();

        var after = await ScoreAsync(head);
        Assert.Equal(1, Amount(after, ScoreInput.OpenComplaints));
        Assert.Equal(-5, Points(after, ScoreInput.OpenComplaints));
        // Logging the complaint is also a contact, so only the complaint line moved the score.
        Assert.Equal(before.Score - 5 - Points(before, ScoreInput.MonthsWithoutContact) + Points(after, ScoreInput.MonthsWithoutContact), after.Score);
        await using (var db = await fx.DbAsync())
            Assert.False(await db.ScoreDirty.AnyAsync(d => d.AccountId == branch));
    }

    [Fact]
    public async Task A_head_office_that_becomes_a_branch_or_is_deleted_loses_its_own_score_and_leaves_the_queue()
    {
        var (group, _) = await CompanyWithBranchAsync("并入集团测试酒业集团");
        var (joining, _) = await CompanyWithBranchAsync("并入集团测试酒厂");
        var (closing, _) = await CompanyWithBranchAsync("注销测试糖果厂");
        var keeper = fx.Get<ScoreKeeper>();
        await keeper.RecomputeAsync([group, joining, closing]);
        await using (var db = await fx.DbAsync())
            Assert.Equal(3, await db.CustomerScores.CountAsync(s => s.AccountId == group || s.AccountId == joining || s.AccountId == closing));

        // One joins the group as its branch, another is deleted: both saves queue a recompute.
        await using (var db = await fx.DbAsAsync(Actors.SystemId))
        {
            (await db.Accounts.SingleAsync(a => a.Id == joining)).ParentId = group;
            (await db.Accounts.SingleAsync(a => a.Id == closing)).IsDeleted = true;
            await db.SaveChangesAsync();
        }
        await keeper.ProcessQueueAsync();

        await using (var db = await fx.DbAsync())
        {
            // Scores are kept for head offices only, and none for a customer that is gone; the group's stays.
            Assert.Equal([group], await db.CustomerScores.Where(s => s.AccountId == group || s.AccountId == joining || s.AccountId == closing)
                .Select(s => s.AccountId).ToListAsync());
            Assert.False(await db.ScoreDirty.AnyAsync(d => d.AccountId == joining || d.AccountId == closing || d.AccountId == group));
        }
        // The former head office now shows the group's score.
        Assert.Equal(group, (await ScoreAsync(joining)).HeadId);
    }

    [Fact]
    public async Task A_save_that_leaves_the_score_where_it_was_rewrites_no_score_and_its_time_is_when_it_last_changed()
    {
        var chen = await fx.StaffAsync("service@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        var (head, branch) = await CompanyWithBranchAsync("评分未变测试糖业有限公司");
        await SubscribeAsync(head, await PeriodicalAsync(lina), lina, 6_000, 2);
        var keeper = fx.Get<ScoreKeeper>();
        await LogAsync(branch, "第一次回访", chen);
        await keeper.ProcessQueueAsync();
        var before = await ScoreAsync(head);
        (DateOnly Month, int Score, string Breakdown)[] snapshots;
        await using (var db = await fx.DbAsync())
            snapshots = [.. (await db.ScoreSnapshots.Where(x => x.AccountId == head).ToListAsync()).Select(x => (x.Month, x.Score, x.Breakdown))];

        // A second call this month: a contact again, nothing in the score moves.
        await Task.Delay(50);
        await LogAsync(branch, "第二次回访", chen);
        var (recomputed, tierChanged) = await keeper.ProcessQueueAsync();

        var after = await ScoreAsync(head);
        Assert.Equal(before.Score, after.Score);
        Assert.DoesNotContain(head, recomputed);   // nothing moved, so no open page is told to re-read it
        Assert.DoesNotContain(head, tierChanged);
        // Not rewritten: "last changed" is still the first computation's time.
        Assert.Equal(before.ComputedAt, after.ComputedAt);
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(snapshots, (await db.ScoreSnapshots.Where(x => x.AccountId == head).ToListAsync()).Select(x => (x.Month, x.Score, x.Breakdown)));
            // The queue's rows left all the same.
            Assert.False(await db.ScoreDirty.AnyAsync(d => d.AccountId == branch || d.AccountId == head));
        }

        // A save that moves it (a complaint) does write it, with a new time, and the page hears of it.
        await LogAsync(branch, "发票开错了抬头", chen, ActivityKind.Complaint);
        (recomputed, _) = await keeper.ProcessQueueAsync();
        var moved = await ScoreAsync(head);
        Assert.Equal(after.Score - 5, moved.Score);
        Assert.Contains(head, recomputed);
        Assert.True(moved.ComputedAt > after.ComputedAt);
    }

    private async Task LogAsync(int accountId, string subject, StaffIdentity actor, ActivityKind kind = ActivityKind.Call)
    {
        using var s = fx.Scope();
        var r = await s.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(accountId, new ActivityInput { Kind = kind, Subject = subject }, actor);
        Assert.True(r.Ok, r.Problem);
    }

    [Fact]
    public async Task An_unpaid_subscription_past_its_due_days_counts_as_an_overdue_payment()
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        var (head, _) = await CompanyWithBranchAsync("逾期付款测试糖业有限公司");
        var p = await PeriodicalAsync(lina);
        await SubscribeAsync(head, p, lina, 1_200, 1, paid: 0, startedDaysAgo: 45);   // due 30 days after the start: overdue
        await SubscribeAsync(head, p, lina, 1_200, 1, paid: 0, startedDaysAgo: 5);    // not yet due
        await fx.Get<ScoreKeeper>().ProcessQueueAsync();
        var v = await ScoreAsync(head);
        Assert.Equal(1, Amount(v, ScoreInput.OverduePayments));
        Assert.Equal(-5, Points(v, ScoreInput.OverduePayments));
    }

    [Fact]
    public async Task A_manager_pins_a_tier_with_a_reason_and_a_member_cannot()
    {
        var (head, branch) = await CompanyWithBranchAsync("锁定等级测试酒厂");
        var keeper = fx.Get<ScoreKeeper>();
        await keeper.RecomputeAsync([head]);
        var computed = (await ScoreAsync(head)).ComputedTier;
        Assert.Equal(AccountTier.D, computed);
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<KeyCustomerService>();

        var refused = await service.PinAsync(head, AccountTier.A, "战略客户", await fx.StaffAsync("circulation@demo.local"));
        Assert.False(refused.Ok);
        Assert.Contains("manager", refused.Error);
        var noReason = await service.PinAsync(head, AccountTier.A, "  ", await fx.StaffAsync("marketing@demo.local"));
        Assert.False(noReason.Ok);
        Assert.True(noReason.Errors!.ContainsKey("Reason"));
        Assert.Equal(AccountTier.D, (await ScoreAsync(head)).Tier);

        var ok = await service.PinAsync(branch, AccountTier.A, "集团年度战略合作伙伴", await fx.StaffAsync("marketing@demo.local"));
        Assert.True(ok.Ok, ok.Problem);
        var v = await ScoreAsync(branch);
        Assert.Equal((AccountTier.A, AccountTier.D, AccountTier.A), (v.Tier, v.ComputedTier, v.PinnedTier!.Value));
        Assert.Equal("集团年度战略合作伙伴", v.PinReason);
        Assert.Equal("王磊", v.PinnedByName);
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal([AccountTier.A, AccountTier.A], await db.Accounts.Where(a => a.Id == head || a.Id == branch).Select(a => a.Tier).ToListAsync());
            Assert.True(await db.Activities.AnyAsync(a => a.AccountId == head && a.SystemEvent == "score.pinned" && a.Subject.Contains("集团年度战略合作伙伴")));
        }
        // A recompute keeps the pin.
        await keeper.RecomputeAsync([head]);
        Assert.Equal(AccountTier.A, (await ScoreAsync(head)).Tier);

        Assert.True((await service.PinAsync(head, null, null, await fx.StaffAsync("marketing@demo.local"))).Ok);
        Assert.Equal(AccountTier.D, (await ScoreAsync(head)).Tier);
    }

    [Fact]
    public async Task Settings_are_refused_to_members_checked_and_a_managers_change_recomputes_everyone()
    {
        using var s = fx.Scope();
        var service = s.ServiceProvider.GetRequiredService<KeyCustomerService>();
        var settings = await service.SettingsAsync();
        Assert.Equal(8, settings.Weights.Count);

        var member = await service.SaveSettingsAsync(settings, await fx.StaffAsync("circulation@demo.local"));
        Assert.False(member.Ok);
        var manager = await fx.StaffAsync("marketing@demo.local");
        var bad = await service.SettingsAsync();
        bad.TierB = bad.TierA;
        bad.Weights[0].Unit = 0;
        var refused = await service.SaveSettingsAsync(bad, manager);
        Assert.False(refused.Ok);
        Assert.True(refused.Errors!.ContainsKey("TierA"));
        Assert.True(refused.Errors!.ContainsKey("Weight.SubscriptionRevenue"));

        var lina = await fx.StaffAsync("circulation@demo.local");
        var (head, _) = await CompanyWithBranchAsync("权重修改测试酒业");
        await SubscribeAsync(head, await PeriodicalAsync(lina), lina, 6_000, 1);
        await fx.Get<ScoreKeeper>().ProcessQueueAsync();
        Assert.Equal(6, Points(await ScoreAsync(head), ScoreInput.SubscriptionRevenue));

        var doubled = await service.SettingsAsync();
        doubled.Weights.Single(w => w.Input == ScoreInput.SubscriptionRevenue).PointsPerUnit = 2;
        try
        {
            var saved = await service.SaveSettingsAsync(doubled, manager);
            Assert.True(saved.Ok, saved.Problem);
            // Someone who loaded the settings before that save is told, not silently overwritten.
            var stale = await service.SaveSettingsAsync(settings, manager);
            Assert.False(stale.Ok);
            Assert.Contains("王磊", stale.Error);

            await fx.Get<ScoreKeeper>().RecomputeAllAsync();
            Assert.Equal(12, Points(await ScoreAsync(head), ScoreInput.SubscriptionRevenue));
        }
        finally
        {
            var back = await service.SettingsAsync();
            back.Weights.Single(w => w.Input == ScoreInput.SubscriptionRevenue).PointsPerUnit = 1;
            Assert.True((await service.SaveSettingsAsync(back, manager)).Ok);
            await fx.Get<ScoreKeeper>().RecomputeAllAsync();
        }
    }

    [Fact]
    public async Task A_full_recompute_leaves_the_scores_that_did_not_move_as_they_were()
    {
        var keeper = fx.Get<ScoreKeeper>();
        await keeper.RecomputeAllAsync();
        Dictionary<int, (int Score, string Breakdown, DateTimeOffset At)> before;
        await using (var db = await fx.DbAsync())
            before = await db.CustomerScores.ToDictionaryAsync(s => s.AccountId, s => ValueTuple.Create(s.Score, s.Breakdown, s.ComputedAt));
        Assert.NotEmpty(before);
        await Task.Delay(50);
        await keeper.RecomputeAllAsync();
        await using (var db = await fx.DbAsync())
        {
            var after = await db.CustomerScores.ToDictionaryAsync(s => s.AccountId, s => ValueTuple.Create(s.Score, s.Breakdown, s.ComputedAt));
            // A score another test's save moved meanwhile may carry a new time; every one that did not move keeps its time.
            var same = before.Where(b => after.TryGetValue(b.Key, out var a) && a.Item1 == b.Value.Score && a.Item2 == b.Value.Breakdown).ToList();
            Assert.True(same.Count >= before.Count * 9 / 10, $"{same.Count} of {before.Count} scores unchanged");
            Assert.All(same, b => Assert.Equal(b.Value.At, after[b.Key].Item3));
        }
    }

    [Fact]
    public void Breakdown_lines_read_in_both_languages()
    {
        var L = fx.Get<IStringLocalizer<KeyCustomersText>>();
        var prior = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Subscriptions (12 months) ¥8,600: +9", ScoreText.Line(L, new ScoreLine(ScoreInput.SubscriptionRevenue, 8_600, 9)));
            Assert.Equal("Open complaints 2: −10", ScoreText.Line(L, new ScoreLine(ScoreInput.OpenComplaints, 2, -10)));
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("未结投诉 2：−10", ScoreText.Line(L, new ScoreLine(ScoreInput.OpenComplaints, 2, -10)));
        }
        finally { CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = prior; }
    }
}
