using System.Security.Claims;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Localization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Staff;

/// <summary>Sign-in with ASP.NET Core Identity cookies; everything but sign-in and static files needs a signed-in user.</summary>
public static class StaffSetup
{
    public const string LoginPath = "/account/login";
    public const string SetupPath = "/setup";

    public static IServiceCollection AddStaffAndSignIn(this IServiceCollection services, IConfiguration config)
    {
        services.AddIdentityCore<StaffUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Password rule and lockout: Features/Security (PasswordPolicy, SecurityOptions).
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CrmDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = LoginPath;
            o.AccessDeniedPath = LoginPath;
            o.Cookie.Name = "crm.auth";
            o.Cookie.HttpOnly = true;
            // Secure whenever the request is HTTPS (behind a TLS-terminating proxy: X-Forwarded-Proto, see README).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Idle sign-out: the cookie lives Security:IdleMinutes after the last request (pages keep it alive while used).
            o.SlidingExpiration = true;
            // Non-page callers (hubs, APIs) get 401, not a redirect to an HTML form.
            o.Events.OnRedirectToLogin = ctx =>
            {
                if (IsApiRequest(ctx.Request)) Refuse(ctx.HttpContext, StatusCodes.Status401Unauthorized);
                else ctx.Response.Redirect(ctx.RedirectUri);
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                // Pages get the app's own "no permission" page through status-code re-execution; clients a plain 403.
                if (IsApiRequest(ctx.Request)) Refuse(ctx.HttpContext, StatusCodes.Status403Forbidden);
                else ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<SecurityOptions>>((o, sec) => o.ExpireTimeSpan = TimeSpan.FromMinutes(Math.Max(1, sec.Value.IdleMinutes)));
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Manager, p => p.RequireRole(Roles.Admin, Roles.Manager));
        services.AddCascadingAuthenticationState();
        services.AddScoped<CurrentUser>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<FirstRunState>();
        services.AddScoped<StaffAdminService>();
        return services;
    }

    // A plain status for clients; the "not found" page must not replace it.
    private static void Refuse(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
    }

    private static bool IsApiRequest(HttpRequest r) =>
        r.Path.StartsWithSegments("/hubs") || r.Path.StartsWithSegments("/api") || r.Path.StartsWithSegments("/_blazor");

    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LoginPath, async ([FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl,
            SignInManager<StaffUser> signIn, UserManager<StaffUser> users, AuditTrail audit, HttpContext http) =>
        {
            var back = Uri.EscapeDataString(returnUrl ?? "/");
            var user = await users.FindByEmailAsync(email.Trim());
            if (user is null)
            {
                await audit.WriteAsync(null, email.Trim(), new AuditNote(AuditKind.SignInFailed, email.Trim(), "unknown account"));
                return Results.LocalRedirect($"{LoginPath}?error=1&returnUrl={back}");
            }
            var wasLocked = await users.IsLockedOutAsync(user);
            var result = await signIn.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                var until = (await users.GetLockoutEndDateAsync(user))?.ToUnixTimeSeconds() ?? 0;
                await audit.WriteAsync(user.Id, user.DisplayName, new AuditNote(wasLocked ? AuditKind.SignInFailed : AuditKind.LockedOut,
                    user.Email, wasLocked ? "account locked" : $"locked until {DateTimeOffset.FromUnixTimeSeconds(until):u}"));
                return Results.LocalRedirect($"{LoginPath}?error=2&until={until}&returnUrl={back}");
            }
            if (!result.Succeeded)
            {
                await audit.WriteAsync(user.Id, user.DisplayName, new AuditNote(AuditKind.SignInFailed, user.Email, "wrong password"));
                return Results.LocalRedirect($"{LoginPath}?error=1&returnUrl={back}");
            }
            await audit.WriteAsync(user.Id, user.DisplayName, new AuditNote(AuditKind.SignIn, user.Email));
            LocalizationSetup.WriteCultureCookie(http.Response, LocalizationSetup.Normalize(user.Culture));
            return Results.LocalRedirect(LocalizationSetup.SafeReturnUrl(returnUrl));
        }).AllowAnonymous().RequireRateLimiting(SecuritySetup.SignInPolicy);

        // Pages ping this while someone works, so the idle clock of the sign-in cookie restarts (Blazor's WebSocket does not).
        app.MapPost("/account/keepalive", () => Results.NoContent());

        app.MapPost("/account/logout", async (SignInManager<StaffUser> signIn, AuditTrail audit, HttpContext http, bool? idle) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
            {
                var me = StaffIdentity.From(http.User);
                await audit.WriteAsync(me, new AuditNote(AuditKind.SignOut, Detail: idle == true ? "idle" : null));
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect(idle == true ? $"{LoginPath}?idle=1" : LoginPath);
        });

        app.MapPost(SetupPath, async ([FromForm] string email, [FromForm] string displayName, [FromForm] string password,
            FirstRunState state, StaffAdminService admin, SignInManager<StaffUser> signIn, UserManager<StaffUser> users) =>
        {
            if (!await state.NeedsSetupAsync()) return Results.LocalRedirect(LoginPath);
            var result = await admin.CreateFirstAsync(new NewStaff(email, displayName, password, null, Roles.Administrator));
            if (!result.Ok)
                return Results.LocalRedirect($"{SetupPath}?error={Uri.EscapeDataString(result.Problem)}");
            state.MarkDone();
            var user = await users.FindByEmailAsync(email.Trim());
            await signIn.SignInAsync(user!, isPersistent: true);
            return Results.LocalRedirect("/");
        }).AllowAnonymous().RequireRateLimiting(SecuritySetup.SignInPolicy);
        return app;
    }

    /// <summary>With no staff at all (demo mode off, first start), every request goes to the admin set-up form.</summary>
    public static IApplicationBuilder UseFirstRunSetup(this IApplicationBuilder app) =>
        app.Use(async (ctx, next) =>
        {
            var state = ctx.RequestServices.GetRequiredService<FirstRunState>();
            var path = ctx.Request.Path;
            if (!path.StartsWithSegments(SetupPath) && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content")
                && !Path.HasExtension(path.Value) && await state.NeedsSetupAsync())
            {
                ctx.Response.Redirect(SetupPath);
                return;
            }
            await next();
        });
}

/// <summary>Adds display name, team and culture to the sign-in cookie so pages need no lookup.</summary>
public class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    public const string DisplayName = "crm:name";
    public const string TeamId = "crm:team";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var id = await base.GenerateClaimsAsync(user);
        id.AddClaim(new Claim(DisplayName, user.DisplayName));
        if (user.TeamId is { } t) id.AddClaim(new Claim(TeamId, t.ToString()));
        return id;
    }
}

/// <summary>Whether the first-start admin form is still needed; cached once staff exist.</summary>
public class FirstRunState(IDbContextFactory<CrmDbContext> dbs)
{
    private volatile bool _done;

    public async Task<bool> NeedsSetupAsync()
    {
        if (_done) return false;
        await using var db = await dbs.CreateDbContextAsync();
        if (await db.Users.AnyAsync()) { _done = true; return false; }
        return true;
    }

    public void MarkDone() => _done = true;
}
