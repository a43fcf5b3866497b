using System.Security.Cryptography;
using CrmWorkspace.Data;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace CrmWorkspace.Tests.Servers;

[Collection(AppCollection.Name)]
public class MoveToPostgresTests(AppFixture fx, ITestOutputHelper output)
{
    /// <summary>A consistent copy of the demo company's SQLite database (SQLite's backup, while the app runs).</summary>
    private string DemoCopy()
    {
        var path = Path.Combine(fx.App.DataDirectory, $"move-{Guid.NewGuid():N}.db");
        using var src = new SqliteConnection($"Data Source={fx.App.DatabasePath}");
        using var dst = new SqliteConnection($"Data Source={path};Pooling=false");
        src.Open();
        dst.Open();
        src.BackupDatabase(dst);
        return path;
    }

    private static async Task<long> RowsAsync(string pg)
    {
        await using var c = new NpgsqlConnection(pg);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT (SELECT COUNT(*) FROM \"Accounts\") + (SELECT COUNT(*) FROM \"Activities\") + (SELECT COUNT(*) FROM \"AspNetUsers\") + (SELECT COUNT(*) FROM \"BookingBooths\")", c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private sealed class FailAfter(int lines) : StringWriter
    {
        private int _seen;
        public override void WriteLine(string? value)
        {
            if (++_seen > lines) throw new IOException("the network went away (test)");
            base.WriteLine(value);
        }
    }

    [Fact]
    public async Task The_demo_company_moves_with_equal_counts_and_sums_the_file_untouched_a_half_way_failure_leaves_no_rows_and_a_second_run_refuses()
    {
        var file = DemoCopy();
        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        var target = TestServers.NewPostgresDatabase("crm_move");

        // Half way: the copy breaks after five tables; nothing of it stays.
        await Assert.ThrowsAsync<IOException>(() => MoveToPostgres.RunAsync($"Data Source={file}", target, new FailAfter(5)));
        Assert.Equal(0, await RowsAsync(target));

        var sw = System.Diagnostics.Stopwatch.StartNew();
        var report = await MoveToPostgres.RunAsync($"Data Source={file}", target);
        output.WriteLine($"{report.Sum(r => r.Rows)} rows, {report.Count} tables, {sw.ElapsedMilliseconds} ms");
        Assert.Equal(hash, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file))));

        // Counts as SQLite has them, independently of the command's own check; the search index was built on the way.
        var sb = new DbContextOptionsBuilder<CrmDbContext>();
        DatabaseSetup.Configure(sb, "Sqlite", $"Data Source={file}");
        await using var sqlite = new CrmDbContext(sb.Options);
        var pb = new DbContextOptionsBuilder<CrmDbContext>();
        DatabaseSetup.Configure(pb, "PostgreSQL", target);
        await using var pg = new CrmDbContext(pb.Options);
        Assert.True(await sqlite.Accounts.IgnoreQueryFilters().CountAsync() > 0);
        Assert.Equal(await sqlite.Accounts.IgnoreQueryFilters().CountAsync(), await pg.Accounts.IgnoreQueryFilters().CountAsync());
        Assert.Equal(await sqlite.Activities.IgnoreQueryFilters().CountAsync(), await pg.Activities.IgnoreQueryFilters().CountAsync());
        Assert.Equal(await sqlite.Subscriptions.IgnoreQueryFilters().SumAsync(s => s.Copies), await pg.Subscriptions.IgnoreQueryFilters().SumAsync(s => s.Copies));
        Assert.Equal(report.Single(r => r.Table == "Accounts").Rows, await pg.Accounts.IgnoreQueryFilters().CountAsync());
        var name = await sqlite.Accounts.OrderBy(a => a.Id).Select(a => a.Name).FirstAsync();
        Assert.NotEmpty(await SearchIndex.AccountIdsAsync(pg, name[..2], 10, default));
        // New rows continue after the copied ids.
        var maxId = await pg.Accounts.IgnoreQueryFilters().MaxAsync(a => a.Id);
        await using (var w = await new OptionsFactory(pb.Options).BeginAsync(CrmWorkspace.Domain.Actors.SystemId))
        {
            var added = new CrmWorkspace.Domain.Account { Name = "迁移后新建客户" };
            w.Accounts.Add(added);
            await w.SaveChangesAsync();
            Assert.True(added.Id > maxId);
        }

        // A second run refuses: the target is not empty.
        await Assert.ThrowsAsync<MoveToPostgres.MoveRefusedException>(() => MoveToPostgres.RunAsync($"Data Source={file}", target));
    }
}
