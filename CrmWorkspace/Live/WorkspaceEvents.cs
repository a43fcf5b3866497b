namespace CrmWorkspace.Live;

/// <summary>
/// Something that changed, published after commit. Kind is a dotted name owned by the feature ("account.changed");
/// Scope names a wider thing it belongs to, for views that are not about one customer ("fair:12").
/// </summary>
public record WorkspaceEvent(
    string Kind,
    int AccountId,
    string ActorId,
    string ActorName,
    int? TeamId,
    DateTimeOffset At,
    string? Summary = null,
    long? EntityId = null,
    IReadOnlyList<int>? AncestorAccountIds = null,
    string? Scope = null);

/// <summary>The one path every write publishes through, after its commit.</summary>
public interface IWorkspaceEvents
{
    Task PublishAsync(WorkspaceEvent e);

    /// <summary>Receives every event on this server; dispose to stop.</summary>
    IDisposable Subscribe(Func<WorkspaceEvent, Task> handler);
}

/// <summary>In-process delivery to this server's listeners (components, the hub bridge).</summary>
public sealed class InProcessWorkspaceEvents(ILogger<InProcessWorkspaceEvents> log) : IWorkspaceEvents
{
    private readonly Lock _gate = new();
    private Func<WorkspaceEvent, Task>[] _handlers = [];

    public async Task PublishAsync(WorkspaceEvent e)
    {
        foreach (var h in _handlers)
        {
            try { await h(e); }
            catch (Exception ex) { log.LogWarning(ex, "A listener failed on {Kind} for account {Account}", e.Kind, e.AccountId); }
        }
    }

    public IDisposable Subscribe(Func<WorkspaceEvent, Task> handler)
    {
        lock (_gate) _handlers = [.. _handlers, handler];
        return new Unsubscriber(() => { lock (_gate) _handlers = _handlers.Where(h => h != handler).ToArray(); });
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) dispose(); }
    }
}

public static class LiveSetup
{
    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddSingleton<IWorkspaceEvents, InProcessWorkspaceEvents>();
        services.AddSingleton<PresenceService>();
        services.AddSignalR();
        services.AddHostedService<HubBridge>();
        return services;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapHub<WorkspaceHub>(WorkspaceHub.Path);
        return app;
    }
}
