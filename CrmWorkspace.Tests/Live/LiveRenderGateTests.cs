using Bunit;
using CrmWorkspace.Components.Shared;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmWorkspace.Tests.Live;

/// <summary>
/// The views of one page that apply the same event re-render together: the browser gets one update per save (one frame), not
/// one per view, however long each view takes to apply it.
/// </summary>
public class LiveRenderGateTests : BunitContext
{
    private readonly InProcessWorkspaceEvents _bus = new(NullLogger<InProcessWorkspaceEvents>.Instance);

    public LiveRenderGateTests()
    {
        Services.AddLogging();
        Services.AddSingleton<IWorkspaceEvents>(_bus);
        Services.AddSingleton(new LiveOptions { ViewsAfterMs = 0 });
        Services.AddScoped<LiveRenderGate>();
    }

    private static WorkspaceEvent Logged(int account) => new(EventKind.ActivityLogged, account, "u-wang", "王磊", 1, DateTimeOffset.UtcNow, "visit", 1);

    [Fact]
    public async Task Two_views_of_a_customer_show_a_save_together_when_the_slower_one_has_it()
    {
        var slowRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timeline = Render<View>(p => p.Add(v => v.Apply, _ => Task.CompletedTask));
        var strip = Render<View>(p => p.Add(v => v.Apply, _ => slowRead.Task));
        Assert.Equal((1, 1), (timeline.Instance.Renders, strip.Instance.Renders));

        _bus.Publish(Logged(7));
        await Task.Delay(300);
        // The fast view has applied the event but waits for the other one: nothing has been drawn yet.
        Assert.Equal((1, 1), (timeline.Instance.Renders, strip.Instance.Renders));
        Assert.True(timeline.Instance.Applied);

        slowRead.SetResult();
        await UntilAsync(() => (timeline.Instance.Renders, strip.Instance.Renders) == (2, 2));

        // Another customer's event reaches neither; the next save on this one is drawn again by both, once each.
        _bus.Publish(Logged(8));
        _bus.Publish(Logged(7));
        await UntilAsync(() => (timeline.Instance.Renders, strip.Instance.Renders) == (3, 3));
        await Task.Delay(200);
        Assert.Equal((3, 3), (timeline.Instance.Renders, strip.Instance.Renders));
    }

    [Fact]
    public async Task A_view_that_fails_to_apply_an_event_does_not_hold_back_the_others_and_says_it_is_stale()
    {
        var ok = Render<View>(p => p.Add(v => v.Apply, _ => Task.CompletedTask));
        var broken = Render<View>(p => p.Add(v => v.Apply, _ => throw new InvalidOperationException("read failed")));
        _bus.Publish(Logged(7));
        await UntilAsync(() => (ok.Instance.Renders, broken.Instance.Renders) == (2, 2));
        Assert.Null(ok.Instance.Error);
        Assert.IsType<InvalidOperationException>(broken.Instance.Error);
    }

    [Fact]
    public async Task A_view_that_never_finishes_applying_holds_the_others_back_for_a_second_at_most()
    {
        var never = new TaskCompletionSource();
        var fast = Render<View>(p => p.Add(v => v.Apply, _ => Task.CompletedTask));
        var stuck = Render<View>(p => p.Add(v => v.Apply, _ => never.Task));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _bus.Publish(Logged(7));
        await Task.Delay(300);
        Assert.Equal(1, fast.Instance.Renders);
        await UntilAsync(() => fast.Instance.Renders == 2);
        Assert.InRange(watch.Elapsed.TotalSeconds, LiveRenderGate.HoldAtMost.TotalSeconds - 0.05, 5);
        Assert.Equal(1, stuck.Instance.Renders);
    }

    // Polls: bUnit's own waits wake on one component's renders, and here two render in one go.
    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.True(condition(), "timed out");
    }

    /// <summary>A live view of customer 7 that counts its renders; <see cref="Apply"/> stands for its reads.</summary>
    public sealed class View : LiveComponent
    {
        [Microsoft.AspNetCore.Components.Parameter] public Func<WorkspaceEvent, Task> Apply { get; set; } = _ => Task.CompletedTask;
        public int Renders { get; private set; }
        public bool Applied { get; private set; }
        public Exception? Error => LiveError;

        protected override void OnInitialized() => Listen(Topic.Customer(7), async e => { await Apply(e); Applied = true; });

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            Renders++;
            builder.AddContent(0, Renders);
        }
    }
}
