using System.Diagnostics;
using CrmWorkspace.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmWorkspace.Tests.Live;

/// <summary>The one publish path: keyed delivery, in order per listener, and the writer never waits for a view.</summary>
public class WorkspaceEventsTests
{
    private static WorkspaceEvent Logged(int account, int? team = null, string? scope = null, IReadOnlyList<int>? ancestors = null, string? assignee = null) =>
        new(EventKind.ActivityLogged, account, "u-wang", "王磊", team, DateTimeOffset.UtcNow, "visit", 1, ancestors, scope, AssigneeId: assignee);

    [Fact]
    public async Task Publishing_returns_at_once_even_when_every_listener_is_slow()
    {
        var bus = new InProcessWorkspaceEvents(NullLogger<InProcessWorkspaceEvents>.Instance);
        var done = new CountdownEvent(50);
        var subs = Enumerable.Range(0, 50).Select(_ => bus.Subscribe(Topic.Customer(7), async _ => { await Task.Delay(200); done.Signal(); })).ToList();
        var watch = Stopwatch.StartNew();
        bus.Publish(Logged(7));
        Assert.True(watch.ElapsedMilliseconds < 50, $"publish took {watch.ElapsedMilliseconds} ms");
        // The listeners run side by side, not one after another (50 × 200 ms would be 10 s).
        Assert.True(done.Wait(TimeSpan.FromSeconds(5)));
        subs.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_view_hears_only_its_customer_its_branches_its_scope_and_its_person()
    {
        var bus = new InProcessWorkspaceEvents(NullLogger<InProcessWorkspaceEvents>.Instance);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var c7 = bus.Subscribe(Topic.Customer(7), e => { heard.Enqueue($"c7:{e.AccountId}"); return Task.CompletedTask; });
        using var desk = bus.Subscribe(Topic.Scope("subscriptions"), e => { heard.Enqueue($"desk:{e.AccountId}"); return Task.CompletedTask; });
        using var li = bus.Subscribe(Topic.Person("u-li"), e => { heard.Enqueue($"li:{e.AccountId}"); return Task.CompletedTask; });
        bus.Publish(Logged(8));                                   // another customer: nobody above
        bus.Publish(Logged(9, ancestors: [7]));                   // a branch of 7: the head office's view
        bus.Publish(Logged(10, scope: "subscriptions"));          // the desk
        bus.Publish(Logged(11, assignee: "u-li"));                // a follow-up for Li
        await Task.Delay(300);
        Assert.Equal(["c7:9", "desk:10", "li:11"], heard.OrderBy(x => x).ToArray());
    }

    [Fact]
    public async Task A_listener_gets_its_events_in_order_and_a_failing_one_does_not_stop_the_others()
    {
        var bus = new InProcessWorkspaceEvents(NullLogger<InProcessWorkspaceEvents>.Instance);
        var order = new List<long>();
        var all = new TaskCompletionSource();
        using var bad = bus.Subscribe(Topic.Workspace, _ => throw new InvalidOperationException("broken view"));
        using var good = bus.Subscribe(Topic.Workspace, async e =>
        {
            await Task.Delay(Random.Shared.Next(0, 3));
            lock (order) { order.Add(e.EntityId!.Value); if (order.Count == 100) all.SetResult(); }
        });
        for (var i = 0; i < 100; i++) bus.Publish(Logged(1) with { EntityId = i });
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), order);
    }

    [Fact]
    public async Task A_view_that_takes_events_later_gets_them_after_its_delay_in_order_while_others_get_them_at_once()
    {
        var bus = new InProcessWorkspaceEvents(NullLogger<InProcessWorkspaceEvents>.Instance);
        var watch = Stopwatch.StartNew();
        var hub = new System.Collections.Concurrent.ConcurrentQueue<(int Account, long Ms)>();
        var views = Enumerable.Range(0, 3).Select(_ => new System.Collections.Concurrent.ConcurrentQueue<(int Account, long Ms)>()).ToList();
        var told = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var now = bus.Subscribe(Topic.Workspace, e => { hub.Enqueue((e.AccountId, watch.ElapsedMilliseconds)); return Task.CompletedTask; });
        var later = views.Select(q => bus.Subscribe(Topic.Workspace, e => { q.Enqueue((e.AccountId, watch.ElapsedMilliseconds)); return Task.CompletedTask; },
            _ => told.Enqueue(watch.ElapsedMilliseconds), () => TimeSpan.FromMilliseconds(400))).ToList();
        for (var i = 1; i <= 20; i++) bus.Publish(Logged(i));
        await Task.Delay(200);
        Assert.Equal(20, hub.Count);   // the hub's listener: at once
        Assert.Empty(told);            // the views: not even told yet
        Assert.All(views, q => Assert.Empty(q));
        var deadline = Stopwatch.StartNew();
        while (views.Any(q => q.Count < 20) && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        foreach (var q in views)
        {
            Assert.Equal(Enumerable.Range(1, 20), q.Select(x => x.Account));
            Assert.All(q, x => Assert.True(x.Ms >= 400, $"a view got an event after {x.Ms} ms"));
        }
        Assert.Equal(60, told.Count);
        Assert.True(told.Min() >= 400, $"a view was told of an event after {told.Min()} ms");
        later.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Kinds_keep_their_dotted_names_on_the_wire()
    {
        Assert.Equal("activity.logged", EventKind.ActivityLogged.Name());
        Assert.Equal("followup.done", EventKind.FollowupDone.Name());
        Assert.Equal("duplicates.scanprogress", EventKind.DuplicatesScanProgress.Name());
        Assert.Equal(EventKind.BookingExpired, EventKinds.Parse("booking.expired"));
        var json = System.Text.Json.JsonSerializer.Serialize(Logged(3));
        Assert.Contains("\"Kind\":\"activity.logged\"", json);
    }

    [Fact]
    public async Task A_listener_is_told_of_an_event_before_it_handles_it_and_not_once_it_has_stopped()
    {
        var bus = new InProcessWorkspaceEvents(NullLogger<InProcessWorkspaceEvents>.Instance);
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sub = bus.Subscribe(Topic.Customer(7),
            e => { order.Enqueue($"handled {e.EntityId}"); handled.TrySetResult(); return Task.CompletedTask; },
            e => order.Enqueue($"queued {e.EntityId}"));
        bus.Publish(Logged(7) with { EntityId = 1 });
        // Told on the publisher's thread, before Publish returns and before the listener can handle it.
        Assert.Equal("queued 1", order.First());
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["queued 1", "handled 1"], order.ToArray());
        sub.Dispose();
        bus.Publish(Logged(7) with { EntityId = 2 });
        await Task.Delay(100);
        Assert.Equal(["queued 1", "handled 1"], order.ToArray());
    }
}
