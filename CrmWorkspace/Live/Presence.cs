using System.Collections.Concurrent;

namespace CrmWorkspace.Live;

/// <summary>Someone who has a customer open right now.</summary>
public record Viewer(string SessionId, string UserId, string Name, int? TeamId, bool Editing, DateTimeOffset Since);

/// <summary>Who has which customer open (and who is editing it), on this server; changes are published as events.</summary>
public class PresenceService(IWorkspaceEvents events)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, Viewer>> _byAccount = new();

    public IReadOnlyList<Viewer> Viewers(int accountId) =>
        _byAccount.TryGetValue(accountId, out var v) ? v.Values.OrderBy(x => x.Since).ToList() : [];

    /// <summary>Marks a session as viewing (or editing) a customer; returns a handle that leaves on dispose.</summary>
    public async Task<IAsyncDisposable> EnterAsync(int accountId, string userId, string name, int? teamId, bool editing)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        _byAccount.GetOrAdd(accountId, _ => new())[sessionId] = new Viewer(sessionId, userId, name, teamId, editing, DateTimeOffset.UtcNow);
        await PublishAsync(accountId, userId, name, teamId);
        return new Leave(async () =>
        {
            if (_byAccount.TryGetValue(accountId, out var v)) v.TryRemove(sessionId, out _);
            await PublishAsync(accountId, userId, name, teamId);
        });
    }

    private Task PublishAsync(int accountId, string userId, string name, int? teamId) =>
        events.PublishAsync(new WorkspaceEvent("presence.changed", accountId, userId, name, teamId, DateTimeOffset.UtcNow));

    private sealed class Leave(Func<Task> leave) : IAsyncDisposable
    {
        private int _done;
        public async ValueTask DisposeAsync() { if (Interlocked.Exchange(ref _done, 1) == 0) await leave(); }
    }
}
