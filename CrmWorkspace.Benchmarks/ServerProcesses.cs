using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// A private PostgreSQL and Redis for the several-servers group, on loopback from a temp folder (Debian's postgresql and
/// redis-server packages, as the tests start them), stopped when disposed. As root, initdb and pg_ctl run as the "postgres" user.
/// CRM_BENCH_POSTGRES (a superuser connection string) and CRM_BENCH_REDIS (host:port) use servers that run already instead.
/// With a cluster folder (<see cref="StartAsync"/>), PostgreSQL's data stays there between runs (initdb once, then only started and
/// stopped), so a database moved into it in one run can be used by the next.
/// </summary>
public sealed class ServerProcesses : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"crm-bench-servers-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
    private readonly List<Action> _stop = [];

    /// <summary>Superuser connection string (database "postgres").</summary>
    public string PostgresAdmin { get; private set; } = "";

    /// <summary>host:port of Redis.</summary>
    public string Redis { get; private set; } = "";

    /// <summary>Why the servers cannot start here, or null when they can.</summary>
    public static string? Missing()
    {
        if (Environment.GetEnvironmentVariable("CRM_BENCH_POSTGRES") is not { Length: > 0 } && PostgresBin() is null)
            return "PostgreSQL is not installed (initdb, pg_ctl in /usr/lib/postgresql/<version>/bin): apt-get install -y postgresql";
        if (Environment.GetEnvironmentVariable("CRM_BENCH_REDIS") is not { Length: > 0 } && RedisExe() is null)
            return "redis-server is not installed: apt-get install -y redis-server";
        return null;
    }

    /// <summary>A PostgreSQL cluster kept in a folder between runs (null: a throw-away one in a temp folder).</summary>
    public string? ClusterDir { get; private set; }

    public static async Task<ServerProcesses> StartAsync(string? clusterDir = null)
    {
        var s = new ServerProcesses { ClusterDir = Environment.GetEnvironmentVariable("CRM_BENCH_POSTGRES") is { Length: > 0 } ? null : clusterDir };
        try
        {
            s.PostgresAdmin = Environment.GetEnvironmentVariable("CRM_BENCH_POSTGRES") is { Length: > 0 } pg ? pg : s.StartPostgres();
            s.Redis = Environment.GetEnvironmentVariable("CRM_BENCH_REDIS") is { Length: > 0 } r ? r : await s.StartRedisAsync();
            return s;
        }
        catch
        {
            await s.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A new, empty database; returns its connection string. Its LC_CTYPE is UTF-8 (C.UTF-8, built into Debian's glibc): pg_trgm
    /// finds letters by the ctype, and under plain "C" a Chinese name has no trigrams (<paramref name="ctype"/> "C" shows the cost).
    /// </summary>
    public async Task<string> NewDatabaseAsync(string prefix, string ctype = "C.UTF-8")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await using var conn = new NpgsqlConnection(PostgresAdmin);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE '{ctype}'", conn)) await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, Pooling = true, MaxPoolSize = 60 }.ToString();
    }

    private static string? PostgresBin() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl"))).OrderByDescending(d => d).FirstOrDefault()
        : null;

    private static string? RedisExe() => new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    private string StartPostgres()
    {
        var bin = PostgresBin()!;
        var kept = ClusterDir is not null;
        var dir = ClusterDir ?? Path.Combine(_root, "pg");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        // initdb refuses to run as root: as root the cluster belongs to Debian's "postgres" user.
        var asUser = Environment.UserName == "root" ? "postgres" : null;
        if (asUser is not null) Run("chown", $"-R {asUser} {(kept ? dir : _root)}");
        if (!File.Exists(Path.Combine(dir, "data", "PG_VERSION")))
        {
            if (Directory.Exists(Path.Combine(dir, "data"))) Directory.Delete(Path.Combine(dir, "data"), true);
            Run(Path.Combine(bin, "initdb"), $"-D {dir}/data -U crm --auth=trust --encoding=UTF8 --locale=C", asUser);
        }
        // A leftover postmaster.pid of a run that was killed: the server it names is gone (pg_ctl would refuse to start).
        if (File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
            try { Run(Path.Combine(bin, "pg_ctl"), $"-D {dir}/data -m immediate -w stop", asUser); } catch (InvalidOperationException) { }
        // A benchmark database: durability off like the tests' (fsync, synchronous_commit), a memory budget a small server would get
        // (shared_buffers 512 MB, work_mem 16 MB). TCP only: a socket path under a deep folder can pass the 107-byte limit.
        Run(Path.Combine(bin, "pg_ctl"), $"-D {dir}/data -l {dir}/log -w -t 300 -o \"-p {port} -c unix_socket_directories='' -c listen_addresses=127.0.0.1 -c fsync=off " +
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=512MB -c work_mem=16MB -c max_wal_size=4GB\" start", asUser);
        // A kept cluster stops cleanly (no crash recovery on its next start); a throw-away one is simply killed.
        _stop.Add(() => Run(Path.Combine(bin, "pg_ctl"), $"-D {dir}/data -m {(kept ? "fast" : "immediate")} -w -t 300 stop", asUser));
        return $"Host=127.0.0.1;Port={port};Username=crm;Database=postgres;Include Error Detail=true";
    }

    /// <summary>Whether a database of this name exists.</summary>
    public async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var conn = new NpgsqlConnection(PostgresAdmin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @n", conn);
        cmd.Parameters.AddWithValue("n", name);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Runs one statement as the superuser on the "postgres" database (CREATE / DROP DATABASE).</summary>
    public async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(PostgresAdmin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The app's connection string to a database of this cluster.</summary>
    public string ConnectionTo(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = database, Pooling = true, MaxPoolSize = 60 }.ToString()
        // CRM_BENCH_PG_SETTINGS adds connection-string settings to the app's (e.g. "Max Auto Prepare=0", to compare without preparation).
        + (Environment.GetEnvironmentVariable("CRM_BENCH_PG_SETTINGS") is { Length: > 0 } extra ? ";" + extra : "");

    private async Task<string> StartRedisAsync()
    {
        var dir = Path.Combine(_root, "redis");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var redis = Process.Start(new ProcessStartInfo(RedisExe()!, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {dir} --logfile {dir}/redis.log")
            { UseShellExecute = false })!;
        _stop.Insert(0, () => { redis.Kill(); redis.WaitForExit(5000); });
        for (var i = 0; i < 100; i++)
        {
            try { using var probe = new TcpClient(); await probe.ConnectAsync("127.0.0.1", port); break; }
            catch (SocketException) { await Task.Delay(50); }
        }
        return $"127.0.0.1:{port}";
    }

    public ValueTask DisposeAsync()
    {
        foreach (var stop in _stop) { try { stop(); } catch (Exception) { } }
        _stop.Clear();
        try { Directory.Delete(_root, true); } catch (Exception) { }
        return ValueTask.CompletedTask;
    }

    private static void Run(string exe, string args, string? asUser = null)
    {
        var psi = asUser is null ? new ProcessStartInfo(exe, args) : new ProcessStartInfo("runuser", $"-u {asUser} -- {exe} {args}");
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(150_000)) { p.Kill(true); throw new TimeoutException($"{exe} {args} did not finish in 150 s"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {args} failed ({p.ExitCode}): {err.Result}{output.Result}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
