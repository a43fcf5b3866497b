using CrmWorkspace.Features.Duplicates.Matching;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Duplicates;

public static class DuplicatesSetup
{
    public static IServiceCollection AddDuplicates(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<DuplicateOptions>(config.GetSection("Duplicates"));
        services.AddSingleton(sp => new MatchScorer(sp.GetRequiredService<IOptions<DuplicateOptions>>().Value.Threshold));
        services.AddScoped<DuplicateFinder>();
        services.AddScoped<DuplicateService>();
        services.AddScoped<MergeService>();
        services.AddScoped<CsvImport>();
        services.AddSingleton<DuplicateScan>();
        services.AddScoped<CompanyAliasService>();
        services.AddHostedService<CompanyAliasSync>();
        return services;
    }
}
