using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>Issue 19 in the browser: "link as a branch" in the review queue, and the administrator's known short names.</summary>
[Collection(BrowserCollection.Name)]
public class BranchAndAliasFlowTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task A_manager_links_a_branch_to_its_head_office_from_the_queue_instead_of_merging()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        using var scope = fx.App.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        const string headName = "四川页面链测金樽酒业有限公司", branchName = "四川页面链测金樽酒业有限公司绵阳办事处";
        var head = (await accounts.CreateAsync(new AccountInput { Name = headName, Province = "四川", City = "宜宾", Phone = "0831-3556677", OwnerId = wang.Id }, wang)).Id!.Value;
        var branch = (await accounts.CreateAsync(new AccountInput { Name = branchName, Province = "四川", City = "绵阳", Phone = "0831-3556677", OwnerId = wang.Id }, wang)).Id!.Value;
        // As it reaches the queue when someone goes on past the while-typing panel (or an import links it).
        var shown = await scope.ServiceProvider.GetRequiredService<DuplicateFinder>().AccountsAsync(new AccountProbe(branchName, "0831-3556677", City: "绵阳"));
        await scope.ServiceProvider.GetRequiredService<DuplicateService>().RecordGoOnAsync(RecordKind.Account, branch, shown.Where(c => c.Id == head).ToList(), null, wang);

        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync("/duplicates");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var group = page.GetByTestId("review-group").Filter(new() { HasText = branchName });
        await Expect(group).ToBeVisibleAsync();
        var pair = group.GetByTestId("review-pair");
        // Labelled as head office and branch, with the parts that decided; no merge offered.
        await Expect(pair.GetByTestId("branch-pair")).ToHaveTextAsync("Head office and branch");
        await Expect(pair).ToContainTextAsync("branch 绵阳办事处 of the same company: link as a branch, do not merge");
        await Expect(pair).ToContainTextAsync("same trade name 页面链测金樽");
        await Expect(group.GetByTestId("merge")).ToHaveCountAsync(0);
        var link = pair.GetByTestId("link-branch");
        await Expect(link).ToHaveTextAsync($"Link as branch of {headName}");
        await Infrastructure.Browser.ScreenshotAsync(page, "duplicate-link-branch");

        await link.ClickAsync();
        await Expect(page.GetByText($"{branchName} is now a branch of {headName}.")).ToBeVisibleAsync();
        await Expect(group).ToHaveCountAsync(0);
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            Assert.Equal(head, (await db.Accounts.SingleAsync(a => a.Id == branch)).ParentId);

        // The head office's page shows the new branch and the entry on its timeline.
        await page.GotoAsync($"/customers/{head}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByText(branchName).First).ToBeVisibleAsync();
        await Expect(page.GetByText("Branch linked").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en", "川茶页", "The short name is required.", "The short name 中粮 is already in the list (for 中国粮油食品（集团）有限公司).", "Known short names", "Remove")]
    [InlineData("zh-Hans", "蜀茶页", "请填写简称。", "简称“中粮”已在表中（对应 中国粮油食品（集团）有限公司）。", "客户简称", "删除")]
    public async Task An_administrator_adds_edits_and_removes_a_short_name_with_clear_messages(string culture, string alias, string required, string duplicate, string title, string remove)
    {
        var full = $"四川省{alias}测试集团有限公司";
        var admin = await fx.Browser.SignInAsync(fx.BaseUrl, "admin@demo.local", culture);
        await admin.SetViewportSizeAsync(1366, 900);
        // Reachable from the admin navigation.
        await admin.GetByTestId("nav-company-aliases").ClickAsync();
        await admin.WaitForURLAsync("**/admin/company-aliases");
        await Infrastructure.Browser.WaitInteractiveAsync(admin);
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        var table = admin.GetByTestId("aliases-table");
        await Expect(table.GetByTestId("alias-row").Filter(new() { HasText = "中国粮油食品（集团）有限公司" })).ToBeVisibleAsync();

        // Both sides required; a short name already listed is refused with the company it stands for.
        await admin.GetByTestId("alias-add").ClickAsync();
        await Expect(admin.GetByText(required)).ToBeVisibleAsync();
        await Infrastructure.Browser.Input(admin, "alias-new-alias").FillAsync("中粮");
        await Infrastructure.Browser.Input(admin, "alias-new-full").FillAsync("中粮别的公司");
        await admin.GetByTestId("alias-add").ClickAsync();
        await Expect(admin.GetByText(duplicate)).ToBeVisibleAsync();

        await Infrastructure.Browser.Input(admin, "alias-new-alias").FillAsync(alias);
        await Infrastructure.Browser.Input(admin, "alias-new-full").FillAsync(full);
        await admin.GetByTestId("alias-add").ClickAsync();
        var row = table.GetByTestId("alias-row").Filter(new() { HasText = alias });
        await Expect(row.GetByTestId("alias-full")).ToHaveTextAsync(full);
        // In force at once for the matcher (typing, import and scan read the same table).
        Assert.Equal(full, CompanyAliases.FullNameOf(CompanyAliasService.KeyOf(alias)));
        await Infrastructure.Browser.ScreenshotAsync(admin, $"company-aliases-{culture}");

        // Edit the full name in place.
        var edited = $"四川省{alias}改名集团有限公司";
        await row.GetByTestId("alias-edit").ClickAsync();
        await Infrastructure.Browser.Input(admin, "alias-edit-full").FillAsync(edited);
        await admin.GetByTestId("alias-save").ClickAsync();
        await Expect(row.GetByTestId("alias-full")).ToHaveTextAsync(edited);
        Assert.Equal(edited, CompanyAliases.FullNameOf(CompanyAliasService.KeyOf(alias)));

        // Remove, after confirming.
        await row.GetByTestId("alias-remove").ClickAsync();
        await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = remove }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Null(CompanyAliases.FullNameOf(CompanyAliasService.KeyOf(alias)));
        await admin.Context.CloseAsync();

        // A member cannot open the page.
        var member = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");
        await member.GotoAsync("/admin/company-aliases");
        await Expect(member.GetByText("You do not have permission to open this page.")).ToBeVisibleAsync();
        await Expect(member.GetByTestId("aliases-table")).ToHaveCountAsync(0);
        await member.Context.CloseAsync();
    }
}
