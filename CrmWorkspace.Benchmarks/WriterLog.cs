using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Every write of the app under test that is not the traced save itself: each EF transaction (from BEGIN asked, through BEGIN granted,
/// to its end, named by its first command) and each write command outside a transaction. Registered as an interceptor of the app's
/// one context pool from its start (the app adds every registered <see cref="IInterceptor"/>), so no context escapes it; kept ten
/// seconds, so a slow save can name the writers it waited behind.
/// </summary>
public sealed class WriterLog : IDbTransactionInterceptor, IDbCommandInterceptor
{
    public static readonly WriterLog Instance = new();

    private readonly LinkedList<(long Asked, long Granted, long End, string What)> _done = new();
    private readonly Dictionary<DbTransaction, (long Asked, long Granted, string? First)> _open = new();
    private readonly AsyncLocal<long> _asked = new();

    /// <summary>The writes that held or wanted the write lock during [from, to] (Stopwatch timestamps), one line each, relative to from.</summary>
    public IReadOnlyList<string> During(long from, long to)
    {
        string Ms(long a, long b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds.ToString("+0.0;-0.0");
        lock (_done)
            return _done.Where(o => o.End >= from && o.Asked <= to)
                .Select(o => $"asked {Ms(from, o.Asked)}, granted {Ms(from, o.Granted)}, ended {Ms(from, o.End)} ms: {o.What}").ToList();
    }

    private void Done(long asked, long granted, string what)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_done)
        {
            _done.AddLast((asked, granted, now, what));
            while (_done.First is { } f && Stopwatch.GetElapsedTime(f.Value.End, now) > TimeSpan.FromSeconds(10)) _done.RemoveFirst();
        }
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        _asked.Value = Stopwatch.GetTimestamp();
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        _asked.Value = Stopwatch.GetTimestamp();
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(result));

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result) => Started(result);

    private DbTransaction Started(DbTransaction tx)
    {
        if (SaveTrace.Tracing) return tx;
        var now = Stopwatch.GetTimestamp();
        lock (_open) _open[tx] = (_asked.Value is > 0 and var a ? a : now, now, null);
        return tx;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction, "");
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction, "");

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction, " (rolled back)");
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction, " (rolled back)");

    private void Ended(DbTransaction tx, string how)
    {
        (long Asked, long Granted, string? First) o;
        lock (_open) if (!_open.Remove(tx, out o)) return;
        Done(o.Asked, o.Granted, $"transaction{how}: {SaveTrace.Short(o.First, 90)}");
    }

    // The first command names its transaction; a write outside any transaction is a writer of its own.
    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) { Command(command, eventData); return result; }
    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default) { Command(command, eventData); return ValueTask.FromResult(result); }
    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) { Command(command, eventData); return result; }
    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) { Command(command, eventData); return ValueTask.FromResult(result); }
    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) { Command(command, eventData); return result; }
    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) { Command(command, eventData); return ValueTask.FromResult(result); }

    private void Command(DbCommand command, CommandExecutedEventData e)
    {
        if (SaveTrace.Tracing) return;
        if (command.Transaction is { } tx)
        {
            lock (_open) if (_open.TryGetValue(tx, out var o) && o.First is null) _open[tx] = o with { First = command.CommandText };
            return;
        }
        var head = command.CommandText.TrimStart();
        if (!(head.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || head.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
              || head.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase))) return;
        var end = Stopwatch.GetTimestamp();
        var start = end - (long)(e.Duration.TotalSeconds * Stopwatch.Frequency);
        Done(start, start, $"write without a transaction: {SaveTrace.Short(command.CommandText, 90)}");
    }
}
