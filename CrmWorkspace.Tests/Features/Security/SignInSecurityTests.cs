using System.Net;
using System.Text.RegularExpressions;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Security;

/// <summary>The real defaults of appsettings.json (5 wrong passwords lock, 10 sign-ins a minute per address), on an app of their own.</summary>
public sealed class RealLimitsFixture : IAsyncLifetime
{
    public AppFactory App { get; } = new(demoAccounts: 10, realSignInLimits: true);
    public string BaseUrl { get; private set; } = "";
    public Task InitializeAsync() { BaseUrl = App.Start(); return Task.CompletedTask; }
    public async Task DisposeAsync() => await App.DisposeAsync();
}

public class SignInSecurityTests(RealLimitsFixture fx) : IClassFixture<RealLimitsFixture>
{
    private const string Right = CrmWorkspace.Tests.Infrastructure.Browser.DemoPassword;

    /// <summary>A client of its own (cookies) that appears to come from this address (through the trusted loopback proxy).</summary>
    private HttpClient Client(string address)
    {
        var c = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = new Uri(fx.BaseUrl) };
        c.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return c;
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient c, string email, string password)
    {
        var token = Html.AntiforgeryToken(await c.GetStringAsync("/account/login"));
        return await c.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["__RequestVerificationToken"] = token, ["returnUrl"] = "/",
        }));
    }

    [Fact]
    public async Task Eight_wrong_passwords_lock_the_account_the_right_one_is_refused_with_the_time_and_an_admin_unlocks_it()
    {
        const string email = "news@demo.local";
        var c = Client("10.20.0.1");
        for (var i = 1; i <= 8; i++)
        {
            var wrong = await PostSignInAsync(c, email, $"Wrong-guess-{i}");
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
            // The fifth wrong password (the default) locks; from then on the page says so.
            Assert.Contains(i < 5 ? "error=1" : "error=2", wrong.Headers.Location!.ToString());
        }
        var right = await PostSignInAsync(c, email, Right);
        var location = right.Headers.Location!.ToString();
        Assert.Contains("error=2", location);
        Assert.DoesNotContain(".auth", string.Join(";", right.Headers.TryGetValues("Set-Cookie", out var v) ? v : []));

        // The page names the local time the lock ends: 15 minutes (the default) after the fifth failure.
        var page = Html.Text(await c.GetStringAsync(location));
        var shown = Regex.Match(page, @"locked until (\d\d:\d\d)");
        Assert.True(shown.Success, "no lock time on the page");
        using (var s = fx.App.Services.CreateScope())
        {
            var users = s.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync(email);
            var end = (await users.GetLockoutEndDateAsync(user!))!.Value;
            Assert.Equal(end.ToLocalTime().ToString("HH:mm"), shown.Groups[1].Value);
            Assert.InRange((end - DateTimeOffset.UtcNow).TotalMinutes, 14, 15.1);
        }
        Assert.False((await c.GetAsync("/customers")).IsSuccessStatusCode);

        // In Chinese too.
        var zh = Client("10.20.0.9");
        zh.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Dzh-Hans%7Cuic%3Dzh-Hans");
        Assert.Matches(@"已锁定至 \d\d:\d\d", Html.Text(await zh.GetStringAsync(location)));

        // The administrator unlocks: the right password works at once.
        using (var s = fx.App.Services.CreateScope())
        {
            var admin = s.ServiceProvider.GetRequiredService<StaffAdminService>();
            var adminId = await IdOf("admin@demo.local");
            Assert.False((await admin.UnlockAsync(await IdOf(email), StaffIdentity.ForRole(await IdOf("marketing@demo.local"), "王磊", 1, Roles.Manager))).Ok);
            Assert.True((await admin.UnlockAsync(await IdOf(email), StaffIdentity.ForRole(adminId, "管理员 Admin", null, Roles.Administrator))).Ok);
        }
        var after = await PostSignInAsync(c, email, Right);
        Assert.Equal("/", after.Headers.Location!.ToString());

        // The trail holds each failure with the address, the lockout, the unlock and the sign-in.
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmWorkspace.Data.CrmDbContext>>().CreateDbContextAsync();
        var trail = await db.AuditEntries.Where(e => e.Subject == email).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(4, trail.Count(e => e.Kind == AuditKind.SignInFailed && e.Detail == "wrong password"));
        Assert.Single(trail, e => e.Kind == AuditKind.LockedOut);
        Assert.Equal(4, trail.Count(e => e.Kind == AuditKind.SignInFailed && e.Detail == "account locked"));
        Assert.All(trail.Where(e => e.Kind is AuditKind.SignInFailed or AuditKind.LockedOut), e => Assert.Equal("10.20.0.1", e.Address));
        Assert.Single(trail, e => e.Kind == AuditKind.Unlocked);
        Assert.Equal(AuditKind.SignIn, trail[^1].Kind);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Kind == AuditKind.PermissionRefused && e.Subject != null && e.Detail!.StartsWith("ManageStaff")));
    }

    [Fact]
    public async Task A_burst_from_one_address_gets_429_after_ten_tries_while_another_address_still_signs_in()
    {
        var burst = Client("10.30.0.1");
        var codes = new List<HttpStatusCode>();
        var token = Html.AntiforgeryToken(await burst.GetStringAsync("/account/login"));
        for (var i = 0; i < 14; i++)
        {
            var r = await burst.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = $"nobody{i}@demo.local", ["password"] = "x", ["__RequestVerificationToken"] = token,
            }));
            codes.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var body = await r.Content.ReadAsStringAsync();
                Assert.Contains("Too many sign-in attempts from your address", body);
                Assert.True(r.Headers.Contains("Retry-After"));
            }
        }
        Assert.Equal(10, codes.Count(c => c == HttpStatusCode.Redirect));
        Assert.Equal(4, codes.Count(c => c == HttpStatusCode.TooManyRequests));

        // Someone else, elsewhere, is not locked out by the burst.
        var other = Client("10.30.0.2");
        Assert.Equal("/", (await PostSignInAsync(other, "service@demo.local", Right)).Headers.Location!.ToString());

        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmWorkspace.Data.CrmDbContext>>().CreateDbContextAsync();
        Assert.Equal(4, await db.AuditEntries.CountAsync(e => e.Kind == AuditKind.SignInRateLimited && e.Address == "10.30.0.1"));
    }

    [Fact]
    public async Task Pages_carry_the_security_headers()
    {
        var r = await Client("10.40.0.1").GetAsync("/account/login");
        Assert.Contains("frame-ancestors 'none'", r.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", r.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task The_sign_in_cookie_is_HttpOnly_and_Secure_when_the_proxy_says_https()
    {
        var plain = await PostSignInAsync(Client("10.50.0.1"), "fair@demo.local", Right);
        var cookie = plain.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith("crm.auth="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);

        var tls = Client("10.50.0.2");
        tls.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var behindProxy = await PostSignInAsync(tls, "fair@demo.local", Right);
        var secure = behindProxy.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith("crm.auth="));
        Assert.Contains("secure", secure, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", secure, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> IdOf(string email)
    {
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmWorkspace.Data.CrmDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
