using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.DemoData;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.DemoData;

/// <summary>Two fresh demo databases seeded with the same seed and the same moment (nobody else writes to them).</summary>
public sealed class DemoTwinsFixture : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Now.AddSeconds(-DateTimeOffset.Now.Second);
    private static Dictionary<string, string?> Settings => new() { ["Demo:Now"] = Now.ToString("o") };
    public AppFactory First { get; } = new(demoAccounts: 40, settings: Settings);
    public AppFactory Second { get; } = new(demoAccounts: 40, settings: Settings);

    public Task InitializeAsync()
    {
        First.Start();
        Second.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}

public class DemoDataSeedingTests(DemoTwinsFixture fx) : IClassFixture<DemoTwinsFixture>
{
    private static async Task<CrmDbContext> DbAsync(AppFactory app) =>
        await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    /// <summary>Everything a person would see of the demo, with people by e-mail (user ids differ between databases).</summary>
    private static async Task<string> SnapshotAsync(AppFactory app)
    {
        await using var db = await DbAsync(app);
        var email = await db.Users.ToDictionaryAsync(u => u.Id, u => u.Email);
        string? E(string? id) => id is null ? null : email.GetValueOrDefault(id);
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.Id, a.Name, a.ShortName, a.ParentId, a.Phone, a.Tier, a.Status, a.OwnerId, a.CreatedAt, a.CreatedBy }).ToListAsync();
        var contacts = await db.Contacts.OrderBy(c => c.Id).Select(c => new { c.Id, c.AccountId, c.Name, c.Title, c.Birthday, Phones = c.Phones.Select(p => p.Number).ToList() }).ToListAsync();
        var subs = await db.Subscriptions.OrderBy(s => s.Id).Select(s => new { s.Id, s.AccountId, s.PeriodicalId, s.StartsOn, s.EndsOn, s.Copies, s.Price, s.RenewedById, s.LastCallOutcome, s.LastCallAt, s.DeclineReason, s.SalespersonId }).ToListAsync();
        var activities = await db.Activities.OrderBy(a => a.Id).Select(a => new { a.Id, a.AccountId, a.ContactId, a.TeamId, a.AuthorId, a.Kind, a.SystemEvent, a.Subject, a.Body, a.Outcome, a.OccurredAt, a.FollowUpOn, a.FollowUpAssigneeId, a.FollowUpDoneAt, a.Data }).ToListAsync();
        var touches = await db.TeamTouches.OrderBy(t => t.AccountId).ThenBy(t => t.TeamId).ToListAsync();
        return JsonSerializer.Serialize(new
        {
            Accounts = accounts.Select(a => a with { OwnerId = E(a.OwnerId), CreatedBy = E(a.CreatedBy) }),
            contacts,
            Subscriptions = subs.Select(s => s with { SalespersonId = E(s.SalespersonId) }),
            Activities = activities.Select(a => a with { AuthorId = E(a.AuthorId), FollowUpAssigneeId = E(a.FollowUpAssigneeId) }),
            Touches = touches.Select(t => new { t.AccountId, t.TeamId, t.LastActivityId, t.LastAt, Author = E(t.LastAuthorId), t.LastSubject, t.OpenFollowUps }),
        });
    }

    [Fact]
    public async Task The_same_seed_on_the_same_day_writes_the_same_rows()
    {
        var a = await SnapshotAsync(fx.First);
        var b = await SnapshotAsync(fx.Second);
        Assert.True(a.Length > 50_000, "the demo should hold a year of history");
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Every_entry_makes_sense_with_the_records_next_to_it()
    {
        await using var db = await DbAsync(fx.First);
        var activities = await db.Activities.AsNoTracking().ToListAsync();
        var contactAccount = await db.Contacts.ToDictionaryAsync(c => c.Id, c => c.AccountId);
        var subscribers = (await db.Subscriptions.Select(s => s.AccountId).ToListAsync()).ToHashSet();
        var exhibitors = (await db.Bookings.Select(b => b.AccountId).ToListAsync()).Concat(await db.Accounts.Where(a => a.IntendsToExhibit).Select(a => a.Id).ToListAsync()).ToHashSet();
        var staff = (await db.Users.Where(u => u.Email!.EndsWith("@demo.local")).Select(u => u.Id).ToListAsync()).ToHashSet();
        staff.Add(Actors.SystemId);  // the pool's sweep writes as the system (customers returned to the pool)

        Assert.True(activities.Count(a => a.Kind != ActivityKind.System) > 40 * 5, "a year of work on 40 customers");
        Assert.All(activities.Where(a => a.ContactId is not null), a => Assert.Equal(a.AccountId, contactAccount[a.ContactId!.Value]));
        var renewalCalls = activities.Where(a => a.Kind == ActivityKind.SubscriptionCall && a.Subject.StartsWith("续订电话")).ToList();
        Assert.NotEmpty(renewalCalls);
        Assert.All(renewalCalls, a => Assert.Contains(a.AccountId, subscribers));
        Assert.All(activities.Where(a => a.Kind == ActivityKind.FairTalk), a => Assert.Contains(a.AccountId, exhibitors));
        Assert.All(activities.Where(a => a.FollowUpAssigneeId is not null), a => Assert.Contains(a.FollowUpAssigneeId!, staff));
        Assert.All(activities.Where(a => a.AuthorId is not null), a => Assert.Contains(a.AuthorId!, staff));
        Assert.All(activities, a => Assert.True(a.OccurredAt <= DateTimeOffset.UtcNow));
        // Every team has worked, and customers have field changes on their timelines.
        Assert.Equal([1, 2, 3, 4, 5], activities.Where(a => a.Kind != ActivityKind.System).Select(a => a.TeamId!.Value).Distinct().Order());
        Assert.Contains(activities, a => a.SystemEvent == "account.changed" && FieldChange.Parse(a.Data).Count > 0);
        Assert.Contains(activities, a => a.Kind == ActivityKind.Note && a.Body!.Contains("**"));

        // Renewed periods have their timeline entry; declined ones their call.
        foreach (var s in await db.Subscriptions.Where(s => s.RenewedById != null).ToListAsync())
            Assert.Contains(activities, a => a.AccountId == s.AccountId && a.SystemEvent == "subscription.renewed");
        foreach (var s in await db.Subscriptions.Where(s => s.LastCallOutcome == RenewalCallOutcome.Declined).ToListAsync())
            Assert.Contains(activities, a => a.AccountId == s.AccountId && a.Outcome == $"拒绝续订：{s.DeclineReason}");
        Assert.True(await db.Subscriptions.AnyAsync(s => s.RenewedById != null) || await db.Subscriptions.AnyAsync(s => s.LastCallOutcome != null));
        // Booths were booked after fair talks, not at start-up.
        var booked = activities.Where(a => a.SystemEvent == "booking.created").ToList();
        Assert.NotEmpty(booked);
        Assert.All(booked, b => Assert.Contains(activities, t => t.AccountId == b.AccountId && t.Kind == ActivityKind.FairTalk && t.OccurredAt < b.OccurredAt));
    }

    [Fact]
    public async Task Who_works_each_customer_agrees_with_its_timeline_and_branches_roll_up_to_the_head_office()
    {
        await using var db = await DbAsync(fx.First);
        var activities = await db.Activities.AsNoTracking().ToListAsync();
        var stored = await db.TeamTouches.AsNoTracking().OrderBy(t => t.AccountId).ThenBy(t => t.TeamId).ToListAsync();
        var expected = DemoHistorySeeder.Touches(activities).ToList();
        Assert.NotEmpty(stored);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(stored));

        var branch = await db.Accounts.Where(a => a.ParentId != null && db.Activities.Any(x => x.AccountId == a.Id && x.Kind != ActivityKind.System))
            .Select(a => new { a.Id, Parent = a.ParentId!.Value }).FirstAsync();
        using var scope = fx.First.Services.CreateScope();
        var page = await scope.ServiceProvider.GetRequiredService<TimelineService>().PageAsync(new TimelineQuery { AccountId = branch.Parent, IncludeBranches = true, Take = 500 });
        Assert.Contains(page, e => e.AccountId == branch.Id);
    }

    [Fact]
    public async Task Every_demo_user_starts_with_follow_ups_due_today_and_this_week_and_only_a_few_overdue()
    {
        await using var db = await DbAsync(fx.First);
        using var scope = fx.First.Services.CreateScope();
        var timeline = scope.ServiceProvider.GetRequiredService<TimelineService>();
        foreach (var (email, name, _, _) in DemoStaff.Users)
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var mine = await timeline.MyFollowUpsAsync(id);
            Assert.True(mine.Count(f => f.Due == Today) >= DemoHistory.MinDueToday, $"{name} has nothing due today");
            Assert.True(mine.Count(f => f.Due > Today && f.Due <= Today.AddDays(6)) >= DemoHistory.MinThisWeek, $"{name} has nothing due this week");
            Assert.InRange(mine.Count(f => f.Due < Today), DemoHistory.MinOverdue, DemoHistory.MaxOverdue);
        }
    }

    [Fact]
    public async Task The_planted_duplicates_are_found_by_the_scan_and_while_typing()
    {
        int copyId, originalId, contactA, contactB;
        string copyName, copyPhone, contactName, contactPhone;
        await using (var db = await DbAsync(fx.First))
        {
            // A branch typed in again as a new customer: a head office with a branch's phone written another way.
            var branchPhones = await db.Accounts.Where(a => a.ParentId != null && a.PhoneE164 != null).ToDictionaryAsync(a => a.PhoneE164!, a => a.Id);
            var copy = (await db.Accounts.Where(a => a.ParentId == null && a.PhoneE164 != null).ToListAsync()).Single(a => branchPhones.ContainsKey(a.PhoneE164!));
            (copyId, copyName, copyPhone, originalId) = (copy.Id, copy.Name, copy.Phone!, branchPhones[copy.PhoneE164!]);
            Assert.NotEqual(copy.Phone, (await db.Accounts.FindAsync(originalId))!.Phone);
            Assert.Equal(copy.PhoneE164, PhoneNormalizer.ToE164(copy.Phone));
            // A key contact entered twice at one customer, the mobile with +86 and spaces.
            var twice = (await db.Contacts.Include(c => c.Phones).ToListAsync())
                .GroupBy(c => (c.AccountId, c.Name, c.Phones.FirstOrDefault()?.E164)).Single(g => g.Count() == 2 && g.Key.E164 != null && g.Key.AccountId != copyId);
            (contactA, contactB) = (twice.Min(c => c.Id), twice.Max(c => c.Id));
            contactName = twice.Key.Name;
            contactPhone = twice.Single(c => c.Id == contactB).Phones[0].Number;
            Assert.StartsWith("+86 ", contactPhone);
        }

        await fx.First.Services.GetRequiredService<DuplicateScan>().RunAsync();
        using var scope = fx.First.Services.CreateScope();
        var groups = await scope.ServiceProvider.GetRequiredService<DuplicateService>().GroupsAsync();
        Assert.Contains(groups, g => g.Kind == RecordKind.Account && g.Records.Any(r => r.Id == copyId) && g.Records.Any(r => r.Id == originalId));
        Assert.Contains(groups, g => g.Kind == RecordKind.Contact && g.Records.Any(r => r.Id == contactA) && g.Records.Any(r => r.Id == contactB));

        var finder = scope.ServiceProvider.GetRequiredService<DuplicateFinder>();
        var typed = await finder.AccountsAsync(new AccountProbe(copyName, copyPhone));
        Assert.Contains(typed, c => c.Id == originalId && c.Exact);
        var person = await finder.ContactsAsync(new ContactProbe(contactName, [contactPhone]));
        Assert.Contains(person, c => c.Id == contactA && c.Exact);
    }
}
