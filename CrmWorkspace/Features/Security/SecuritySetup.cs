using System.Net;
using System.Threading.RateLimiting;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Security;

/// <summary>Marker for the security texts (Resources/Features/Security/SecurityText.resx).</summary>
public class SecurityText;

/// <summary>
/// Sign-in protection (lockout, rate limit, revalidation of open pages, idle sign-out), security headers, forwarded headers
/// from a TLS-terminating proxy, and the audit trail.
/// </summary>
public static class SecuritySetup
{
    /// <summary>The rate-limit policy of the sign-in and first-run forms (per client address).</summary>
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SecurityOptions>(config.GetSection(SecurityOptions.Section));
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditTrail>();
        services.AddScoped<ExportGuard>();

        // Identity's lockout and the cookie check of the security stamp follow the settings.
        services.AddOptions<IdentityOptions>().Configure<IOptions<SecurityOptions>>((o, s) =>
        {
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = Math.Max(1, s.Value.LockoutAttempts);
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(Math.Max(1, s.Value.LockoutMinutes));
            PasswordPolicy.Apply(o.Password);
        });
        // Requests re-check the cookie's security stamp this often: a changed password or role signs that person out.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SecurityOptions>>((o, s) =>
            o.ValidationInterval = TimeSpan.FromSeconds(Math.Max(0, s.Value.StampCheckSeconds)));
        // Open Blazor circuits re-check theirs every RevalidateSeconds.
        services.AddScoped<AuthenticationStateProvider, StampRevalidatingStateProvider>();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Loopback is trusted by default; a proxy elsewhere is listed in Security:KnownProxies.
            foreach (var p in config.GetSection("Security:KnownProxies").Get<string[]>() ?? [])
                if (IPAddress.TryParse(p, out var ip)) o.KnownProxies.Add(ip);
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInPolicy, http =>
            {
                var s = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, s.SignInPermitLimit),
                    Window = TimeSpan.FromSeconds(Math.Max(1, s.SignInWindowSeconds)),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                var L = http.RequestServices.GetRequiredService<IStringLocalizer<SecurityText>>();
                var s = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
                var email = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct))["email"].ToString() : "";
                await http.RequestServices.GetRequiredService<AuditTrail>().WriteAsync(null, email,
                    new AuditNote(AuditKind.SignInRateLimited, email, Address: http.Connection.RemoteIpAddress?.ToString()));
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
                if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                http.Response.ContentType = "text/html; charset=utf-8";
                var title = WebUtility.HtmlEncode(L["Too many sign-in attempts"]);
                var text = WebUtility.HtmlEncode(L["Too many sign-in attempts from your address. Wait {0} seconds, then try again.", s.SignInWindowSeconds]);
                await http.Response.WriteAsync($"""
                    <!DOCTYPE html><html lang="{System.Globalization.CultureInfo.CurrentUICulture.Name}"><head><meta charset="utf-8"><title>{title}</title>
                    <link rel="stylesheet" href="/app.css"></head><body><main class="crm-signin"><h1>{title}</h1>
                    <p class="crm-error" role="alert" data-testid="rate-limited">{text}</p><p><a href="/account/login">{WebUtility.HtmlEncode(L["Back to sign-in"])}</a></p></main></body></html>
                    """, ct);
            };
        });
        return services;
    }

    /// <summary>Before everything: the client's real address and scheme from the proxy, then the security headers.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        return app.Use(async (ctx, next) =>
        {
            ctx.Response.OnStarting(() =>
            {
                var h = ctx.Response.Headers;
                // Blazor Server needs its own scripts and a WebSocket to itself; framing by other sites is never needed.
                h["Content-Security-Policy"] = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";
                h["X-Frame-Options"] = "DENY";
                h["X-Content-Type-Options"] = "nosniff";
                h["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next();
        });
    }
}
