using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CrmWorkspace.Live;

/// <summary>Someone who has a customer open right now; Away while their browser's connection is down.</summary>
public record Viewer(string SessionId, string CircuitId, string UserId, string Name, int? TeamId, bool Editing, DateTimeOffset Since,
    DateTimeOffset? AwaySince = null, bool Gone = false)
{
    public bool Away => AwaySince is not null;
}

/// <summary>Settings of the "Presence" section: how long a viewer whose connection dropped stays listed as away.</summary>
public class PresenceOptions
{
    public int AwayDropSeconds { get; set; } = 30;
}

/// <summary>
/// Who has which customer open (and who is editing it), on this server. Presence has its own channel, apart from data
/// events; it follows the browser's connection: away at once when it drops, gone after <see cref="PresenceOptions.AwayDropSeconds"/>,
/// back when the circuit reconnects.
/// </summary>
public sealed class PresenceService(ILogger<PresenceService> log, IConfiguration config, TimeProvider clock) : BackgroundService
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, Viewer>> _byAccount = new();
    private readonly TopicListeners<int> _watchers = new(log);
    private TimeSpan AwayDrop => TimeSpan.FromSeconds(config.GetValue("Presence:AwayDropSeconds", 30));

    /// <summary>Who is on this customer now, on any server: present ones, and away ones not yet gone.</summary>
    public IReadOnlyList<Viewer> Viewers(int accountId)
    {
        var local = LocalViewers(accountId);
        if (_remote.IsEmpty) return local;
        var all = local.ToList();
        foreach (var (_, server) in _remote)
            if (server.ByAccount.TryGetValue(accountId, out var v)) all.AddRange(v);
        return all.OrderBy(x => x.Since).ToList();
    }

    /// <summary>The viewers of this customer on this server only (what it tells the others).</summary>
    public IReadOnlyList<Viewer> LocalViewers(int accountId) =>
        _byAccount.TryGetValue(accountId, out var v) ? v.Values.Where(x => !x.Gone).OrderBy(x => x.Since).ToList() : [];

    /// <summary>Customers with viewers on this server.</summary>
    public IReadOnlyList<int> LocalAccounts() => _byAccount.Where(kv => !kv.Value.IsEmpty).Select(kv => kv.Key).ToList();

    // ---- Several servers (Live:Redis): the other servers' viewers, as they last told them. ----

    /// <summary>How often a server says it is alive, and after how long without a word its viewers are dropped (well within 30 s).</summary>
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(5), ServerTimeout = TimeSpan.FromSeconds(15);

    private sealed class RemoteServer
    {
        public DateTimeOffset Seen;
        public readonly ConcurrentDictionary<int, Viewer[]> ByAccount = new();
    }

    private readonly ConcurrentDictionary<string, RemoteServer> _remote = new();

    /// <summary>Raised when this server's own viewers of a customer change (the cluster tells the other servers).</summary>
    public event Action<int>? LocalChanged;

    public void Heard(string server) => _remote.GetOrAdd(server, _ => new RemoteServer()).Seen = clock.GetUtcNow();

    /// <summary>Another server's viewers of a customer, replacing what it said before.</summary>
    public void ApplyRemote(string server, int accountId, Viewer[] viewers)
    {
        var s = _remote.GetOrAdd(server, _ => new RemoteServer());
        s.Seen = clock.GetUtcNow();
        if (viewers.Length == 0) s.ByAccount.TryRemove(accountId, out _); else s.ByAccount[accountId] = viewers;
        Notify(accountId);
    }

    /// <summary>A server stopped (or went silent): its viewers leave every list.</summary>
    public void DropServer(string server)
    {
        if (!_remote.TryRemove(server, out var s)) return;
        foreach (var accountId in s.ByAccount.Keys) Notify(accountId);
    }

    /// <summary>Drops servers not heard from within <see cref="ServerTimeout"/>; returns how many.</summary>
    public int DropSilentServers()
    {
        var cutoff = clock.GetUtcNow() - ServerTimeout;
        var silent = _remote.Where(kv => kv.Value.Seen < cutoff).Select(kv => kv.Key).ToList();
        foreach (var server in silent)
        {
            log.LogWarning("Server {Server} has not been heard from for {Seconds} s: its viewers leave the presence lists", server, ServerTimeout.TotalSeconds);
            DropServer(server);
        }
        return silent.Count;
    }

    /// <summary>Calls back (on its own queue) whenever the viewers of this customer change.</summary>
    public IDisposable Watch(int accountId, Func<Task> onChange) => _watchers.Subscribe(Topic.Customer(accountId), _ => onChange());

    /// <summary>Marks a circuit's view of a customer; dispose to leave.</summary>
    public IDisposable Enter(int accountId, string circuitId, string userId, string name, int? teamId, bool editing)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        _byAccount.GetOrAdd(accountId, _ => new())[sessionId] = new Viewer(sessionId, circuitId, userId, name, teamId, editing, clock.GetUtcNow());
        Changed(accountId);
        return new Leave(() =>
        {
            if (_byAccount.TryGetValue(accountId, out var v) && v.TryRemove(sessionId, out _)) Changed(accountId);
        });
    }

    /// <summary>The browser of this circuit lost (false) or regained (true) its connection.</summary>
    public void SetConnected(string circuitId, bool connected)
    {
        var now = clock.GetUtcNow();
        foreach (var (accountId, viewers) in _byAccount)
        {
            var changed = false;
            foreach (var (key, v) in viewers)
            {
                if (v.CircuitId != circuitId || v.Away == !connected) continue;
                viewers[key] = v with { AwaySince = connected ? null : now, Gone = false };
                changed = true;
            }
            if (changed) Changed(accountId);
        }
    }

    /// <summary>The circuit is gone for good: every view it had is left.</summary>
    public void RemoveCircuit(string circuitId)
    {
        foreach (var (accountId, viewers) in _byAccount)
        {
            var changed = false;
            foreach (var (key, v) in viewers)
                if (v.CircuitId == circuitId && viewers.TryRemove(key, out _)) changed = true;
            if (changed) Changed(accountId);
        }
    }

    /// <summary>
    /// Takes viewers off the list who have been away longer than the configured time; returns how many. They are kept aside
    /// (hidden) while the server still holds their circuit, so a browser that reconnects later is shown again.
    /// </summary>
    public int DropStale()
    {
        var cutoff = clock.GetUtcNow() - AwayDrop;
        var dropped = 0;
        foreach (var (accountId, viewers) in _byAccount)
        {
            var changed = false;
            foreach (var (key, v) in viewers)
            {
                if (v.Gone || v.AwaySince is not { } since || since > cutoff) continue;
                viewers[key] = v with { Gone = true };
                changed = true;
                dropped++;
            }
            if (changed) Changed(accountId);
        }
        return dropped;
    }

    private void Changed(int accountId)
    {
        Notify(accountId);
        LocalChanged?.Invoke(accountId);
    }

    private void Notify(int accountId) => _watchers.Post([Topic.Customer(accountId)], accountId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                DropStale();
                DropSilentServers();
            }
        }
        catch (OperationCanceledException) { }
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) leave(); }
    }
}

/// <summary>This circuit's identity for presence (one per circuit, scoped).</summary>
public sealed class CircuitPresence
{
    public string Id { get; } = Guid.NewGuid().ToString("N");
}

/// <summary>Tells presence when a circuit's connection goes down or comes back, and when the circuit closes.</summary>
public sealed class PresenceCircuitHandler(PresenceService presence, CircuitPresence circuit) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit c, CancellationToken ct) { presence.SetConnected(circuit.Id, false); return Task.CompletedTask; }

    public override Task OnConnectionUpAsync(Circuit c, CancellationToken ct) { presence.SetConnected(circuit.Id, true); return Task.CompletedTask; }

    public override Task OnCircuitClosedAsync(Circuit c, CancellationToken ct) { presence.RemoveCircuit(circuit.Id); return Task.CompletedTask; }
}
