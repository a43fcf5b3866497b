using System.Diagnostics;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.KeyCustomers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Key customers on the scale dataset: the full recompute (changed weights), one customer's score after a change, the key-customer
/// list (with and without filters), the value-changed list and a month of the care calendar; each beside a bare prepared query.
/// </summary>
public sealed class KeyCustomerScenarios(BenchHost host, int iterations, bool quick, TextWriter log)
{
    private async Task<SqliteConnection> OpenAsync()
    {
        var c = new SqliteConnection($"Data Source={host.DatabasePath}");
        await c.OpenAsync();
        return c;
    }

    private static async Task<List<T>> ReadAsync<T>(SqliteConnection c, string sql, Func<SqliteDataReader, T> row)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<T>();
        while (await r.ReadAsync()) list.Add(row(r));
        return list;
    }

    public async Task<(List<Result> Results, string Note)> RunAsync()
    {
        var results = new List<Result>();
        var n = Math.Min(iterations, quick ? 20 : 200);
        var keeper = host.Services.GetRequiredService<ScoreKeeper>();
        using var scope = host.Services.CreateScope();
        var listing = scope.ServiceProvider.GetRequiredService<KeyCustomerListing>();
        var lists = scope.ServiceProvider.GetRequiredService<KeyCustomerLists>();
        var care = scope.ServiceProvider.GetRequiredService<CareCalendar>();
        await using var c = await OpenAsync();
        var heads = await ReadAsync(c, "SELECT Id FROM Accounts WHERE ParentId IS NULL AND IsDeleted = 0 ORDER BY Id", r => r.GetInt32(0));
        var rng = new Random(16);
        var sample = Enumerable.Range(0, n + 10).Select(_ => heads[rng.Next(heads.Count)]).ToList();

        // One customer's score after a change: what the worker does per queued customer.
        log.WriteLine("key customers: one customer's score");
        var slowest = new List<(double Ms, int Id)>();
        var one = await Samples.MeasureAsync(n, async i =>
        {
            var t = Stopwatch.GetTimestamp();
            await keeper.RecomputeAsync([sample[i % sample.Count]]);
            slowest.Add((Stopwatch.GetElapsedTime(t).TotalMilliseconds, sample[i % sample.Count]));
        }, warmup: 5);
        log.WriteLine("  slowest scores (ms, customer): " + string.Join("; ", slowest.OrderByDescending(x => x.Ms).Take(8).Select(x => $"{x.Ms:F0} #{x.Id}")));
        await using var subsOf = c.CreateCommand();
        subsOf.CommandText = "SELECT COUNT(*), TOTAL(Price) FROM Subscriptions WHERE AccountId = $id AND CancelledAt IS NULL";
        var idParam = subsOf.Parameters.Add("$id", SqliteType.Integer);
        subsOf.Prepare();
        var oneFloor = await Samples.MeasureAsync(n, async i => { idParam.Value = sample[i % sample.Count]; await subsOf.ExecuteScalarAsync(); });
        results.Add(new Result("Key customers: one customer's score recomputed after a change (inputs, breakdown, tier, stored)", one,
            "its subscriptions summed, bare prepared query", oneFloor, "≤ 20 ms", 20));

        // The key-customer list: the page's first 100 (A and B), and filtered by tier A + region, and by owner.
        log.WriteLine("key customers: list");
        var province = (await ReadAsync(c, "SELECT Province FROM Accounts WHERE ParentId IS NULL AND Tier = 1 AND Province IS NOT NULL GROUP BY Province ORDER BY COUNT(*) DESC LIMIT 1", r => r.GetString(0))).FirstOrDefault();
        var owner = (await ReadAsync(c, "SELECT OwnerId FROM Accounts WHERE ParentId IS NULL AND OwnerId IS NOT NULL GROUP BY OwnerId ORDER BY COUNT(*) DESC LIMIT 1", r => r.GetString(0))).FirstOrDefault();
        KeyCustomerQuery[] queries = [new(), new(AccountTier.A, Province: province), new(OwnerId: owner), new(AccountTier.C)];
        var perQuery = queries.Select(_ => new Samples()).ToArray();
        var list = await Samples.MeasureAsync(n, async i =>
        {
            var t = Stopwatch.GetTimestamp();
            await listing.ListAsync(queries[i % queries.Length], 100);
            perQuery[i % queries.Length].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        });
        log.WriteLine("  list by query (p50 / p95 ms): " + string.Join("; ", queries.Select((q, k) => $"{q.Tier?.ToString() ?? "A+B"}{(q.Province is null ? "" : " in a province")}{(q.OwnerId is null ? "" : " one owner")} {perQuery[k].P(50):F1} / {perQuery[k].P(95):F1}")));
        await using var top = c.CreateCommand();
        top.CommandText = "SELECT AccountId, Score, Breakdown FROM CustomerScores WHERE Tier = 3 ORDER BY Score DESC LIMIT 100";
        top.Prepare();
        var listFloor = await Samples.MeasureAsync(n, async _ => { await using var r = await top.ExecuteReaderAsync(); while (await r.ReadAsync()) { } });
        results.Add(new Result("Key-customer list: first 100 by score with count and breakdown (A+B / A in a province / one owner / C, in turn)", list,
            "top 100 scores of one tier, bare prepared query", listFloor, "p95 ≤ 50 ms", 50));

        log.WriteLine("key customers: value-changed list");
        var changes = await Samples.MeasureAsync(n, i => lists.ValueChangesAsync(new[] { 3, 1, 6 }[i % 3], 30));
        results.Add(new Result("Value-changed list: 30 biggest moves with reasons (1, 3, 6 months, in turn)", changes,
            "top 100 scores of one tier, bare prepared query", listFloor, "p95 ≤ 50 ms", 50));

        log.WriteLine("key customers: care calendar");
        var first = new DateOnly(DateTime.Today.Year, DateTime.Today.Month, 1);
        var perMonth = Enumerable.Range(0, 12).Select(_ => new Samples()).ToArray();
        var month = await Samples.MeasureAsync(n, async i =>
        {
            var m = first.AddMonths(i % 12);
            var t = Stopwatch.GetTimestamp();
            await care.BetweenAsync(m, m.AddMonths(1).AddDays(-1));
            perMonth[i % 12].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        });
        log.WriteLine("  care by month (p50 / p95 ms): " + string.Join("; ", perMonth.Select((x, k) => $"{first.AddMonths(k):yyyy-MM} {x.P(50):F0} / {x.P(95):F0}")));
        await using var bdays = c.CreateCommand();
        bdays.CommandText = "SELECT COUNT(*) FROM Contacts WHERE IsKeyContact = 1 AND Birthday IS NOT NULL";
        bdays.Prepare();
        var monthFloor = await Samples.MeasureAsync(n, async _ => await bdays.ExecuteScalarAsync());
        results.Add(new Result("Care calendar: one month (key contacts' birthdays, anniversaries, festivals; 12 months in turn)", month,
            "key contacts with a birthday counted, bare prepared query", monthFloor, "p95 ≤ 50 ms", 50));

        // Last: the full recompute rewrites every score (changed weights). Floor: every input row read once, bare. Bounded: past
        // 5 minutes it is stopped and its rate so far reported, so that a slow one cannot hang the group.
        log.WriteLine("key customers: full recompute");
        var limit = TimeSpan.FromMinutes(5);
        var sw = Stopwatch.StartNew();
        var reached = (Done: 0, Total: 0);
        var progress = new Progress<(int Done, int Total)>(p => reached = p);
        using var stop = new CancellationTokenSource(limit);
        int? scored = null;
        try { scored = await keeper.RecomputeAllAsync(progress, stop.Token); }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        var full = new Samples();
        full.Add(scored is null ? double.PositiveInfinity : sw.Elapsed.TotalMilliseconds);
        var stopped = scored is null
            ? $"stopped after {limit.TotalMinutes:F0} min with {reached.Done:N0} of {reached.Total:N0} head offices written ({reached.Done / sw.Elapsed.TotalSeconds:N0} per second)"
            : null;
        if (stopped is not null) log.WriteLine($"key customers: full recompute {stopped}");
        var floor = new Samples();
        sw.Restart();
        foreach (var sql in new[] { "SELECT Id, ParentId FROM Accounts", "SELECT AccountId, Price, Paid, Copies, StartsOn, EndsOn FROM Subscriptions",
                     "SELECT AccountId, Price, Paid FROM Bookings" })
            await ReadAsync(c, sql, r => r.GetValue(0));
        floor.Add(sw.Elapsed.TotalMilliseconds);
        results.Add(new Result($"Full recompute of {scored ?? reached.Total:N0} head offices ({heads.Count:N0} head offices of all accounts)", full,
            "accounts, subscriptions and bookings read once, bare", floor, "≤ 60 s", 60_000, stopped));
        return (results, $"Key customers: {heads.Count:N0} head offices; the full recompute ran once (n = 1) and is listed with its floor.");
    }
}
