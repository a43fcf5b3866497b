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
    private readonly List<IDisposable> _listening = [];

    /// <summary>Set when a live update could not be applied: the view may be out of date until it reloads.</summary>
    protected Exception? LiveError { get; private set; }

    /// <summary>Applies events of this topic to the view (on the renderer's thread), then re-renders.</summary>
    protected void Listen(Topic topic, Func<WorkspaceEvent, Task> apply) =>
        _listening.Add(LiveEvents.Subscribe(topic, e => InvokeAsync(async () =>
        {
            try { await apply(e); }
            catch (Exception ex)
            {
                LiveLog.LogWarning(ex, "{View} could not apply {Kind}", GetType().Name, e.Kind);
                LiveError = ex;
            }
            StateHasChanged();
        })));

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
