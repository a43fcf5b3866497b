using System.Globalization;
using System.Text;
using CrmWorkspace.Benchmarks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

// Usage: dotnet run -c Release --project CrmWorkspace.Benchmarks -- all     (full scale dataset, writes docs/performance.md)
//        dotnet run -c Release --project CrmWorkspace.Benchmarks -- quick   (small dataset, each scenario briefly, no targets judged)
//        ... -- all --only core|fairs|duplicates|renewals|keycust|teams|targets|ads|live|memory|servers   (one group, printed only: for tuning)
//        ... --only servers-hub | servers-pg   (the several-servers group's hub-delivery rows, or its PostgreSQL-vs-SQLite rows, alone)
//        ... --fresh-move   (servers: move the dataset to PostgreSQL again even when the moved database kept in data/scale/pg-*/ matches)
//        ... --only live [--watchers 0,5,10] [--desks 10] [--samples 20]     (live: circuits open per step, colleagues on the desk; also with all)
/// <summary>The one command that builds the scale dataset and runs every scenario (named BenchMain: the app owns "Program").</summary>
public static class BenchMain
{
    /// <summary>
    /// False when this assembly is loaded by a test host (no runtimeconfig of its own beside it): its child modes (move-child,
    /// hub-clients-child) cannot be started as processes then.
    /// </summary>
    public static bool CanStartChild => File.Exists(Path.ChangeExtension(typeof(BenchMain).Assembly.Location, ".runtimeconfig.json"));

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        SaveTrace.Listen();
        var mode = args.FirstOrDefault() ?? "all";
        if (mode == "move-child")
        {
            // The several-servers group's move, in a process of its own so that its peak memory is the move's.
            string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).First();
            await ServerScenarios.MoveChildAsync(Arg("--from"), Arg("--to"), Console.Out);
            return 0;
        }
        if (mode == "hub-clients-child")
        {
            // The several-servers group's hub clients, in a process of their own (HubClientProcess).
            var count = int.Parse(args.SkipWhile(a => a != "--count").Skip(1).First());
            var watch = args.Select((a, i) => (a, i)).Where(x => x.a == "--watch").Select(x => args[x.i + 1].Split('|'))
                .Select(p => (p[0], int.Parse(p[1]))).ToList();
            await HubClientProcess.ChildAsync(count, watch, Console.Out);
            return 0;
        }
        if (mode is not ("all" or "quick" or "dataset"))
        {
            Console.Error.WriteLine("usage: CrmWorkspace.Benchmarks all|quick|dataset [--out FILE]   (dataset: only build the full scale dataset)");
            return 2;
        }
        var quick = mode == "quick";
        var root = RepoRoot();
        var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault()
            ?? (quick ? Path.Combine(root, "data", "scale", "performance-quick.md") : Path.Combine(root, "docs", "performance.md"));
        var size = quick ? ScaleSize.Quick : ScaleSize.Full;
        var started = DateTimeOffset.Now;

        var (dbPath, buildTime) = await ScaleDataset.EnsureAsync(Path.Combine(root, "data", "scale"), size, Console.Out);
        if (mode == "dataset")
        {
            await using var builder = new BenchHost(dbPath);
            builder.Start();
            await ScaleDataset.EnsureSubscriptionsAsync(dbPath, size, Console.Out);
            await ScaleDataset.EnsureAdvertisingAsync(builder.Services, dbPath, size, Console.Out);
            Console.WriteLine($"Dataset ready: {dbPath}{(buildTime is { } t ? $", built in {t.TotalSeconds:F0} s" : "")}");
            return 0;
        }
        await using var host = new BenchHost(dbPath);
        host.Start();
        await ScoresReadyAsync(host);
        var subscriptionsBuilt = await ScaleDataset.EnsureSubscriptionsAsync(dbPath, size, Console.Out);
        // Before any group reads it (the targets group counts ad contracts): the advertising business of the dataset.
        await ScaleDataset.EnsureAdvertisingAsync(host.Services, dbPath, size, Console.Out);
        var iterations = quick ? 20 : 300;
        int maxId;
        await using (var c = new SqliteConnection($"Data Source={dbPath}")) { await c.OpenAsync(); await using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT MAX(Id) FROM Accounts"; maxId = (int)(long)(await cmd.ExecuteScalarAsync())!; }
        var freshMove = args.Contains("--fresh-move");
        if (args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() is { } only)
        {
            // For tuning: one group of scenarios alone, printed, nothing written to docs/.
            List<Result> some = only switch
            {
                "core" => await new Scenarios(host, iterations, Console.Out).RunAsync(),
                "fairs" => (await new FairScenarios(host, iterations, quick, Console.Out).RunAsync()).Results,
                "duplicates" => await new DuplicateScenarios(host, iterations, quick, Console.Out).RunAsync(),
                "renewals" => (await new RenewalScenarios(host, quick, Console.Out).RunAsync()).Results,
                "keycust" => (await new KeyCustomerScenarios(host, iterations, quick, Console.Out).RunAsync()).Results,
                "live" => await LiveOnlyAsync(host, quick, args),
                "memory" => await MemoryOnlyAsync(host, quick, maxId),
                "servers" => await ServersOnlyAsync(host, iterations, quick, new ServerScenarios.Parts(FreshMove: freshMove)),
                "servers-hub" => await ServersOnlyAsync(host, iterations, quick, new ServerScenarios.Parts(Providers: false, FreshMove: freshMove)),
                "servers-pg" => await ServersOnlyAsync(host, iterations, quick, new ServerScenarios.Parts(Hub: false, FreshMove: freshMove)),
                "move" => await ServerScenarios.MoveOnlyAsync(host, Console.Out),
                "teams" => (await new TeamScenarios(host, quick, Console.Out).RunAsync()).Results,
                "targets" => await TargetsOnlyAsync(host, iterations, quick),
                "ads" => await AdsOnlyAsync(host, iterations, quick),
                _ => throw new ArgumentException($"--only takes core, fairs, duplicates, renewals, keycust, teams, targets, ads, live, memory, servers, servers-hub, servers-pg or move, not {only}"),
            };
            foreach (var r in some) Console.WriteLine($"{r.Scenario}: p50 {r.Measured.P(50):F2} ms, p95 {r.Measured.P(95):F2} ms; floor p50 {r.FloorSamples?.P(50):F3}, p95 {r.FloorSamples?.P(95):F3}");
            return 0;
        }
        // Memory first, on a fresh host: later scenarios leave caches and connections that would blur the per-page growth.
        Console.WriteLine("memory per open customer page");
        var memory = await MemoryScenario.MeasureAsync(host, quick ? 5 : 50, maxId);
        var results = await new Scenarios(host, iterations, Console.Out).RunAsync();
        var (fairResults, fairNote) = await new FairScenarios(host, iterations, quick, Console.Out).RunAsync();
        results.AddRange(fairResults);
        results.AddRange(await new DuplicateScenarios(host, iterations, quick, Console.Out).RunAsync());
        var (renewalResults, renewalNote) = await new RenewalScenarios(host, quick, Console.Out).RunAsync();
        results.AddRange(renewalResults);
        var (keyResults, keyNote) = await new KeyCustomerScenarios(host, iterations, quick, Console.Out).RunAsync();
        results.AddRange(keyResults);
        var (teamResults, teamNote) = await new TeamScenarios(host, quick, Console.Out).RunAsync();
        results.AddRange(teamResults);
        var (targetResults, targetNote) = await new TargetScenarios(host, iterations, quick, Console.Out).RunAsync();
        results.AddRange(targetResults);
        var ads = new AdScenarios(host, iterations, quick, Console.Out);
        results.AddRange((await ads.RunAsync()).Results);
        // Last: its circuits listen to every kind of event, so they must not overlap another group's measurements.
        var (liveResults, liveNote) = await new LiveScenarios(host, quick, Console.Out, LiveOption(args, "--watchers")?.Split(',').Select(int.Parse).ToList(),
            LiveOption(args, "--desks") is { } desks ? int.Parse(desks) : null, LiveOption(args, "--samples") is { } samples ? int.Parse(samples) : null).RunAsync();
        results.AddRange(liveResults);
        // After everything else: it starts PostgreSQL, Redis and two more servers, and moves the dataset.
        var (serverResults, serverSection) = await new ServerScenarios(host, iterations, quick, Console.Out, new ServerScenarios.Parts(FreshMove: freshMove)).RunAsync();
        results.AddRange(serverResults);
        var counts = await CountsAsync(dbPath);
        var md = new StringBuilder();
        md.AppendLine("# Performance");
        md.AppendLine();
        md.AppendLine($"Measured {started:yyyy-MM-dd HH:mm} on this machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, Release build.");
        md.AppendLine();
        md.AppendLine("Reproduce (builds the scale dataset once into `data/scale/`, then runs every scenario, under 15 minutes here):");
        md.AppendLine();
        md.AppendLine("```bash");
        md.AppendLine($"dotnet run -c Release --project CrmWorkspace.Benchmarks -- {mode}");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"Dataset: {counts}. {(buildTime is { } bt ? $"Built in {bt.TotalSeconds:F0} s in this run." : "Reused from an earlier build.")}");
        md.AppendLine();
        md.AppendLine("Each scenario runs in the app's own process against the scale database (services as the pages call them; the hub");
        md.AppendLine("scenario through real WebSocket clients on 127.0.0.1). Its floor is measured in the same run, so the ratio holds on a noisy machine.");
        md.AppendLine();
        md.AppendLine("| scenario | n | p50 ms | p95 ms | p99 ms | floor | floor p50 | floor p95 | p95 / floor p95 | target | met |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results) md.AppendLine(Row(r, quick));
        md.AppendLine($"| Server memory per open customer page ({(quick ? 5 : 50)} pages in one headless Chromium) | | managed heap {memory.ManagedKbPerPage:F0} KB / page | working set {memory.WorkingSetKbPerPage:F0} KB / page | | empty: before opening | | | | ≤ 1 MB each | {(quick ? "(quick run)" : memory.Problem ?? (memory.ManagedKbPerPage <= 1024 ? "yes (managed)" : "**no**"))} |");
        md.AppendLine();
        md.AppendLine(fairNote);
        if (subscriptionsBuilt is { } sb) md.AppendLine($"Subscriptions added to the dataset in {sb.TotalSeconds:F0} s in this run.");
        if (renewalNote.Length > 0) md.AppendLine(renewalNote);
        md.AppendLine(keyNote);
        if (teamNote.Length > 0) md.AppendLine(teamNote);
        if (targetNote.Length > 0) md.AppendLine(targetNote);
        if (liveNote.Length > 0) { md.AppendLine(); md.AppendLine(liveNote); }
        md.AppendLine();
        md.AppendLine(serverSection);
        md.AppendLine();
        md.AppendLine(ads.Section);
        md.AppendLine("## Duplicate detection quality (Febrl)");
        md.AppendLine();
        md.AppendLine(FebrlQuality(root, host.Services.GetRequiredService<CrmWorkspace.Features.Duplicates.Matching.MatchScorer>()));
        md.AppendLine();
        md.AppendLine("## Notes");
        md.AppendLine();
        md.AppendLine("Reports print with Debian's `chromium-headless-shell` (a bare one-page print is the floor above). Long reports are");
        md.AppendLine("laid out on the server (`Features/Reports/ReportLayout.cs`): lines broken with the fonts' widths, every block of fixed");
        md.AppendLine("height, a table's rows as one text block per column, page numbers written into each sheet. Chromium then paints rather");
        md.AppendLine("than laying out one box per cell; that took the 2,500-row renewal report from ~3 s to ~1 s and the 10,000-row one from");
        md.AppendLine("~15 s and 2.2 GB to ~5 s and 0.6 GB. The run log splits each report into query, HTML and printing. Reports above");
        md.AppendLine("10,000 rows are refused with a pointer to the Excel export.");
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
        await File.WriteAllTextAsync(outFile, md.ToString());
        Console.WriteLine(md.ToString());
        Console.WriteLine($"Written to {outFile}");
        return 0;
    }

    /// <summary>
    /// A dataset never scored gets every customer's value score at start-up (once, stored): measuring while that runs would
    /// time the recompute, not the scenario. Waits for it and says how long it took.
    /// </summary>
    private static async Task ScoresReadyAsync(BenchHost host)
    {
        var worker = host.Services.GetService<CrmWorkspace.Features.KeyCustomers.KeyCustomerWorker>();
        if (worker is null) return;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(2000);
        while (worker.Status.Running) await Task.Delay(1000);
        if (worker.Status.Total > 0)
            Console.WriteLine($"value scores: {worker.Status.Total:N0} head offices scored in {sw.Elapsed.TotalSeconds:F0} s (first start on this dataset)");
    }

    /// <summary>The teams group alone (targets board, work log, call list), with what it prepared in the dataset.</summary>
    private static async Task<List<Result>> TargetsOnlyAsync(BenchHost host, int iterations, bool quick)
    {
        var (results, note) = await new TargetScenarios(host, iterations, quick, Console.Out).RunAsync();
        if (note.Length > 0) Console.WriteLine(note);
        return results;
    }

    /// <summary>Server memory per open customer page alone (printed; pauses 60 s with the pages open when CRM_BENCH_PAUSE is set, for a heap dump).</summary>
    private static async Task<List<Result>> MemoryOnlyAsync(BenchHost host, bool quick, int maxId)
    {
        var (managed, workingSet, problem) = await MemoryScenario.MeasureAsync(host, quick ? 5 : 50, maxId);
        Console.WriteLine(problem ?? $"memory per open customer page: managed {managed:N0} KB, working set {workingSet:N0} KB");
        return [];
    }

    /// <summary>One row of the report's table.</summary>
    private static string Row(Result r, bool quick)
    {
        var f = r.FloorSamples;
        return $"| {r.Scenario} | {r.Measured.Count} | {r.Measured.P(50):F2} | {r.Measured.P(95):F2} | {r.Measured.P(99):F2} | {r.Floor} | {f?.P(50):F3} | {f?.P(95):F3} | {(f is null ? "" : (r.Measured.P(95) / f.P(95)).ToString("F1") + "×")} | {r.Target} | {(quick ? "(quick run)" : r.Met switch { true => "yes", false => "**no**", null => "—" })} |";
    }

    /// <summary>The several-servers group alone; its section of docs/performance.md is printed after the rows.</summary>
    private static async Task<List<Result>> ServersOnlyAsync(BenchHost host, int iterations, bool quick, ServerScenarios.Parts parts)
    {
        var (results, section) = await new ServerScenarios(host, iterations, quick, Console.Out, parts).RunAsync();
        Console.WriteLine();
        foreach (var r in results) Console.WriteLine(Row(r, quick));
        Console.WriteLine();
        Console.WriteLine(section);
        return results;
    }

    /// <summary>The advertising group alone; prints its docs/performance.md section.</summary>
    private static async Task<List<Result>> AdsOnlyAsync(BenchHost host, int iterations, bool quick)
    {
        var ads = new AdScenarios(host, iterations, quick, Console.Out);
        var (results, _) = await ads.RunAsync();
        Console.WriteLine(ads.Section);
        return results;
    }

    /// <summary>A live option's value (<c>--watchers 0,10</c>, <c>--desks 10</c>, <c>--samples 100</c>), for the live group alone or within <c>all</c>.</summary>
    private static string? LiveOption(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>The live group alone, with the circuits per step and the colleagues on the desk taken from the command line.</summary>
    private static async Task<List<Result>> LiveOnlyAsync(BenchHost host, bool quick, string[] args)
    {
        var watchers = LiveOption(args, "--watchers")?.Split(',').Select(int.Parse).ToList();
        var desks = LiveOption(args, "--desks") is { } d ? int.Parse(d) : (int?)null;
        var samples = LiveOption(args, "--samples") is { } n ? int.Parse(n) : (int?)null;
        var (results, note) = await new LiveScenarios(host, quick, Console.Out, watchers, desks, samples).RunAsync();
        Console.WriteLine(note);
        return results;
    }

    /// <summary>Pair precision, recall and F1 of the batch scan on the public Febrl person files, at the configured threshold.</summary>
    private static string FebrlQuality(string root, CrmWorkspace.Features.Duplicates.Matching.MatchScorer scorer)
    {
        var dir = Path.Combine(root, "CrmWorkspace.Tests", "Data", "febrl");
        if (!Directory.Exists(dir)) return $"Febrl files not found at {dir}.";
        var sb = new StringBuilder($"Batch scan at the configured threshold {scorer.Threshold} (the import path is asserted in `FebrlImportTests`, F1 ≥ 0.995). " +
            "Blocking recall is the share of true pairs the scan ever compares (whatever their score); precision, recall and F1 are of the reported pairs:\n\n" +
            "| file | records | pairs compared | blocking recall | precision | recall | F1 |\n|---|---|---|---|---|---|---|\n");
        foreach (var file in new[] { "dataset1.csv", "dataset3.csv" })
        {
            var (records, entityOf) = CrmWorkspace.Features.Duplicates.Matching.Febrl.Load(Path.Combine(dir, file));
            var compared = CrmWorkspace.Features.Duplicates.Matching.BatchScan.ContactCandidates(records);
            var blocking = CrmWorkspace.Features.Duplicates.Matching.Febrl.BlockingRecall(compared, entityOf);
            var found = CrmWorkspace.Features.Duplicates.Matching.BatchScan.Contacts(records, scorer);
            var (p, r, f1) = CrmWorkspace.Features.Duplicates.Matching.Febrl.Evaluate(found, entityOf);
            sb.Append($"| {file} | {records.Count:N0} | {compared.Count:N0} | {blocking:F4} | {p:F4} | {r:F4} | {f1:F4} |\n");
        }
        return sb.ToString();
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CrmWorkspace.sln"))) return d.FullName;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CrmWorkspace.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("CrmWorkspace.sln not found above the current folder");
    }

    private static async Task<string> CountsAsync(string db)
    {
        await using var c = new SqliteConnection($"Data Source={db}");
        await c.OpenAsync();
        async Task<long> N(string sql) { await using var cmd = c.CreateCommand(); cmd.CommandText = sql; return (long)(await cmd.ExecuteScalarAsync())!; }
        return $"{await N("SELECT COUNT(*) FROM Accounts"):N0} accounts ({await N("SELECT COUNT(*) FROM Accounts WHERE ParentId IS NOT NULL"):N0} branches), " +
               $"{await N("SELECT COUNT(*) FROM Contacts"):N0} contacts, {await N("SELECT COUNT(*) FROM ContactPhone"):N0} phones, {await N("SELECT COUNT(*) FROM Activities"):N0} activities, " +
               $"{await N("SELECT COUNT(*) FROM Subscriptions"):N0} subscriptions, {await N("SELECT COUNT(*) FROM Fairs"):N0} fairs with {await N("SELECT COUNT(*) FROM Booths"):N0} booths";
    }
}
