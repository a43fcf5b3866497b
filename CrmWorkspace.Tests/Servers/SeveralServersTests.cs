using System.Collections.Concurrent;
using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Tests.Servers;

/// <summary>Two app servers (Kestrel, each its own process state) on one PostgreSQL database and one Redis, as behind a load balancer.</summary>
public sealed class TwoServersFixture : IAsyncLifetime
{
    public string Database { get; } = TestServers.NewPostgresDatabase("crm_two");
    public AppFactory A { get; private set; } = default!;
    public AppFactory B { get; private set; } = default!;

    public Dictionary<string, string?> Settings() => new()
    {
        ["Database:Provider"] = "PostgreSQL",
        ["Database:ConnectionString"] = Database,
        ["Live:Redis"] = TestServers.Redis,
        ["Jobs:LeaseSeconds"] = "3",
        // The pool sweep runs (on the lease holder) but finds nobody idle for a century: the demo's owners stay.
        ["Pool:IdleDays"] = "36500",
        ["Pool:SweepMinutes"] = "60",
    };

    public Task InitializeAsync()
    {
        A = new AppFactory(demoAccounts: 30, settings: Settings());
        A.Start(); // migrates and seeds the demo company
        B = NewServer();
        B.Start();
        return Task.CompletedTask;
    }

    /// <summary>One more server on the same database and Redis (not started).</summary>
    public AppFactory NewServer() => new(demo: false, settings: Settings());

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public class TwoServersCollection : ICollectionFixture<TwoServersFixture>
{
    public const string Name = "two-servers";
}

[Collection(TwoServersCollection.Name)]
public class SeveralServersTests(TwoServersFixture fx)
{
    private static async Task<HubConnection> HubAsync(AppFactory server, System.Net.CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder().WithUrl(server.BaseUrl + WorkspaceHub.Path, o => o.Cookies = cookies).Build();
        await connection.StartAsync();
        return connection;
    }

    private static async Task<StaffIdentity> StaffAsync(AppFactory server, string email)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, email.StartsWith("admin"), email.StartsWith("admin") || email.StartsWith("marketing"));
    }

    private static async Task<int[]> AccountIdsAsync(AppFactory server, int n)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        return await db.Accounts.Where(a => a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Select(a => a.Id).Take(n).ToArrayAsync();
    }

    private static async Task<TimelineResult> LogOnAsync(AppFactory server, int accountId, string subject)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TimelineService>()
            .LogAsync(accountId, new ActivityInput { Kind = CrmWorkspace.Domain.ActivityKind.Call, Subject = subject }, await StaffAsync(server, "marketing@demo.local"));
    }

    [Fact]
    public async Task A_save_on_one_server_reaches_hub_clients_and_listeners_on_both_exactly_once_and_the_sign_in_cookie_works_on_either()
    {
        var id = (await AccountIdsAsync(fx.A, 3))[2];
        // Signed in on A; the same cookie opens the hub on B (one key ring, in the database).
        var cookies = await CrmWorkspace.Benchmarks.HttpSignIn.CookiesAsync(fx.A.BaseUrl, "news@demo.local");
        await using var onA = await HubAsync(fx.A, cookies);
        await using var onB = await HubAsync(fx.B, cookies);
        // (Both test servers share one process, so they would also share a key folder: the ring must be the database's.)
        await using (var keys = await fx.B.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            Assert.True(await keys.DataProtectionKeys.AnyAsync());
        var gotA = new ConcurrentBag<WorkspaceEvent>();
        var gotB = new ConcurrentBag<WorkspaceEvent>();
        onA.On<WorkspaceEvent>("event", e => { if (e.Kind == EventKind.ActivityLogged) gotA.Add(e); });
        onB.On<WorkspaceEvent>("event", e => { if (e.Kind == EventKind.ActivityLogged) gotB.Add(e); });
        await onA.InvokeAsync("JoinCustomer", id);
        await onB.InvokeAsync("JoinCustomer", id);
        // What a circuit on each server listens to.
        var circuitA = new ConcurrentBag<WorkspaceEvent>();
        var circuitB = new ConcurrentBag<WorkspaceEvent>();
        using var la = fx.A.Services.GetRequiredService<IWorkspaceEvents>().Subscribe(Topic.Customer(id), e => { if (e.Kind == EventKind.ActivityLogged) circuitA.Add(e); return Task.CompletedTask; });
        using var lb = fx.B.Services.GetRequiredService<IWorkspaceEvents>().Subscribe(Topic.Customer(id), e => { if (e.Kind == EventKind.ActivityLogged) circuitB.Add(e); return Task.CompletedTask; });

        var saved = await LogOnAsync(fx.B, id, "跨服务器保存：B 上记录的来电");
        Assert.True(saved.Ok);
        var sw = Stopwatch.StartNew();
        while ((gotA.IsEmpty || gotB.IsEmpty || circuitA.IsEmpty || circuitB.IsEmpty) && sw.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(20);
        await Task.Delay(1500); // a duplicate would arrive by now
        Assert.Equal(new[] { saved.Id!.Value }, gotA.Select(e => e.EntityId!.Value));
        Assert.Equal(new[] { saved.Id!.Value }, gotB.Select(e => e.EntityId!.Value));
        Assert.Equal(new[] { saved.Id!.Value }, circuitA.Select(e => e.EntityId!.Value));
        Assert.Equal(new[] { saved.Id!.Value }, circuitB.Select(e => e.EntityId!.Value));
    }

    [Fact]
    public async Task Twenty_bookings_of_one_booth_spread_over_both_servers_make_exactly_one_booking()
    {
        var agentA = await StaffAsync(fx.A, "fair@demo.local");
        int fairId;
        int booth;
        using (var s = fx.A.Services.CreateScope())
        {
            var fairs = s.ServiceProvider.GetRequiredService<FairService>();
            var fair = new Fair { Name = "两台服务器并发订展", City = "成都", StartsOn = new DateOnly(2027, 4, 20), EndsOn = new DateOnly(2027, 4, 22) };
            Assert.True((await fairs.CreateFairAsync(fair, agentA)).Ok);
            Assert.True((await fairs.AddHallAsync(fair.Id, "5号馆", "A", "A", 1, 4, 9, BoothType.Standard, 12_800, agentA)).Ok);
            fairId = fair.Id;
            await using var db = await fx.A.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            booth = await db.Booths.Where(b => b.FairId == fairId).OrderBy(b => b.Code).Select(b => b.Id).FirstAsync();
        }
        var accounts = await AccountIdsAsync(fx.A, 20);
        using var gate = new ManualResetEventSlim(false);
        var attempts = accounts.Select((account, i) => Task.Run(async () =>
        {
            var server = i % 2 == 0 ? fx.A : fx.B;
            var agent = await StaffAsync(server, "fair@demo.local");
            using var s = server.Services.CreateScope();
            var fairs = s.ServiceProvider.GetRequiredService<FairService>();
            gate.Wait();
            return await fairs.BookAsync(fairId, new BookingInput { AccountId = account, BoothIds = [booth], Status = BookingStatus.Reserved }, agent);
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(attempts);
        Assert.Single(results, r => r.Ok);
        Assert.All(results.Where(r => !r.Ok), r => Assert.False(string.IsNullOrWhiteSpace(r.Error)));
        await using var check = await fx.B.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await check.BookingBooths.CountAsync(b => b.BoothId == booth && b.Live));
    }

    [Fact]
    public async Task A_viewer_on_one_server_shows_on_the_other_and_a_dead_servers_viewers_leave_within_30_seconds_without_losing_events()
    {
        var id = (await AccountIdsAsync(fx.A, 5))[4];
        var onA = fx.A.Services.GetRequiredService<PresenceService>();
        // B's viewer appears on A, and leaves when B's page closes.
        var leave = fx.B.Services.GetRequiredService<PresenceService>().Enter(id, "circuit-b", "user-b", "李娜", null, editing: false);
        await Until(() => onA.Viewers(id).Any(v => v.Name == "李娜"), TimeSpan.FromSeconds(10));
        leave.Dispose();
        await Until(() => onA.Viewers(id).All(v => v.Name != "李娜"), TimeSpan.FromSeconds(10));

        // A third server has a viewer, then dies without a word (its Redis connection cut, no goodbye).
        var c = fx.NewServer();
        c.Start();
        c.Services.GetRequiredService<PresenceService>().Enter(id, "circuit-c", "user-c", "赵强", null, editing: true);
        await Until(() => onA.Viewers(id).Any(v => v.Name == "赵强"), TimeSpan.FromSeconds(10));
        Assert.Contains(fx.B.Services.GetRequiredService<PresenceService>().Viewers(id), v => v.Name == "赵强");
        var redisOfC = c.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        await redisOfC.CloseAsync(allowCommandsToComplete: false);
        var died = Stopwatch.StartNew();
        await Until(() => onA.Viewers(id).All(v => v.Name != "赵强"), TimeSpan.FromSeconds(30));
        Assert.True(died.Elapsed < TimeSpan.FromSeconds(30), $"took {died.Elapsed.TotalSeconds:F1} s");
        await Until(() => fx.B.Services.GetRequiredService<PresenceService>().Viewers(id).All(v => v.Name != "赵强"), TimeSpan.FromSeconds(5));
        await c.DisposeAsync();

        // Those still connected lose nothing: a save on B still reaches A's listeners.
        var got = new ConcurrentBag<long>();
        using var l = fx.A.Services.GetRequiredService<IWorkspaceEvents>().Subscribe(Topic.Customer(id), e => { if (e.Kind == EventKind.ActivityLogged) got.Add(e.EntityId!.Value); return Task.CompletedTask; });
        var saved = await LogOnAsync(fx.B, id, "服务器停机后的保存");
        await Until(() => got.Contains(saved.Id!.Value), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_job_lease_is_held_by_one_server_at_a_time_and_taken_over_when_its_holder_stops_renewing()
    {
        // Hold expiry runs on exactly one of the two servers.
        var ha = fx.A.Services.GetRequiredService<HoldExpiry>();
        var hb = fx.B.Services.GetRequiredService<HoldExpiry>();
        var (a0, b0) = (ha.Runs, hb.Runs);
        await Task.Delay(4000);
        var (da, db) = (ha.Runs - a0, hb.Runs - b0);
        Assert.True((da > 0) ^ (db > 0), $"A ran {da} times, B {db} times");
        // So does the pool sweep: whoever holds its lease swept at start; the other server never did.
        var (pa, pb) = (fx.A.Services.GetRequiredService<PoolSweepJob>().Runs, fx.B.Services.GetRequiredService<PoolSweepJob>().Runs);
        Assert.True((pa > 0) ^ (pb > 0), $"A swept {pa} times, B {pb} times");

        // The lease itself, seen from two servers: the second waits until the first's lease lapses, then takes it.
        var dbs = fx.A.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var options = fx.A.Services.GetRequiredService<IOptions<JobOptions>>();
        var one = new JobLeases(dbs, new ServerIdentity(), TimeProvider.System, options);
        var two = new JobLeases(dbs, new ServerIdentity(), TimeProvider.System, options);
        Assert.True(await one.TryAcquireAsync("test-job"));
        Assert.False(await two.TryAcquireAsync("test-job"));
        Assert.True(await one.TryAcquireAsync("test-job")); // renewing
        await Task.Delay(one.Duration + TimeSpan.FromMilliseconds(500)); // the holder dies: no renewal
        Assert.True(await two.TryAcquireAsync("test-job"));
        Assert.False(await one.TryAcquireAsync("test-job"));
        await two.ReleaseAsync("test-job");
        Assert.True(await one.TryAcquireAsync("test-job"));
    }

    [Fact]
    public async Task A_duplicate_scan_runs_on_one_server_at_a_time_and_its_state_shows_on_the_other()
    {
        var manager = await StaffAsync(fx.A, "admin@demo.local");
        var scanA = fx.A.Services.GetRequiredService<CrmWorkspace.Features.Duplicates.DuplicateScan>();
        var scanB = fx.B.Services.GetRequiredService<CrmWorkspace.Features.Duplicates.DuplicateScan>();
        // Another server holds the scan's lease: B's scan does not run, and says why.
        var other = new JobLeases(fx.B.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>(), new ServerIdentity(), TimeProvider.System,
            fx.B.Services.GetRequiredService<IOptions<JobOptions>>());
        Assert.True(await other.TryAcquireAsync(CrmWorkspace.Features.Duplicates.DuplicateScan.Job));
        Assert.True(scanB.Start(manager));
        await Until(() => !scanB.State.Running, TimeSpan.FromSeconds(20));
        Assert.Contains("another server", scanB.State.Error);
        Assert.Null(scanB.State.Last);
        // Free again: B scans, and A shows B's result.
        await other.ReleaseAsync(CrmWorkspace.Features.Duplicates.DuplicateScan.Job);
        Assert.True(scanB.Start(manager));
        await Until(() => scanB.State is { Running: false, Last: not null }, TimeSpan.FromSeconds(60));
        await Until(() => scanA.State.Last is not null && scanA.State.Phase == "done", TimeSpan.FromSeconds(10));
        Assert.Equal(scanB.State.Last!.Contacts, scanA.State.Last!.Contacts);
    }

    private static async Task Until(Func<bool> condition, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > within) Assert.Fail($"Not within {within.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
