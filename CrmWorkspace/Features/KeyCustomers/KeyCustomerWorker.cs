using CrmWorkspace.Live;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>
/// Keeps scores current in the background: shortly after published writes (and every half minute, and at start-up, so queue rows
/// left by a crash are worked off) it recomputes the customers the save path queued, and tells the pages of those whose score
/// moved; on request it recomputes everyone, publishing its progress.
/// </summary>
public sealed class KeyCustomerWorker(ScoreKeeper keeper, IWorkspaceEvents events, IConfiguration config, ILogger<KeyCustomerWorker> log) : BackgroundService
{
    /// <summary>
    /// How long after the last of a burst of saves the worker recomputes ("KeyCustomers:SettleMs", default 300 ms; a burst that goes
    /// on waits at most 2 s): the saves of one call (entry, follow-up, renewal) make one recompute. It was a fixed second after the
    /// first save, so someone logging a call a second met, with each save, the recompute of the one before and the pages it made
    /// re-read their score (docs/performance.md, 2026-12-05).
    /// </summary>
    private readonly TimeSpan _settle = TimeSpan.FromMilliseconds(config.GetValue("KeyCustomers:SettleMs", 300));
    private static readonly TimeSpan SettleAtMost = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _fullRequested;
    private volatile RecomputeStatus _status = new(false, 0, 0, null);

    public RecomputeStatus Status => _status;

    public void RequestFullRecompute()
    {
        _fullRequested = true;
        _status = _status with { Running = true, Done = 0 };
        Wake();
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var sub = events.Subscribe(Topic.Workspace, e =>
        {
            // Our own events would wake us for nothing.
            if (e.Kind is not (EventKind.ScoreChanged or EventKind.ScoreRecomputeProgress or EventKind.ScoreSettingsChanged)) Wake();
            return Task.CompletedTask;
        });
        try { if (await keeper.NeverComputedAsync(stop)) RequestFullRecompute(); }
        catch (Exception ex) when (ex is not OperationCanceledException) { log.LogError(ex, "Could not check whether scores exist."); }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_fullRequested)
                {
                    _fullRequested = false;
                    await FullAsync(stop);
                }
                var (recomputed, tierChanged) = await keeper.ProcessQueueAsync(stop);
                foreach (var head in recomputed)
                    events.Publish(new WorkspaceEvent(EventKind.ScoreChanged, head, Actors.SystemId, "System", null, DateTimeOffset.UtcNow,
                        tierChanged.Contains(head) ? "tier" : null, Scope: KeyCustomerService.Scope));
                if (recomputed.Count > 0) continue;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex) { log.LogError(ex, "Recomputing value scores failed; the queue is kept and retried."); }
            try
            {
                if (await _wake.WaitAsync(TimeSpan.FromSeconds(30), stop) && !_fullRequested && _settle > TimeSpan.Zero)
                {
                    var first = System.Diagnostics.Stopwatch.GetTimestamp();
                    do await Task.Delay(_settle, stop);
                    while (_wake.Wait(0) && !_fullRequested && System.Diagnostics.Stopwatch.GetElapsedTime(first) < SettleAtMost);
                }
            }
            catch (OperationCanceledException) { break; }
        }
    }

    private async Task FullAsync(CancellationToken stop)
    {
        var last = DateTimeOffset.MinValue;
        // Reported in order on the recompute's own thread (Progress<T> posts each report to the pool, so a late "running 5,000 of
        // 154,066" could land after "done" and leave the settings page showing a recompute that has finished).
        var progress = new InOrder<(int Done, int Total)>(p =>
        {
            _status = new RecomputeStatus(p.Done < p.Total, p.Done, p.Total, p.Done < p.Total ? null : DateTimeOffset.UtcNow);
            // At most a few progress events a second, and always the last.
            if (p.Done < p.Total && DateTimeOffset.UtcNow - last < TimeSpan.FromMilliseconds(250)) return;
            last = DateTimeOffset.UtcNow;
            events.Publish(new WorkspaceEvent(EventKind.ScoreRecomputeProgress, 0, Actors.SystemId, "System", null, DateTimeOffset.UtcNow,
                $"{p.Done}/{p.Total}", Scope: KeyCustomerService.Scope));
        });
        var total = await keeper.RecomputeAllAsync(progress, stop);
        _status = new RecomputeStatus(false, total, total, DateTimeOffset.UtcNow);
        events.Publish(new WorkspaceEvent(EventKind.ScoreRecomputeProgress, 0, Actors.SystemId, "System", null, DateTimeOffset.UtcNow,
            $"{total}/{total}", Scope: KeyCustomerService.Scope));
    }

    private sealed class InOrder<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
