namespace CrmWorkspace.Features.Timeline;

public static class TimelineSetup
{
    public static IServiceCollection AddTimeline(this IServiceCollection services) => services.AddScoped<TimelineService>()
        // Taken by the database setup with every other registered interceptor (one instance for all contexts of the pool).
        .AddSingleton<LineSearch>().AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(sp => sp.GetRequiredService<LineSearch>());
}
