using System.Threading.Channels;
using CrmWorkspace.Domain;

namespace CrmWorkspace.Live;

/// <summary>
/// Something that changed, published after commit. AccountId 0 means "not about one customer"; Scope names a wider thing it
/// belongs to ("fair:12", "subscriptions"); AssigneeId the person it is addressed to (a follow-up). Views update from these
/// fields where they are enough, and reload only the row named by EntityId otherwise. OwnerId (the customer's owner) lets a
/// person's start page hear colleagues' work on their customers. Line is the entry's Data when it carries a line the software wrote
/// (a call from a call list): Summary is the writer's reading of it, and a view draws the line in its reader's language.
/// </summary>
public record WorkspaceEvent(
    EventKind Kind,
    int AccountId,
    string ActorId,
    string ActorName,
    int? TeamId,
    DateTimeOffset At,
    string? Summary = null,
    long? EntityId = null,
    IReadOnlyList<int>? AncestorAccountIds = null,
    string? Scope = null,
    string? AccountName = null,
    string? AssigneeId = null,
    string? OwnerId = null,
    string? Line = null,
    CrmWorkspace.Domain.AccountTier? Tier = null)
{
    /// <summary>When it reached this server's listeners (Stopwatch ticks of this server; not sent between servers).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long PublishedAt { get; init; }

    /// <summary>The topics this event is delivered on.</summary>
    public IEnumerable<Topic> Topics()
    {
        yield return Topic.Workspace;
        if (AccountId > 0) yield return Topic.Customer(AccountId);
        foreach (var a in AncestorAccountIds ?? []) yield return Topic.Customer(a);
        if (Scope is not null) yield return Topic.Scope(Scope);
        if (TeamId is { } t) yield return Topic.Team(t);
        if (AssigneeId is not null) yield return Topic.Person(AssigneeId);
        if (OwnerId is not null && OwnerId != AssigneeId) yield return Topic.Person(OwnerId);
        if (ActorId != Actors.SystemId) yield return Topic.Person(ActorId);
    }
}

/// <summary>The one path every write publishes through, after its commit.</summary>
public interface IWorkspaceEvents
{
    /// <summary>Hands the event to its listeners and returns at once: the writer never waits for any view.</summary>
    void Publish(WorkspaceEvent e);

    /// <summary>
    /// Receives the events of one topic, one at a time and in order, on a queue of its own; dispose to stop. <paramref name="queued"/>,
    /// if given, is told of each event as it is queued (it must be quick and must not throw). With <paramref name="after"/>, each event
    /// is queued that long after it was published (an open view: <see cref="LiveOptions.ViewsAfterMs"/>).
    /// </summary>
    IDisposable Subscribe(Topic topic, Func<WorkspaceEvent, Task> handler, Action<WorkspaceEvent>? queued = null, Func<TimeSpan>? after = null);
}

/// <summary>
/// Listeners keyed by topic, each with its own queue: a slow or failing view delays only itself. Used for data events
/// and, separately, for presence.
/// </summary>
public sealed class TopicListeners<T>(ILogger log)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Topic, Listener[]> _byTopic = [];

    public IDisposable Subscribe(Topic topic, Func<T, Task> handler, Action<T>? queued = null, Func<TimeSpan>? after = null)
    {
        var listener = new Listener(handler, queued, after, log);
        lock (_gate) _byTopic[topic] = _byTopic.TryGetValue(topic, out var l) ? [.. l, listener] : [listener];
        return new Unsubscriber(() =>
        {
            listener.Complete();
            lock (_gate)
            {
                if (!_byTopic.TryGetValue(topic, out var l)) return;
                var rest = l.Where(x => x != listener).ToArray();
                if (rest.Length == 0) _byTopic.Remove(topic); else _byTopic[topic] = rest;
            }
        });
    }

    /// <summary>
    /// Queues the message for every listener of these topics (each listener once); never waits for them. Listeners that take it
    /// later (open views) get it from one timer per message: the publisher's moment costs one timer, not a wake-up and a timer per
    /// open view. With 50 pages open, a save woke about 200 view queues at once, each to wait 25 ms, while the writer's own screen
    /// was being drawn (docs/performance.md, 2026-12-05).
    /// </summary>
    public void Post(IEnumerable<Topic> topics, T message)
    {
        HashSet<Listener>? seen = null;
        lock (_gate)
        {
            foreach (var t in topics)
            {
                if (!_byTopic.TryGetValue(t, out var listeners)) continue;
                foreach (var l in listeners) (seen ??= []).Add(l);
            }
        }
        if (seen is null) return;
        Dictionary<TimeSpan, List<Listener>>? later = null;
        foreach (var l in seen)
        {
            var after = l.After?.Invoke() ?? TimeSpan.Zero;
            if (after > TimeSpan.Zero)
            {
                later ??= [];
                if (!later.TryGetValue(after, out var group)) later[after] = group = [];
                group.Add(l);
            }
            else if (l.Tell(message)) l.Write(message);
        }
        if (later is null) return;
        if (Interlocked.Exchange(ref _laterStarted, 1) == 0) _ = PostLaterAsync();
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var (after, group) in later) _later.Writer.TryWrite((now + (long)(after.TotalSeconds * System.Diagnostics.Stopwatch.Frequency), group, message));
    }

    // Messages for the listeners that take them later, in the order they were published (so each listener's stay in order).
    private readonly Channel<(long Due, List<Listener> Listeners, T Message)> _later =
        Channel.CreateUnbounded<(long, List<Listener>, T)>(new UnboundedChannelOptions { SingleReader = true });
    private int _laterStarted;

    private async Task PostLaterAsync()
    {
        await foreach (var (due, listeners, message) in _later.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var wait = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait).ConfigureAwait(false);
                // All are told before any is queued, as when they are posted at once (a circuit's views then render together).
                var told = listeners.Where(l => l.Tell(message)).ToList();
                foreach (var l in told) l.Write(message);
            }
            catch (Exception ex) { log.LogWarning(ex, "Live listeners were not given {Message}", message); }
        }
    }

    private sealed class Listener
    {
        private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Action<T>? _queued;
        public readonly Func<TimeSpan>? After;

        public Listener(Func<T, Task> handler, Action<T>? queued, Func<TimeSpan>? after, ILogger log)
        {
            _queued = queued;
            After = after;
            _ = PumpAsync(handler, log);
        }

        private volatile bool _completed;

        // Told before it is queued, so the listener cannot have handled it yet; a listener that has stopped is not told.
        public bool Tell(T message)
        {
            if (_completed) return false;
            _queued?.Invoke(message);
            return true;
        }

        public void Write(T message) => _queue.Writer.TryWrite(message);

        public void Complete()
        {
            _completed = true;
            _queue.Writer.TryComplete();
        }

        private async Task PumpAsync(Func<T, Task> handler, ILogger log)
        {
            await Task.Yield();
            await foreach (var m in _queue.Reader.ReadAllAsync())
            {
                try { await handler(m); }
                catch (Exception ex) { log.LogWarning(ex, "A live listener failed on {Message}", m); }
            }
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) dispose(); }
    }
}

/// <summary>In-process delivery to this server's listeners (components, the hub bridge).</summary>
public sealed class InProcessWorkspaceEvents(ILogger<InProcessWorkspaceEvents> log) : IWorkspaceEvents
{
    private readonly TopicListeners<WorkspaceEvent> _listeners = new(log);

    public void Publish(WorkspaceEvent e) => _listeners.Post(e.Topics(), e with { PublishedAt = System.Diagnostics.Stopwatch.GetTimestamp() });

    public IDisposable Subscribe(Topic topic, Func<WorkspaceEvent, Task> handler, Action<WorkspaceEvent>? queued = null, Func<TimeSpan>? after = null) =>
        _listeners.Subscribe(topic, handler, queued, after);
}

/// <summary>Settings of the live layer (appsettings.json, section "Live").</summary>
public sealed class LiveOptions
{
    /// <summary>
    /// Open views apply an event no sooner than this after it was published: the person who saved gets the server (and the
    /// two cores of a small one) to themselves for the moment their own screen updates; everyone else sees it this much later.
    /// </summary>
    public int ViewsAfterMs { get; set; } = 25;
}

public static class LiveSetup
{
    /// <summary>
    /// One server: events, presence and cache signals stay in this process. Several servers: with "Live:Redis" set (a StackExchange.Redis
    /// configuration, e.g. "127.0.0.1:6379"), they travel through Redis pub/sub (<see cref="RedisCluster"/>).
    /// </summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(sp => new LiveOptions { ViewsAfterMs = sp.GetRequiredService<IConfiguration>().GetValue("Live:ViewsAfterMs", 25) });
        services.AddSingleton<ServerIdentity>();
        var redis = config["Live:Redis"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IWorkspaceEvents, InProcessWorkspaceEvents>();
            services.AddSingleton<ClusterSignals>();
        }
        else
        {
            var options = StackExchange.Redis.ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            options.ClientName = "crm";
            services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => StackExchange.Redis.ConnectionMultiplexer.Connect(options));
            services.AddSingleton<RedisCluster>();
            services.AddSingleton<IWorkspaceEvents>(sp => sp.GetRequiredService<RedisCluster>());
            services.AddSingleton<ClusterSignals>(sp => sp.GetRequiredService<RedisCluster>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisCluster>());
        }
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PresenceService>();
        services.AddSingleton<SharedReads>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceService>());
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, PresenceCircuitHandler>();
        services.AddScoped<CircuitPresence>();
        services.AddScoped<Components.Shared.LiveRenderGate>();
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
