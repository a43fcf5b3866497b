namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>Key customers: the value score, its sources, the worker that keeps it current, and the pages' service.</summary>
public static class KeyCustomersSetup
{
    public static IServiceCollection AddKeyCustomers(this IServiceCollection services)
    {
        // One class per source of score inputs; advertising adds its own here once it lands.
        services.AddSingleton<IScoreInputSource, SubscriptionInputs>();
        services.AddSingleton<IScoreInputSource, FairInputs>();
        services.AddSingleton<IScoreInputSource, RelationshipInputs>();
        services.AddSingleton<ScoreKeeper>();
        services.AddSingleton<KeyCustomerWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyCustomerWorker>());
        services.AddScoped<KeyCustomerService>();
        services.AddScoped<KeyCustomerLists>();
        services.AddScoped<CareCalendar>();
        services.AddScoped<RestrictedCustomers>();
        services.AddScoped<TierPins>();
        services.AddScoped<KeyCustomerListing>();
        services.AddScoped<KeyCustomerReports>();
        return services;
    }
}
