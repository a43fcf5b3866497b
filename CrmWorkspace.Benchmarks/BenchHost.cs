using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmWorkspace.Benchmarks;

/// <summary>The real app on Kestrel at 127.0.0.1, on a given SQLite file, for end-to-end scenarios.</summary>
public sealed class BenchHost : WebApplicationFactory<Program>
{
    public string DatabasePath { get; }
    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public BenchHost(string databasePath)
    {
        DatabasePath = databasePath;
        UseKestrel(Port);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Accounts", "0"); // staff only: customers come from the scale builder
        builder.UseSetting("Urls", BaseUrl);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseEnvironment("Production");
    }

    public string Start()
    {
        StartServer();
        return BaseUrl;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
