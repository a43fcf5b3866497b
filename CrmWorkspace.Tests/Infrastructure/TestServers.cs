using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL and Redis for the tests of several servers, started once per test run on loopback from a temp folder
/// (Debian's postgresql and redis-server packages, installed by scripts/prereqs.sh test as root) and stopped when the run ends.
/// CRM_TEST_POSTGRES (an admin connection string) and CRM_TEST_REDIS (host:port) use servers that run already instead.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<string> _postgres = new(StartPostgres, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> _redis = new(StartRedis, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"crm-servers-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);

    /// <summary>Connection string of a superuser on the test PostgreSQL (database "postgres").</summary>
    public static string PostgresAdmin => _postgres.Value;

    /// <summary>host:port of the test Redis.</summary>
    public static string Redis => _redis.Value;

    /// <summary>A new, empty database on the test PostgreSQL; returns its connection string.</summary>
    public static string NewPostgresDatabase(string prefix = "crm")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
        using var conn = new NpgsqlConnection(PostgresAdmin);
        conn.Open();
        using (var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'", conn)) cmd.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, Pooling = true, MaxPoolSize = 40 }.ToString();
    }

    private static string StartPostgres()
    {
        var given = Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given)) return given;
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => d).FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("The PostgreSQL tests need a PostgreSQL server (initdb, pg_ctl in /usr/lib/postgresql/<version>/bin): " +
                "run CrmWorkspace/scripts/prereqs.sh test as root, or: sudo apt-get install -y postgresql. Or set CRM_TEST_POSTGRES to a superuser connection string.");
        // Folders of earlier runs whose clusters died with their test process (exit handlers get little time).
        foreach (var old in Directory.GetDirectories(Path.GetTempPath(), "crm-servers-*"))
            if (int.TryParse(Path.GetFileName(old).Split('-')[2], out var pid) && !Directory.Exists($"/proc/{pid}"))
                try { Directory.Delete(old, true); } catch (Exception) { }
        var dir = Path.Combine(Root, "pg");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        // initdb refuses to run as root: as root the cluster belongs to Debian's "postgres" user.
        var asUser = Environment.UserName == "root" ? "postgres" : null;
        if (asUser is not null) Run("chown", $"-R {asUser} {Root}");
        Run(Path.Combine(bin, "initdb"), $"-D {dir}/data -U crm --auth=trust --encoding=UTF8 --locale=C", asUser);
        Run(Path.Combine(bin, "pg_ctl"), $"-D {dir}/data -l {dir}/log -w -t 60 -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start", asUser);
        // At the end of the run (the cluster is thrown away): the postmaster's pid is the first line of postmaster.pid.
        var postmaster = int.Parse(File.ReadLines($"{dir}/data/postmaster.pid").First().Trim());
        AtExit(() => Process.GetProcessById(postmaster).Kill());
        return $"Host=127.0.0.1;Port={port};Username=crm;Database=postgres;Include Error Detail=true";
    }

    private static string StartRedis()
    {
        var given = Environment.GetEnvironmentVariable("CRM_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(given)) return given;
        var exe = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("The tests of several servers need redis-server: run CrmWorkspace/scripts/prereqs.sh test as root, " +
                "or: sudo apt-get install -y redis-server. Or set CRM_TEST_REDIS to host:port of a Redis.");
        var dir = Path.Combine(Root, "redis");
        Directory.CreateDirectory(dir);
        var port = FreePort();
        // A child of the test process (not daemonised), killed first when the run ends.
        var redis = Process.Start(new ProcessStartInfo(exe, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {dir} --logfile {dir}/redis.log")
            { UseShellExecute = false })!;
        AtExit(() => redis.Kill());
        for (var i = 0; i < 100; i++)
        {
            try { using var probe = new TcpClient("127.0.0.1", port); break; }
            catch (SocketException) { Thread.Sleep(50); }
        }
        return $"127.0.0.1:{port}";
    }

    // One handler, quick kills only (the test host gives exit handlers little time), then the temp folder.
    private static readonly List<Action> _atExit = [];

    private static void AtExit(Action kill)
    {
        lock (_atExit)
        {
            if (_atExit.Count == 0)
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    lock (_atExit) foreach (var a in _atExit) { try { a(); } catch (Exception) { } }
                    try { Directory.Delete(Root, true); } catch (Exception) { }
                };
            _atExit.Add(kill);
        }
    }

    private static void Run(string exe, string args, string? asUser = null)
    {
        var psi = asUser is null ? new ProcessStartInfo(exe, args) : new ProcessStartInfo("runuser", $"-u {asUser} -- {exe} {args}");
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(90_000)) { p.Kill(true); throw new TimeoutException($"{exe} {args} did not finish in 90 s"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {args} failed ({p.ExitCode}): {err.Result}{output.Result}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
