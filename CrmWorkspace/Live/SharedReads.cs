using System.Collections.Concurrent;

namespace CrmWorkspace.Live;

/// <summary>
/// One database read per event, however many views apply it: the 25 open pages of one customer that all re-read the new
/// entry share a single query. Keyed by what the event names and when it happened; kept for a few seconds.
/// </summary>
public sealed class SharedReads(TimeProvider clock)
{
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, Lazy<Task<object?>> Read)> _reads = new();

    /// <summary>The result of <paramref name="read"/> for this event and key, read once for all views.</summary>
    public async Task<T?> ForEventAsync<T>(WorkspaceEvent e, string what, Func<Task<T?>> read)
    {
        var now = clock.GetUtcNow();
        if (_reads.Count > 1_000) foreach (var (k, v) in _reads) if (v.Until < now) _reads.TryRemove(k, out _);
        var key = $"{what}:{e.Kind}:{e.EntityId}:{e.At.UtcTicks}:{e.ActorId}";
        var entry = _reads.GetOrAdd(key, _ => (now + Keep, new Lazy<Task<object?>>(async () => await read())));
        try { return (T?)await entry.Read.Value; }
        catch { _reads.TryRemove(key, out _); throw; }
    }
}
