using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.KeyCustomers;

/// <summary>"Value that changes" and "problem customers": who is on them, why, and what acting on them leaves behind.</summary>
[Collection(AppCollection.Name)]
public class KeyCustomerListTests(AppFixture fx)
{
    private async Task<(int Head, string OwnerId, int SubscriptionId)> SubscribedCompanyAsync(string name, decimal price, decimal paid, int startedDaysAgo = 20)
    {
        var lina = await fx.StaffAsync("circulation@demo.local");
        int head;
        await using (var db = await fx.DbAsAsync(Actors.SystemId))
        {
            var a = new Account { Name = name, Status = AccountStatus.Active, OwnerId = lina.Id, CreatedAt = DateTimeOffset.UtcNow.AddYears(-2) };
            db.Accounts.Add(a);
            await db.SaveChangesAsync();
            head = a.Id;
        }
        using var s = fx.Scope();
        var p = new Periodical { Title = "变动测试周刊" + name[..2], Code = "VC" + Guid.NewGuid().ToString("N")[..6], IssuesPerYear = 52, AnnualPrice = 500 };
        Assert.True((await s.ServiceProvider.GetRequiredService<PeriodicalService>().CreatePeriodicalAsync(p, lina)).Ok);
        var r = await s.ServiceProvider.GetRequiredService<SubscriptionService>().SubscribeAsync(new SubscriptionInput
        {
            AccountId = head, PeriodicalId = p.Id, StartsOn = DateTime.Today.AddDays(-startedDaysAgo), Months = 12, Copies = 2, Price = price, Paid = paid,
        }, lina);
        Assert.True(r.Ok, r.Problem);
        await fx.Get<ScoreKeeper>().ProcessQueueAsync();
        return (head, lina.Id, r.Id!.Value);
    }

    [Fact]
    public async Task A_customer_whose_renewal_was_declined_shows_its_fall_with_the_reasons_and_a_thank_you_goes_to_the_owner()
    {
        var (head, owner, subscription) = await SubscribedCompanyAsync("价值下降测试酒业有限公司", 4_000, 4_000);
        var today = DateOnly.FromDateTime(DateTime.Today);
        var threeMonthsAgo = new DateOnly(today.Year, today.Month, 1).AddMonths(-3);
        await using (var db = await fx.DbAsAsync(Actors.SystemId))
        {
            // Three months ago it took ¥20,000 a year; since then a renewal was declined.
            db.ScoreSnapshots.Add(new ScoreSnapshot { AccountId = head, Month = threeMonthsAgo, Score = 40, Tier = AccountTier.B,
                Breakdown = ScoreRules.Serialize([new ScoreLine(ScoreInput.SubscriptionRevenue, 20_000, 20), new ScoreLine(ScoreInput.CustomerYears, 2, 4)]) });
            await db.SaveChangesAsync();
            await db.Subscriptions.Where(s => s.Id == subscription).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.LastCallOutcome, RenewalCallOutcome.Declined).SetProperty(s => s.LastCallAt, DateTimeOffset.UtcNow.AddDays(-2))
                .SetProperty(s => s.DeclineReason, "预算削减"));
        }
        using var scope = fx.Scope();
        var lists = scope.ServiceProvider.GetRequiredService<KeyCustomerLists>();
        var current = await scope.ServiceProvider.GetRequiredService<KeyCustomerService>().ScoreOfAsync(head);

        var rows = await lists.ValueChangesAsync(3, take: 500);
        var row = Assert.Single(rows, r => r.AccountId == head);
        Assert.Equal((40, current!.Score, AccountTier.B, owner), (row.Before, row.After, row.TierBefore, row.OwnerId));
        Assert.True(row.Delta < 0);
        Assert.Contains(row.Reasons, r => !r.Up && r.Text == "Subscriptions (12 months): ¥20,000 → ¥4,000 (−16)");
        Assert.Contains(row.Reasons, r => !r.Up && r.Text.StartsWith("Renewal of 变动测试周刊") && r.Text.EndsWith("declined: 预算削减"));
        // Rows are ordered by how far they moved.
        Assert.Equal(rows.Select(r => Math.Abs(r.Delta)).OrderDescending(), rows.Select(r => Math.Abs(r.Delta)));

        var manager = await fx.StaffAsync("marketing@demo.local");
        var planned = await lists.FollowUpAsync(head, CareAction.Encourage, "问问电子版是否够用", manager);
        Assert.True(planned.Ok, planned.Problem);
        await using var check = await fx.DbAsync();
        var entry = await check.Activities.SingleAsync(a => a.Id == planned.Id);
        Assert.Equal((head, owner, DateOnly.FromDateTime(DateTime.Today.AddDays(1)), manager.Id), (entry.AccountId, entry.FollowUpAssigneeId, entry.FollowUpOn!.Value, entry.AuthorId));
        Assert.StartsWith("Encourage the customer", entry.Subject);
    }

    [Fact]
    public async Task A_complaint_and_an_overdue_payment_are_problems_until_closed_by_an_entry_saying_what_was_done()
    {
        var (head, owner, subscription) = await SubscribedCompanyAsync("问题客户测试糖业有限公司", 3_000, 1_000, startedDaysAgo: 60);
        var chen = await fx.StaffAsync("service@demo.local");
        using var scope = fx.Scope();
        var logged = await scope.ServiceProvider.GetRequiredService<TimelineService>().LogAsync(head,
            new ActivityInput { Kind = ActivityKind.Complaint, Subject = "发票开错了抬头" }, chen);
        Assert.True(logged.Ok);
        var lists = scope.ServiceProvider.GetRequiredService<KeyCustomerLists>();

        var mine = (await lists.ProblemsAsync(ownerId: owner)).Where(p => p.AccountId == head).ToList();
        var complaint = Assert.Single(mine, p => p.Kind == ProblemKind.Complaint);
        Assert.Equal("发票开错了抬头", complaint.Detail);
        var overdue = Assert.Single(mine, p => p.Kind == ProblemKind.OverduePayment);
        Assert.Equal($"subscription-payment:{subscription}", overdue.Key);
        Assert.Contains("¥2,000 of ¥3,000 unpaid", overdue.Detail);
        Assert.DoesNotContain(await lists.ProblemsAsync(ownerId: chen.Id), p => p.AccountId == head);

        var empty = await lists.CloseProblemAsync(complaint.Key, head, ActivityKind.Call, "  ", chen);
        Assert.False(empty.Ok);
        Assert.True(empty.Errors!.ContainsKey("Subject"));

        var closed = await lists.CloseProblemAsync(complaint.Key, head, ActivityKind.Call, "已重开发票并快递寄出，客户满意", chen);
        Assert.True(closed.Ok, closed.Problem);
        var again = await lists.CloseProblemAsync(complaint.Key, head, ActivityKind.Call, "重复关闭", await fx.StaffAsync("marketing@demo.local"));
        Assert.False(again.Ok);
        Assert.Contains("already closed", again.Error);

        var left = (await lists.ProblemsAsync()).Where(p => p.AccountId == head).Select(p => p.Kind).ToList();
        Assert.Equal([ProblemKind.OverduePayment], left);
        await using (var db = await fx.DbAsync())
        {
            var entry = await db.Activities.SingleAsync(a => a.Id == closed.Id);
            Assert.Equal(("已重开发票并快递寄出，客户满意", chen.Id, "Problem closed"), (entry.Subject, entry.AuthorId, entry.Outcome));
            Assert.NotNull((await db.Activities.SingleAsync(a => a.Id == logged.Id)).FollowUpDoneAt);
        }
        // The closed complaint no longer weighs on the score.
        await fx.Get<ScoreKeeper>().ProcessQueueAsync();
        var score = await scope.ServiceProvider.GetRequiredService<KeyCustomerService>().ScoreOfAsync(head);
        Assert.DoesNotContain(score!.Lines, l => l.Input == ScoreInput.OpenComplaints);
        Assert.Contains(score.Lines, l => l.Input == ScoreInput.OverduePayments && l.Points == -5);
    }
}
