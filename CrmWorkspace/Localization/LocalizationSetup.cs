using System.Globalization;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Localization;

/// <summary>English and Simplified Chinese, chosen per user and remembered in a cookie and the profile.</summary>
public static class LocalizationSetup
{
    public static readonly string[] Cultures = ["en", "zh-Hans"];

    public static IServiceCollection AddCrmLocalization(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddTransient<MudBlazor.MudLocalizer, CrmMudLocalizer>();
        services.AddSingleton<LineText>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("en").AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            o.ApplyCurrentCultureToResponseHeaders = true;
            // Cookie first (the user's choice), then the browser's languages; no query-string switching.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    public static IApplicationBuilder UseCrmLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    /// <summary>Sets the culture cookie on a response.</summary>
    public static void WriteCultureCookie(HttpResponse response, string culture) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = false, SameSite = SameSiteMode.Lax });

    public static string Normalize(string? culture) =>
        Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? "en";

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapLocalizationEndpoints(this IEndpointRouteBuilder app)
    {
        // Switching language reloads the page: a Blazor circuit keeps the culture of the request that started it.
        app.MapGet("/culture/set", async (string culture, string? returnUrl, HttpContext http, IDbContextFactory<CrmDbContext> dbs) =>
        {
            culture = Normalize(culture);
            WriteCultureCookie(http.Response, culture);
            var userId = http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
            if (userId is not null)
            {
                await using var db = await dbs.CreateDbContextAsync();
                await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Culture, culture));
            }
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        }).AllowAnonymous(); // the sign-in page offers the switch before anyone is signed in
        return app;
    }

    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\") ? returnUrl : "/";
}
