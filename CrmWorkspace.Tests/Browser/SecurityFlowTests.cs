using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class SecurityFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task Wrong_passwords_show_the_lock_time_the_admin_unlocks_and_the_audit_page_tells_the_story()
    {
        var email = $"lock-{Guid.NewGuid().ToString("N")[..6]}@example.com";
        using (var s = fx.App.Services.CreateScope())
        {
            await using var db = await s.ServiceProvider.GetRequiredService<IDbContextFactory<CrmWorkspace.Data.CrmDbContext>>().CreateDbContextAsync();
            var adminId = await db.Users.Where(u => u.Email == "admin@demo.local").Select(u => u.Id).SingleAsync();
            var created = await s.ServiceProvider.GetRequiredService<StaffAdminService>()
                .CreateAsync(new NewStaff(email, "锁定测试", "Lock-test-2026", 4, Roles.Sales), StaffIdentity.ForRole(adminId, "管理员 Admin", null, Roles.Administrator));
            Assert.True(created.Ok, created.Error);
        }

        var context = await fx.Browser.Instance.NewContextAsync(new() { BaseURL = fx.BaseUrl, ViewportSize = new() { Width = 1366, Height = 800 } });
        var user = await context.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await user.GotoAsync("/account/login");
            await user.FillAsync("#email", email);
            await user.FillAsync("#password", $"Wrong-{i}-guess");
            await user.ClickAsync("button[type=submit]");
            await user.WaitForURLAsync(u => u.Contains("error="));
        }
        await Expect(user.GetByTestId("locked-message")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"locked until \d\d:\d\d"));
        await Infrastructure.Browser.ScreenshotAsync(user, "security-locked-en");
        // The right password is refused while locked.
        await user.FillAsync("#email", email);
        await user.FillAsync("#password", "Lock-test-2026");
        await user.ClickAsync("button[type=submit]");
        await Expect(user.GetByTestId("locked-message")).ToBeVisibleAsync();

        var admin = await fx.Browser.SignInAsync(fx.BaseUrl, "admin@demo.local");
        await admin.SetViewportSizeAsync(1366, 800);
        await admin.GotoAsync("/admin/users");
        await Infrastructure.Browser.WaitInteractiveAsync(admin);
        var row = admin.Locator($"[data-testid=user-row][data-email='{email}']");
        await Expect(row.GetByTestId("locked-chip")).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(admin, "security-users-locked-en");
        await row.GetByTestId("unlock").ClickAsync();
        await Expect(row.GetByTestId("locked-chip")).ToHaveCountAsync(0);

        await user.FillAsync("#email", email);
        await user.FillAsync("#password", "Lock-test-2026");
        await user.ClickAsync("button[type=submit]");
        await Expect(user.GetByTestId("start-greeting")).ToBeVisibleAsync();

        // The audit page: search by the person, and see the failures, the lockout, the unlock and the sign-in.
        await admin.GotoAsync("/admin/audit");
        await Infrastructure.Browser.WaitInteractiveAsync(admin);
        await Expect(admin.GetByTestId("audit-table")).ToBeVisibleAsync();
        await Infrastructure.Browser.Input(admin, "audit-person").FillAsync(email);
        await admin.GetByTestId("audit-search").ClickAsync();
        await Expect(admin.Locator("[data-testid=audit-row][data-kind=LockedOut]")).ToHaveCountAsync(1);
        await Expect(admin.Locator("[data-testid=audit-row][data-kind=Unlocked]")).ToHaveCountAsync(1);
        await Expect(admin.Locator("[data-testid=audit-row][data-kind=SignIn]")).ToHaveCountAsync(1);
        await Expect(admin.Locator("[data-testid=audit-row][data-kind=SignInFailed]")).ToHaveCountAsync(5);
        await Expect(admin.Locator("[data-testid=audit-row][data-kind=StaffCreated]")).ToHaveCountAsync(1);
        await Infrastructure.Browser.ScreenshotAsync(admin, "security-audit-en");

        // A member of sales sees neither the audit page nor its link.
        var sales = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local", "zh-Hans");
        await Expect(sales.GetByTestId("nav-audit")).ToHaveCountAsync(0);
        await sales.GotoAsync("/admin/audit");
        await Expect(sales.GetByTestId("audit-table")).ToHaveCountAsync(0);

        var zh = await fx.Browser.SignInAsync(fx.BaseUrl, "admin@demo.local", "zh-Hans");
        await zh.SetViewportSizeAsync(1366, 800);
        await zh.GotoAsync("/admin/permissions");
        await Expect(zh.GetByTestId("permission-table")).ToContainTextAsync("批准折扣");
        await Infrastructure.Browser.ScreenshotAsync(zh, "security-permissions-zh");
        await zh.GotoAsync("/admin/audit");
        await Expect(zh.GetByTestId("audit-table")).ToContainTextAsync("账户锁定");
        await Infrastructure.Browser.ScreenshotAsync(zh, "security-audit-zh");
        foreach (var p in new[] { sales, zh, admin }) await p.Context.CloseAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_page_left_alone_past_the_idle_time_signs_out_and_says_why_while_a_working_page_stays_signed_in()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");
        // The page's clock is Playwright's: thirty minutes pass in a moment, the server's clock is untouched.
        await page.Context.Clock.InstallAsync();
        await page.GotoAsync("/");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var idle = fx.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmWorkspace.Features.Security.SecurityOptions>>().Value.IdleMinutes;

        // Working: a key press every few minutes keeps the page signed in past the idle time.
        for (var m = 0; m < idle + 5; m += 5)
        {
            await page.Keyboard.PressAsync("Shift");
            await page.Clock.RunForAsync(5 * 60_000);
        }
        Assert.DoesNotContain("/account/login", page.Url);

        // Left alone: signed out, with the reason on the sign-in page, and the old cookie no longer opens pages.
        // Blazor's own connection timers run on the same fast clock; if they reconnect and reload the page, the fresh page starts
        // its own idle period: give it another (at most three in all).
        for (var round = 0; round < 3 && !page.Url.Contains("/account/login"); round++)
        {
            await page.Clock.RunForAsync((idle + 1) * 60_000);
            try { await page.WaitForURLAsync(u => u.Contains("/account/login"), new() { Timeout = 10_000 }); }
            catch (TimeoutException) { }
        }
        Assert.Contains("/account/login", page.Url);
        await Expect(page.GetByTestId("idle-message")).ToContainTextAsync(idle.ToString());
        await page.GotoAsync("/");
        await page.WaitForURLAsync(u => u.Contains("/account/login"));
        await page.Context.CloseAsync();
    }
}
