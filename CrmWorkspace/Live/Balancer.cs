using Microsoft.AspNetCore.CookiePolicy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.SessionAffinity;
using Yarp.ReverseProxy.Transforms;

namespace CrmWorkspace.Live;

/// <summary>
/// The app as a load balancer in front of several app servers (YARP), for scripts/cluster.sh and small installations:
/// <c>dotnet CrmWorkspace.dll balancer --urls http://127.0.0.1:5090 --backends http://127.0.0.1:5091,http://127.0.0.1:5092</c>.
/// A browser's first request goes to the next server in turn; the response sets a cookie naming that server, and every later
/// request of the browser (pages, the Blazor circuit's WebSocket, the hub) goes back to it while it is healthy.
/// </summary>
public static class Balancer
{
    /// <summary>The affinity cookie: a hash of the server's name (not its address), so it survives a restart of the balancer.</summary>
    public const string CookieName = ".CrmWorkspace.Server";

    /// <summary>Response header naming the server that answered (server-1, server-2, … in the order of --backends).</summary>
    public const string ServerHeader = "X-Crm-Server";

    /// <summary>Runs the balancer until it is stopped (Ctrl+C, SIGTERM); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try { app = Build(args); }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync("Usage: dotnet CrmWorkspace.dll balancer --urls http://127.0.0.1:5090 --backends http://127.0.0.1:5091,http://127.0.0.1:5092");
            return 2;
        }
        await app.RunAsync();
        return 0;
    }

    /// <summary>The balancer as a web application (not started): <c>--urls</c> where it listens, <c>--backends</c> the app servers, comma-separated.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var backends = (builder.Configuration["backends"] ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (backends.Length == 0) throw new ArgumentException("No app servers given (--backends).");
        foreach (var b in backends)
            if (!Uri.TryCreate(b, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new ArgumentException($"Not an http(s) address: {b}");
        // Asked for explicitly: the settings file beside the app names the single server's address, which the balancer must not take.
        if (!args.Any(a => a.StartsWith("--urls", StringComparison.OrdinalIgnoreCase))) throw new ArgumentException("Where to listen is not given (--urls).");
        // One line per request at Information would drown the log.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Services.AddReverseProxy()
            .LoadFromMemory([Route], [Cluster(backends)])
            .AddTransforms(t => t.AddResponseTransform(ctx =>
            {
                // Which server answered: for operators (curl -D -) and the tests of stickiness.
                if (ctx.HttpContext.Features.Get<Yarp.ReverseProxy.Model.IReverseProxyFeature>()?.ProxiedDestination is { } d)
                    ctx.HttpContext.Response.Headers[ServerHeader] = d.DestinationId;
                return ValueTask.CompletedTask;
            }));
        var app = builder.Build();
        // The default pipeline: session affinity, then load balancing among the servers the probes found healthy.
        app.MapReverseProxy();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Balancer));
        app.Lifetime.ApplicationStarted.Register(() => log.LogInformation("Balancer on {Urls}: {Servers}", string.Join(", ", app.Urls),
            string.Join(", ", backends.Select((b, i) => $"{Name(i)} = {b}"))));
        return app;
    }

    private static string Name(int index) => $"server-{index + 1}";

    private static RouteConfig Route => new() { RouteId = "crm", ClusterId = "crm", Match = new RouteMatch { Path = "{**all}" } };

    private static ClusterConfig Cluster(string[] backends) => new()
    {
        ClusterId = "crm",
        // New browsers take the servers in turn (deterministic, unlike the default "power of two choices").
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        SessionAffinity = new SessionAffinityConfig
        {
            Enabled = true,
            Policy = SessionAffinityConstants.Policies.HashCookie,
            // A browser whose server is down (health checks) goes to another one; its page then reconnects to a new circuit.
            FailurePolicy = SessionAffinityConstants.FailurePolicies.Redistribute,
            AffinityKeyName = CookieName,
            Cookie = new SessionAffinityCookieConfig
            {
                HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, SecurePolicy = CookieSecurePolicy.SameAsRequest, Path = "/",
            },
        },
        HealthCheck = new HealthCheckConfig
        {
            // Probes a static file: cheap, and answers only once the server has migrated and seeded and serves requests.
            // Two failed probes in a row take a server out; one good probe brings it back.
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true, Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(3),
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures, Path = "/favicon.ico",
            },
            // No passive checks: with them a restarted server stayed out for a minute although it answered (YARP scheduled its
            // reactivation in 60 s despite a ReactivationPeriod of 10 s); the probes alone take it out in 5-10 s and back within 5 s.
        },
        Destinations = backends.Select((b, i) => (Id: Name(i), Address: b)).ToDictionary(x => x.Id, x => new DestinationConfig { Address = x.Address }),
    };
}
