using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CrmWorkspace.Data;

/// <summary>Settings of the "Database" section of appsettings.json.</summary>
public class DatabaseOptions
{
    /// <summary>"Sqlite" (default, one server) or "PostgreSQL" (several servers). Provider-specific code lives in Data/ only.</summary>
    public string Provider { get; set; } = "Sqlite";
    public string ConnectionString { get; set; } = "Data Source=data/crm.db";
}

/// <summary>The one seam where the database provider is chosen and tuned.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddCrmDatabase(this IServiceCollection services, IConfiguration config, string settingsDirectory)
    {
        var options = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(options, settingsDirectory);
        services.AddSingleton(new ResolvedDatabase(options.Provider, connectionString));
        services.AddPooledDbContextFactory<CrmDbContext>((sp, o) =>
        {
            Configure(o, options.Provider, connectionString);
            // Interceptors the features register (the timeline's line readings), resolved once for the pool.
            o.AddInterceptors(sp.GetServices<IInterceptor>());
        });
        // Identity's stores want a scoped DbContext; it comes from the same pooled factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContext());
        if (options.Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            // The write-ahead log is copied back into the database by a background job, not inside the commit of whichever save
            // crosses SQLite's 1,000-page mark (that save waited for the copy and its fsync: the slow saves of the live benchmark).
            SqlitePragmas.CheckpointInBackground = true;
            services.AddHostedService<SqliteCheckpointer>();
        }
        services.Configure<JobOptions>(config.GetSection("Jobs"));
        services.AddSingleton<JobLeases>();
        if (IsPostgres(options.Provider))
        {
            // Several servers share one key ring, in the database, under one application name: a sign-in cookie sealed on one
            // server opens on every other. (On SQLite, one server, the keys stay where ASP.NET Core keeps them by default.)
            services.AddDataProtection().PersistKeysToDbContext<CrmDbContext>().SetApplicationName("CrmWorkspace");
        }
        return services;
    }

    public static void Configure(DbContextOptionsBuilder o, string provider, string connectionString)
    {
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                o.UseSqlite(connectionString, s => s.CommandTimeout(30).UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));
                // Writers of this process queue for SQLite's one write lock in order, not by polling it (SqliteWriterQueue).
                o.AddInterceptors(SqlitePragmas.Instance, SqliteWriterQueue.Instance);
                o.ReplaceService<Microsoft.EntityFrameworkCore.Storage.IRelationalTransactionFactory, SqliteWriterQueue.TransactionFactory>();
                break;
            case "postgresql" or "postgres" or "npgsql":
                o.UseNpgsql(WithPreparedStatements(connectionString), n => n.CommandTimeout(30).UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)
                    .MigrationsHistoryTable("__EFMigrationsHistory"));
                o.AddInterceptors(PostgresWriterLock.Instance);
                break;
            default:
                throw new InvalidOperationException(
                    $"Database:Provider '{provider}' is not supported. Use \"Sqlite\" (one server) or \"PostgreSQL\" (several servers) in appsettings.json.");
        }
        o.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
    }

    /// <summary>
    /// PostgreSQL plans every statement it is sent unless the statement is prepared, and the same few dozen statements make up nearly
    /// all of the work (a name-part search planned in 2–3 ms and ran in 0.4–4 ms, by EXPLAIN ANALYZE on the scale dataset). So Npgsql's
    /// automatic preparation is on: a statement used 5 times on a connection is prepared there and kept across the pool's close and
    /// open. An operator's own "Max Auto Prepare" in the connection string wins (0 turns it off, e.g. behind PgBouncer).
    /// A connection back from the pool is not reset ("No Reset On Close"): Npgsql otherwise sends seven reset statements with the
    /// first command of every unit of work (RESET ALL, UNLISTEN *, DISCARD TEMP, ...), and the app keeps no session state to reset:
    /// its one setting and its writer lock are transaction-scoped (SET LOCAL, pg_advisory_xact_lock), its one temporary table is
    /// dropped on commit, and the start-up migration unlocks its session lock before the connection goes back. An operator's own
    /// "No Reset On Close" wins.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (csb.MaxAutoPrepare == 0 && !connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) csb.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) csb.NoResetOnClose = true;
        return csb.ConnectionString;
    }

    /// <summary>Relative SQLite paths are taken from the folder of the settings file, not the working directory.</summary>
    public static string ResolveConnectionString(DatabaseOptions options, string settingsDirectory)
    {
        if (!options.Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase)) return options.ConnectionString;
        var csb = new SqliteConnectionStringBuilder(options.ConnectionString);
        if (csb.DataSource != ":memory:" && !Path.IsPathRooted(csb.DataSource))
            csb.DataSource = Path.GetFullPath(Path.Combine(settingsDirectory, csb.DataSource));
        csb.ForeignKeys = true;
        csb.Pooling = true;
        var dir = Path.GetDirectoryName(csb.DataSource);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        return csb.ToString();
    }

    public static bool IsPostgres(string provider) => provider.ToLowerInvariant() is "postgresql" or "postgres" or "npgsql";

    /// <summary>
    /// Applies migrations and provider settings that persist in the file (WAL). Each provider has its own migrations, generated
    /// from the one model: SQLite's in Data/Migrations (for <see cref="CrmDbContext"/>), PostgreSQL's in Data/Migrations/PostgreSql
    /// (for <see cref="PostgreSqlCrmDbContext"/>, the same model under another name so that EF keeps the two sets apart).
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var resolved = services.GetRequiredService<ResolvedDatabase>();
        if (IsPostgres(resolved.Provider))
        {
            var b = new DbContextOptionsBuilder<CrmDbContext>();
            Configure(b, resolved.Provider, resolved.ConnectionString);
            await using var pg = new PostgreSqlCrmDbContext(b.Options);
            // Several servers may start at once: one migrates, the others wait for it (a session-level advisory lock).
            await pg.Database.OpenConnectionAsync(ct);
            await pg.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7351001)", ct);
            try { await pg.Database.MigrateAsync(ct); }
            finally { await pg.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7351001)", CancellationToken.None); }
            // pg_trgm takes its letters from the database's LC_CTYPE: under "C" a Chinese name has no trigrams, its GIN index cannot
            // narrow a search, and every search by name part reads whole tables (measured: docs/performance.md, "Several servers").
            if (await pg.Database.SqlQueryRaw<int>("SELECT COALESCE(array_length(show_trgm('糖酒会'), 1), 0) AS \"Value\"").SingleAsync(ct) == 0)
                services.GetRequiredService<ILoggerFactory>().CreateLogger("CrmWorkspace.Data").LogWarning(
                    "This PostgreSQL database's LC_CTYPE ({Ctype}) gives Chinese text no trigrams: searching names by part will scan whole tables. " +
                    "Create the database with a UTF-8 ctype (CREATE DATABASE … LC_CTYPE 'C.UTF-8' TEMPLATE template0) and move the data into it.",
                    await pg.Database.SqlQueryRaw<string>("SELECT current_setting('lc_ctype') AS \"Value\"").SingleAsync(ct));
            return;
        }
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
        // Keep the planner's statistics current after schema changes (it only analyses what needs it). Whole indexes, not a sample:
        // a sample (analysis_limit) reads the start of each index, where the NULLs sort, and on the scale dataset it concluded that
        // one follow-up assignee has a sixth of 2M entries and one contact all of them, so the planner scanned. A whole ANALYZE of
        // that 1.9 GB database takes 3 s here.
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", ct);
    }

    /// <summary>
    /// Model details that are SQL of one provider: partial-index filters (SQLite stores booleans as 0/1, PostgreSQL has booleans and
    /// quoted names) and timestamps (SQLite: a sortable number; PostgreSQL: timestamptz, written in UTC).
    /// </summary>
    public static void ProviderModel(ModelBuilder builder, Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database)
    {
        var pg = database.IsNpgsql();
        builder.Entity<Domain.Subscription>().HasIndex(s => new { s.EndsOn, s.PeriodicalId }).HasDatabaseName("IX_Subscriptions_Open_EndsOn")
            .HasFilter(pg ? "\"CancelledAt\" IS NULL AND \"RenewedById\" IS NULL AND NOT \"IsDeleted\"" : "CancelledAt IS NULL AND RenewedById IS NULL AND IsDeleted = 0");
        // The database itself refuses a second live hold on a booth (a partial unique index on both providers).
        builder.Entity<Domain.BookingBooth>().HasIndex(x => x.BoothId).IsUnique().HasDatabaseName("UX_BookingBooth_LiveBooth")
            .HasFilter(pg ? "\"Live\"" : "\"Live\" = 1");
        // Likewise a premium position of one issue holds one live ad (advertising's flatplan).
        builder.Entity<Domain.AdInsertion>().HasIndex(x => new { x.IssueId, x.Position }).IsUnique().HasDatabaseName("UX_AdInsertion_LivePosition")
            .HasFilter(pg ? "\"Live\" AND \"Position\" <> 0" : "\"Live\" = 1 AND \"Position\" <> 0");
        // Instalments not yet fully paid, by due date: the overdue lists read the few open ones, not every instalment ever due. The
        // filter is the service's own condition (FlatplanService.ReceivablesAsync), compared as REAL/double so the database can match it.
        builder.Entity<Domain.AdInstalment>().HasIndex(x => new { x.DueOn, x.ContractId }, "IX_AdInstalments_Open_DueOn")
            .HasFilter(pg ? "\"Paid\"::double precision < \"Amount\"::double precision" : "CAST(\"Paid\" AS REAL) < CAST(\"Amount\" AS REAL)");
        if (pg)
        {
            // Names are searched by part through pg_trgm (Data/SearchIndex.cs); the GIN indexes come with the extension.
            builder.HasPostgresExtension("pg_trgm");
            builder.Entity<Domain.Account>().HasIndex(a => a.Name, "IX_Accounts_Name_Trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            builder.Entity<Domain.Account>().HasIndex(a => a.ShortName, "IX_Accounts_ShortName_Trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            builder.Entity<Domain.Contact>().HasIndex(c => c.Name, "IX_Contacts_Name_Trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        }
    }

    public static void ProviderConventions(ModelConfigurationBuilder conventions, Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database)
    {
        // SQLite stores DateTimeOffset as text it cannot sort or compare; as a number it can (all values are UTC).
        if (database.IsSqlite())
            conventions.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        // timestamptz takes UTC only; a local time (demo data is made in local time) is written as the same instant in UTC.
        else if (database.IsNpgsql())
            conventions.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffset>();
    }

    private sealed class UtcDateTimeOffset() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

    /// <summary>
    /// SQLite runs every transaction as BEGIN IMMEDIATE: one writer at a time, so a rule that reads then writes (a booth is free,
    /// a subscription not yet renewed, a pair not yet merged) cannot be raced. PostgreSQL runs at READ COMMITTED here, and every
    /// transaction first takes one transaction-scoped advisory lock, so writers queue across all servers exactly as on SQLite and
    /// each statement after the lock sees every earlier commit. (SERIALIZABLE would allow more parallel writers but makes every use
    /// case retry on serialization failures; the concurrency tests run the same scenarios on both providers.)
    /// </summary>
    public sealed class PostgresWriterLock : DbTransactionInterceptor
    {
        public static readonly PostgresWriterLock Instance = new();
        public const long Key = 7351000;
        // Like SQLite's busy_timeout: a writer waits up to 10 s for the one before it, then fails clearly.
        private const string Sql = "SET LOCAL lock_timeout = '10s'; SELECT pg_advisory_xact_lock(7351000);";

        public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = result;
            cmd.CommandText = Sql;
            cmd.ExecuteNonQuery();
            return result;
        }

        public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = result;
            cmd.CommandText = Sql;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            return result;
        }
    }

    // Per-connection pragmas: durability, waits, foreign keys; reads through a memory map, because a connection's own page
    // cache (2 MB, emptied whenever another connection writes) made a 2,500-row report query read 12k pages by syscalls (260 ms → 30 ms).
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Base = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824;";

        /// <summary>Set where <see cref="SqliteCheckpointer"/> runs (the app's host): its connections then leave checkpoints to it.</summary>
        public static volatile bool CheckpointInBackground;

        private static string Sql => CheckpointInBackground ? Base + " PRAGMA wal_autocheckpoint=0;" : Base;

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>The provider and the connection string in force, for code that needs raw access (benchmarks, FTS).</summary>
public record ResolvedDatabase(string Provider, string ConnectionString);

/// <summary>
/// Copies SQLite's write-ahead log back into the database (a passive checkpoint: it never waits for readers or blocks writers), so
/// that no save pays for it; on stop, a last full checkpoint leaves the file whole. It runs in a quiet moment: 200 ms after the last
/// writer of this process left (<see cref="SqliteWriterQueue"/>), or after 5 s of writing without such a pause. A checkpoint ends
/// with an fsync of the database file, and on a fixed one-second timer it could fall on any save. Moving it into the pauses did not
/// remove the saves' occasional 2–12 ms commits under load (docs/performance.md, 2026-12-05): those come from elsewhere (the file
/// system's journal or the CPU), and this only keeps the checkpoint from adding to them.
/// </summary>
public sealed class SqliteCheckpointer(ResolvedDatabase database, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    /// <summary>How long writers must have been quiet before a checkpoint, and how long writing may go on without one.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200), AtLeastEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var csb = new SqliteConnectionStringBuilder(database.ConnectionString);
        if (csb.DataSource is ":memory:" or "" || csb.Mode == SqliteOpenMode.Memory) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var checkpointedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        long seen = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var (held, left, lastLeftAt) = SqliteWriterQueue.State(database.ConnectionString);
                var quiet = left != seen && !held && System.Diagnostics.Stopwatch.GetElapsedTime(lastLeftAt) >= Quiet;
                // Overdue: writing never paused, or writes that did not queue (statements outside a transaction, another process).
                var overdue = System.Diagnostics.Stopwatch.GetElapsedTime(checkpointedAt) >= AtLeastEvery;
                if (!quiet && !overdue) continue;
                seen = left;
                await CheckpointAsync("PASSIVE", stoppingToken);
                checkpointedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) { }
        await CheckpointAsync("TRUNCATE", CancellationToken.None);
    }

    private async Task CheckpointAsync(string mode, CancellationToken ct)
    {
        try
        {
            await using var c = new SqliteConnection(database.ConnectionString);
            await c.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"PRAGMA busy_timeout=2000; PRAGMA wal_checkpoint({mode});";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception ex) { log.LogDebug(ex, "SQLite checkpoint ({Mode}) did not run; the next one will", mode); }
    }
}
