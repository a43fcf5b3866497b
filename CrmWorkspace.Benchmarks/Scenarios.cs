using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Search;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

/// <summary>The measured scenarios; each brings its floor, measured in the same run on the same database.</summary>
public sealed class Scenarios(BenchHost host, int iterations, TextWriter log)
{
    private IServiceProvider Services => host.Services;

    private T Scoped<T>(IServiceScope s) where T : notnull => s.ServiceProvider.GetRequiredService<T>();

    private async Task<StaffIdentity> StaffAsync(string email)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, true);
    }

    /// <summary>Floor: a bare indexed lookup through a prepared command on the same file.</summary>
    private async Task<Samples> IndexedLookupFloorAsync(int maxId)
    {
        await using var c = await host.OpenRawAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT \"Name\" FROM \"Accounts\" WHERE \"Id\" = @id";
        var p = cmd.Param("@id", 1);
        await cmd.PrepareAsync();
        var rng = new Random(1);
        return await Samples.MeasureAsync(iterations, async _ => { p.Value = rng.Next(1, maxId); await cmd.ExecuteScalarAsync(); });
    }

    private int _maxId;
    private List<(string Name, string Phone)> _samples = [];
    private Samples? _floor;
    private const string FloorName = "indexed lookup, prepared command";

    /// <summary>Sample customers and the floor, once per run (each scenario below can also run alone, on either provider).</summary>
    private async Task<Samples> PrepareAsync()
    {
        if (_floor is not null) return _floor;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            _maxId = await db.Accounts.MaxAsync(a => a.Id);
            _samples = (await db.Accounts.Where(a => a.Id % 997 == 0 && a.Phone != null).OrderBy(a => a.Id).Select(a => new { a.Name, a.Phone }).Take(200).ToListAsync())
                .Select(a => (a.Name, a.Phone!)).ToList();
        }
        return _floor = await IndexedLookupFloorAsync(_maxId);
    }

    public async Task<List<Result>> RunAsync()
    {
        var results = new List<Result> { await SearchAsync(), await CustomerListAsync() };
        results.AddRange(await CustomerPageAsync(withHeavyTimeline: true));
        log.WriteLine("save to 200 hub clients");
        results.AddRange(await SaveToHubClientsAsync(_maxId));
        return results;
    }

    /// <summary>Global search: a mix of what people type: part of a Chinese name (2 and 4+ characters), a phone in another format, an email prefix.</summary>
    public async Task<Result> SearchAsync()
    {
        var floor = await PrepareAsync();
        log.WriteLine("global search");
        var terms = _samples.SelectMany(s => new[]
        {
            s.Name.Substring(2, 4), s.Name.Substring(s.Name.Length / 2 - 1, 2), "+86 " + s.Phone.Replace("-", " ")[1..],
        }).ToList();
        using var scope = Services.CreateScope();
        var search = Scoped<SearchService>(scope);
        var measured = await Samples.MeasureAsync(iterations, i => search.SearchAsync(terms[i % terms.Count]));
        log.WriteLine("  slowest terms: " + string.Join(", ", measured.Slowest(8).Select(x => $"\"{terms[x.Index % terms.Count]}\" {x.Ms:F1} ms")));
        return new Result("Global search (Ctrl+K): name part / phone / email", measured, FloorName, floor, "p95 ≤ 20 ms", 20);
    }

    public async Task<Result> CustomerListAsync()
    {
        var floor = await PrepareAsync();
        log.WriteLine("customer list");
        using var scope = Services.CreateScope();
        var accounts = Scoped<AccountService>(scope);
        var provinces = new[] { "四川", "贵州", "山东", "江苏", "广东" };
        return new Result("Customer list page (filter + sort + page)", await Samples.MeasureAsync(iterations, i => accounts.ListAsync(new AccountQuery
        {
            Province = provinces[i % provinces.Length], Tier = (AccountTier)(1 + i % 4), SortBy = "Name", Page = i % 5, PageSize = 25,
        })), FloorName, floor, "p95 ≤ 30 ms", 30);
    }

    /// <summary>The customer page's reads for random customers (and, in the full group, the first timeline page of the busiest customer).</summary>
    public async Task<List<Result>> CustomerPageAsync(bool withHeavyTimeline)
    {
        var floor = await PrepareAsync();
        var maxId = _maxId;
        var results = new List<Result>();
        var rng = new Random(3);
        log.WriteLine("customer page");
        using (var scope = Services.CreateScope())
        {
            var accounts = Scoped<AccountService>(scope);
            var timeline = Scoped<TimelineService>(scope);
            async Task Page(int _)
            {
                var id = rng.Next(1, maxId);
                await accounts.GetAsync(id);
                await timeline.PageAsync(new TimelineQuery { AccountId = id, Take = 30 });
                await timeline.WhoWorksAsync([id]);
                await timeline.OpenFollowUpsAsync(id);
            }
            results.Add(new Result("Customer page (header, branches, contacts, first timeline page, who-works strip)", await Samples.MeasureAsync(iterations, Page),
                FloorName, floor, "p95 ≤ 40 ms", 40));
            await SaveTrace.ProfileAsync($"page ({host.Provider})", 60, Page, log);
            if (!withHeavyTimeline) return results;

            log.WriteLine("timeline of a 20k-activity customer");
            int heavy;
            await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
                heavy = await db.Activities.GroupBy(a => a.AccountId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            var heavyCount = await CountActivitiesAsync(heavy);
            await using var c = await host.OpenRawAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT \"Id\", \"Subject\" FROM \"Activities\" WHERE \"AccountId\" = @a AND {host.IsFalse("IsDeleted")} ORDER BY \"OccurredAt\" DESC, \"Id\" DESC LIMIT 30";
            cmd.Param("@a", heavy);
            await cmd.PrepareAsync();
            var bare = await Samples.MeasureAsync(iterations, async _ => { await using var r = await cmd.ExecuteReaderAsync(); while (await r.ReadAsync()) { } });
            results.Add(new Result($"First timeline page, customer with {heavyCount:N0} activities", await Samples.MeasureAsync(iterations,
                _ => timeline.PageAsync(new TimelineQuery { AccountId = heavy, Take = 30 })), "same page as a bare prepared SQL query", bare, "p95 ≤ 5 ms", 5));
        }
        return results;
    }

    private async Task<int> CountActivitiesAsync(int accountId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        return await db.Activities.CountAsync(a => a.AccountId == accountId);
    }

    /// <summary>Save → delivered to 200 WebSocket hub clients, against a bare broadcast to the same clients.</summary>
    private async Task<List<Result>> SaveToHubClientsAsync(int maxId)
    {
        const int clients = 200;
        var accountId = maxId / 2;
        var cookies = await HttpSignIn.CookiesAsync(host.BaseUrl, "admin@demo.local");
        var connections = new List<HubConnection>();
        string? expect = null;
        var received = 0;
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < clients; i++)
        {
            var hc = new HubConnectionBuilder().WithUrl(host.BaseUrl + WorkspaceHub.Path, o =>
            {
                o.Cookies = cookies;
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            }).Build();
            // Matched on the summary: the event can arrive before the writer's call returns.
            hc.On<WorkspaceEvent>("event", e =>
            {
                if (e.Summary != Volatile.Read(ref expect)) return;
                if (Interlocked.Increment(ref received) == clients) done.TrySetResult(Stopwatch.GetTimestamp());
            });
            await hc.StartAsync();
            await hc.InvokeAsync("JoinCustomer", accountId);
            connections.Add(hc);
        }
        var actor = await StaffAsync("marketing@demo.local");
        var hub = Services.GetRequiredService<IHubContext<WorkspaceHub>>();
        using var scope = Services.CreateScope();
        var timeline = Scoped<TimelineService>(scope);
        var n = Math.Max(20, iterations / 3);

        async Task<double> OnceAsync(string summary, Func<Task> send)
        {
            Interlocked.Exchange(ref received, 0);
            done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref expect, summary);
            var t0 = Stopwatch.GetTimestamp();
            await send();
            var end = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return Stopwatch.GetElapsedTime(t0, end).TotalMilliseconds;
        }

        var bare = new Samples();
        var saved = new Samples();
        // Interleaved so both see the same machine load.
        for (var i = 0; i < n + 3; i++)
        {
            var floorMs = await OnceAsync($"floor {i}", () => hub.Clients.Group(WorkspaceHub.CustomerGroup(accountId)).SendAsync("event",
                new WorkspaceEvent(EventKind.ActivityLogged, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"floor {i}", i)));
            var saveMs = await OnceAsync($"基准测试 {i}", async () =>
            {
                var r = await timeline.LogAsync(accountId, new ActivityInput { Kind = CrmWorkspace.Domain.ActivityKind.Call, Subject = $"基准测试 {i}" }, actor);
                if (!r.Ok) throw new InvalidOperationException(r.Error);
            });
            if (i < 3) continue;
            bare.Add(floorMs);
            saved.Add(saveMs);
        }
        foreach (var hc in connections) await hc.DisposeAsync();
        return [new Result($"Save an activity → delivered to {clients} hub clients (one node)", saved, $"bare SignalR broadcast to the same {clients} clients", bare, "p95 ≤ 20 ms", 20)];
    }
}
