namespace CrmWorkspace.Features.Subscriptions;

/// <summary>Circulation's services and endpoints, registered in one place.</summary>
public static class SubscriptionsSetup
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services)
    {
        services.AddScoped<SubscriptionEvents>();
        services.AddScoped<PeriodicalService>();
        services.AddScoped<SubscriptionService>();
        services.AddScoped<RenewalDesk>();
        services.AddScoped<DispatchService>();
        services.AddScoped<RenewalReports>();
        services.AddScoped<DispatchLabels>();
        return services;
    }

    /// <summary>The renewal report and worklist exports, and the dispatch address labels.</summary>
    public static IEndpointRouteBuilder MapSubscriptions(this IEndpointRouteBuilder app) => app.MapRenewalReports().MapDispatchLabels();
}
