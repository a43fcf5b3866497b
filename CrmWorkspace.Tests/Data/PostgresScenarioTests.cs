using CrmWorkspace.Tests.Features.Customers;
using CrmWorkspace.Tests.Features.Duplicates;
using CrmWorkspace.Tests.Features.Fairs;
using CrmWorkspace.Tests.Features.Search;
using CrmWorkspace.Tests.Features.Subscriptions;
using CrmWorkspace.Tests.Features.Teams;
using CrmWorkspace.Tests.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Data.OnPostgres;

// The same scenarios as on SQLite, on PostgreSQL (one app on a fresh database of the test server): among them the races that SQLite
// serialises with BEGIN IMMEDIATE and PostgreSQL with the writer lock of DatabaseSetup (20 agents on one booth, renewals, merges).

[Collection(PostgresCollection.Name)]
public class FairServiceOnPostgres(PostgresAppFixture fx) : FairServiceTests(fx);

[Collection(PostgresCollection.Name)]
public class FairBookingRulesOnPostgres(PostgresAppFixture fx) : FairBookingRulesTests(fx);

[Collection(PostgresCollection.Name)]
public class SubscriptionServiceOnPostgres(PostgresAppFixture fx) : SubscriptionServiceTests(fx);

[Collection(PostgresCollection.Name)]
public class DuplicateWorkflowOnPostgres(PostgresAppFixture fx, ITestOutputHelper output) : DuplicateWorkflowTests(fx, output);

[Collection(PostgresCollection.Name)]
public class TraditionalSimplifiedOnPostgres(PostgresAppFixture fx, ITestOutputHelper output) : TraditionalSimplifiedTests(fx, output);

[Collection(PostgresCollection.Name)]
public class TimelineServiceOnPostgres(PostgresAppFixture fx) : TimelineServiceTests(fx);

[Collection(PostgresCollection.Name)]
public class AccountServiceOnPostgres(PostgresAppFixture fx) : AccountServiceTests(fx);

[Collection(PostgresCollection.Name)]
public class SearchTotalsOnPostgres(PostgresAppFixture fx) : SearchTotalsTests(fx);

[Collection(PostgresCollection.Name)]
public class AttributionOnPostgres(PostgresAppFixture fx) : AttributionTests(fx);

[Collection(PostgresCollection.Name)]
public class CallListServiceOnPostgres(PostgresAppFixture fx) : CallListServiceTests(fx);

[Collection(PostgresCollection.Name)]
public class WorkLogServiceOnPostgres(PostgresAppFixture fx) : WorkLogServiceTests(fx);

[Collection(PostgresCollection.Name)]
public class ValueScoreOnPostgres(PostgresAppFixture fx) : CrmWorkspace.Tests.Features.KeyCustomers.ValueScoreTests(fx);

/// <summary>What only PostgreSQL has to prove: the app really runs on it, and its own guards hold without the services' checks.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresProviderTests(PostgresAppFixture fx)
{
    [Fact]
    public async Task The_app_runs_on_postgres_with_its_own_migrations_applied()
    {
        await using var db = await fx.DbAsync();
        Assert.True(Microsoft.EntityFrameworkCore.NpgsqlDatabaseFacadeExtensions.IsNpgsql(db.Database));
        var applied = await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetAppliedMigrationsAsync(db.Database);
        Assert.Contains(applied, m => m.EndsWith("_PostgreSqlFoundation"));
        Assert.True(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Accounts));
        // The demo's full recompute of value scores wrote through its prepared upserts (provider SQL) on PostgreSQL too.
        Assert.True(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.CustomerScores, s => s.Tier != 0 && s.Breakdown != ""));
    }

    [Fact]
    public async Task The_partial_unique_index_refuses_a_second_live_hold_on_a_booth_even_past_the_service()
    {
        await using var db = await fx.DbAsync();
        var live = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            System.Linq.Queryable.Where(db.BookingBooths, b => b.Live));
        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database,
            "INSERT INTO \"BookingBooths\" (\"BookingId\", \"BoothId\", \"Live\") SELECT \"BookingId\", \"BoothId\", true FROM \"BookingBooths\" WHERE \"Id\" = {0}", live.Id));
        Assert.Equal("23505", ex.SqlState);
        Assert.Equal("UX_BookingBooth_LiveBooth", ex.ConstraintName);
    }

    [Fact]
    public async Task Two_character_names_are_found_through_the_bigram_table_kept_by_triggers()
    {
        await using var db = await fx.DbAsAsync(CrmWorkspace.Domain.Actors.SystemId);
        var account = new CrmWorkspace.Domain.Account { Name = "测试双字蓝鲸贸易" };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        Assert.Contains(account.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "蓝鲸", 50, default));
        Assert.Contains(account.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "鲸贸易", 50, default));
        account.Name = "测试双字白鹭贸易";
        await db.SaveChangesAsync();
        Assert.DoesNotContain(account.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "蓝鲸", 50, default));
        Assert.Contains(account.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "白鹭", 50, default));
    }

    [Fact]
    public async Task Longer_name_parts_are_found_in_any_case_for_latin_names_and_in_either_script_for_chinese_ones()
    {
        await using var db = await fx.DbAsAsync(CrmWorkspace.Domain.Actors.SystemId);
        var latin = new CrmWorkspace.Domain.Account { Name = "Golden Heron Spirits Trading" };
        var chinese = new CrmWorkspace.Domain.Account { Name = "新疆烏魯木齊天山糖業有限公司", ShortName = "天山糖業" };
        db.Accounts.AddRange(latin, chinese);
        await db.SaveChangesAsync();
        // Cased letters go through ILIKE; a part without case (Chinese, digits) through LIKE, which must find the same names.
        Assert.Contains(latin.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "golden heron", 50, default));
        Assert.Contains(latin.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "HERON SPIRITS", 50, default));
        Assert.Contains(chinese.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "乌鲁木齐天山", 50, default));
        Assert.Contains(chinese.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "天山糖业", 50, default));
        Assert.DoesNotContain(chinese.Id, await CrmWorkspace.Data.SearchIndex.AccountIdsAsync(db, "天山酒业", 50, default));
    }

    [Fact]
    public async Task A_pooled_connection_is_handed_on_without_a_reset_and_carries_nothing_of_the_write_before_it()
    {
        // Connections go back to the pool without Npgsql's reset statements, which is safe only while a write leaves no session state.
        string app;
        await using (var probe = await fx.DbAsync())
            app = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetConnectionString(probe.Database)!;
        Assert.True(new Npgsql.NpgsqlConnectionStringBuilder(app).NoResetOnClose);
        // The app's setup on a pool of one connection, so the next unit of work surely gets the connection the write used.
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<CrmWorkspace.Data.CrmDbContext>();
        CrmWorkspace.Data.DatabaseSetup.Configure(options, "PostgreSQL", new Npgsql.NpgsqlConnectionStringBuilder(app) { MaxPoolSize = 1 }.ConnectionString);
        int writerPid;
        await using (var db = await CrmWorkspace.Data.UnitOfWork.BeginAsync(new OptionsFactory(options.Options), CrmWorkspace.Domain.Actors.SystemId))
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            writerPid = await Scalar<int>(db, "SELECT pg_backend_pid()");
            // Inside the write: the writer lock held, the lock timeout set for it.
            Assert.Equal("10s", await Scalar<string>(db, "SHOW lock_timeout"));
            Assert.Equal(1, await Scalar<long>(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"));
            db.Accounts.Add(new CrmWorkspace.Domain.Account { Name = "连接复用测试商贸有限公司" });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        await using (var next = new CrmWorkspace.Data.CrmDbContext(options.Options))
        {
            Assert.Equal(writerPid, await Scalar<int>(next, "SELECT pg_backend_pid()"));
            Assert.Equal("0", await Scalar<string>(next, "SHOW lock_timeout"));
            Assert.Equal(0, await Scalar<long>(next, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"));
        }
    }

    private static async Task<T> Scalar<T>(CrmWorkspace.Data.CrmDbContext db, string sql)
    {
        var c = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
        if (c.State != System.Data.ConnectionState.Open) await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        if (db.Database.CurrentTransaction is { } current)
            cmd.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(current);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T));
    }
}
