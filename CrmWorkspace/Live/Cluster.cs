using System.Text.Json;
using StackExchange.Redis;

namespace CrmWorkspace.Live;

/// <summary>This server among several: a name unique to this process, carried on what it sends through Redis.</summary>
public sealed class ServerIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>
/// Small "your copy is stale" signals between servers (a name and an optional payload): per-server caches (the staff directory,
/// the duplicate scan's state) raise one when they change and listen for others'. On one server the signal only goes to this process.
/// </summary>
public class ClusterSignals
{
    private readonly Dictionary<string, List<Action<string?>>> _handlers = [];
    private readonly Lock _gate = new();

    /// <summary>Calls <paramref name="handler"/> for every raise of <paramref name="name"/> on this server and, with Redis, on the others.</summary>
    public void On(string name, Action<string?> handler)
    {
        lock (_gate) (_handlers.TryGetValue(name, out var l) ? l : _handlers[name] = []).Add(handler);
    }

    /// <summary>Tells every server (this one included, at once) that <paramref name="name"/> changed.</summary>
    public virtual void Raise(string name, string? payload = null) => Deliver(name, payload);

    /// <summary>Tells only the other servers (this one already knows).</summary>
    public virtual void RaiseElsewhere(string name, string? payload = null) { }

    protected void Deliver(string name, string? payload)
    {
        Action<string?>[] handlers;
        lock (_gate) handlers = _handlers.TryGetValue(name, out var l) ? [.. l] : [];
        foreach (var h in handlers) h(payload);
    }
}

/// <summary>
/// Events, presence and cache signals through Redis pub/sub, for several servers behind one load balancer (Live:Redis set).
/// Each event is delivered on its own server at once (as on one server) and published once to Redis; every other server hands it
/// to its own listeners, so each circuit and each hub client (served by its server's <see cref="HubBridge"/>) gets it exactly once.
/// Presence: each server publishes its own viewers of a customer when they change, and a heartbeat every few seconds; a server
/// not heard from for <see cref="PresenceService.ServerTimeout"/> is dropped with its viewers.
/// </summary>
public sealed class RedisCluster(IConnectionMultiplexer redis, ServerIdentity me, PresenceService presence, ILogger<RedisCluster> log)
    : ClusterSignals, IWorkspaceEvents, IHostedService
{
    public static readonly RedisChannel Events = RedisChannel.Literal("crm:events");
    public static readonly RedisChannel Presence = RedisChannel.Literal("crm:presence");
    public static readonly RedisChannel Signals = RedisChannel.Literal("crm:signals");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TopicListeners<WorkspaceEvent> _listeners = new(log);
    private CancellationTokenSource? _stop;

    private sealed record EventEnvelope(string O, WorkspaceEvent E);
    private sealed record PresenceEnvelope(string O, string K, int A = 0, Viewer[]? V = null);
    private sealed record SignalEnvelope(string O, string N, string? P);

    public void Publish(WorkspaceEvent e)
    {
        // Stamped on each server as it arrives (Stopwatch ticks do not travel): views apply it LiveOptions.ViewsAfterMs later.
        _listeners.Post(e.Topics(), e with { PublishedAt = System.Diagnostics.Stopwatch.GetTimestamp() });
        Send(Events, new EventEnvelope(me.Id, e));
    }

    public IDisposable Subscribe(Topic topic, Func<WorkspaceEvent, Task> handler, Action<WorkspaceEvent>? queued = null, Func<TimeSpan>? after = null) =>
        _listeners.Subscribe(topic, handler, queued, after);

    public override void Raise(string name, string? payload = null)
    {
        Deliver(name, payload);
        RaiseElsewhere(name, payload);
    }

    public override void RaiseElsewhere(string name, string? payload = null) => Send(Signals, new SignalEnvelope(me.Id, name, payload));

    // Fire and forget: the writer never waits for Redis; a lost connection is logged and other servers miss the message.
    private void Send<T>(RedisChannel channel, T message)
    {
        try { redis.GetSubscriber().Publish(channel, JsonSerializer.Serialize(message, Json), CommandFlags.FireAndForget); }
        // The connection is disposed only as the server shuts down: a last message of a job still finishing has nobody to warn.
        catch (ObjectDisposedException) { log.LogDebug("Not published to Redis: this server is shutting down"); }
        catch (Exception ex) { log.LogWarning(ex, "Publishing to Redis failed"); }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var sub = redis.GetSubscriber();
        // Each channel's messages are handled one at a time, in the order they were published.
        (await sub.SubscribeAsync(Events)).OnMessage(m =>
        {
            var env = JsonSerializer.Deserialize<EventEnvelope>((string)m.Message!, Json);
            if (env is not null && env.O != me.Id) _listeners.Post(env.E.Topics(), env.E with { PublishedAt = System.Diagnostics.Stopwatch.GetTimestamp() });
        });
        (await sub.SubscribeAsync(Signals)).OnMessage(m =>
        {
            var env = JsonSerializer.Deserialize<SignalEnvelope>((string)m.Message!, Json);
            if (env is not null && env.O != me.Id) Deliver(env.N, env.P);
        });
        (await sub.SubscribeAsync(Presence)).OnMessage(m =>
        {
            var env = JsonSerializer.Deserialize<PresenceEnvelope>((string)m.Message!, Json);
            if (env is null || env.O == me.Id) return;
            presence.Heard(env.O);
            switch (env.K)
            {
                case "view": presence.ApplyRemote(env.O, env.A, env.V ?? []); break;
                case "bye": presence.DropServer(env.O); break;
                // A server that just started asks for everyone's viewers.
                case "hello": foreach (var a in presence.LocalAccounts()) SendViewers(a); break;
            }
        });
        presence.LocalChanged += SendViewers;
        Send(Presence, new PresenceEnvelope(me.Id, "hello"));
        _stop = new CancellationTokenSource();
        _ = BeatAsync(_stop.Token);
    }

    private void SendViewers(int accountId) => Send(Presence, new PresenceEnvelope(me.Id, "view", accountId, [.. presence.LocalViewers(accountId)]));

    private async Task BeatAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PresenceService.HeartbeatEvery);
        try { while (await timer.WaitForNextTickAsync(ct)) Send(Presence, new PresenceEnvelope(me.Id, "beat")); }
        catch (OperationCanceledException) { }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        presence.LocalChanged -= SendViewers;
        _stop?.Cancel();
        Send(Presence, new PresenceEnvelope(me.Id, "bye"));
        try { await redis.GetSubscriber().UnsubscribeAllAsync(); } catch (Exception) { }
    }
}
