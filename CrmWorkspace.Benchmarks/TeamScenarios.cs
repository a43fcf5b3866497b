using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Live;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Managing the teams (issue 17), group <c>--only teams</c>: one method per scenario, each returning its <see cref="Result"/> with a
/// floor measured in the same run. <see cref="RunAsync"/> lists them in order; scenarios that change data put it back, so the
/// groups after this one measure the same dataset.
/// </summary>
public sealed class TeamScenarios(BenchHost host, bool quick, TextWriter log)
{
    /// <summary>The manager the team scenarios act as (the scale dataset's staff are the demo sign-ins; team 1 is marketing).</summary>
    private static readonly StaffIdentity Manager = new("bench", "基准测试", 1, false, true);

    public async Task<(List<Result> Results, string Note)> RunAsync()
    {
        var results = new List<Result>();
        var notes = new List<string>();

        // Customer pool and ownership.
        results.Add(await PoolSweepAsync(notes));
        results.Add(await NeglectAlertsAsync());

        // Work log, call lists and the targets board: their scenarios go here.

        return (results, string.Join(" ", notes));
    }

    private SqliteConnection Open() => new($"Data Source={host.DatabasePath}");

    // ---- Customer pool and ownership ----

    /// <summary>
    /// The nightly pool sweep over every owned customer (200,000 on the full dataset) with 30 idle days. Floor: finding the idle
    /// customers alone, one prepared SQL statement. The moved customers are given back to their owners afterwards.
    /// </summary>
    private async Task<Result> PoolSweepAsync(List<string> notes)
    {
        const int idleDays = 30;
        var now = DateTimeOffset.UtcNow;
        var cutoff = now.AddDays(-idleDays);
        var time = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter();
        long owned, idle = 0;
        var floor = new Samples();
        await using (var c = Open())
        {
            await c.OpenAsync();
            await using var count = c.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM Accounts WHERE OwnerId IS NOT NULL AND MergedIntoId IS NULL AND IsDeleted = 0";
            owned = (long)(await count.ExecuteScalarAsync())!;
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT COUNT(*) FROM Accounts a WHERE a.OwnerId IS NOT NULL AND a.MergedIntoId IS NULL AND a.IsDeleted = 0 AND a.CreatedAt < $cutoff
                AND NOT EXISTS (SELECT 1 FROM Activities x WHERE x.AccountId = a.Id AND x.AuthorId = a.OwnerId AND x.OccurredAt >= $cutoff)
                """;
            cmd.Parameters.AddWithValue("$cutoff", time.ConvertToProvider(cutoff));
            cmd.Prepare();
            for (var i = 0; i < (quick ? 1 : 3); i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                idle = (long)(await cmd.ExecuteScalarAsync())!;
                floor.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }
        log.WriteLine($"teams: pool sweep over {owned:N0} owned customers, {idle:N0} idle for {idleDays} days (finding them: {floor.P(50):F0} ms)");

        var sp = host.Services;
        var pool = new PoolService(sp.GetRequiredService<IDbContextFactory<CrmDbContext>>(), sp.GetRequiredService<IWorkspaceEvents>(),
            Options.Create(new PoolOptions { IdleDays = idleDays }), sp.GetRequiredService<IStringLocalizer<TeamsText>>(), sp.GetRequiredService<AuditTrail>(),
            sp.GetRequiredService<CrmWorkspace.Features.Timeline.LineSearch>());
        long lastActivity;
        await using (var c = Open())
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM Activities";
            lastActivity = (long)(await cmd.ExecuteScalarAsync())!;
        }
        var measured = new Samples();
        var t1 = Stopwatch.GetTimestamp();
        var moved = await pool.SweepAsync(now);
        measured.Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
        log.WriteLine($"teams: the sweep moved {moved:N0} customers in {measured.P(50) / 1000:F1} s");
        if (moved != idle) notes.Add($"The pool sweep moved {moved:N0} customers where the floor's statement found {idle:N0}.");

        // Put the dataset back: owners restored, this run's pool rows and timeline lines removed.
        await using (var c = Open())
        {
            await c.OpenAsync();
            await using var tx = c.BeginTransaction();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                UPDATE Accounts SET OwnerId = (SELECT p.FormerOwnerId FROM PoolEntries p WHERE p.AccountId = Accounts.Id)
                WHERE Id IN (SELECT AccountId FROM PoolEntries WHERE PooledAt = $now);
                DELETE FROM PoolEntries WHERE PooledAt = $now;
                DELETE FROM Activities WHERE Id > $last AND SystemEvent = 'pool.returned';
                """;
            cmd.Parameters.AddWithValue("$now", time.ConvertToProvider(now));
            cmd.Parameters.AddWithValue("$last", lastActivity);
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        return new Result($"Nightly pool sweep, {owned:N0} owned customers ({moved:N0} idle for {idleDays} days moved to the pool, each with its timeline line)", measured,
            "finding the idle customers, one prepared SQL statement", floor, "≤ 30 s", 30_000);
    }

    /// <summary>A manager's neglect alerts (untouched key customers, overdue follow-ups and tasks) for the marketing team, read fresh.</summary>
    private async Task<Result> NeglectAlertsAsync()
    {
        var alerts = host.Services.GetRequiredService<NeglectAlertService>();
        var today = WorkLogService.Today;
        NeglectAlerts? last = null;
        SaveTrace.EveryCommandBegin();
        var measured = await Samples.MeasureAsync(quick ? 10 : 50, async _ => last = await alerts.ForTeamAsync(Manager.TeamId, Manager, today), warmup: 3);
        foreach (var x in SaveTrace.EveryCommandEnd().Take(4))
        {
            log.WriteLine($"  {(x.ExecMs + x.ReadMs) / x.Count:F1} ms each ({x.Count}×): {SaveTrace.Full(x.Sql).ReplaceLineEndings(" ")}");
            await using var c = Open();
            await c.OpenAsync();
            await using var plan = c.CreateCommand();
            plan.CommandText = "EXPLAIN QUERY PLAN " + SaveTrace.Full(x.Sql);
            await using var r = await plan.ExecuteReaderAsync();
            while (await r.ReadAsync()) log.WriteLine($"      plan: {r.GetString(3)}");
        }
        log.WriteLine($"teams: neglect alerts of team 1: {last?.UntouchedKeyCustomers:N0} untouched key customers, {last?.OverdueFollowUps:N0} overdue follow-ups, p50 {measured.P(50):F1} ms");
        // Floor: counting the team's owned key customers through the owner index, one prepared statement.
        var floor = new Samples();
        await using (var c = Open())
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM Accounts WHERE OwnerId IN (SELECT Id FROM AspNetUsers WHERE TeamId = 1) AND Tier <= 2 AND IsDeleted = 0";
            cmd.Prepare();
            floor = await Samples.MeasureAsync(quick ? 10 : 50, async _ => await cmd.ExecuteScalarAsync(), warmup: 3);
        }
        return new Result($"Neglect alerts of one team, read fresh ({last?.Total:N0} alerts)", measured, "counting the team's key customers, prepared SQL", floor, "≤ 200 ms", 200);
    }
}
