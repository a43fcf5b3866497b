namespace CrmWorkspace.Features.Teams;

/// <summary>Territories, hand-overs, managers' tasks and neglect alerts, registered in one place.</summary>
public static class AssignmentsSetup
{
    public static IServiceCollection AddAssignments(this IServiceCollection services)
    {
        services.AddSingleton<TerritoryService>();
        services.AddSingleton<TaskService>();
        services.AddOptions<AlertOptions>().BindConfiguration("Alerts");
        services.AddSingleton<NeglectAlertService>();
        services.AddHostedService<TeamWatchJob>();
        return services;
    }
}
