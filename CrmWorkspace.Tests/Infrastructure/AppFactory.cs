using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 (a free port), with its own SQLite file in a temp folder and demo data.
/// Browser tests and hub clients talk to <see cref="BaseUrl"/>; tests may also resolve services directly.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(DataDirectory, "crm.db");
    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    private readonly Dictionary<string, string?> _settings;

    /// <param name="realSignInLimits">Keep appsettings' sign-in rate limit; otherwise it is raised, since the suite signs in many times from one address.</param>
    public AppFactory(int demoAccounts = 60, bool demo = true, IDictionary<string, string?>? settings = null, bool realSignInLimits = false)
    {
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={DatabasePath}",
            ["Demo:Enabled"] = demo ? "true" : "false",
            ["Demo:Accounts"] = demoAccounts.ToString(),
            ["Urls"] = BaseUrl,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (!realSignInLimits) _settings["Security:SignInPermitLimit"] = "100000";
        if (settings is not null) foreach (var (k, v) in settings) _settings[k] = v;
        UseKestrel(Port);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.UseEnvironment("Production");
    }

    /// <summary>Starts Kestrel (idempotent) and returns the base URL.</summary>
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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
