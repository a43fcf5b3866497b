namespace CrmWorkspace.Features.Teams;

/// <summary>Managing the teams: the work log (and, later, call lists, territories and targets), registered in one place.</summary>
public static class TeamsSetup
{
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddScoped<WorkLogService>();
        services.AddScoped<WorkLogReports>();
        services.AddScoped<CallListService>();
        services.AddOptions<PoolOptions>().BindConfiguration("Pool");
        services.AddSingleton<PoolService>();
        services.AddSingleton<PoolSweepJob>();
        services.AddHostedService(sp => sp.GetRequiredService<PoolSweepJob>());
        services.AddSingleton<DemoData.DemoTeamsSeeder>();
        services.AddAssignments();
        services.AddTargets();
        return services;
    }

    /// <summary>The work log's PDF, print view and Excel export.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app) => app.MapWorkLogReports().MapTargetReports();
}
