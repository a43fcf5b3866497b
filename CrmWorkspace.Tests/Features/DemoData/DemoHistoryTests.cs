using System.Text.Json;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.DemoData;

namespace CrmWorkspace.Tests.Features.DemoData;

/// <summary>The year generator on its own: a small world in, a year of timeline out.</summary>
public class DemoHistoryTests
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 2, 11, 20, 0, TimeSpan.Zero).ToLocalTime();

    private static readonly DemoPerson[] Staff =
    [
        new("admin", "管理员", null), new("wang", "王磊", 1, IsManager: true), new("li", "李娜", 2), new("zhang", "张伟", 3), new("liu", "刘洋", 4), new("chen", "陈静", 5),
    ];

    /// <summary>A tiny demo: three customers (one a branch), one subscription that lapsed, one booking.</summary>
    private static DemoWorld Tiny() => new(Now, Staff,
        [
            new DemoCustomer(1, null, "四川宜宾金樽酒业有限公司", "wang", AccountTier.A, AccountStatus.Active, true, true, true, Now.AddYears(-3),
                [new DemoContact(11, "王芳", "总经理"), new DemoContact(12, "李强", "采购经理")], "0831-8230001", ProductLines.Baijiu),
            new DemoCustomer(2, 1, "四川宜宾金樽酒业有限公司成都分公司", "li", AccountTier.B, AccountStatus.Active, false, false, false, Now.AddDays(-200),
                [new DemoContact(21, "赵敏", "区域经理")]),
            new DemoCustomer(3, null, "广西南宁甘泉糖业有限公司", "chen", AccountTier.D, AccountStatus.Restricted, false, false, false, Now.AddYears(-2), []),
        ],
        [new DemoSubscription(100, 1, 11, 1, "糖酒快讯", 480, DateOnly.FromDateTime(Now.Date).AddDays(-400), DateOnly.FromDateTime(Now.Date).AddDays(-35), 1, "宜宾")],
        [new DemoBooking(7, 1, "第113届全国糖酒商品交易会（秋季）", DateOnly.FromDateTime(Now.Date).AddDays(-40), DateOnly.FromDateTime(Now.Date).AddDays(-38), true, BookingStatus.PaidInFull, 500)]);

    private static string Rows(DemoYear y) => JsonSerializer.Serialize(y.Activities.Select(a => new
    {
        a.AccountId, a.ContactId, a.TeamId, a.AuthorId, a.Kind, a.SystemEvent, a.Subject, a.Body, a.Outcome, a.OccurredAt, a.FollowUpOn, a.FollowUpAssigneeId, a.FollowUpDoneAt, a.Data,
    }));

    [Fact]
    public void The_same_world_and_seed_give_the_same_year_and_another_seed_another()
    {
        var first = new DemoHistory(Tiny(), 2026).Build();
        var again = new DemoHistory(Tiny(), 2026).Build();
        var other = new DemoHistory(Tiny(), 7).Build();
        Assert.Equal(Rows(first), Rows(again));
        Assert.NotEqual(Rows(first), Rows(other));
    }

    [Fact]
    public void Even_a_tiny_demo_gives_every_user_follow_ups_due_today_this_week_and_one_that_slipped()
    {
        var year = new DemoHistory(Tiny(), 2026).Build();
        var today = DateOnly.FromDateTime(Now.Date);
        foreach (var person in Staff)
        {
            var open = year.Activities.Where(a => a.FollowUpAssigneeId == person.Id && a.FollowUpOn is not null && a.FollowUpDoneAt is null).ToList();
            Assert.True(open.Count(a => a.FollowUpOn == today) >= DemoHistory.MinDueToday, $"{person.Name}: due today");
            Assert.True(open.Count(a => a.FollowUpOn > today && a.FollowUpOn <= today.AddDays(6)) >= DemoHistory.MinThisWeek, $"{person.Name}: this week");
            Assert.InRange(open.Count(a => a.FollowUpOn < today), DemoHistory.MinOverdue, DemoHistory.MaxOverdue);
        }
    }

    [Fact]
    public void Nothing_happens_in_the_future_and_every_contact_is_at_its_customer()
    {
        var world = Tiny();
        var year = new DemoHistory(world, 2026).Build();
        Assert.All(year.Activities, a => Assert.True(a.OccurredAt <= Now, $"{a.Subject} at {a.OccurredAt}"));
        Assert.All(year.Activities.Where(a => a.FollowUpDoneAt is not null), a => Assert.True(a.FollowUpDoneAt <= Now && a.FollowUpDoneAt >= a.OccurredAt));
        var contactsOf = world.Customers.ToDictionary(c => c.Id, c => c.Contacts.Select(x => x.Id).ToHashSet());
        Assert.All(year.Activities.Where(a => a.ContactId is not null), a => Assert.Contains(a.ContactId!.Value, contactsOf[a.AccountId]));
        // Oldest first, so database ids follow time.
        Assert.True(year.Activities.Zip(year.Activities.Skip(1)).All(p => p.First.OccurredAt <= p.Second.OccurredAt));
    }

    [Fact]
    public void A_lapsed_subscription_was_called_and_its_outcome_is_kept_on_the_subscription()
    {
        var year = new DemoHistory(Tiny(), 2026).Build();
        var renewal = Assert.Single(year.Renewals, r => r.SubscriptionId == 100);
        if (renewal.Outcome == RenewalCallOutcome.Renewed)
        {
            Assert.NotNull(renewal.Next);
            Assert.Equal(DateOnly.FromDateTime(Now.Date).AddDays(-34), renewal.Next!.StartsOn);
            Assert.Contains(year.Activities, a => a.SystemEvent == "subscription.renewed" && a.AccountId == 1);
        }
        else Assert.Contains(year.Activities, a => a.Kind == ActivityKind.SubscriptionCall && a.AccountId == 1 && a.Subject == "续订电话 · 糖酒快讯");
        // The booth booked at the autumn fair gets its talks before the booking and a visit after the fair.
        Assert.True(year.BookingEntryTimes[500] < Now.AddDays(-40));
        Assert.Contains(year.Activities, a => a.Kind == ActivityKind.FairTalk && a.AccountId == 1 && a.OccurredAt < year.BookingEntryTimes[500]);
    }

    [Fact]
    public void The_team_summary_is_the_newest_work_and_the_open_follow_ups_of_each_team()
    {
        var year = new DemoHistory(Tiny(), 2026).Build();
        long id = 0;
        foreach (var a in year.Activities) a.Id = ++id;
        var touches = DemoHistorySeeder.Touches(year.Activities).ToList();
        var marketing = touches.Single(t => t.AccountId == 1 && t.TeamId == 1);
        var newest = year.Activities.Where(a => a.AccountId == 1 && a.TeamId == 1 && a.Kind != ActivityKind.System).MaxBy(a => (a.OccurredAt, a.Id))!;
        Assert.Equal(newest.Id, marketing.LastActivityId);
        Assert.Equal(newest.Subject, marketing.LastSubject);
        Assert.Equal(year.Activities.Count(a => a.AccountId == 1 && a.TeamId == 1 && a.FollowUpOn != null && a.FollowUpDoneAt == null), marketing.OpenFollowUps);
    }
}
