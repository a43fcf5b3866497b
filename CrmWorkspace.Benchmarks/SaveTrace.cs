using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Where a save's time goes inside the database layer: EF Core's diagnostic events (each command, connection open and commit, with
/// its own duration) of the code running under <see cref="Begin"/> (an async-local flag, so other work of the process is not counted).
/// Raw commands an interceptor sends on EF's connection (PostgreSQL's writer lock) are not EF commands and show only in the rest.
/// </summary>
public sealed class SaveTrace : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<Stages?> Current = new();
    private readonly List<IDisposable> _subscriptions = [];

    /// <summary>One traced save's figures, in milliseconds.</summary>
    public sealed class Stages
    {
        public double Commands, Opens, Commits, Begins;
        public int CommandCount;
        public readonly List<(string Sql, double Ms)> Each = [];
    }

    private static SaveTrace? _listening;

    private SaveTrace() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    /// <summary>
    /// Starts the one listener of the process (once; call it before the first unit of work: EF decides per context pool whether
    /// anyone listens, so a listener subscribed later heard only some commands).
    /// </summary>
    public static void Listen() => _listening ??= new SaveTrace();

    /// <summary>Counts what the current async flow does from here on into the returned stages.</summary>
    public static Stages Begin() => Current.Value = new Stages();

    public static void End() => Current.Value = null;

    /// <summary>A command's text on one line, cut to <paramref name="length"/> characters (for log lines).</summary>
    public static string Short(string? sql, int length)
    {
        var line = (sql ?? "").ReplaceLineEndings(" ");
        return line[..Math.Min(length, line.Length)];
    }

    /// <summary>
    /// Runs <paramref name="once"/> <paramref name="runs"/> times traced and logs what one run sends to the database on average:
    /// its EF commands (count and time), connection opens, and the statements that took the most.
    /// </summary>
    public static async Task ProfileAsync(string what, int runs, Func<int, Task> once, TextWriter log)
    {
        Listen();
        var traced = new List<(double Ms, Stages Db)>();
        for (var i = 0; i < runs; i++)
        {
            var stages = Begin();
            var t = Stopwatch.GetTimestamp();
            try { await once(i); }
            finally { End(); }
            traced.Add((Stopwatch.GetElapsedTime(t).TotalMilliseconds, stages));
        }
        var top = traced.SelectMany(x => x.Db.Each).GroupBy(e => Short(e.Sql, 90))
            .Select(g => (g.Key, Total: g.Sum(e => e.Ms), Count: g.Count())).OrderByDescending(g => g.Total).Take(6);
        log.WriteLine($"  per {what}: {traced.Average(x => x.Ms):F2} ms, {traced.Average(x => x.Db.CommandCount):F1} EF commands taking {traced.Average(x => x.Db.Commands):F2} ms, opens {traced.Average(x => x.Db.Opens):F2} ms");
        foreach (var (sql, total, count) in top) log.WriteLine($"    {total / traced.Count:F2} ms/{what}, {count}×: {sql}");
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    /// <summary>
    /// Writes by other flows of the process (background workers, other requests), kept for a few seconds, so a save that waited in
    /// BEGIN can name the writer it waited for: (started, ended, what) with Stopwatch timestamps.
    /// </summary>
    private static readonly LinkedList<(long Start, long End, string What)> Others = new();
    private static readonly Dictionary<Guid, (long Start, string? First)> OpenOthers = new();
    private static readonly Dictionary<Guid, Guid> TransactionOfConnection = new();

    /// <summary>The other flows' transactions and write commands that overlapped [from, to] (Stopwatch timestamps), one line each.</summary>
    public static IReadOnlyList<string> OthersDuring(long from, long to)
    {
        lock (Others)
            return Others.Where(o => o.End >= from && o.Start <= to)
                .Select(o => $"{Stopwatch.GetElapsedTime(from, o.Start).TotalMilliseconds:+0;-0} ms for {Stopwatch.GetElapsedTime(o.Start, o.End).TotalMilliseconds:F0} ms: {o.What}")
                .ToList();
    }

    private static void AddOther(long start, long end, string what)
    {
        lock (Others)
        {
            Others.AddLast((start, end, what));
            var old = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 10;
            while (Others.First is { } f && f.Value.End < old) Others.RemoveFirst();
        }
    }

    private static void OnOther(KeyValuePair<string, object?> e)
    {
        var now = Stopwatch.GetTimestamp();
        switch (e.Value)
        {
            case TransactionEndEventData t when e.Key == RelationalEventId.TransactionStarted.Name:
                lock (Others)
                {
                    OpenOthers[t.TransactionId] = (now - (long)(t.Duration.TotalSeconds * Stopwatch.Frequency), null);
                    TransactionOfConnection[t.ConnectionId] = t.TransactionId;
                }
                break;
            case TransactionEndEventData t when e.Key == RelationalEventId.TransactionCommitted.Name || e.Key == RelationalEventId.TransactionRolledBack.Name:
                (long Start, string? First) open;
                lock (Others)
                {
                    if (!OpenOthers.Remove(t.TransactionId, out open)) return;
                    TransactionOfConnection.Remove(t.ConnectionId);
                }
                AddOther(open.Start, now, $"transaction ({Short(open.First, 80)})");
                break;
            case CommandExecutedEventData c:
                var sql = c.Command.CommandText;
                lock (Others)
                {
                    if (TransactionOfConnection.TryGetValue(c.ConnectionId, out var tx) && OpenOthers.TryGetValue(tx, out var o))
                    {
                        if (o.First is null) OpenOthers[tx] = (o.Start, sql);
                        return;
                    }
                }
                var head = sql.TrimStart();
                if (head.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || head.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                    || head.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase))
                    AddOther(now - (long)(c.Duration.TotalSeconds * Stopwatch.Frequency), now, $"write without a transaction ({Short(sql, 80)})");
                break;
        }
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (Current.Value is not { } s)
        {
            OnOther(e);
            return;
        }
        lock (s)
        {
            switch (e.Value)
            {
                case CommandExecutedEventData c:
                    s.Commands += c.Duration.TotalMilliseconds;
                    s.CommandCount++;
                    s.Each.Add((c.Command.CommandText, c.Duration.TotalMilliseconds));
                    break;
                case ConnectionEndEventData o when e.Key == RelationalEventId.ConnectionOpened.Name:
                    s.Opens += o.Duration.TotalMilliseconds;
                    break;
                case TransactionEndEventData t when e.Key == RelationalEventId.TransactionCommitted.Name:
                    s.Commits += t.Duration.TotalMilliseconds;
                    break;
                // BEGIN (IMMEDIATE on SQLite): the wait for the writer before this one is here.
                case TransactionEndEventData t when e.Key == RelationalEventId.TransactionStarted.Name:
                    s.Begins += t.Duration.TotalMilliseconds;
                    break;
            }
        }
    }

    public void Dispose()
    {
        lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose();
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }
}
