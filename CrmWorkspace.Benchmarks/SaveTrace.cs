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

    /// <summary>Whether the current async flow is a traced save (its writes are not "other writers").</summary>
    public static bool Tracing => Current.Value is not null;

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

    private static Dictionary<string, (int Count, double ExecMs, double ReadMs)>? _everyCommand;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> FullText = new();

    /// <summary>The whole text of a command summed by <see cref="EveryCommandBegin"/> (its key is cut short).</summary>
    public static string Full(string key) => FullText.GetValueOrDefault(key, key);

    /// <summary>
    /// From here on, every EF command of the process (any flow) is summed by its text until <see cref="EveryCommandEnd"/>: which
    /// statements the process spends its database time on while something else is measured.
    /// </summary>
    public static void EveryCommandBegin() { Listen(); _everyCommand = []; }

    /// <summary>The commands summed since <see cref="EveryCommandBegin"/>, most time first (time to the first row, and reading to the end).</summary>
    public static List<(string Sql, int Count, double ExecMs, double ReadMs)> EveryCommandEnd()
    {
        var all = Interlocked.Exchange(ref _everyCommand, null) ?? [];
        lock (all) return all.Select(kv => (kv.Key, kv.Value.Count, kv.Value.ExecMs, kv.Value.ReadMs)).OrderByDescending(x => x.ExecMs + x.ReadMs).ToList();
    }

    private static void Sum(Dictionary<string, (int Count, double ExecMs, double ReadMs)> every, string sql, int count, double execMs, double readMs)
    {
        var key = Short(sql, 160);
        FullText.TryAdd(key, sql);
        lock (every)
        {
            var v = every.GetValueOrDefault(key);
            every[key] = (v.Count + count, v.ExecMs + execMs, v.ReadMs + readMs);
        }
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (_everyCommand is { } every)
        {
            switch (e.Value)
            {
                case CommandExecutedEventData c: Sum(every, c.Command.CommandText, 1, c.Duration.TotalMilliseconds, 0); break;
                case DataReaderDisposingEventData r: Sum(every, r.Command.CommandText, 0, 0, r.Duration.TotalMilliseconds); break;
            }
        }
        if (Current.Value is not { } s) return;
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
