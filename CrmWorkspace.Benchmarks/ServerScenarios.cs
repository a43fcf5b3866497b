using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Several servers: the move of the dataset from SQLite to a private PostgreSQL, two app servers on it joined by a private Redis,
/// a save on one delivered to hub clients on the other, and the everyday reads on PostgreSQL against the same reads on SQLite.
/// </summary>
public sealed class ServerScenarios(BenchHost sqlite, int iterations, bool quick, TextWriter log, ServerScenarios.Parts? parts = null)
{
    private const int HubClients = 200;
    /// <summary>The moved database, kept in the cluster folder between runs; each run works on a copy of it.</summary>
    private const string MovedDatabase = "crm_moved", RunDatabase = "crm_run";
    private readonly List<string> _notes = [];
    private readonly Parts _parts = parts ?? new Parts();

    /// <summary>Which rows to measure (<c>--only servers-hub</c>, <c>--only servers-pg</c>), and whether to move the dataset again
    /// even when the moved database of an earlier run matches the SQLite file (<c>--fresh-move</c>).</summary>
    public sealed record Parts(bool Hub = true, bool Providers = true, bool FreshMove = false);

    /// <summary>What the move took, from its own process; <see cref="Counts"/> are its rows per table.</summary>
    public sealed record MoveFigures(double Seconds, long Rows, int Tables, double ManagedPeakMb, double WorkingSetPeakMb, string How,
        Dictionary<string, long>? Counts = null);

    /// <summary>The moved database's record in the cluster folder: which SQLite file state it came from, and the move's figures.</summary>
    private sealed record Manifest(long SourceSize, DateTime SourceModifiedUtc, string Ctype, DateTimeOffset MovedAt, MoveFigures Figures);

    public async Task<(List<Result> Results, string Section)> RunAsync()
    {
        var results = new List<Result>();
        if (ServerProcesses.Missing() is { } missing) return (results, Section(null, "Several servers not measured: " + missing + "."));
        // The cluster lives beside the SQLite file (data/scale/pg-<file>/): a moved database is reused while the file is unchanged.
        var clusterDir = Path.Combine(Path.GetDirectoryName(sqlite.DatabasePath)!, "pg-" + Path.GetFileNameWithoutExtension(sqlite.DatabasePath));
        log.WriteLine($"servers: starting PostgreSQL (cluster in {clusterDir}) and a private Redis");
        await using var servers = await ServerProcesses.StartAsync(clusterDir);
        // CRM_BENCH_PG_CTYPE=C shows what a database without a UTF-8 ctype costs the name search (pg_trgm finds no Chinese trigrams).
        var ctype = Environment.GetEnvironmentVariable("CRM_BENCH_PG_CTYPE") is { Length: > 0 } ct ? ct : "C.UTF-8";
        var (database, move, reuse) = await MovedDatabaseAsync(servers, ctype);
        _notes.Add($"PostgreSQL database LC_CTYPE: {ctype}.");

        await using var a = new BenchHost("PostgreSQL", database, servers.Redis);
        a.Start();
        if (_parts.Hub)
        {
            await using var b = new BenchHost("PostgreSQL", database, servers.Redis);
            b.Start();
            log.WriteLine($"servers: save on A → {HubClients} hub clients on B");
            results.AddRange(await DeliveryAsync(a, b, servers.Redis));
        }
        if (_parts.Providers)
        {
            log.WriteLine("servers: PostgreSQL against SQLite, scenario by scenario");
            results.AddRange(await ProvidersAsync(a));
        }
        return (results, Section(move, string.Join(" ", _notes), reuse));
    }

    /// <summary>
    /// The database the servers run on: a copy (CREATE DATABASE … TEMPLATE, a file copy) of the moved database kept in the cluster
    /// folder. The move is made again when the SQLite file changed (size or modification time), when the kept database's row counts
    /// per table differ from the move's own, or when asked (--fresh-move). Returns the note saying which it was (null: moved now).
    /// </summary>
    private async Task<(string Database, MoveFigures Move, string? ReuseNote)> MovedDatabaseAsync(ServerProcesses servers, string ctype)
    {
        if (servers.ClusterDir is null)
        {
            // A PostgreSQL of someone else's (CRM_BENCH_POSTGRES): a new database every run, as before.
            var fresh = await servers.NewDatabaseAsync("crm_bench", ctype);
            log.WriteLine("servers: moving the dataset to PostgreSQL (its own process)");
            return (fresh, await MoveAsync(sqlite.ConnectionString, fresh, log), null);
        }
        // Whatever the SQLite host still holds in its WAL goes into the file first, so the file's size and time stand for its content.
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection(sqlite.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await cmd.ExecuteNonQueryAsync();
        }
        var file = new FileInfo(sqlite.DatabasePath);
        var manifestPath = Path.Combine(servers.ClusterDir, "moved.json");
        var manifest = File.Exists(manifestPath) ? JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(manifestPath)) : null;
        string? why = _parts.FreshMove ? "asked for (--fresh-move)"
            : manifest is null ? "no earlier move in this cluster"
            : manifest.Ctype != ctype ? $"the last move's database has LC_CTYPE {manifest.Ctype}"
            : !await servers.DatabaseExistsAsync(MovedDatabase) ? "the moved database is missing"
            : await CountsDifferAsync(servers.ConnectionTo(MovedDatabase), manifest.Figures.Counts, "the moved database");
        // The app writes its job leases into the file whenever it runs (JobLeases), so its size and time change in every run: a file that
        // changed is compared by its row counts per table with what the move copied (the leases aside).
        var unchanged = manifest is not null && manifest.SourceSize == file.Length && manifest.SourceModifiedUtc == file.LastWriteTimeUtc;
        if (why is null && !unchanged) why = await CountsDifferAsync(sqlite.ConnectionString, manifest!.Figures.Counts, "the SQLite file");
        MoveFigures move;
        string? note = null;
        if (why is null)
        {
            move = manifest!.Figures;
            note = $"**The move's figures are those of the last real move ({manifest.MovedAt:yyyy-MM-dd HH:mm}):** this run reused its database (kept in " +
                $"`data/scale/{Path.GetFileName(servers.ClusterDir)}/`), since the SQLite file is {(unchanged ? "unchanged (size and modification time)" : "unchanged in its row counts per table (its size and time change whenever the app runs: job leases)")} " +
                $"and the moved database's row counts per table equal the move's ({move.Counts!.Count} tables, {move.Rows:N0} rows). `--fresh-move` moves again.";
            log.WriteLine($"servers: reusing the dataset moved {manifest.MovedAt:yyyy-MM-dd HH:mm} (row counts checked)");
        }
        else
        {
            log.WriteLine($"servers: moving the dataset to PostgreSQL (its own process): {why}");
            if (File.Exists(manifestPath)) File.Delete(manifestPath);
            await servers.AdminAsync($"DROP DATABASE IF EXISTS \"{RunDatabase}\" WITH (FORCE)");
            await servers.AdminAsync($"DROP DATABASE IF EXISTS \"{MovedDatabase}\" WITH (FORCE)");
            await servers.AdminAsync($"CREATE DATABASE \"{MovedDatabase}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE '{ctype}'");
            var source = new FileInfo(sqlite.DatabasePath);
            move = await MoveAsync(sqlite.ConnectionString, servers.ConnectionTo(MovedDatabase), log);
            await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(new Manifest(source.Length, source.LastWriteTimeUtc, ctype, DateTimeOffset.Now, move)));
        }
        log.WriteLine($"  {move.Rows:N0} rows in {move.Seconds:F0} s; peak managed {move.ManagedPeakMb:N0} MB, working set {move.WorkingSetPeakMb:N0} MB");
        // The servers write (saves, scores): they get a copy, and the moved database stays as the move left it.
        var sw = Stopwatch.StartNew();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await servers.AdminAsync($"DROP DATABASE IF EXISTS \"{RunDatabase}\" WITH (FORCE)");
        await servers.AdminAsync($"CREATE DATABASE \"{RunDatabase}\" TEMPLATE \"{MovedDatabase}\"");
        log.WriteLine($"servers: this run's copy of the moved database made in {sw.Elapsed.TotalSeconds:F0} s");
        return (servers.ConnectionTo(RunDatabase), move, note);
    }

    /// <summary>Null when every table has the row count the move reported (job leases aside); otherwise which one differs.</summary>
    private static async Task<string?> CountsDifferAsync(string connection, Dictionary<string, long>? counts, string what)
    {
        if (counts is not { Count: > 0 }) return "the last move recorded no row counts";
        await using System.Data.Common.DbConnection c = connection.Contains("Data Source=", StringComparison.OrdinalIgnoreCase)
            ? new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection) { Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly }.ToString())
            : new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connection) { Pooling = false, CommandTimeout = 0 }.ToString());
        await c.OpenAsync();
        foreach (var (table, rows) in counts)
        {
            if (table == "JobLeases") continue;
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            cmd.CommandTimeout = 0;
            var n = Convert.ToInt64(await cmd.ExecuteScalarAsync());
            if (n != rows) return $"{what}'s {table} has {n:N0} rows, the move copied {rows:N0}";
        }
        return null;
    }

    // ---- the move -----------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs the move command's code (<see cref="MoveToPostgres.RunAsync"/>) in a process of its own (this program, mode move-child), so
    /// that its peak memory is the move's: the managed heap sampled every 50 ms inside it, the working set's high-water mark (VmHWM).
    /// </summary>
    private static async Task<MoveFigures> MoveAsync(string from, string to, TextWriter log)
    {
        var dll = typeof(ServerScenarios).Assembly.Location;
        if (!BenchMain.CanStartChild)
        {
            // Loaded by a test host (no runtimeconfig of its own beside it): measured in this process, working set included the host's.
            var f = await MoveChildAsync(from, to, TextWriter.Null);
            return f with { How = "in the benchmark's process (no runtimeconfig for a child process here): the working set includes the running servers" };
        }
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "move-child", "--from", from, "--to", to }) psi.ArgumentList.Add(arg);
        // The same GC as the app (workstation, concurrent) and as `dotnet CrmWorkspace.dll move-to-postgres` would get.
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string? last = null;
        while (await p.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("MOVE ")) last = line[5..];
            else log.WriteLine("  " + line);
        }
        await p.WaitForExitAsync();
        if (p.ExitCode != 0 || last is null) throw new InvalidOperationException($"The move failed ({p.ExitCode}): {await err}");
        return JsonSerializer.Deserialize<MoveFigures>(last)! with { How = "its own process (`dotnet CrmWorkspace.Benchmarks.dll move-child`, which calls the move command's `MoveToPostgres.RunAsync`)" };
    }

    /// <summary>The child's side: the move with memory sampling; prints one line "MOVE {json}".</summary>
    public static async Task<MoveFigures> MoveChildAsync(string from, string to, TextWriter output)
    {
        var managed = 0L;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                managed = Math.Max(managed, GC.GetTotalMemory(false));
                try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var sw = Stopwatch.StartNew();
        var report = await MoveToPostgres.RunAsync(from, to, new Progress(output, sw));
        sw.Stop();
        stop.Cancel();
        await sampler;
        managed = Math.Max(managed, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
        var figures = new MoveFigures(sw.Elapsed.TotalSeconds, report.Sum(r => r.Rows), report.Count, managed / 1_048_576.0,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576.0, "", report.ToDictionary(r => r.Table, r => r.Rows));
        output.WriteLine("MOVE " + JsonSerializer.Serialize(figures));
        return figures;
    }

    /// <summary>The move's per-table lines, with the seconds since the start.</summary>
    private sealed class Progress(TextWriter inner, Stopwatch clock) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void WriteLine(string? value) => inner.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s {value?.Trim()}");
    }

    /// <summary>The move alone (for tuning it): printed.</summary>
    public static async Task<List<Result>> MoveOnlyAsync(BenchHost sqlite, TextWriter log)
    {
        if (ServerProcesses.Missing() is { } missing) { log.WriteLine(missing); return []; }
        await using var servers = await ServerProcesses.StartAsync();
        var move = await MoveAsync(sqlite.ConnectionString, await servers.NewDatabaseAsync("crm_bench"), log);
        log.WriteLine(Section(move, ""));
        return [];
    }

    // ---- events across servers -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// 200 hub clients on A watch one customer, 200 on B another; saves on A alternate between the two customers, and a bare Redis
    /// round trip between them, so all three figures see the same machine load.
    /// </summary>
    private async Task<List<Result>> DeliveryAsync(BenchHost a, BenchHost b, string redisAddress)
    {
        int local, remote;
        await using (var db = await a.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var maxId = await db.Accounts.MaxAsync(x => x.Id);
            // Ordinary customers without branches (so one group each), away from those the other scenarios write to.
            var ids = await db.Accounts.Where(x => x.Id >= maxId * 2 / 3 && x.ParentId == null && !x.IsDeleted && !db.Accounts.Any(y => y.ParentId == x.Id))
                .OrderBy(x => x.Id).Select(x => x.Id).Take(2).ToListAsync();
            (local, remote) = (ids[0], ids[1]);
        }
        // The hub clients run in a process of their own (other programs on other computers); CRM_BENCH_HUB_CLIENTS=inprocess (and a
        // test host, which cannot start the child) puts them in this process beside both servers, as before 2026-12-03.
        var inProcess = Environment.GetEnvironmentVariable("CRM_BENCH_HUB_CLIENTS") == "inprocess" || !BenchMain.CanStartChild;
        await using var child = inProcess ? null : await HubClientProcess.StartAsync(HubClients, (a.BaseUrl, local), (b.BaseUrl, remote));
        var onA = new HubWatchers(local, child);
        var onB = new HubWatchers(remote, child);
        if (inProcess)
        {
            await onA.ConnectAsync(a.BaseUrl, HubClients);
            await onB.ConnectAsync(b.BaseUrl, HubClients);
        }
        _notes.Add(inProcess ? $"The {2 * HubClients} hub clients ran in the benchmark's process, beside both servers."
            : $"The {2 * HubClients} hub clients ran in a process of their own at nice {HubClientProcess.Nice} (`CrmWorkspace.Benchmarks.dll hub-clients-child`; they stand for other programs on other computers), on the same two cores.");

        // The floor: the same Redis, two connections, a message of an event's size published on one and received on the other.
        await using var pub = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        await using var sub = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        var channel = RedisChannel.Literal("crm:bench-roundtrip");
        TaskCompletionSource<long> got = new(TaskCreationOptions.RunContinuationsAsynchronously);
        string? expect = null;
        (await sub.GetSubscriber().SubscribeAsync(channel)).OnMessage(m => { if ((string?)m.Message == Volatile.Read(ref expect)) got.TrySetResult(Stopwatch.GetTimestamp()); });
        var padding = new string('x', 300);

        var actor = await StaffAsync(a, "marketing@demo.local");
        using var scope = a.Services.CreateScope();
        var timeline = scope.ServiceProvider.GetRequiredService<TimelineService>();
        var n = quick ? 10 : Math.Max(30, iterations / 3);
        var round = new Samples();
        var one = new Samples();
        var across = new Samples();
        // Where the time of a save delivered on B goes: the save until it returns, the database's part of it (EF's own events), the
        // moment the event was handed to A's listeners (publish), reached B (through Redis), and the last of B's clients had it.
        var publishedOn = new Dictionary<BenchHost, System.Collections.Concurrent.ConcurrentDictionary<string, long>>();
        var listening = new List<IDisposable>();
        foreach (var h in new[] { a, b })
        {
            var marks = publishedOn[h] = new();
            listening.Add(h.Services.GetRequiredService<IWorkspaceEvents>().Subscribe(Topic.Workspace, e =>
            {
                if (e.Summary is { } s) marks[s] = e.PublishedAt;
                return Task.CompletedTask;
            }));
        }
        var stage = new Dictionary<string, Samples> { ["save returns"] = new(), ["EF commands"] = new(), ["published on A"] = new(), ["arrived on B"] = new(),
            ["B: arrival → last client"] = new(), ["Redis hop (A publish → B arrival)"] = new() };
        var slowest = new List<(double Ms, SaveTrace.Stages Db)>();
        var gc = new List<(double Ms, (double PauseMs, int Gen0, int Gen1, int Gen2) Gc)>();
        SaveTrace.Listen();
        var steal = CpuSteal.Now();
        async Task<(double RedisMs, double LocalMs, double RemoteMs, long Start, long Saved, string Summary)> RoundAsync(string name)
        {
            var msg = $"{{\"round\":\"{name}\",\"p\":\"{padding}\"}}";
            got = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref expect, msg);
            var t0 = Stopwatch.GetTimestamp();
            await pub.GetSubscriber().PublishAsync(channel, msg);
            var redisMs = Stopwatch.GetElapsedTime(t0, await got.Task.WaitAsync(TimeSpan.FromSeconds(10))).TotalMilliseconds;
            var (localMs, _, _) = await onA.TimeAsync($"单节点 {name}", s => LogAsync(timeline, local, s, actor));
            var summary = $"跨服务器 {name}";
            var (remoteMs, start, saved) = await onB.TimeAsync(summary, s => LogAsync(timeline, remote, s, actor));
            await Task.Delay(50);
            return (redisMs, localMs, remoteMs, start, saved, summary);
        }
        // Untimed rounds first, until the servers' code is steady (the JIT's tier-up done, as on a server that has been up a while).
        if (quick) for (var w = 0; w < 3; w++) await RoundAsync($"w{w}");
        else
        {
            var (warmS, warmRuns, steady) = await Samples.SteadyAsync(w => RoundAsync($"w{w}"));
            _notes.Add($"Before the {n} timed saves, {warmRuns} untimed rounds ({warmS:F1} s) until the JIT compiled fewer than 10 methods in a second" +
                       (steady ? "." : " (it had not by the 20 s limit)."));
        }
        for (var i = 0; i < n; i++)
        {
            var (redisMs, localMs, remoteMs, start, saved, summary) = await RoundAsync(i.ToString());
            var db = onB.LastTrace!;
            round.Add(redisMs);
            one.Add(localMs);
            across.Add(remoteMs);
            double Ms(long ticks) => Stopwatch.GetElapsedTime(start, ticks).TotalMilliseconds;
            stage["save returns"].Add(Ms(saved));
            stage["EF commands"].Add(db.Commands + db.Opens + db.Commits);
            if (publishedOn[a].TryGetValue(summary, out var pa)) stage["published on A"].Add(Ms(pa));
            if (publishedOn[b].TryGetValue(summary, out var pb))
            {
                stage["arrived on B"].Add(Ms(pb));
                stage["B: arrival → last client"].Add(remoteMs - Ms(pb));
                if (pa != 0) stage["Redis hop (A publish → B arrival)"].Add(Ms(pb) - Ms(pa));
            }
            slowest.Add((remoteMs, db));
            gc.Add((remoteMs, onB.LastGc));
        }
        foreach (var l in listening) l.Dispose();
        await onA.DisposeAsync();
        await onB.DisposeAsync();
        var worst = slowest.OrderByDescending(x => x.Ms).First();
        _notes.Add($"**Where a save delivered on B spends its time** (ms from the call, p50 / p95 over {across.Count} saves; load average {LoadAverage()}; CPU time stolen by the host {CpuSteal.Now().PercentSince(steal)}): " +
            string.Join("; ", stage.Select(kv => $"{kv.Key} {kv.Value.P(50):F1} / {kv.Value.P(95):F1}")) +
            $". EF commands per save: {worst.Db.CommandCount} (the slowest save, {worst.Ms:F0} ms: " +
            string.Join(", ", worst.Db.Each.Select(c => $"{c.Ms:F1} ms {c.Sql.Split(' ', 2)[0]}")) + $"; opens {worst.Db.Opens:F1}, commit {worst.Db.Commits:F1}).");
        var pauses = new Samples();
        foreach (var x in gc) pauses.Add(x.Gc.PauseMs);
        var slow = gc.OrderByDescending(x => x.Ms).Take(Math.Max(1, gc.Count / 20)).ToList();
        _notes[^1] += $" Garbage collection in the servers' process{(inProcess ? " (and the 400 clients')" : "")} while a save was delivered: paused in {gc.Count(x => x.Gc.PauseMs > 0)} of {gc.Count} saves, " +
            $"p50 / p95 of the pause {pauses.P(50):F1} / {pauses.P(95):F1} ms; " +
            $"the slowest 5 %: " + string.Join(", ", slow.Select(x => $"{x.Ms:F0} ms (GC {x.Gc.PauseMs:F1} ms, gen0/1/2 {x.Gc.Gen0}/{x.Gc.Gen1}/{x.Gc.Gen2})")) + ".";
        log.WriteLine("  " + _notes[^1]);
        foreach (var (sql, ms) in worst.Db.Each) log.WriteLine($"    {ms,6:F1} ms  {sql.ReplaceLineEndings(" ")}");
        var floorName = $"bare Redis publish → subscriber round trip (same run); one node: {one.P(50):F1} / {one.P(95):F1} ms p50 / p95";
        return
        [
            new Result($"Save an activity on server A → delivered to {HubClients} hub clients on A (one node, PostgreSQL + Redis)", one,
                "bare Redis publish → subscriber round trip (same run)", round, "(floor of the row below)", null),
            new Result($"Save an activity on server A → delivered to {HubClients} hub clients on server B (through Redis)", across,
                floorName, round, "p95 ≤ 30 ms", 30),
        ];
    }

    /// <summary>The machine's load average (1, 5, 15 minutes), for figures measured on a shared machine.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static async Task LogAsync(TimelineService timeline, int accountId, string subject, StaffIdentity actor)
    {
        var r = await timeline.LogAsync(accountId, new ActivityInput { Kind = CrmWorkspace.Domain.ActivityKind.Call, Subject = subject }, actor);
        if (!r.Ok) throw new InvalidOperationException(r.Error);
    }

    /// <summary>WebSocket hub clients joined to one customer (here, or in the clients' own process), and the time from a save until the last of them has its event.</summary>
    private sealed class HubWatchers(int accountId, HubClientProcess? child) : IAsyncDisposable
    {
        private readonly List<HubConnection> _connections = [];
        private string? _expect;
        private int _received;
        private TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ConnectAsync(string baseUrl, int count)
        {
            var cookies = await HttpSignIn.CookiesAsync(baseUrl, "admin@demo.local");
            for (var i = 0; i < count; i++)
            {
                var hc = HubClientProcess.Connection(baseUrl, cookies);
                // Matched on the summary: the event can arrive before the writer's call returns.
                hc.On<WorkspaceEvent>("event", e =>
                {
                    if (e.Summary != Volatile.Read(ref _expect)) return;
                    if (Interlocked.Increment(ref _received) == _connections.Count) _done.TrySetResult(Stopwatch.GetTimestamp());
                });
                await hc.StartAsync();
                await hc.InvokeAsync("JoinCustomer", accountId);
                _connections.Add(hc);
            }
        }

        /// <summary>The database part of the last save timed (EF's events).</summary>
        public SaveTrace.Stages? LastTrace { get; private set; }

        /// <summary>The process's garbage-collection pause during the last save timed, until its last client had the event (ms), and collections by generation.</summary>
        public (double PauseMs, int Gen0, int Gen1, int Gen2) LastGc { get; private set; }

        /// <summary>Milliseconds until the last client had the event; the start and the moment the save returned (Stopwatch ticks).</summary>
        public async Task<(double Ms, long Start, long Saved)> TimeAsync(string summary, Func<string, Task> save)
        {
            Interlocked.Exchange(ref _received, 0);
            _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _expect, summary);
            var pause = GC.GetTotalPauseDuration();
            var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var t0 = Stopwatch.GetTimestamp();
            LastTrace = SaveTrace.Begin();
            try { await save(summary); }
            finally { SaveTrace.End(); }
            var saved = Stopwatch.GetTimestamp();
            var done = child is not null ? await child.DeliveredAsync(summary, TimeSpan.FromSeconds(30)) : await _done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            LastGc = ((GC.GetTotalPauseDuration() - pause).TotalMilliseconds, GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
            return (Stopwatch.GetElapsedTime(t0, done).TotalMilliseconds, t0, saved);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hc in _connections) await hc.DisposeAsync();
            _connections.Clear();
        }
    }

    private static async Task<StaffIdentity> StaffAsync(BenchHost host, string email)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, true);
    }

    // ---- PostgreSQL against SQLite ------------------------------------------------------------------------------------------------

    /// <summary>
    /// The SQLite groups' own scenario code, run on the SQLite host and then on a PostgreSQL host over the moved copy of the same data,
    /// one scenario at a time (so both see the same machine load); each PostgreSQL row has the SQLite figure as its floor.
    /// </summary>
    private async Task<List<Result>> ProvidersAsync(BenchHost pg)
    {
        var results = new List<Result>();
        var onSqlite = new Scenarios(sqlite, iterations, log);
        var onPg = new Scenarios(pg, iterations, log);
        var pgFloors = new List<(string, Samples)>();
        void Pair(Result s, Result p)
        {
            results.Add(new Result("PostgreSQL: " + p.Scenario, p.Measured, "same scenario on SQLite (same run)", s.Measured,
                $"p95 ≤ 2× SQLite p95 ({2 * s.Measured.P(95):F1} ms)", 2 * s.Measured.P(95)));
            if (p.FloorSamples is { } f) pgFloors.Add((p.Floor, f));
        }
        // Each read is run once untimed on its provider before the run that counts: a host's first few hundred calls of a path run
        // unoptimised code while the JIT compiles it again in the background, and the PostgreSQL host's paths (Npgsql's) had never run,
        // where the SQLite host's had run in the groups before (in `all`). Both are measured as a server that has been up a while.
        async Task<T> Warm<T>(Func<Task<T>> run) { if (!quick) await run(); return await run(); }
        Pair(await Warm(onSqlite.SearchAsync), await Warm(onPg.SearchAsync));
        var sPage = await Warm(() => onSqlite.CustomerPageAsync(withHeavyTimeline: true));
        var pPage = await Warm(() => onPg.CustomerPageAsync(withHeavyTimeline: true));
        for (var i = 0; i < sPage.Count; i++) Pair(sPage[i], pPage[i]);
        Pair(await Warm(new DuplicateScenarios(sqlite, iterations, quick, log).CheckWhileTypingAsync), await Warm(new DuplicateScenarios(pg, iterations, quick, log).CheckWhileTypingAsync));
        Pair(await Warm(() => DeskAsync(sqlite)), await Warm(() => DeskAsync(pg)));
        var (sReports, sNote) = await new RenewalScenarios(sqlite, quick, log).RunAsync();
        var (pReports, pNote) = await new RenewalScenarios(pg, quick, log).RunAsync();
        for (var i = 0; i < Math.Min(sReports.Count, pReports.Count); i++) Pair(sReports[i], pReports[i]);
        if (sReports.Count == 0) _notes.Add(sNote);
        else if (pNote.Length > 0) _notes.Add("On PostgreSQL: " + pNote);
        var floors = pgFloors.GroupBy(f => f.Item1).Select(g => $"{g.Key} {g.First().Item2.P(50):F3} / {g.First().Item2.P(95):F3} ms");
        _notes.Add("The PostgreSQL rows' own floors (p50 / p95, bare prepared commands through Npgsql on the same PostgreSQL): " + string.Join("; ", floors) + ".");
        return results;
    }

    /// <summary>The renewal desk as its page loads it: the first 500 rows of the default window (60 days ahead, 90 lapsed), then filtered.</summary>
    private async Task<Result> DeskAsync(BenchHost host)
    {
        log.WriteLine($"renewal desk worklist ({host.Provider})");
        using var scope = host.Services.CreateScope();
        var desk = scope.ServiceProvider.GetRequiredService<RenewalDesk>();
        int periodical;
        await using (var c = await host.OpenRawAsync()) periodical = (int)await c.ScalarAsync("SELECT MAX(\"Id\") FROM \"Periodicals\"");
        var provinces = new[] { null, "四川", null, "广东", null };
        var samples = await Samples.MeasureAsync(Math.Max(10, iterations / 3), i => desk.WorklistAsync(new RenewalQuery
        {
            Days = 60, LapsedDays = 90, Province = provinces[i % provinces.Length], PeriodicalId = i % 3 == 2 ? periodical : null,
        }, 500));
        return new Result("Renewal desk opens (worklist, first 500 rows; default window, then by region or periodical)", samples, "—", null, "—", null);
    }

    // ---- the report's section ---------------------------------------------------------------------------------------------------

    private static string Section(MoveFigures? move, string note, string? reuse = null)
    {
        var md = new StringBuilder();
        md.AppendLine("## Several servers");
        md.AppendLine();
        if (move is null) { md.AppendLine(note); return md.ToString(); }
        md.AppendLine("A private PostgreSQL 15 and Redis 7 (Debian's packages) are started on loopback for the run (PostgreSQL with fsync off, shared_buffers");
        md.AppendLine("512 MB); the scale dataset is moved into it with the move command's code, then two app servers (A and B, Kestrel in this process)");
        md.AppendLine("run on that database joined by Redis. The rows above marked \"PostgreSQL:\" run the SQLite groups' own scenario code against server A;");
        md.AppendLine("their floor columns hold the same scenario measured on SQLite right before, in the same run.");
        md.AppendLine();
        md.AppendLine($"**Move of the dataset to PostgreSQL** ({move.How}): {move.Rows:N0} rows in {move.Tables} tables in {move.Seconds:F0} s " +
            $"(copied, counted and summed per table, committed in one transaction); peak managed heap {move.ManagedPeakMb:N0} MB, peak working set {move.WorkingSetPeakMb:N0} MB.");
        if (reuse is not null) { md.AppendLine(); md.AppendLine(reuse); }
        if (note.Length > 0) { md.AppendLine(); md.AppendLine(note); }
        return md.ToString();
    }
}
