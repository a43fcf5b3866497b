using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;

namespace CrmWorkspace.Components.Shared;

/// <summary>
/// The live-region pattern: a view listens to the topics it shows (one customer, one scope, one person), applies each event
/// on the circuit's own queue without the writer waiting, and when applying fails it says so (<see cref="LiveStatus"/>)
/// instead of leaving a silently stale screen.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    [Inject] private IWorkspaceEvents LiveEvents { get; set; } = default!;
    [Inject] private ILogger<LiveComponent> LiveLog { get; set; } = default!;
    [Inject] private LiveOptions LiveSettings { get; set; } = default!;
    [Inject] private LiveRenderGate RenderGate { get; set; } = default!;
    private readonly List<IDisposable> _listening = [];

    /// <summary>Set when a live update could not be applied: the view may be out of date until it reloads.</summary>
    protected Exception? LiveError { get; private set; }

    /// <summary>Applies events of this topic to the view (on the renderer's thread), then re-renders.</summary>
    protected void Listen(Topic topic, Func<WorkspaceEvent, Task> apply) => Listen(topic, null, apply);

    /// <summary>
    /// As above, for the events <paramref name="wants"/> accepts: the others cost the circuit nothing (no dispatch, no render),
    /// which matters when many people watch one busy customer. <paramref name="wants"/> is asked once, as the event is queued.
    /// </summary>
    protected void Listen(Topic topic, Func<WorkspaceEvent, bool>? wants, Func<WorkspaceEvent, Task> apply)
    {
        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<WorkspaceEvent, byte>(ReferenceEqualityComparer.Instance);
        _listening.Add(LiveEvents.Subscribe(topic,
            e => accepted.TryRemove(e, out _) ? ApplyAsync(e, apply) : Task.CompletedTask,
            e =>
            {
                bool take;
                try { take = wants is null || wants(e); }
                catch (Exception ex) { LiveLog.LogWarning(ex, "{View} could not tell whether it shows {Kind}", GetType().Name, e.Kind); take = true; }
                if (!take) return;
                accepted[e] = 0;
                RenderGate.Begin(e);
            },
            // The writer first: a view is handed an event LiveOptions.ViewsAfterMs after it was published (read at each event).
            () => TimeSpan.FromMilliseconds(LiveSettings.ViewsAfterMs)));
    }

    private async Task ApplyAsync(WorkspaceEvent e, Func<WorkspaceEvent, Task> apply)
    {
        var ended = false;
        try
        {
            await InvokeAsync(async () =>
            {
                _keepScreen = false;
                try { await apply(e); }
                catch (Exception ex)
                {
                    LiveLog.LogWarning(ex, "{View} could not apply {Kind}", GetType().Name, e.Kind);
                    LiveError = ex;
                    _keepScreen = false;
                }
                ended = true;
                // Every view of this circuit that applies the event renders when the last of them is done (LiveRenderGate).
                var renders = RenderGate.End(e, _keepScreen ? null : StateHasChanged);
                foreach (var render in renders) render();
                if (renders.Count == 0 && RenderGate.Holds(e)) _ = ExpireLaterAsync(e);
            });
        }
        finally
        {
            // Not applied (the circuit went away while waiting): the others are not held back for this view.
            if (!ended) foreach (var render in RenderGate.End(e, null)) _ = InvokeAsync(render);
        }
    }

    // A view that never finishes applying the event does not keep the others' changes off the screen.
    private async Task ExpireLaterAsync(WorkspaceEvent e)
    {
        try
        {
            // Timers count whole milliseconds and can wake just under the hold measured by the gate's clock: a small margin, and
            // a second look, so the held renders are never left undrawn.
            await Task.Delay(LiveRenderGate.HoldAtMost + TimeSpan.FromMilliseconds(20));
            var renders = RenderGate.Expire(e);
            if (renders.Count == 0 && RenderGate.Holds(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
                renders = RenderGate.Expire(e);
            }
            if (renders.Count > 0) await InvokeAsync(() => { foreach (var render in renders) render(); });
        }
        catch (Exception ex) { LiveLog.LogDebug(ex, "{View}: held renders of {Kind} not drawn (circuit gone)", GetType().Name, e.Kind); }
    }

    /// <summary>Called by an apply step that found nothing on screen changed: the view is not re-rendered for this event.</summary>
    protected void KeepScreen() => _keepScreen = true;

    private bool _keepScreen;

    /// <summary>Stops every listener (before listening to another customer, or on dispose).</summary>
    protected void StopListening()
    {
        foreach (var l in _listening) l.Dispose();
        _listening.Clear();
    }

    /// <summary>Clears the stale mark after the view reloaded everything.</summary>
    protected void LiveRecovered() => LiveError = null;

    public virtual void Dispose()
    {
        StopListening();
        GC.SuppressFinalize(this);
    }
}
