namespace CrmWorkspace.Features.Timeline;

public static class TimelineSetup
{
    public static IServiceCollection AddTimeline(this IServiceCollection services) => services.AddScoped<TimelineService>();
}
