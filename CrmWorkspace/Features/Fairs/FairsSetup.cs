namespace CrmWorkspace.Features.Fairs;

/// <summary>The trade-fair feature's services, background job and endpoints, registered in one place.</summary>
public static class FairsSetup
{
    public static IServiceCollection AddFairs(this IServiceCollection services)
    {
        services.AddScoped<FairService>();
        services.AddScoped<FairReports>();
        services.AddSingleton<HoldExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<HoldExpiry>());
        return services;
    }

    public static IEndpointRouteBuilder MapFairs(this IEndpointRouteBuilder app) => app.MapFairReports();
}
