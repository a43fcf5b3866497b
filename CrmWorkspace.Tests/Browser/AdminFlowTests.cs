using CrmWorkspace.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AdminFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task The_admin_creates_a_user_who_can_then_sign_in_and_a_member_cannot_open_the_admin_page()
    {
        var admin = await fx.Browser.SignInAsync(fx.BaseUrl, "admin@demo.local");
        await admin.GotoAsync("/admin/users");
        await Infrastructure.Browser.WaitInteractiveAsync(admin);
        await Infrastructure.Browser.Input(admin, "new-user-name").FillAsync("赵敏");
        await Infrastructure.Browser.Input(admin, "new-user-email").FillAsync("zhaomin@example.com");
        await Infrastructure.Browser.Input(admin, "new-user-password").FillAsync("short");
        await admin.GetByTestId("create-user").ClickAsync();
        // The password rule comes back as a message, nothing is created.
        await Expect(admin.GetByText("The password does not keep the rule", new() { Exact = false }).First).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("users-table")).Not.ToContainTextAsync("zhaomin@example.com");

        await Infrastructure.Browser.Input(admin, "new-user-password").FillAsync("Zhao-min-2026");
        await admin.GetByTestId("create-user").ClickAsync();
        await Expect(admin.GetByTestId("users-table")).ToContainTextAsync("zhaomin@example.com");

        var context = await fx.Browser.Instance.NewContextAsync(new() { BaseURL = fx.BaseUrl });
        var user = await context.NewPageAsync();
        await user.GotoAsync("/account/login");
        await user.FillAsync("#email", "zhaomin@example.com");
        await user.FillAsync("#password", "Zhao-min-2026");
        await user.ClickAsync("button[type=submit]");
        // Signed in, the new colleague lands on their (still empty) start page.
        await Expect(user.GetByTestId("start-greeting")).ToBeVisibleAsync(new() { Timeout = Infrastructure.Browser.Timeout });
        await user.GotoAsync("/admin/users");
        await Expect(user.GetByText("You do not have permission to open this page.")).ToBeVisibleAsync(new() { Timeout = Infrastructure.Browser.Timeout });
        await Expect(user.GetByTestId("users-table")).ToHaveCountAsync(0);
        await context.CloseAsync();
        await admin.Context.CloseAsync();
    }
}
