using CrmWorkspace.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace CrmWorkspace.Tests.Data;

/// <summary>
/// The writers of one process queue for SQLite's write lock (<see cref="SqliteWriterQueue"/>), on the app's own database settings:
/// each is let in when the one before it ends, however it ends, and one that waits too long fails as SQLite would.
/// Each test has its own database file, so no other test's writers stand in its queue.
/// </summary>
public sealed class SqliteWriterQueueTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"writer-queue-{Guid.NewGuid():N}.db");
    private readonly string _cs;

    public SqliteWriterQueueTests()
    {
        _cs = DatabaseSetup.ResolveConnectionString(new DatabaseOptions { ConnectionString = $"Data Source={_file}" }, Path.GetTempPath());
        using var db = New();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL; CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT NOT NULL UNIQUE);");
    }

    private sealed class Bare(DbContextOptions options) : DbContext(options);

    private Bare New()
    {
        var b = new DbContextOptionsBuilder<Bare>();
        DatabaseSetup.Configure(b, "Sqlite", _cs);
        return new Bare(b.Options);
    }

    private static Task<int> InsertAsync(DbContext db, string text) => db.Database.ExecuteSqlAsync($"INSERT INTO Notes (Text) VALUES ({text})");

    private async Task<long> CountAsync()
    {
        await using var db = New();
        return await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS Value FROM Notes").SingleAsync();
    }

    [Fact]
    public async Task A_second_writer_waits_in_the_queue_until_the_first_commits_then_writes()
    {
        await using var a = New();
        await using var b = New();
        var first = await a.Database.BeginTransactionAsync();
        await InsertAsync(a, "first");
        Assert.Equal(1, SqliteWriterQueue.Writing(_cs));

        var committed = false;
        var second = Task.Run(async () =>
        {
            var tx = await b.Database.BeginTransactionAsync();
            return (tx, SawCommit: Volatile.Read(ref committed));
        });
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "the second writer got in while the first still held the database");

        Volatile.Write(ref committed, true);
        await first.CommitAsync();
        await first.DisposeAsync();
        var (tx, sawCommit) = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(sawCommit);
        await InsertAsync(b, "second");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        Assert.Equal(2, await CountAsync());
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));
    }

    [Fact]
    public async Task The_writer_who_leaves_returns_from_its_commit_without_running_the_next_writers_work()
    {
        // SQLite's async calls complete synchronously: a turn handed over inline would run the next writer's transaction inside
        // the leaving writer's commit, so one person's save would last as long as someone else's work. Here the next writer, once
        // in, waits for the first one's commit to have returned: handed over inline, that commit could not return for 10 s.
        await using var a = New();
        await using var b = New();
        var first = await a.Database.BeginTransactionAsync();
        await InsertAsync(a, "first");
        var firstReturned = new ManualResetEventSlim();
        var second = Task.Run(async () =>
        {
            await using var tx = await b.Database.BeginTransactionAsync();
            var sawReturn = firstReturned.Wait(TimeSpan.FromSeconds(10)); // blocking, as a synchronous transaction would
            await InsertAsync(b, "second");
            await tx.CommitAsync();
            return sawReturn;
        });
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "the second writer got in while the first still held the database");
        var commit = first.CommitAsync();
        Assert.True(commit.Wait(TimeSpan.FromSeconds(5)), "the first writer's commit did not return while the next writer was working");
        firstReturned.Set();
        await first.DisposeAsync();
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(15)), "the next writer ran inside the first writer's commit");
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task The_checkpointer_copies_the_log_into_the_database_file_once_the_writers_pause()
    {
        // The app's checkpointer waits for a pause in writing (SqliteCheckpointer.Quiet after the last writer of the queue left):
        // the saves are all in the database file itself soon after, which is what a copy of the file alone (a backup) shows.
        var checkpointer = new SqliteCheckpointer(new ResolvedDatabase("Sqlite", _cs), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var before = SqliteWriterQueue.State(_cs).Left;
            for (var i = 0; i < 5; i++)
            {
                await using var db = New();
                await using var tx = await db.Database.BeginTransactionAsync();
                await InsertAsync(db, $"saved {i}");
                await tx.CommitAsync();
            }
            Assert.Equal(before + 5, SqliteWriterQueue.State(_cs).Left); // the queue the checkpointer watches is the writers' own
            long inFile = 0;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (inFile < 5 && waited.Elapsed < TimeSpan.FromSeconds(4))
            {
                await Task.Delay(100);
                inFile = RowsInTheFileAlone();
            }
            Assert.Equal(5, inFile);
            Assert.True(waited.Elapsed < SqliteCheckpointer.AtLeastEvery, $"the log was copied back only after {waited.Elapsed.TotalSeconds:F1} s");
        }
        finally { await checkpointer.StopAsync(CancellationToken.None); }
    }

    // The database file copied without its write-ahead log: only what was checkpointed.
    private long RowsInTheFileAlone()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"writer-queue-copy-{Guid.NewGuid():N}.db");
        File.Copy(_file, copy);
        try
        {
            using var c = new SqliteConnection($"Data Source={copy};Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM Notes";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1) { return 0; } // not even the table is in the file yet
        finally { foreach (var f in new[] { copy, copy + "-wal", copy + "-shm" }) File.Delete(f); }
    }

    [Fact]
    public async Task Forty_writers_at_once_each_get_their_turn_and_every_write_is_kept()
    {
        // Half commit, a quarter give up (dispose without commit), a quarter leave with a rollback; several contexts from threads at once.
        var writers = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await using var db = New();
            await using var tx = await db.Database.BeginTransactionAsync();
            await InsertAsync(db, $"writer {i}");
            if (i % 2 == 0) await tx.CommitAsync();
            else if (i % 4 == 1) await tx.RollbackAsync();
        })).ToList();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(20, await CountAsync());
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));
    }

    [Fact]
    public async Task A_writer_that_ends_without_commit_or_fails_lets_the_next_one_in()
    {
        // Disposed without commit or rollback (an early return in a use case): its write is undone, and the queue moves on.
        await using (var db = New())
        await using (var tx = await db.Database.BeginTransactionAsync())
            await InsertAsync(db, "never kept");
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));

        // Rolled back.
        await using (var db = New())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await InsertAsync(db, "rolled back");
            await tx.RollbackAsync();
        }
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));

        // A statement inside fails (the unique name), the use case gives up.
        await using (var db = New())
        {
            await InsertAsync(db, "taken");
            await using var tx = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<SqliteException>(() => InsertAsync(db, "taken"));
        }
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));

        // A writer that stops waiting (the person left the page) does not keep a place in the queue.
        await using (var holder = New())
        await using (var waiter = New())
        {
            await using var held = await holder.Database.BeginTransactionAsync();
            using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.Database.BeginTransactionAsync(gone.Token));
        }
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));

        // The same context writes again after a dispose without commit.
        await using (var db = New())
        {
            await using (var tx = await db.Database.BeginTransactionAsync()) await InsertAsync(db, "dropped");
            await using var next = await db.Database.BeginTransactionAsync().WaitAsync(TimeSpan.FromSeconds(5));
            await InsertAsync(db, "kept");
            await next.CommitAsync();
        }

        await using (var last = New())
        {
            await using var tx = await last.Database.BeginTransactionAsync().WaitAsync(TimeSpan.FromSeconds(5));
            await InsertAsync(last, "last");
            await tx.CommitAsync();
        }
        Assert.Equal(3, await CountAsync()); // "taken" (written outside the failed transaction), "kept", "last"
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));
    }

    [Fact]
    public async Task A_writer_kept_waiting_longer_than_sqlite_would_fails_with_sqlites_own_error_and_nothing_is_written()
    {
        await using var holder = New();
        await using var waiter = New();
        await using var held = await holder.Database.BeginTransactionAsync();
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<SqliteException>(() => waiter.Database.BeginTransactionAsync());
        Assert.Equal(5, error.SqliteErrorCode);
        Assert.Contains("database is locked", error.Message);
        Assert.True(DateTime.UtcNow - started >= SqliteWriterQueue.Wait - TimeSpan.FromMilliseconds(100), "it gave up before SQLite's busy timeout");
        await held.RollbackAsync();
        Assert.Equal(0, await CountAsync());
        Assert.Equal(0, SqliteWriterQueue.Writing(_cs));
    }

    public void Dispose()
    {
        using (var c = new SqliteConnection(_cs)) SqliteConnection.ClearPool(c);
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
    }
}
