using System.Text.RegularExpressions;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

/// <summary>What a new user tripped over (issue 12, points 1 and 9 to 18), each as that user would meet it.</summary>
[Collection(BrowserCollection.Name)]
public class NewUserTests(BrowserAppFixture fx)
{
    private async Task<CrmDbContext> DbAsync() =>
        await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    private async Task<int> NewAccountAsync(AccountInput input, string by = "marketing@demo.local")
    {
        using var scope = fx.App.Services.CreateScope();
        var r = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(input, await fx.StaffAsync(by));
        Assert.True(r.Ok, r.Error);
        return r.Id!.Value;
    }

    private static ILocator Body(IPage page) => page.Locator("textarea[data-testid=activity-body]");

    /// <summary>Opens a page in Chinese through the language cookie only, leaving the demo user's saved language alone for other tests.</summary>
    private async Task ChineseAsync(IPage page, string url)
    {
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=zh-Hans|uic=zh-Hans", Url = fx.BaseUrl }]);
        await page.GotoAsync(url);
        await Infrastructure.Browser.WaitInteractiveAsync(page);
    }

    /// <summary>Fails if the Blazor connection dropped: the reconnect box is up or the page stopped answering.</summary>
    private static async Task AssertStillConnectedAsync(IPage page)
    {
        Assert.False(await page.EvaluateAsync<bool>("() => !!document.querySelector('#components-reconnect-modal')?.open"));
    }

    // ---- 1. Long notes ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_note_of_20000_Chinese_characters_pasted_into_the_composer_is_saved_intact()
    {
        var id = await NewAccountAsync(new AccountInput { Name = "长篇纪要浏览器测试酒业有限公司" });
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");
        await page.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Infrastructure.Browser.Input(page, "activity-subject").FillAsync("采访纪要：全文");
        var text = await page.EvaluateAsync<string>("n => { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(0x4E00 + (i * 7) % 20000); return s; }", TimelineService.MaxBody);

        // Pasted as the browser does it: the value changes, then one input event carries all of it (about 60 KB).
        await page.EvaluateAsync(@"t => { const el = document.querySelector('textarea[data-testid=activity-body]'); el.focus();
            el.value = t; el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' })); }", text);
        await Expect(page.GetByTestId("activity-body-count")).ToContainTextAsync("20,000 / 20,000");
        await page.GetByTestId("activity-save").ClickAsync();

        await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "采访纪要：全文" })).ToBeVisibleAsync();
        await AssertStillConnectedAsync(page);
        await using var db = await DbAsync();
        var body = await db.Activities.Where(a => a.AccountId == id && a.Subject == "采访纪要：全文").Select(a => a.Body).SingleAsync();
        Assert.Equal(text.Length, body!.Length);
        Assert.Equal(text, body);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_5_MB_paste_is_refused_with_the_limit_named_the_notes_already_typed_stay_and_still_save()
    {
        var id = await NewAccountAsync(new AccountInput { Name = "超长粘贴浏览器测试酒业有限公司" });
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");
        await ChineseAsync(page, $"/customers/{id}");
        await Infrastructure.Browser.Input(page, "activity-subject").FillAsync("电话纪要");
        await Body(page).FillAsync("已经写好的要点：下月续订两份");

        // A 5 MB clipboard pasted at the end; if the page lets it through, the browser inserts it (as Chromium would).
        var inserted = await page.EvaluateAsync<bool>(@"n => { const el = document.querySelector('textarea[data-testid=activity-body]');
            const big = 'x'.repeat(n); const dt = new DataTransfer(); dt.setData('text/plain', big);
            el.focus(); el.setSelectionRange(el.value.length, el.value.length);
            const go = el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
            if (go) { el.setRangeText(big, el.selectionStart, el.selectionEnd, 'end'); el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' })); }
            return go; }", 5 * 1024 * 1024);

        Assert.False(inserted);
        await Expect(page.Locator("[data-testid=composer]")).ToContainTextAsync("未粘贴任何内容");
        await Expect(page.Locator("[data-testid=composer]")).ToContainTextAsync("20,000");
        await Expect(Body(page)).ToHaveValueAsync("已经写好的要点：下月续订两份");
        await AssertStillConnectedAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "composer-paste-refused-zh");

        // Typed past the limit (not a paste): the text stays in the box, the person is told, and nothing is saved until it fits.
        await page.EvaluateAsync(@"n => { const el = document.querySelector('textarea[data-testid=activity-body]');
            el.value = el.value + '长'.repeat(n); el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' })); }", TimelineService.MaxBody);
        await Expect(page.Locator("[data-testid=composer]")).ToContainTextAsync("请删减");
        await page.GetByTestId("activity-save").ClickAsync();
        await Expect(page.GetByTestId("activity-body-count")).ToContainTextAsync("20,014 / 20,000");
        await using (var db = await DbAsync())
            Assert.False(await db.Activities.AnyAsync(a => a.AccountId == id && a.Subject == "电话纪要"));

        // Shortened again: it saves, whole.
        await Body(page).FillAsync("已经写好的要点：下月续订两份");
        await page.GetByTestId("activity-save").ClickAsync();
        await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "电话纪要" })).ToBeVisibleAsync();
        await AssertStillConnectedAsync(page);
        await using (var db = await DbAsync())
            Assert.Equal("已经写好的要点：下月续订两份", await db.Activities.Where(a => a.AccountId == id && a.Subject == "电话纪要").Select(a => a.Body).SingleAsync());
        await page.Context.CloseAsync();
    }

    // ---- 9, 10, 18. Sign-in language, reconnect box, favicon, merge dialog ----------------------------------------------

    [Fact]
    public async Task The_language_switch_on_the_sign_in_page_works_before_signing_in()
    {
        var context = await fx.Browser.Instance.NewContextAsync(new() { BaseURL = fx.BaseUrl, Locale = "en-US" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Expect(page.Locator("button[type=submit]")).ToHaveTextAsync("Sign in");

        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();

        await page.WaitForURLAsync(u => u.EndsWith("/account/login"));
        await Expect(page.Locator("button[type=submit]")).ToHaveTextAsync("登录");
        await context.CloseAsync();
    }

    [Fact]
    public async Task In_Chinese_the_reconnect_box_speaks_Chinese_and_the_site_has_a_favicon()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "service@demo.local");
        await ChineseAsync(page, "/customers");
        // Show the box the way Blazor does when the connection drops.
        await page.EvaluateAsync(@"() => document.getElementById('components-reconnect-modal')
            .dispatchEvent(new CustomEvent('components-reconnect-state-changed', { detail: { state: 'show' } }))");
        var box = page.Locator("#components-reconnect-modal");
        await Expect(box).ToBeVisibleAsync();
        await Expect(box).ToContainTextAsync("正在重新连接服务器");
        var all = await box.EvaluateAsync<string>("b => b.textContent");
        Assert.DoesNotMatch(new Regex("Rejoin|Retry|Resume|session", RegexOptions.IgnoreCase), all);
        await Infrastructure.Browser.ScreenshotAsync(page, "reconnect-zh");

        var icon = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.NotNull(icon);
        foreach (var url in new[] { "/favicon.ico", "/" + icon!.TrimStart('/') })
        {
            var response = await page.APIRequest.GetAsync(url);
            Assert.Equal(200, response.Status);
            Assert.StartsWith("image/", response.Headers["content-type"]);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_merge_dialog_in_Chinese_names_the_owner_and_the_product_lines_in_Chinese()
    {
        var wang = await fx.StaffAsync("marketing@demo.local");
        await NewAccountAsync(new AccountInput { Name = "绵阳合并对话框测试糖业有限公司", Phone = "0816-2225678", OwnerId = wang.Id, ProductLines = ProductLines.Sugar | ProductLines.Baijiu });
        await NewAccountAsync(new AccountInput { Name = "绵阳合并对话框测试糖业公司", Phone = "0816-2225678", OwnerId = wang.Id });
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await ChineseAsync(page, "/duplicates");
        await page.GetByTestId("scan-start").ClickAsync();
        var group = page.GetByTestId("review-group").Filter(new() { HasText = "绵阳合并对话框测试糖业公司" });
        await Expect(group).ToBeVisibleAsync();
        await group.GetByTestId("merge").First.ClickAsync();
        var dialog = page.GetByTestId("merge-dialog");
        await Expect(dialog).ToContainTextAsync("王磊");
        await Expect(dialog).ToContainTextAsync("食糖");
        var text = await dialog.InnerTextAsync();
        Assert.DoesNotContain(wang.Id, text);
        Assert.DoesNotMatch(new Regex(@"\bNone\b|\bSugar\b|\bBaijiu\b"), text);
        await Infrastructure.Browser.ScreenshotAsync(page, "merge-dialog-zh");
        await page.Context.CloseAsync();
    }

    // ---- 11. Layout at 1440 px ----------------------------------------------------------------------------------------

    [Fact]
    public async Task At_1440_px_the_English_customer_list_shows_its_last_column_and_the_floor_map_shows_every_booth_or_a_scrollbar()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");
        foreach (var width in new[] { 1366, 1440 }) // a common laptop, and the width the issue was seen at
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync("/customers");
            await Infrastructure.Browser.WaitInteractiveAsync(page);
            var lastHeader = page.Locator("[data-testid=customer-grid] thead th").Last;
            await Expect(lastHeader).ToContainTextAsync("Updated");
            await Expect(page.Locator("[data-testid=customer-grid] tbody tr").Nth(20)).ToBeVisibleAsync();
            await Infrastructure.Browser.ScreenshotAsync(page, $"customers-{width}-en");
            var right = await lastHeader.EvaluateAsync<double>("e => e.getBoundingClientRect().right");
            var visibleTo = await page.GetByTestId("customer-grid").EvaluateAsync<double>("g => Math.min(g.getBoundingClientRect().right, window.innerWidth)");
            var widths = await page.Locator("[data-testid=customer-grid] thead th").EvaluateAllAsync<string>("hs => hs.map(h => h.textContent.trim() + ' ' + Math.round(h.getBoundingClientRect().width)).join(', ')");
            Assert.True(right <= visibleTo + 1, $"the last column ends at {right} px, the list shows up to {visibleTo} px of a {width} px screen ({widths})");
        }
        await page.SetViewportSizeAsync(1440, 900);

        int fairId;
        await using (var db = await DbAsync())
            fairId = await db.Fairs.OrderByDescending(f => f.StartsOn).Select(f => f.Id).FirstAsync();
        await page.GotoAsync($"/fairs/{fairId}/map");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=booth]").First.ClickAsync(); // the booking sheet takes its room beside the map
        await Infrastructure.Browser.ScreenshotAsync(page, "floor-map-1440-en");
        var floor = page.GetByTestId("floor-map");
        var geometry = await floor.EvaluateAsync<double[]>(@"f => { const r = f.getBoundingClientRect(); const s = getComputedStyle(f);
            return [r.right, f.scrollWidth, f.clientWidth, f.offsetHeight - f.clientHeight, ['auto', 'scroll'].includes(s.overflowX) ? 1 : 0]; }");
        Assert.True(geometry[0] <= 1440, $"the floor map ends at {geometry[0]} px, off a 1440 px screen");
        Assert.True(geometry[1] <= geometry[2] || (geometry[4] == 1 && geometry[3] > 0), "booths are cut off without a visible scrollbar");
        var lastBooth = page.Locator("[data-testid=booth]").Last;
        await lastBooth.ScrollIntoViewIfNeededAsync();
        await Expect(lastBooth).ToBeInViewportAsync();
        await page.Context.CloseAsync();
    }

    // ---- 12. A fair that ended ------------------------------------------------------------------------------------------

    [Fact]
    public async Task The_floor_map_of_a_fair_that_ended_says_so_and_offers_no_booking()
    {
        int fairId;
        var today = DateOnly.FromDateTime(DateTime.Today);
        await using (var db = await DbAsync())
            fairId = await db.Fairs.Where(f => f.EndsOn < today).OrderBy(f => f.EndsOn).Select(f => f.Id).FirstAsync();
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");
        await page.GotoAsync($"/fairs/{fairId}/map");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("fair-ended")).ToContainTextAsync("can no longer be booked");
        await page.Locator("[data-testid=booth][data-status=Free]").First.ClickAsync();
        await Expect(page.GetByTestId("book")).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    // ---- 13. Edit conflict -------------------------------------------------------------------------------------------

    [Fact]
    public async Task After_an_edit_conflict_a_field_only_the_colleague_changed_is_not_shown_as_mine_and_the_form_shows_their_value()
    {
        var id = await NewAccountAsync(new AccountInput { Name = "冲突面板测试酒业有限公司", Phone = "028-8666-1000" });
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");
        foreach (var p in new[] { a, b })
        {
            await p.GotoAsync($"/customers/{id}/edit");
            await Infrastructure.Browser.WaitInteractiveAsync(p);
            await Expect(Infrastructure.Browser.Input(p, "account-name")).ToHaveValueAsync("冲突面板测试酒业有限公司");
        }
        await Infrastructure.Browser.Input(a, "account-phone").FillAsync("028-8666-2000");
        await a.GetByTestId("save-account").ClickAsync();
        await a.WaitForURLAsync($"**/customers/{id}");

        await Infrastructure.Browser.Input(b, "account-name").FillAsync("冲突面板测试酒业股份有限公司");
        await b.GetByTestId("save-account").ClickAsync();
        var phoneRow = b.GetByTestId("conflict-row").Filter(new() { HasText = "028-8666-2000" });
        await Expect(phoneRow).ToBeVisibleAsync();
        await Expect(phoneRow.GetByTestId("conflict-yours")).ToHaveTextAsync("(not changed by you)");
        await Expect(phoneRow).Not.ToContainTextAsync("028-8666-1000");
        await Expect(Infrastructure.Browser.Input(b, "account-phone")).ToHaveValueAsync("028-8666-2000");
        await Expect(b.GetByTestId("conflict-row").Filter(new() { HasText = "冲突面板测试酒业股份有限公司" })).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(b, "conflict-panel-en");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    // ---- 15. Counts ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task The_subscriptions_heading_counts_the_rows_it_lists_and_says_how_many_still_run()
    {
        var today = DateOnly.FromDateTime(DateTime.Today);
        int id;
        await using (var db = await DbAsync())
        {
            var parents = db.Accounts.Where(x => x.ParentId != null).Select(x => x.ParentId);
            id = await db.Subscriptions.Where(s => s.CancelledAt == null && s.EndsOn < today && s.RenewedById == null)
                .Select(s => s.AccountId).Where(x => !parents.Contains(x))
                .Where(x => db.Subscriptions.Count(s => s.AccountId == x) <= 6).FirstAsync();
        }
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local");
        await ChineseAsync(page, $"/customers/{id}");
        var rows = page.GetByTestId("subscription-row");
        await Expect(rows.First).ToBeVisibleAsync();
        var listed = await rows.CountAsync();
        var count = await page.GetByTestId("subscriptions-count").InnerTextAsync();
        Assert.StartsWith($"({listed}", count);
        var running = await page.GetByTestId("subscription-status").Filter(new() { HasTextRegex = new Regex("^(有效|即将到期)$") }).CountAsync();
        Assert.Contains($"有效 {running}", count);
        await page.Context.CloseAsync();
    }

    // ---- 16. Exhibitor picker ----------------------------------------------------------------------------------------

    [Fact]
    public async Task The_exhibitor_picker_never_offers_names_that_do_not_contain_the_typed_text()
    {
        const string exhibitor = "展商选择器测试酒业有限公司";
        await NewAccountAsync(new AccountInput { Name = exhibitor });
        int fairId;
        await using (var db = await DbAsync())
            fairId = await db.Fairs.OrderByDescending(f => f.StartsOn).Select(f => f.Id).FirstAsync();
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");
        await page.GotoAsync($"/fairs/{fairId}/map");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=booth][data-status=Free]").First.ClickAsync();
        var input = Infrastructure.Browser.Input(page, "book-exhibitor");
        await input.ClickAsync();
        var typed = exhibitor[..4];
        await input.PressSequentiallyAsync(typed, new() { Delay = 60 });

        // Watch the offered names for a while after typing: every one must contain what was typed.
        var offered = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            offered.AddRange(await page.Locator(".mud-popover-open .mud-list-item").AllInnerTextsAsync());
            await Task.Delay(100);
        }
        Assert.Contains(offered, o => o.Contains(exhibitor));
        Assert.All(offered, o => Assert.Contains(typed, o));
        await page.Context.CloseAsync();
    }

    // ---- 17. Search: "8 of 12" and show all ---------------------------------------------------------------------------

    [Fact]
    public async Task Search_says_8_of_12_and_show_all_opens_the_customer_list_filtered_by_the_text()
    {
        for (var i = 0; i < 12; i++)
            await NewAccountAsync(new AccountInput { Name = $"浏览器全部结果{(char)('甲' + i)}号酒业有限公司" });
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.Keyboard.PressAsync("Control+k");
        await Infrastructure.Browser.Input(page, "search-input").FillAsync("浏览器全部结果");
        await Expect(page.GetByTestId("search-hit-customer")).ToHaveCountAsync(8);
        await Expect(page.GetByTestId("search-customer-count")).ToHaveTextAsync("8 of 12");
        await Infrastructure.Browser.ScreenshotAsync(page, "search-8-of-12-en");

        await page.GetByTestId("search-show-all").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/customers\?name="));
        await Expect(page.GetByTestId("customer-count")).ToHaveTextAsync("12 customers");
        await Expect(Infrastructure.Browser.Input(page, "filter-name")).ToHaveValueAsync("浏览器全部结果");
        await page.Context.CloseAsync();
    }

    // ---- The pass over the changed pages ----------------------------------------------------------------------------

    [Fact]
    public async Task Every_page_fits_1366_and_1920_px_in_both_languages_without_sideways_scrolling()
    {
        int customer, future, past, issue;
        var today = DateOnly.FromDateTime(DateTime.Today);
        await using (var db = await DbAsync())
        {
            customer = await db.Subscriptions.Select(x => x.AccountId).OrderBy(x => x).FirstAsync();
            future = await db.Fairs.Where(f => f.EndsOn >= today).OrderBy(f => f.StartsOn).Select(f => f.Id).FirstAsync();
            past = await db.Fairs.Where(f => f.EndsOn < today).OrderBy(f => f.StartsOn).Select(f => f.Id).FirstAsync();
            issue = await db.PeriodicalIssues.Where(i => i.PublishedOn <= today).OrderByDescending(i => i.PublishedOn).Select(i => i.Id).FirstAsync();
        }
        var pages = new (string Name, string Url)[]
        {
            ("customers", "/customers"), ("customer", $"/customers/{customer}"), ("customer-edit", $"/customers/{customer}/edit"),
            ("floor-map", $"/fairs/{future}/map"), ("floor-map-ended", $"/fairs/{past}/map"), ("duplicates", "/duplicates"),
            ("start", "/"), ("follow-ups", "/follow-ups"), ("renewals", "/renewals"), ("periodicals", "/periodicals"), ("fairs", "/fairs"),
            ("dispatch", $"/periodicals/issues/{issue}/dispatch"), ("rebooking", $"/fairs/{future}/rebooking"),
        };
        var overflowing = new List<string>();
        foreach (var culture in new[] { "en", "zh-Hans" })
        foreach (var width in new[] { 1366, 1920 })
        {
            var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
            await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={culture}|uic={culture}", Url = fx.BaseUrl }]);
            await page.SetViewportSizeAsync(width, 900);
            foreach (var (name, url) in pages)
            {
                await page.GotoAsync(url);
                await Infrastructure.Browser.WaitInteractiveAsync(page);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                if (name.StartsWith("floor-map")) await page.Locator("[data-testid=booth][data-status=Free]").First.ClickAsync();
                await Infrastructure.Browser.ScreenshotAsync(page, $"pass-{name}-{culture}-{width}");
                if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1")) overflowing.Add($"{name} {culture} {width}");
            }
            await page.Keyboard.PressAsync("Control+k");
            await Infrastructure.Browser.Input(page, "search-input").FillAsync("酒业");
            await Expect(page.GetByTestId("search-hit-customer").First).ToBeVisibleAsync();
            await Infrastructure.Browser.ScreenshotAsync(page, $"pass-search-{culture}-{width}");
            await page.Context.CloseAsync();

            var anonymous = await fx.Browser.Instance.NewContextAsync(new() { BaseURL = fx.BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = 900 } });
            await anonymous.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={culture}|uic={culture}", Url = fx.BaseUrl }]);
            var signIn = await anonymous.NewPageAsync();
            await signIn.GotoAsync("/account/login");
            await Infrastructure.Browser.ScreenshotAsync(signIn, $"pass-sign-in-{culture}-{width}");
            await anonymous.CloseAsync();
        }
        Assert.Empty(overflowing);
    }
}
