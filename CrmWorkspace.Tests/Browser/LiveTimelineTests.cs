using CrmWorkspace.Data;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class LiveTimelineTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task Two_teams_on_one_customer_see_each_other_and_each_others_work_live()
    {
        int id;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            id = await db.Accounts.Where(a => a.ParentId == null).OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();

        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");   // 王磊, Marketing
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "circulation@demo.local"); // 李娜, Circulation
        await a.GotoAsync($"/customers/{id}");
        await b.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(a);
        await Infrastructure.Browser.WaitInteractiveAsync(b);

        // Presence: each sees the other.
        await Expect(a.Locator("[data-testid=presence-avatar][data-name='李娜']")).ToBeVisibleAsync();
        await Expect(b.Locator("[data-testid=presence-avatar][data-name='王磊']")).ToBeVisibleAsync();

        // A logs a visit (Ctrl+Enter); B sees it appear without reloading.
        var marker = await b.EvaluateAsync<string>("() => { window.__noReload = 'still-here'; return window.__noReload; }");
        await Infrastructure.Browser.Input(a, "activity-subject").FillAsync("拜访：商谈2027年春季糖酒会广告");
        await Infrastructure.Browser.Input(a, "activity-body").FillAsync("对方有意投放**整版广告**");
        await Infrastructure.Browser.Input(a, "activity-body").PressAsync("Control+Enter");
        var liveEntry = b.GetByTestId("timeline-entry").Filter(new() { HasText = "拜访：商谈2027年春季糖酒会广告" });
        await Expect(liveEntry).ToBeVisibleAsync();
        // New to B, so highlighted (light yellow) for a few seconds, then in the entries' own colour.
        await Expect(liveEntry).ToHaveCSSAsync("background-color", "rgb(255, 243, 196)");
        await Infrastructure.Browser.ScreenshotAsync(b, "timeline-live-b-highlighted");
        await Expect(liveEntry).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("crm-fresh"));
        await Expect(liveEntry).Not.ToHaveCSSAsync("background-color", "rgb(255, 243, 196)", new() { Timeout = 10_000 });
        await Expect(liveEntry.Locator("strong")).ToHaveTextAsync("整版广告");
        Assert.Equal("still-here", await b.EvaluateAsync<string>("() => window.__noReload"));
        // The composer cleared for A, and the who-works strip names the marketing team's last touch for both.
        await Expect(Infrastructure.Browser.Input(a, "activity-subject")).ToHaveValueAsync("");
        await Expect(b.GetByTestId("who-works")).ToContainTextAsync("王磊");
        await Infrastructure.Browser.ScreenshotAsync(b, "timeline-live-b");

        // B opens the edit form; A sees B is editing; when A saves the customer, B is told at once.
        await b.GetByTestId("edit-customer").ClickAsync();
        await b.WaitForURLAsync($"**/customers/{id}/edit");
        await Expect(a.Locator("[data-testid=presence-avatar][data-name='李娜'][data-editing='1']")).ToBeVisibleAsync();
        await a.GetByTestId("edit-customer").ClickAsync();
        await a.WaitForURLAsync($"**/customers/{id}/edit");
        await Infrastructure.Browser.Input(a, "account-phone").FillAsync("028-8777-0002");
        await a.GetByTestId("save-account").ClickAsync();
        // Polls the address (a client-side navigation may finish before a navigation waiter starts).
        try { await Expect(a).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/customers/{id}$")); }
        catch { await Infrastructure.Browser.ScreenshotAsync(a, "debug-a-save"); throw; }
        var told = b.GetByTestId("saved-by-other");
        await Expect(told).ToBeVisibleAsync();
        await Expect(told).ToContainTextAsync("王磊");
        await Infrastructure.Browser.ScreenshotAsync(b, "edit-told-b");
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task A_page_open_while_colleagues_log_many_entries_keeps_the_newest_and_gives_the_older_back_on_request()
    {
        int id;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            id = await db.Accounts.Where(a => a.ParentId == null).OrderByDescending(a => a.Id).Skip(4).Select(a => a.Id).FirstAsync();
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");
        await page.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var entries = page.GetByTestId("timeline-entry");
        var before = await entries.CountAsync();

        // A colleague logs 70 calls while the page stays open (more than the 30 loaded plus 30 kept on top of them).
        var lina = await fx.StaffAsync("circulation@demo.local");
        var tag = Guid.NewGuid().ToString("N")[..4];
        using (var s = fx.App.Services.CreateScope())
        {
            var timeline = s.ServiceProvider.GetRequiredService<CrmWorkspace.Features.Timeline.TimelineService>();
            for (var i = 1; i <= 70; i++)
            {
                var r = await timeline.LogAsync(id, new CrmWorkspace.Features.Timeline.ActivityInput { Kind = CrmWorkspace.Domain.ActivityKind.Call, Subject = $"连续来电{tag}-{i:00}" }, lina);
                Assert.True(r.Ok, r.Error);
            }
        }

        // Without a reload: the newest is on top, at most 60 entries are on the page, and the older ones are one click away.
        await Expect(entries.First.GetByTestId("entry-subject")).ToHaveTextAsync($"连续来电{tag}-70", new() { Timeout = 30_000 });
        await Expect(entries).ToHaveCountAsync(60);
        Assert.Equal($"连续来电{tag}-11", await entries.Nth(59).GetByTestId("entry-subject").TextContentAsync());
        await page.GetByTestId("load-more").ClickAsync();
        await Expect(entries).ToHaveCountAsync(Math.Min(90, 70 + before));
        await Expect(entries.Nth(60).GetByTestId("entry-subject")).ToHaveTextAsync($"连续来电{tag}-10");
        var subjects = await page.GetByTestId("entry-subject").AllTextContentsAsync();
        var mine = subjects.Where(x => x.StartsWith($"连续来电{tag}-")).ToList();
        Assert.Equal(mine.OrderByDescending(x => x, StringComparer.Ordinal).ToList(), mine);
        Assert.Equal(70, mine.Distinct().Count());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_colleague_whose_connection_drops_shows_as_away_at_once_then_leaves_and_comes_back_on_reconnect()
    {
        int id;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            id = await db.Accounts.Where(a => a.ParentId == null).OrderByDescending(a => a.Id).Skip(2).Select(a => a.Id).FirstAsync();
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");   // 王磊 watches
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "news@demo.local");        // 刘洋 loses the network
        // 刘洋's circuit connection goes through a switch: cut closes both ends (as a crash or a dead network does) and
        // refuses reconnection attempts until the network is back. (Chromium's offline mode keeps open sockets alive.)
        var cut = false;
        var live = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        await b.Context.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), ws =>
        {
            if (cut) { _ = ws.CloseAsync(new() { Code = 1011, Reason = "network down" }); return; }
            lock (live) live.Add((ws, ws.ConnectToServer()));
        });
        // The other transports SignalR falls back to (negotiate, server-sent events, long polling) are cut too.
        await b.Context.RouteAsync(new System.Text.RegularExpressions.Regex("/_blazor"), async route =>
        {
            if (cut) await route.AbortAsync("internetdisconnected"); else await route.ContinueAsync();
        });
        await a.GotoAsync($"/customers/{id}");
        await b.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(a);
        await Infrastructure.Browser.WaitInteractiveAsync(b);
        var liu = a.Locator("[data-testid=presence-avatar][data-name='刘洋']");
        await Expect(liu).ToHaveAttributeAsync("data-away", "0");

        // The network goes: the browser's connection to the server drops.
        cut = true;
        List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
        lock (live) open = [.. live];
        foreach (var (page, server) in open)
        {
            await server.CloseAsync(new() { Code = 1011, Reason = "network down" });
            await page.CloseAsync(new() { Code = 1011, Reason = "network down" });
        }
        await Expect(liu).ToHaveAttributeAsync("data-away", "1", new() { Timeout = 15_000 });
        await Expect(a.GetByTestId("presence-text")).ToContainTextAsync("away");
        // Within 30 s (waited for generously) 刘洋 leaves the list, without A reloading.
        await Expect(liu).ToHaveCountAsync(0, new() { Timeout = 60_000 });

        // The network comes back: the circuit reconnects and 刘洋 is there again.
        cut = false;
        await Expect(liu).ToHaveAttributeAsync("data-away", "0", new() { Timeout = 60_000 });
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task A_follow_up_shows_on_my_list_overdue_in_red_and_is_done_in_one_click()
    {
        var page = await fx.Browser.SignInAsync(fx.BaseUrl, "service@demo.local");
        int id;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            id = await db.Accounts.OrderBy(a => a.Id).Skip(3).Select(a => a.Id).FirstAsync();
        await page.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        await Infrastructure.Browser.Input(page, "activity-subject").FillAsync("投诉：杂志未按时送达");
        await page.GetByTestId("composer-more").ClickAsync();
        await Infrastructure.Browser.Input(page, "activity-followup").FillAsync(DateTime.Today.ToString("d", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        await Infrastructure.Browser.Input(page, "activity-subject").PressAsync("Control+Enter");
        await Expect(page.GetByTestId("upcoming")).ToContainTextAsync("投诉：杂志未按时送达");

        await page.GotoAsync("/follow-ups");
        await Infrastructure.Browser.WaitInteractiveAsync(page);
        var row = page.GetByTestId("followup-row").Filter(new() { HasText = "投诉：杂志未按时送达" });
        await Expect(row).ToBeVisibleAsync();
        await row.GetByTestId("followup-done").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
