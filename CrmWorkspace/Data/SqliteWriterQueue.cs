using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmWorkspace.Data;

/// <summary>
/// The writers of this process queue here, in order, before SQLite's BEGIN IMMEDIATE, and each is let in the moment the one before
/// it ends. SQLite lets one writer in at a time, and one that finds the lock taken is put to sleep by its busy handler in steps
/// (1, 2, 5, 10, 15, 20, 25 ms ...) and tries again: the live benchmark's slowest saves waited 22–34 ms in BEGIN behind a 0.5 ms write
/// of the key-customer worker (docs/performance.md). A writer waits here as long as SQLite would let it (10 s), then fails with
/// SQLite's own "database is locked", as before. Writers of other processes on the same file (the move command, a second app, the
/// benchmarks' own raw connections) and statements outside a transaction still meet SQLite's busy handler, as before.
/// </summary>
/// <remarks>
/// Entered in <see cref="TransactionStarting"/>; left when the transaction commits, rolls back or fails, and in any case when it is
/// disposed (<see cref="TransactionFactory"/>), or at the latest when its connection begins its next one.
/// </remarks>
public sealed class SqliteWriterQueue : DbTransactionInterceptor
{
    public static readonly SqliteWriterQueue Instance = new();

    /// <summary>How long a writer waits for the one before it: SQLite's busy_timeout (DatabaseSetup's pragmas).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // One queue per database (connection string): each app in the test process has its own file.
    private static readonly ConcurrentDictionary<string, Turns> Queues = new();
    // The queue a connection is in while its transaction runs.
    private static readonly ConditionalWeakTable<DbConnection, Turns> Holding = new();

    private static Turns QueueOf(DbConnection connection) => Queues.GetOrAdd(connection.ConnectionString, _ => new Turns());

    /// <summary>Writers in the queue of this database right now (0 or 1: the one writing; tests read it).</summary>
    public static int Writing(string connectionString) => Queues.TryGetValue(connectionString, out var q) && q.Held ? 1 : 0;

    /// <summary>
    /// For the checkpointer: whether a writer holds this database now, how many have left it so far, and when the last one left
    /// (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0 when none has).
    /// </summary>
    public static (bool Held, long Left, long LastLeftAt) State(string connectionString) =>
        Queues.TryGetValue(connectionString, out var q) ? q.State : (false, 0, 0);

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Leave(connection);
        var queue = QueueOf(connection);
        if (!queue.EnterAsync(Wait, CancellationToken.None).AsTask().GetAwaiter().GetResult()) throw Locked();
        Holding.AddOrUpdate(connection, queue);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Leave(connection);
        var queue = QueueOf(connection);
        if (!await queue.EnterAsync(Wait, cancellationToken).ConfigureAwait(false)) throw Locked();
        Holding.AddOrUpdate(connection, queue);
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(eventData);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData);
        return Task.CompletedTask;
    }

    // The transaction's own connection is gone once it ended; the context's is the same one.
    private static void Leave(TransactionEventData eventData)
    {
        if (eventData.Context is { } context) Leave(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(context.Database));
    }

    /// <summary>Leaves the queue if this connection is in it (idempotent: the commit and then the dispose both come here).</summary>
    internal static void Leave(DbConnection connection)
    {
        if (Holding.TryGetValue(connection, out var queue) && Holding.Remove(connection)) queue.Leave();
    }

    /// <summary>
    /// One writer at a time, first come first served. The next writer is let in through the leaving thread's own queue of the thread
    /// pool: it runs as soon as that thread is free (or an idle one takes it), ahead of the pool's shared queue. A semaphore wakes its
    /// waiter through the shared queue, and a save waited 33 ms there behind the open pages' work (107 items queued) for a lock the
    /// key-customer worker had let go of after 0.9 ms. Handing the turn over inline, on the leaving thread, was no better: SQLite's
    /// async calls complete synchronously, so the leaving writer ran the next one's whole transaction before its own save returned
    /// (saves of 7–8 ms whose own commands and commit took 0.6 ms, with 50 pages open).
    /// </summary>
    private sealed class Turns
    {
        private readonly object _lock = new();
        private readonly LinkedList<TaskCompletionSource<bool>> _waiting = new();
        private bool _held;

        private long _left, _lastLeftAt;

        public bool Held { get { lock (_lock) return _held; } }

        public (bool Held, long Left, long LastLeftAt) State { get { lock (_lock) return (_held, _left, _lastLeftAt); } }

        public ValueTask<bool> EnterAsync(TimeSpan timeout, CancellationToken ct)
        {
            TaskCompletionSource<bool> turn;
            LinkedListNode<TaskCompletionSource<bool>> node;
            lock (_lock)
            {
                if (!_held) { _held = true; return ValueTask.FromResult(true); }
                ct.ThrowIfCancellationRequested();
                // Not RunContinuationsAsynchronously: the writer's continuation runs in the work item that hands it the turn.
                turn = new TaskCompletionSource<bool>();
                node = _waiting.AddLast(turn);
            }
            return new ValueTask<bool>(WaitAsync(turn, node, timeout, ct));
        }

        private async Task<bool> WaitAsync(TaskCompletionSource<bool> turn, LinkedListNode<TaskCompletionSource<bool>> node, TimeSpan timeout, CancellationToken ct)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(timeout);
            await using (timer.Token.UnsafeRegister(_ =>
            {
                lock (_lock) { if (node.List is not null) _waiting.Remove(node); else return; }
                turn.TrySetResult(false);
            }, null))
            {
                var entered = await turn.Task.ConfigureAwait(false);
                if (!entered) ct.ThrowIfCancellationRequested();
                return entered;
            }
        }

        public void Leave()
        {
            TaskCompletionSource<bool>? next;
            lock (_lock)
            {
                _left++;
                _lastLeftAt = System.Diagnostics.Stopwatch.GetTimestamp();
                next = _waiting.First?.Value;
                if (next is null) { _held = false; return; }
                _waiting.RemoveFirst();
            }
            // The turn passes to the next writer (still held), outside the lock; see the class summary for why not inline.
            ThreadPool.UnsafeQueueUserWorkItem(static turn => turn.TrySetResult(true), next, preferLocal: true);
        }
    }

    private static SqliteException Locked() =>
        new($"SQLite Error 5: 'database is locked' (another writer held the database for more than {Wait.TotalSeconds:0} s).", 5);

    /// <summary>
    /// EF's transactions on SQLite, which leave the queue when disposed: a use case that returns early (a refusal, a conflict) disposes
    /// its transaction without commit or rollback, and SQLite rolls it back then.
    /// </summary>
    public sealed class TransactionFactory(RelationalTransactionFactoryDependencies dependencies) : RelationalTransactionFactory(dependencies)
    {
        public override RelationalTransaction Create(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
            IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned) =>
            new Queued(connection, transaction, transactionId, logger, transactionOwned, Dependencies.SqlGenerationHelper);
    }

    private sealed class Queued(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned, ISqlGenerationHelper sql)
        : RelationalTransaction(connection, transaction, transactionId, logger, transactionOwned, sql)
    {
        private readonly DbConnection _connection = connection.DbConnection;

        public override void Dispose()
        {
            try { base.Dispose(); }
            finally { Leave(_connection); }
        }

        public override async ValueTask DisposeAsync()
        {
            try { await base.DisposeAsync(); }
            finally { Leave(_connection); }
        }
    }
}
