using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Teams;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Managing the teams on the scale dataset: the target-vs-actual board for everyone for a quarter (people, teams, regions),
/// a team's work log for a week, and building a 5,000-customer call list from a filter. Each with its floor from the same run.
/// </summary>
public sealed class TargetScenarios(BenchHost host, int iterations, bool quick, TextWriter log)
{
    private static readonly ValueConverter<DateTimeOffset, long> Time = new DateTimeOffsetToBinaryConverter();

    private IServiceProvider Services => host.Services;

    public async Task<(List<Result> Results, string Note)> RunAsync()
    {
        var prepared = await PrepareAsync();
        var results = new List<Result>();
        var manager = await ManagerAsync();
        var floor = await LookupFloorAsync();
        const string floorName = "indexed lookup, prepared command";
        var quarter = PeriodKey.Of(TargetPeriod.Quarter, WorkLogService.Today);
        var n = quick ? iterations : Math.Min(iterations, 100);

        log.WriteLine("targets: board for a quarter");
        using (var scope = Services.CreateScope())
        {
            var results1 = scope.ServiceProvider.GetRequiredService<ResultsService>();
            // Alternating this quarter and the last one, so no answer is a repeat of the one before.
            var periods = new[] { quarter, quarter.Previous };
            results.Add(new Result("Target vs actual board, all people, one quarter", await Samples.MeasureAsync(n, i => results1.BoardAsync(periods[i % 2], BoardView.People, manager)),
                floorName, floor, "p95 ≤ 200 ms", 200));
            results.Add(new Result("Target vs actual board, by team, one quarter", await Samples.MeasureAsync(n, i => results1.BoardAsync(periods[i % 2], BoardView.Teams, manager)),
                floorName, floor, "p95 ≤ 200 ms", 200));
            // Each quarter alone, with what it sends to the database: the two quarters' data differ (this one holds the benchmarks' own writes).
            foreach (var p in periods) await SaveTrace.ProfileAsync($"board of {p.Starts:yyyy-MM}", 10, _ => results1.BoardAsync(p, BoardView.People, manager), log);
            results.Add(new Result("Results by region, one quarter (joins each record's customer)", await Samples.MeasureAsync(Math.Min(n, 30), i => results1.BoardAsync(periods[i % 2], BoardView.Regions, manager)),
                floorName, floor, "(no target; told)", null));
        }

        log.WriteLine("targets: work log of a team for a week");
        using (var scope = Services.CreateScope())
        {
            var worklog = scope.ServiceProvider.GetRequiredService<WorkLogService>();
            var teams = await Services.GetRequiredService<StaffDirectory>().TeamsAsync();
            results.Add(new Result("Work log of a team for a week", await Samples.MeasureAsync(n, i =>
                    worklog.ReadAsync(new WorkLogQuery(WorkLogService.Today.AddDays(-7 * (i % 8)), WorkLogPeriod.Week, TeamId: teams[i % teams.Count].Id), manager)),
                floorName, floor, "p95 ≤ 50 ms", 50));
        }

        log.WriteLine("targets: 5,000-customer call list");
        var (filter, count) = await FilterOfAbout5000Async();
        var people = (await Services.GetRequiredService<StaffDirectory>().StaffAsync()).Where(s => s.TeamId == manager.TeamId).Select(s => s.Id).ToList();
        var insertFloor = await InsertFloorAsync(count, quick ? 3 : 10);
        using (var scope = Services.CreateScope())
        {
            var lists = scope.ServiceProvider.GetRequiredService<CallListService>();
            var built = await Samples.MeasureAsync(quick ? 3 : 10, async i =>
            {
                var r = await lists.BuildAsync(new CallListInput { Name = $"Benchmark list {i} {Guid.NewGuid():N}"[..40], Filter = filter, AssigneeIds = people, Split = CallListSplit.ByRegion }, manager);
                if (!r.Ok) throw new InvalidOperationException(r.Problem);
            }, warmup: 1);
            results.Add(new Result($"Building a call list of {count:N0} customers from a filter (split by region among {people.Count})", built,
                $"{count:N0}-row insert, one transaction, prepared command", insertFloor, "≤ 1 s (p95)", 1000));
        }
        return (results, prepared);
    }

    private async Task<StaffIdentity> ManagerAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == "marketing@demo.local");
        return StaffIdentity.ForRole(u.Id, u.DisplayName, u.TeamId, Roles.Manager);
    }

    private async Task<Samples> LookupFloorAsync()
    {
        await using var c = new SqliteConnection($"Data Source={host.DatabasePath}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Name FROM Accounts WHERE Id = $id";
        var p = cmd.Parameters.Add("$id", SqliteType.Integer);
        cmd.Prepare();
        var rng = new Random(1);
        return await Samples.MeasureAsync(iterations, async _ => { p.Value = rng.Next(1, 100_000); await cmd.ExecuteScalarAsync(); });
    }

    /// <summary>Floor of the call list: as many rows into a scratch table in one transaction through a prepared command.</summary>
    private async Task<Samples> InsertFloorAsync(int rows, int n)
    {
        await using var c = new SqliteConnection($"Data Source={host.DatabasePath}");
        await c.OpenAsync();
        await using (var create = c.CreateCommand()) { create.CommandText = "CREATE TEMP TABLE IF NOT EXISTS BenchItems (Id INTEGER PRIMARY KEY, ListId INTEGER, AccountId INTEGER, AssigneeId TEXT)"; await create.ExecuteNonQueryAsync(); }
        return await Samples.MeasureAsync(n, async i =>
        {
            await using var tx = c.BeginTransaction();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO BenchItems (ListId, AccountId, AssigneeId) VALUES ($l, $a, $p)";
            var (l, a, p) = (cmd.Parameters.Add("$l", SqliteType.Integer), cmd.Parameters.Add("$a", SqliteType.Integer), cmd.Parameters.Add("$p", SqliteType.Text));
            cmd.Prepare();
            for (var k = 0; k < rows; k++) { l.Value = i; a.Value = k; p.Value = "person"; await cmd.ExecuteNonQueryAsync(); }
            await tx.CommitAsync();
        }, warmup: 1);
    }

    /// <summary>A province and kind of business selecting at most 5,000 customers, as many as possible (the largest list one build takes).</summary>
    private async Task<(CustomerFilter Filter, int Count)> FilterOfAbout5000Async()
    {
        await using var c = new SqliteConnection($"Data Source={host.DatabasePath}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT Province, BusinessType, COUNT(*) AS n FROM Accounts WHERE MergedIntoId IS NULL AND IsDeleted = 0 AND Province IS NOT NULL AND BusinessType IS NOT NULL
            GROUP BY Province, BusinessType HAVING n <= 5000 ORDER BY n DESC LIMIT 1
            """;
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) throw new InvalidOperationException("no filter of at most 5,000 customers");
        return (new CustomerFilter { Province = r.GetString(0), BusinessType = (BusinessType)r.GetInt32(1) }, r.GetInt32(2));
    }

    /// <summary>
    /// Makes the dataset's sales look like a company's, once: the scale builder stamps every subscription with the moment it was
    /// built, so each gets its start day as the day it was recorded (a quarter then holds a quarter's sales) and every third is a
    /// renewal; advertising contracts (the builder writes none) are added over two years; every person and team gets targets for
    /// this month and quarter. Returns what it did, for the report.
    /// </summary>
    private async Task<string> PrepareAsync()
    {
        var notes = new List<string>();
        var sw = Stopwatch.StartNew();
        await using (var c = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await c.OpenAsync();
            async Task<long> N(string sql) { await using var q = c.CreateCommand(); q.CommandText = sql; return (long)(await q.ExecuteScalarAsync())!; }
            if (await N("SELECT COUNT(DISTINCT CreatedAt) FROM Subscriptions") <= 1)
            {
                var rows = new List<(long Id, string Starts)>();
                await using (var q = c.CreateCommand())
                {
                    q.CommandText = "SELECT Id, StartsOn FROM Subscriptions";
                    await using var r = await q.ExecuteReaderAsync();
                    while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetString(1)));
                }
                await using var tx = c.BeginTransaction();
                await using var u = c.CreateCommand();
                u.Transaction = tx;
                u.CommandText = "UPDATE Subscriptions SET CreatedAt = $t, RenewedFromId = CASE WHEN Id % 3 = 0 AND Id > 1 THEN Id - 1 ELSE RenewedFromId END WHERE Id = $id";
                var (t, id) = (u.Parameters.Add("$t", SqliteType.Integer), u.Parameters.Add("$id", SqliteType.Integer));
                u.Prepare();
                var rng = new Random(11);
                foreach (var (sid, starts) in rows)
                {
                    var day = DateOnly.Parse(starts);
                    t.Value = Time.ConvertToProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)).AddMinutes(rng.Next(0, 540)), TimeSpan.Zero));
                    id.Value = sid;
                    await u.ExecuteNonQueryAsync();
                }
                await tx.CommitAsync();
                notes.Add($"{rows.Count:N0} subscriptions given their start day as the day recorded (every third a renewal)");
            }
            if (await N("SELECT COUNT(*) FROM AdContracts") < 10_000)
            {
                var sellers = new List<string>();
                await using (var q = c.CreateCommand())
                {
                    q.CommandText = "SELECT Id FROM AspNetUsers WHERE TeamId = 1 ORDER BY Email";
                    await using var r = await q.ExecuteReaderAsync();
                    while (await r.ReadAsync()) sellers.Add(r.GetString(0));
                }
                var maxAccount = await N("SELECT MAX(Id) FROM Accounts");
                await using var tx = c.BeginTransaction();
                SqliteCommand Cmd(string sql, int n)
                {
                    var cmd = c.CreateCommand();
                    cmd.Transaction = tx;
                    cmd.CommandText = sql;
                    for (var i = 0; i < n; i++) cmd.Parameters.Add(new SqliteParameter($"$p{i}", DBNull.Value));
                    cmd.Prepare();
                    return cmd;
                }
                var quote = Cmd("""
                    INSERT INTO Quotes (Number, Revision, AccountId, Status, ValidUntil, SalespersonId, Gross, Net, DiscountPercent, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
                    VALUES ($p0, 1, $p1, 4, $p2, $p3, $p4, $p4, '0.0', $p5, $p3, $p5, $p3, 0, $p6) RETURNING Id
                    """, 7);
                var contract = Cmd("""
                    INSERT INTO AdContracts (Number, QuoteId, AccountId, SalespersonId, SignedOn, Total, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, IsDeleted, Version)
                    VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p3, $p6, $p3, 0, $p7) RETURNING Id
                    """, 8);
                var instalment = Cmd("INSERT INTO AdInstalments (ContractId, Sequence, DueOn, Amount, Paid, PaidOn) VALUES ($p0, $p1, $p2, $p3, $p4, $p5)", 6);
                var rng = new Random(12);
                var today = DateOnly.FromDateTime(DateTime.Today);
                const int contracts = 20_000;
                for (var i = 0; i < contracts; i++)
                {
                    var signed = today.AddDays(-rng.Next(0, 730));
                    var at = Time.ConvertToProvider(new DateTimeOffset(signed.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero))!;
                    var seller = sellers[rng.Next(sellers.Count)];
                    var account = rng.NextInt64(1, maxAccount + 1);
                    var total = Math.Round((decimal)rng.Next(20, 400) * 500m, 2);
                    object?[] qv = [$"BQ-{i:D6}", account, signed.AddDays(30).ToString("yyyy-MM-dd"), seller, total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), at, Guid.NewGuid().ToString().ToUpperInvariant()];
                    for (var k = 0; k < qv.Length; k++) quote.Parameters[k].Value = qv[k] ?? DBNull.Value;
                    var quoteId = (long)(await quote.ExecuteScalarAsync())!;
                    object?[] cv = [$"BC-{i:D6}", quoteId, account, seller, signed.ToString("yyyy-MM-dd"), total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), at, Guid.NewGuid().ToString().ToUpperInvariant()];
                    for (var k = 0; k < cv.Length; k++) contract.Parameters[k].Value = cv[k] ?? DBNull.Value;
                    var contractId = (long)(await contract.ExecuteScalarAsync())!;
                    for (var s = 1; s <= 2; s++)
                    {
                        var due = signed.AddDays(30 * s);
                        var paid = due < today && rng.NextDouble() < 0.8;
                        object?[] iv = [contractId, s, due.ToString("yyyy-MM-dd"), (total / 2).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                            paid ? (total / 2).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "0.0", paid ? due.ToString("yyyy-MM-dd") : null];
                        for (var k = 0; k < iv.Length; k++) instalment.Parameters[k].Value = iv[k] ?? DBNull.Value;
                        await instalment.ExecuteNonQueryAsync();
                    }
                }
                await tx.CommitAsync();
                notes.Add($"{contracts:N0} advertising contracts (two instalments each) added over two years");
            }
            if (notes.Count > 0)
                await using (var a = c.CreateCommand()) { a.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"; a.CommandTimeout = 0; await a.ExecuteNonQueryAsync(); }
        }
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            if (!await db.SalesTargets.AnyAsync())
            {
                await Services.GetRequiredService<CrmWorkspace.Features.DemoData.DemoTargetsSeeder>().SeedAsync(DateTimeOffset.Now);
                notes.Add("demo targets set for every person and team (this month and quarter)");
            }
        return notes.Count == 0 ? "" : $"Teams: prepared the dataset once in {sw.Elapsed.TotalSeconds:F0} s: {string.Join("; ", notes)}.";
    }
}
