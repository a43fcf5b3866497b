using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Tests.Features.Teams;

/// <summary>A demo company of its own for the pool tests: the sweep changes owners of many customers, which other tests read.</summary>
public class PoolFixture : IAsyncLifetime
{
    public PoolFixture() : this(null) { }

    protected PoolFixture(IDictionary<string, string?>? settings) => App = new(demoAccounts: 80, settings: settings);

    public AppFactory App { get; }
    public Task InitializeAsync() { App.Start(); return Task.CompletedTask; }
    public async Task DisposeAsync() => await App.DisposeAsync();

    public PoolService Pool(int idleDays = 7, int maxHeld = 300) => new(App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>(),
        App.Services.GetRequiredService<IWorkspaceEvents>(), Options.Create(new PoolOptions { IdleDays = idleDays, MaxHeld = maxHeld }),
        App.Services.GetRequiredService<IStringLocalizer<TeamsText>>(), App.Services.GetRequiredService<CrmWorkspace.Features.Security.AuditTrail>(),
        App.Services.GetRequiredService<CrmWorkspace.Features.Timeline.LineSearch>());

    public async Task<CrmDbContext> DbAsync() => await App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    public async Task<StaffIdentity> StaffAsync(string email)
    {
        await using var db = await DbAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, email.StartsWith("admin"), email.StartsWith("admin") || email.StartsWith("marketing"));
    }
}

/// <summary>The same demo company on PostgreSQL (a new database of the test server): the sweep is set-based SQL written per provider.</summary>
public sealed class PostgresPoolFixture() : PoolFixture(new Dictionary<string, string?>
{
    ["Database:Provider"] = "PostgreSQL",
    ["Database:ConnectionString"] = TestServers.NewPostgresDatabase(),
});

/// <summary>The pool rules on SQLite.</summary>
public class PoolServiceTests(PoolFixture fx) : PoolServiceScenarios(fx), IClassFixture<PoolFixture>;

/// <summary>The pool rules on PostgreSQL.</summary>
public class PoolServiceOnPostgres(PostgresPoolFixture fx) : PoolServiceScenarios(fx), IClassFixture<PostgresPoolFixture>;

/// <summary>
/// The customer pool: customers idle for their owner go back to the team's pool (as the system, on the timeline); of several
/// colleagues claiming one at the same moment exactly one gets it; nobody holds more than the limit; handing over needs a reason.
/// </summary>
public abstract class PoolServiceScenarios(PoolFixture fx)
{
    [Fact]
    public async Task The_pool_rules_hold_sweep_concurrent_claims_holding_limit_and_handover()
    {
        var now = DateTimeOffset.UtcNow;
        var cutoff = now.AddDays(-7);
        List<int> expected, already;
        await using (var db = await fx.DbAsync())
        {
            // The demo's story put a few customers into the pool already.
            already = await db.PoolEntries.Select(p => p.AccountId).ToListAsync();
            expected = await db.Accounts.Where(a => a.OwnerId != null && a.CreatedAt < cutoff && a.MergedIntoId == null
                    && !db.Activities.Any(x => x.AccountId == a.Id && x.AuthorId == a.OwnerId && x.OccurredAt >= cutoff))
                .Select(a => a.Id).OrderBy(i => i).ToListAsync();
        }
        Assert.NotEmpty(expected);

        // The sweep (the system's job) moves exactly the idle customers, once.
        var pool = fx.Pool();
        Assert.Equal(expected.Count, await pool.SweepAsync(now));
        Assert.Equal(0, await pool.SweepAsync(now));
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(already.Concat(expected).Order(), await db.PoolEntries.Select(p => p.AccountId).OrderBy(i => i).ToListAsync());
            Assert.Equal(0, await db.Accounts.CountAsync(a => expected.Contains(a.Id) && a.OwnerId != null));
            var returned = await db.Activities.Where(a => a.SystemEvent == "pool.returned" && expected.Contains(a.AccountId)).ToListAsync();
            Assert.Equal(expected.Count, returned.Count);
            Assert.All(returned, a => Assert.Equal(Actors.SystemId, a.AuthorId));
            Assert.All(returned, a => Assert.Equal(Actors.SystemId, a.CreatedBy));
        }
        // The sweep writes in the server's language (English here); a Chinese colleague filtering the timeline by the words on
        // their screen finds the line, and an English one by theirs.
        using (var scope = fx.App.Services.CreateScope())
        {
            var timeline = scope.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Timeline.TimelineService>();
            foreach (var words in new[] { "退回公海", "Back to the pool" })
            {
                var found = await timeline.PageAsync(new CrmWorkspace.Features.Timeline.TimelineQuery { AccountId = expected[0], Text = words });
                Assert.Contains(found, e => e.SystemEvent == "pool.returned");
            }
        }
        Assert.Equal(0, await fx.Pool(idleDays: 0).SweepAsync(now.AddYears(5)));

        // Four people claim the same marketing customer at the same moment: exactly one wins, the others are told.
        var wang = await fx.StaffAsync("marketing@demo.local");
        var zhao = await fx.StaffAsync("sales1@demo.local");
        var sun = await fx.StaffAsync("sales2@demo.local");
        var admin = await fx.StaffAsync("admin@demo.local");
        var lina = await fx.StaffAsync("circulation@demo.local");
        var marketing = (await pool.PoolAsync(wang.TeamId)).Select(p => p.AccountId).ToList();
        Assert.True(marketing.Count >= 3, $"the marketing pool should hold a few customers, has {marketing.Count}");
        var target = marketing[0];
        // Another team's member may not claim it.
        Assert.Equal("This customer is in another team's pool.", (await pool.ClaimAsync(target, lina)).Error);
        var claimers = new[] { wang, zhao, sun, admin };
        var results = await Task.WhenAll(claimers.Select(c => Task.Run(() => pool.ClaimAsync(target, c))));
        Assert.Single(results, r => r.Ok);
        Assert.All(results.Where(r => !r.Ok), r => Assert.Equal("Someone else claimed this customer first.", r.Error));
        var winner = claimers[Array.FindIndex(results, r => r.Ok)];
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(winner.Id, await db.Accounts.Where(a => a.Id == target).Select(a => a.OwnerId).SingleAsync());
            Assert.False(await db.PoolEntries.AnyAsync(p => p.AccountId == target));
            var claimed = await db.Activities.SingleAsync(a => a.AccountId == target && a.SystemEvent == "pool.claimed");
            Assert.Equal(winner.Id, claimed.AuthorId);
        }

        // The holding limit: 孙强 may hold one more customer than he holds now, not two.
        int held;
        await using (var db = await fx.DbAsync()) held = await db.Accounts.CountAsync(a => a.OwnerId == sun.Id);
        var capped = fx.Pool(maxHeld: held + 1);
        Assert.True((await capped.ClaimAsync(marketing[1], sun)).Ok);
        var over = await capped.ClaimAsync(marketing[2], sun);
        Assert.False(over.Ok);
        Assert.Equal($"You already hold {held + 1} customers, the most one person may; hand one over before claiming.", over.Error);
        await using (var db = await fx.DbAsync())
        {
            Assert.Null(await db.Accounts.Where(a => a.Id == marketing[2]).Select(a => a.OwnerId).SingleAsync());
            Assert.True(await db.PoolEntries.AnyAsync(p => p.AccountId == marketing[2]));
        }

        // Handing over: a reason is required; a member may not hand over a colleague's customer; the owner may, on the timeline.
        Assert.False((await pool.HandOverAsync(marketing[1], zhao.Id, " ", sun)).Ok);
        var notHis = await pool.HandOverAsync(marketing[1], sun.Id, "想要这个客户", zhao);
        Assert.Equal("Only its owner or a manager hands a customer over.", notHis.Error);
        var handed = await pool.HandOverAsync(marketing[1], zhao.Id, "赵敏负责四川区域", sun);
        Assert.True(handed.Ok, handed.Problem);
        await using (var db = await fx.DbAsync())
        {
            Assert.Equal(zhao.Id, await db.Accounts.Where(a => a.Id == marketing[1]).Select(a => a.OwnerId).SingleAsync());
            var entry = await db.Activities.SingleAsync(a => a.AccountId == marketing[1] && a.SystemEvent == "owner.handed");
            Assert.Equal("Handed over to 赵敏: 赵敏负责四川区域", entry.Subject);
            Assert.Equal(sun.Id, entry.AuthorId);
            // Written in English, read in Chinese by a Chinese colleague; the owner change stays beside the line.
            var lines = fx.App.Services.GetRequiredService<CrmWorkspace.Localization.LineText>();
            Assert.Equal("移交给赵敏：赵敏负责四川区域", CrmWorkspace.Tests.Localization.LocalLineTests.In("zh-Hans", () => lines.Subject(entry.Subject, entry.Data)));
            Assert.Equal(zhao.Id, FieldChange.Parse(entry.Data).Single(c => c.Field == "Owner").After);
        }
        using (var scope = fx.App.Services.CreateScope())
        {
            var found = await scope.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Timeline.TimelineService>()
                .PageAsync(new CrmWorkspace.Features.Timeline.TimelineQuery { AccountId = marketing[1], Text = "移交给赵敏" });
            Assert.Equal("owner.handed", Assert.Single(found).SystemEvent);
        }
        // A manager hands any customer over.
        Assert.True((await pool.HandOverAsync(marketing[1], sun.Id, "区域调整", wang)).Ok);
    }
}
