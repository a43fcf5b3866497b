using System.Diagnostics;
using CrmWorkspace.Features.Teams;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmWorkspace.Tests.Data;

/// <summary>A company of its own: the test fills it out of shape and re-analyses it, which would change other tests' plans.</summary>
public sealed class QueryPlanFixture : AppFixture
{
    // Listening from before the app starts, so every context the app creates reports its commands.
    public QueryPlanFixture() => CommandCapture.Listen();
}

/// <summary>
/// SQLite plans by statistics that know averages, not skew. A real company's history is skewed: most entries have no follow-up and
/// most customers are not key customers. On the scale dataset (2M entries, 200k customers, analysed) a manager's neglect alerts
/// scanned every entry for the team's follow-ups and walked every customer's creation date for its key customers: 1.5 s a read,
/// read again on every save of the team. These tests give the demo company that shape, analyse it, and read the plans SQLite makes
/// for the commands the services really send.
/// </summary>
public class QueryPlanTests(QueryPlanFixture fx) : IClassFixture<QueryPlanFixture>
{
    [Fact]
    public async Task A_managers_alerts_and_my_follow_ups_seek_by_person_when_most_entries_have_no_follow_up_and_few_customers_are_key()
    {
        var manager = await fx.StaffAsync("marketing@demo.local");
        var admin = await fx.StaffAsync("admin@demo.local");
        var alerts = fx.Get<NeglectAlertService>();
        var timeline = fx.Get<TimelineService>();
        var today = WorkLogService.Today;
        var before = await alerts.ForTeamAsync(manager.TeamId, manager, today);
        var beforeMine = await timeline.MyFollowUpsAsync(manager.Id);
        Assert.NotNull(before);
        Assert.True(before.OverdueFollowUps > 0 && beforeMine.Count > 0, "the demo company has open follow-ups to find");

        string file;
        await using (var db = await fx.DbAsync()) file = db.Database.GetConnectionString()!;
        await using (var c = new SqliteConnection(file))
        {
            await c.OpenAsync();
            // 30,000 more entries with no follow-up, and 3,000 more customers of tier C and D owned by the team's people.
            await CopyRowsAsync(c, "Activities", "FollowUpAssigneeId IS NULL AND FollowUpOn IS NULL", 30_000, new());
            await CopyRowsAsync(c, "Accounts", "Tier = 3 AND ParentId IS NULL", 3_000, new()
            {
                ["Tier"] = "3 + n.i % 2",
                ["OwnerId"] = "(SELECT p.Id FROM people p WHERE p.k = n.i % (SELECT COUNT(*) FROM people))",
            }, $"people(k, Id) AS (SELECT row_number() OVER (ORDER BY Id) - 1, Id FROM AspNetUsers WHERE TeamId = {manager.TeamId}), ");
        }

        // Statistics three ways: a whole ANALYZE; one that samples about 1,000 entries of each index (SQLite's advice for big
        // databases, which this app followed at start-up until 2026-12-03); and the statistics the scale dataset had when its neglect
        // alerts took 1.5 s (one follow-up assignee for a sixth of all entries, one owner for a fifth of all customers), scaled to
        // this company's size.
        foreach (var statistics in new[] { "PRAGMA analysis_limit=0; ANALYZE;", "PRAGMA analysis_limit=1000; ANALYZE;", ScaleStatistics })
        {
            await using (var c = new SqliteConnection(file))
            {
                await c.OpenAsync();
                await Exec(c, statistics);
            }

            using var captured = CommandCapture.Start();
            var after = await alerts.ForTeamAsync(manager.TeamId, manager, today);
            var everyTeam = await alerts.ForTeamAsync(null, admin, today);
            var mine = await timeline.MyFollowUpsAsync(manager.Id);

            // The same answers as before the company grew (nothing added is key or followed up).
            Assert.Equal((before.UntouchedKeyCustomers, before.OverdueFollowUps, before.Rows.Count), (after!.UntouchedKeyCustomers, after.OverdueFollowUps, after.Rows.Count));
            Assert.Equal(beforeMine.Select(f => f.ActivityId), mine.Select(f => f.ActivityId));
            Assert.NotNull(everyTeam);

            // Every command on entries or customers seeks by the people asked about (or into the key tiers, which hold few customers
            // by their nature); none walks the table or an unrelated range.
            var shown = statistics == ScaleStatistics ? "the scale dataset's statistics" : statistics;
            // (EF names a query's own table "a"; a customer's name looked up inside another query is "a0".)
            var commands = captured.Commands.Where(x => x.Sql.Contains("FROM \"Activities\" AS \"a\"") || x.Sql.Contains("FROM \"Accounts\" AS \"a\"")).ToList();
            Assert.True(commands.Count >= 9, $"the alerts (twice) and my follow-ups send their reads: {commands.Count} heard");
            await using var plans = new SqliteConnection(file);
            await plans.OpenAsync();
            foreach (var (sql, parameters) in commands)
            {
                var plan = await PlanAsync(plans, sql, parameters);
                var first = plan.FirstOrDefault() ?? "";
                Assert.True(!plan.Any(l => l.StartsWith("SCAN ")) && (first.Contains("FollowUpAssigneeId=?") || first.Contains("OwnerId=?") || first.Contains("(Tier=?)")),
                    $"with {shown} the plan of {sql[..Math.Min(sql.Length, 160)].ReplaceLineEndings(" ")}…:\n  " + string.Join("\n  ", plan));
            }
        }
    }

    /// <summary>
    /// A whole ANALYZE, then the scale dataset's statistics (sqlite_stat1 there on 2026-12-03, 2M entries and 200k customers) for the
    /// indexes this company has of them, scaled to its row counts; read again by the planner (ANALYZE sqlite_schema).
    /// </summary>
    private const string ScaleStatistics = """
        PRAGMA analysis_limit=0; ANALYZE;
        WITH scale(idx, stat, rows) AS (VALUES
            ('IX_Activities_FollowUpAssigneeId_FollowUpDoneAt_FollowUpOn', '333334 333334 9951', 2000000),
            ('IX_Activities_ContactId', '2000000', 2000000),
            ('IX_Activities_TeamId_OccurredAt', '400000 2', 2000000),
            ('IX_Activities_Results', '222223 1 1 1', 2000000),
            ('IX_Accounts_OwnerId_Tier', '40000 20000', 200000),
            ('IX_Accounts_Tier_Name_IsDeleted', '100000 1 1', 200000),
            ('IX_Accounts_Results', '102 21 21 21', 200000))
        UPDATE sqlite_stat1 SET stat = (
            SELECT CAST(CAST(sqlite_stat1.stat AS INTEGER) AS TEXT) || ' ' || (
                SELECT group_concat(MAX(1, CAST(value AS INTEGER) * CAST(sqlite_stat1.stat AS INTEGER) / scale.rows), ' ')
                FROM json_each('[' || replace(scale.stat, ' ', ',') || ']'))
            FROM scale WHERE scale.idx = sqlite_stat1.idx)
        WHERE idx IN (SELECT idx FROM scale);
        ANALYZE sqlite_schema;
        """;

    /// <summary>
    /// Copies one row matching <paramref name="where"/> <paramref name="count"/> times, with some columns set by SQL over n.i (and the
    /// tables of <paramref name="with"/>, more common table expressions, each followed by a comma).
    /// </summary>
    private static async Task CopyRowsAsync(SqliteConnection c, string table, string where, int count, Dictionary<string, string> set, string with = "")
    {
        var columns = new List<string>();
        await using (var info = c.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}') WHERE name <> 'Id'";
            await using var r = await info.ExecuteReaderAsync();
            while (await r.ReadAsync()) columns.Add(r.GetString(0));
        }
        var list = string.Join(", ", columns.Select(x => $"\"{x}\""));
        var values = string.Join(", ", columns.Select(x => set.TryGetValue(x, out var v) ? v : $"src.\"{x}\""));
        await Exec(c, $"""
            WITH RECURSIVE {with}n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            INSERT INTO "{table}" ({list})
            SELECT {values} FROM n, (SELECT * FROM "{table}" WHERE {where} LIMIT 1) AS src
            """);
    }

    private static async Task Exec(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 120;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> PlanAsync(SqliteConnection c, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var lines = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) lines.Add(r.GetString(3));
        return lines;
    }
}

/// <summary>The commands EF sends in one async flow (EF's diagnostic events, heard process-wide and kept for the flow that asked).</summary>
public sealed class CommandCapture : IDisposable, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private static readonly AsyncLocal<CommandCapture?> Current = new();
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new CommandCapture()));
    private readonly List<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> _commands = [];

    public IReadOnlyList<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> Commands { get { lock (_commands) return [.. _commands]; } }

    public static void Listen() => _ = Subscription.Value;

    public static CommandCapture Start()
    {
        Listen();
        return Current.Value = new CommandCapture();
    }

    public void Dispose() => Current.Value = null;

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name) listener.Subscribe(this);
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Value is not CommandExecutedEventData c || Current.Value is not { } capture) return;
        var parameters = c.Command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
        lock (capture._commands) capture._commands.Add((c.Command.CommandText, parameters));
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }
}
