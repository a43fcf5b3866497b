using CrmWorkspace.Data;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class CustomerFlowTests(BrowserAppFixture fx)
{
    private async Task<(int Id, string Name, string Phone)> SomeCustomerWithPhoneAsync(int skip)
    {
        await using var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var a = await db.Accounts.Where(x => x.ParentId == null && x.PhoneE164 != null && x.Phone!.StartsWith("028"))
            .OrderBy(x => x.Id).Skip(skip).FirstAsync();
        return (a.Id, a.Name, a.Phone!);
    }

    [Fact]
    public async Task Sign_in_switch_to_Chinese_search_by_name_and_phone_open_and_add_a_contact()
    {
        var (id, name, phone) = await SomeCustomerWithPhoneAsync(0);
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        // Sign-in lands on the start page; the customer list is one click away.
        await page.GotoAsync("/customers");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.Locator("#customers-title")).ToHaveTextAsync("Customers");
        await Expect(page.GetByTestId("customer-grid").Locator("tbody tr").First).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "customer-list-en");

        // Switch to Chinese from the language menu.
        await page.GetByTestId("language-menu").ClickAsync();
        await page.GetByText("中文").ClickAsync();
        await Expect(page.Locator("#customers-title")).ToHaveTextAsync("客户");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "customer-list-zh");

        // Search by part of the Chinese name (brand and trade words in the middle of it).
        var part = name.Substring(2, 4);
        await page.Keyboard.PressAsync("Control+k");
        var box = Infrastructure.Browser.Input(page, "search-input");
        await box.FillAsync(part);
        await Expect(page.Locator($"[data-testid=search-hit-customer][href='/customers/{id}']")).ToContainTextAsync(name);
        await page.Keyboard.PressAsync("Escape");
        // Wait until the first dialog is gone, or typing could land in its closing input.
        await Expect(page.Locator("input[data-testid=search-input], [data-testid=search-input] input")).ToHaveCountAsync(0);

        // Search by the phone typed another way: +86, no dashes, spaces.
        var digits = new string(phone.Where(char.IsDigit).ToArray())[1..];
        var typed = $"+86 {digits[..2]} {digits[2..6]} {digits[6..]}";
        await page.Keyboard.PressAsync("Control+k");
        await Infrastructure.Browser.Input(page, "search-input").FillAsync(typed);
        var hit = page.Locator($"[data-testid=search-hit-customer][href='/customers/{id}']");
        await Expect(hit).ToBeVisibleAsync();
        await hit.ClickAsync();
        await page.WaitForURLAsync($"**/customers/{id}");
        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync(name);
        await Infrastructure.Browser.ScreenshotAsync(page, "customer-page-zh");

        // A bad phone is refused with a message; nothing is saved.
        await page.GetByTestId("add-contact").ClickAsync();
        await Infrastructure.Browser.Input(page, "contact-name").FillAsync("欧阳娜娜");
        await Infrastructure.Browser.Input(page, "contact-phone").FillAsync("12345");
        await page.GetByTestId("save-contact").ClickAsync();
        await Expect(page.GetByText("“12345”不是有效的电话号码", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("contact-row").Filter(new() { HasText = "欧阳娜娜" })).ToHaveCountAsync(0);

        // Corrected, it saves and shows in the contacts list.
        await Infrastructure.Browser.Input(page, "contact-phone").FillAsync("139 0828 1234");
        await page.GetByTestId("save-contact").ClickAsync();
        var row = page.GetByTestId("contact-row").Filter(new() { HasText = "欧阳娜娜" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("139 0828 1234");

        // The same page in English.
        await page.GotoAsync($"/culture/set?culture=en&returnUrl=/customers/{id}");
        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync(name);
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByText("Key facts")).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "customer-page-en");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_people_editing_one_customer_the_second_is_told_and_keeps_both_changes()
    {
        var (id, _, _) = await SomeCustomerWithPhoneAsync(1);
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");
        foreach (var p in new[] { a, b })
        {
            await p.GotoAsync($"/customers/{id}/edit");
            await Infrastructure.Browser.WaitInteractiveAsync(p);
            await Expect(Infrastructure.Browser.Input(p, "account-name")).Not.ToHaveValueAsync("");
        }
        await Infrastructure.Browser.Input(a, "account-phone").FillAsync("028-8666-0001");
        await a.GetByTestId("save-account").ClickAsync();
        await a.WaitForURLAsync($"**/customers/{id}");

        // B changes another field and saves: told who changed what, nothing overwritten yet.
        await Infrastructure.Browser.Input(b, "account-name").FillAsync("冲突测试酒业有限公司");
        await b.GetByTestId("save-account").ClickAsync();
        var conflict = b.GetByTestId("conflict");
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict).ToContainTextAsync("张伟");
        await Expect(conflict).ToContainTextAsync("028-8666-0001");
        await b.GetByTestId("save-merged").ClickAsync();
        await b.WaitForURLAsync($"**/customers/{id}");
        await Expect(b.GetByTestId("customer-name")).ToHaveTextAsync("冲突测试酒业有限公司");
        await Expect(b.GetByTestId("customer-facts")).ToContainTextAsync("028-8666-0001");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }
}
