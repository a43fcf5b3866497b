using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmWorkspace.Benchmarks;

/// <summary>The real app on Kestrel at 127.0.0.1, on a given SQLite file (or a PostgreSQL database, with Redis), for end-to-end scenarios.</summary>
public sealed class BenchHost : WebApplicationFactory<Program>
{
    /// <summary>"Sqlite" or "PostgreSQL".</summary>
    public string Provider { get; }
    public string ConnectionString { get; }
    /// <summary>The SQLite file (SQLite only).</summary>
    public string DatabasePath { get; }
    private readonly string? _redis;
    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public bool IsPostgres => Provider == "PostgreSQL";

    public BenchHost(string databasePath) : this("Sqlite", $"Data Source={databasePath}") { }

    /// <summary>A server on PostgreSQL (optionally one of several, through <paramref name="redis"/>).</summary>
    public BenchHost(string provider, string connectionString, string? redis = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        DatabasePath = provider == "Sqlite" ? new SqliteConnectionStringBuilder(connectionString).DataSource : "";
        _redis = redis;
        UseKestrel(Port);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        if (_redis is not null) builder.UseSetting("Live:Redis", _redis);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Accounts", "0"); // staff only: customers come from the scale builder
        builder.UseSetting("Urls", BaseUrl);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseEnvironment("Production");
        // Every write of the app, for the slow-save lines that name who held the write lock (the app adds registered interceptors).
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(WriterLog.Instance));
    }

    public string Start()
    {
        StartServer();
        return BaseUrl;
    }

    /// <summary>A raw connection to the host's database, for the floors (bare prepared commands). SQL written for both providers:
    /// quoted names, @parameters, booleans compared with NOT.</summary>
    public async Task<DbConnection> OpenRawAsync()
    {
        DbConnection c = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await c.OpenAsync();
        return c;
    }

    /// <summary>"column is false" as each provider's indexes expect it (SQLite stores 0/1, its partial indexes say "= 0").</summary>
    public string IsFalse(string column) => IsPostgres ? $"NOT \"{column}\"" : $"\"{column}\" = 0";

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>Small helpers for provider-neutral raw commands.</summary>
public static class RawSql
{
    public static DbParameter Param(this DbCommand cmd, string name, object? value = null)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    public static async Task<long> ScalarAsync(this DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
