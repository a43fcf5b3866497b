using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CrmWorkspace.Features.Reports;

/// <summary>Renders a report component to a complete HTML document on the server (the same HTML is the print view).</summary>
public class ReportRenderer(IServiceProvider services, ILoggerFactory logs)
{
    public async Task<string> HtmlAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, logs);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    /// <summary>A tabular report laid out on its sheets, as HTML for the print view and for <see cref="ReportBrowser.PrintSheetsAsync"/>.</summary>
    public Task<string> HtmlAsync(TabularReport report) =>
        HtmlAsync<PagedReport>(new Dictionary<string, object?> { [nameof(PagedReport.Layout)] = ReportLayout.Lay(report) });
}

public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ReportOptions>(config.GetSection("Reports"));
        services.AddSingleton<ReportBrowser>();
        services.AddScoped<ReportRenderer>();
        return services;
    }
}
