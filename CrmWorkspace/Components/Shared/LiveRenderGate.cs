using System.Diagnostics;
using CrmWorkspace.Live;

namespace CrmWorkspace.Components.Shared;

/// <summary>
/// One per circuit: the views that apply the same event re-render together, once the last of them has applied it, so the
/// browser receives their changes back to back and draws them in one frame (the timeline's new entry and the "who works this
/// customer" strip were two frames, 20-60 ms apart, on every open page of a busy customer). Views are counted as the event is
/// queued for them (<see cref="Begin"/>), so a fast view cannot render before a slower one has started. A view that takes longer
/// than <see cref="HoldAtMost"/> does not hold the others back any longer.
/// </summary>
public sealed class LiveRenderGate
{
    public static readonly TimeSpan HoldAtMost = TimeSpan.FromSeconds(1);

    private readonly Dictionary<WorkspaceEvent, Pending> _pending = new(ReferenceEqualityComparer.Instance);

    private sealed class Pending
    {
        public readonly long Since = Stopwatch.GetTimestamp();
        public int Applying;
        public readonly List<Action> Renders = [];
    }

    /// <summary>A view will apply <paramref name="e"/> (called as the event is queued for it).</summary>
    public void Begin(WorkspaceEvent e)
    {
        lock (_pending)
        {
            if (!_pending.TryGetValue(e, out var p)) _pending[e] = p = new Pending();
            p.Applying++;
        }
    }

    /// <summary>
    /// A view has applied <paramref name="e"/> (<paramref name="render"/> null: nothing on its screen changed). Returns the renders
    /// to run now, on the circuit's dispatcher: every one collected when this view was the last one applying the event (or the
    /// event has waited longer than <see cref="HoldAtMost"/>), else none; then call <see cref="Expire"/> after HoldAtMost.
    /// </summary>
    public IReadOnlyList<Action> End(WorkspaceEvent e, Action? render)
    {
        lock (_pending)
        {
            if (!_pending.TryGetValue(e, out var p)) return render is null ? [] : [render];
            if (render is not null) p.Renders.Add(render);
            p.Applying--;
            if (p.Applying > 0 && Stopwatch.GetElapsedTime(p.Since) < HoldAtMost) return [];
            if (p.Applying <= 0) _pending.Remove(e);
            return Take(p);
        }
    }

    /// <summary>The renders still held for <paramref name="e"/> once it has waited <see cref="HoldAtMost"/> (a view never finished).</summary>
    public IReadOnlyList<Action> Expire(WorkspaceEvent e)
    {
        lock (_pending) return _pending.TryGetValue(e, out var p) && Stopwatch.GetElapsedTime(p.Since) >= HoldAtMost ? Take(p) : [];
    }

    /// <summary>Whether renders are held for this event (for tests and diagnostics).</summary>
    public bool Holds(WorkspaceEvent e)
    {
        lock (_pending) return _pending.TryGetValue(e, out var p) && p.Renders.Count > 0;
    }

    private static List<Action> Take(Pending p)
    {
        var renders = p.Renders.ToList();
        p.Renders.Clear();
        return renders;
    }
}
