namespace CrmWorkspace.Features.Advertising;

/// <summary>The advertising feature's services and endpoints, registered in one place.</summary>
public static class AdvertisingSetup
{
    public static IServiceCollection AddAdvertising(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<AdvertisingOptions>(config.GetSection("Advertising"));
        services.AddScoped<RateCardService>();
        services.AddScoped<PipelineService>();
        services.AddScoped<QuoteService>();
        services.AddScoped<FlatplanService>();
        services.AddScoped<SiteBookingService>();
        services.AddScoped<CustomerAdvertising>();
        services.AddScoped<QuoteDocuments>();
        services.AddScoped<AdDocuments>();
        services.AddSingleton<DemoAdvertisingSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdvertising(this IEndpointRouteBuilder app) => app.MapQuoteDocuments().MapAdDocuments();
}
