using System.Collections.Concurrent;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Timeline;

[Collection(AppCollection.Name)]
public class WorkspaceHubTests(AppFixture fx)
{
    private async Task<HubConnection> ConnectAsync(string email)
    {
        var cookies = await CrmWorkspace.Benchmarks.HttpSignIn.CookiesAsync(fx.BaseUrl, email);
        var connection = new HubConnectionBuilder()
            .WithUrl(fx.BaseUrl + WorkspaceHub.Path, o => o.Cookies = cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private async Task<int[]> AccountIdsAsync(int count)
    {
        await using var db = await fx.DbAsync();
        return await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).Take(count).ToArrayAsync();
    }

    private async Task<TimelineResult> LogAsync(int accountId, string subject, string email = "marketing@demo.local")
    {
        using var scope = fx.Scope();
        return await scope.ServiceProvider.GetRequiredService<TimelineService>()
            .LogAsync(accountId, new ActivityInput { Kind = ActivityKind.Call, Subject = subject }, await fx.StaffAsync(email));
    }

    [Fact]
    public async Task A_subscriber_to_a_customer_gets_the_event_after_commit_and_a_subscriber_to_another_gets_nothing()
    {
        var ids = await AccountIdsAsync(2);
        await using var watcher = await ConnectAsync("news@demo.local");
        await using var other = await ConnectAsync("fair@demo.local");
        var received = new TaskCompletionSource<(WorkspaceEvent Event, bool Stored)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var strays = new ConcurrentBag<WorkspaceEvent>();
        watcher.On<WorkspaceEvent>("event", async e =>
        {
            if (e.Kind != EventKind.ActivityLogged) return;
            // The row must already be committed when the event arrives.
            await using var db = await fx.DbAsync();
            received.TrySetResult((e, await db.Activities.AnyAsync(a => a.Id == e.EntityId)));
        });
        other.On<WorkspaceEvent>("event", e => strays.Add(e));
        await watcher.InvokeAsync("JoinCustomer", ids[0]);
        await other.InvokeAsync("JoinCustomer", ids[1]);

        var logged = await LogAsync(ids[0], "来电询问2027年期刊订阅");
        var (e, stored) = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ids[0], e.AccountId);
        Assert.Equal(logged.Id, e.EntityId);
        Assert.Equal("王磊", e.ActorName);
        Assert.True(stored);

        // A later event for the other customer proves its subscriber is live; it never saw the first one.
        var otherGot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        other.On<WorkspaceEvent>("event", ev => { if (ev.AccountId == ids[1]) otherGot.TrySetResult(); });
        await LogAsync(ids[1], "展位意向沟通", "fair@demo.local");
        await otherGot.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(strays, s => s.AccountId == ids[0]);
    }

    [Fact]
    public async Task An_anonymous_connection_is_refused()
    {
        var connection = new HubConnectionBuilder().WithUrl(fx.BaseUrl + WorkspaceHub.Path).Build();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync());
        Assert.Contains("401", ex.Message);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task A_member_cannot_follow_another_team()
    {
        await using var member = await ConnectAsync("news@demo.local");
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => member.InvokeAsync("JoinTeam", 1));
        await member.InvokeAsync("JoinTeam", 4);
    }

    [Fact]
    public async Task Twenty_parallel_writers_of_200_activities_store_4000_rows_each_delivered_exactly_once()
    {
        var ids = await AccountIdsAsync(20);
        await using var listener = await ConnectAsync("admin@demo.local");
        var deliveries = new ConcurrentDictionary<long, int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const string tag = "并发写入";
        listener.On<WorkspaceEvent>("event", e =>
        {
            if (e.Kind != EventKind.ActivityLogged || e.Summary?.StartsWith(tag) != true) return;
            deliveries.AddOrUpdate(e.EntityId!.Value, 1, (_, n) => n + 1);
            if (deliveries.Count == 4000) all.TrySetResult();
        });
        foreach (var id in ids) await listener.InvokeAsync("JoinCustomer", id);

        var writers = ids.Select((id, w) => Task.Run(async () =>
        {
            var emails = new[] { "marketing@demo.local", "circulation@demo.local", "fair@demo.local", "news@demo.local", "service@demo.local" };
            for (var i = 0; i < 200; i++)
            {
                var r = await LogAsync(id, $"{tag} {w}-{i}", emails[w % emails.Length]);
                Assert.True(r.Ok, r.Error);
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await using var db = await fx.DbAsync();
        Assert.Equal(4000, await db.Activities.CountAsync(a => a.Subject.StartsWith(tag)));
        Assert.Equal(4000, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
        var storedIds = await db.Activities.Where(a => a.Subject.StartsWith(tag)).Select(a => a.Id).ToListAsync();
        Assert.Equal(storedIds.Order(), deliveries.Keys.Order());
    }
}
