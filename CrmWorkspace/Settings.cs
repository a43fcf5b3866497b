namespace CrmWorkspace;

/// <summary>Finds the operator's appsettings.json: the one beside CrmWorkspace.sln, wherever the app starts.</summary>
public static class Settings
{
    public const string EnvironmentVariable = "CRMWORKSPACE_SETTINGS";

    /// <summary>Full path of the settings file in force.</summary>
    public static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "appsettings.json");
                if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "CrmWorkspace.sln"))) return candidate;
            }
        }
        // Published without the repository: the copy that travels with the build.
        return Path.Combine(AppContext.BaseDirectory, "appsettings.json");
    }
}

/// <summary>Puts the operator's file where the template's appsettings.json would be, so env vars and args still win.</summary>
public static class SettingsConfigurationExtensions
{
    public static void UseOperatorSettings(this IConfigurationManager configuration, string settingsFile)
    {
        var sources = configuration.Sources;
        var index = -1;
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path: { } p }
                && Path.GetFileName(p).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                sources.RemoveAt(i);
                index = i;
            }
        }
        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = settingsFile, Optional = false };
        source.ResolveFileProvider();
        sources.Insert(index < 0 ? 0 : index, source);
    }
}
