using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CrmWorkspace.Data;
using CrmWorkspace.Live;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Servers;

/// <summary>People in browsers on two servers (PostgreSQL, Redis), directly and through the app's load balancer.</summary>
[Collection(TwoServersCollection.Name)]
public class SeveralServersBrowserTests(TwoServersFixture fx)
{
    /// <summary>How long a save or a viewer may take to show on the other server's page.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 10_000 };

    [Fact]
    public async Task A_browser_on_each_server_sees_the_other_in_the_presence_bar_and_the_others_saves_live()
    {
        var id = await CustomerAsync(0);
        await using var browser = await Infrastructure.Browser.LaunchAsync();
        var a = await browser.SignInAsync(fx.A.BaseUrl, "marketing@demo.local");   // 王磊, on server A
        var b = await browser.SignInAsync(fx.B.BaseUrl, "circulation@demo.local"); // 李娜, on server B
        await a.GotoAsync($"/customers/{id}");
        await b.GotoAsync($"/customers/{id}");
        await Infrastructure.Browser.WaitInteractiveAsync(a);
        await Infrastructure.Browser.WaitInteractiveAsync(b);

        // Each circuit lives on its own server, and each sees the other in the presence bar.
        Assert.Contains(fx.A.Services.GetRequiredService<PresenceService>().LocalViewers(id), v => v.Name == "王磊");
        Assert.Contains(fx.B.Services.GetRequiredService<PresenceService>().LocalViewers(id), v => v.Name == "李娜");
        await Expect(a.Locator("[data-testid=presence-avatar][data-name='李娜']")).ToBeVisibleAsync(Live);
        await Expect(b.Locator("[data-testid=presence-avatar][data-name='王磊']")).ToBeVisibleAsync(Live);

        // A saves a visit; it appears on B's page without a reload, and B's reply appears on A's.
        var noReload = "() => { window.__noReload = window.__noReload || 'still-here'; return window.__noReload; }";
        await a.EvaluateAsync<string>(noReload);
        await b.EvaluateAsync<string>(noReload);
        await SaveAsync(a, "服务器A：拜访并商谈春季糖酒会展位");
        await Expect(b.GetByTestId("timeline-entry").Filter(new() { HasText = "服务器A：拜访并商谈春季糖酒会展位" })).ToBeVisibleAsync(Live);
        await SaveAsync(b, "服务器B：来电确认续订两年");
        await Expect(a.GetByTestId("timeline-entry").Filter(new() { HasText = "服务器B：来电确认续订两年" })).ToBeVisibleAsync(Live);
        Assert.Equal("still-here", await a.EvaluateAsync<string>("() => window.__noReload"));
        Assert.Equal("still-here", await b.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(b, "several-servers-b");

        // B's page closes: B's viewer leaves A's presence bar.
        await b.Context.CloseAsync();
        await Expect(a.Locator("[data-testid=presence-avatar][data-name='李娜']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await a.Context.CloseAsync();
    }

    [Fact]
    public async Task The_balancer_keeps_each_browser_and_its_circuit_on_one_server_and_spreads_new_browsers_over_both()
    {
        await using var browser = await Infrastructure.Browser.LaunchAsync();
        var url = $"http://127.0.0.1:{FreePort()}";
        var balancer = Balancer.Build(["--urls", url, "--backends", $"{fx.A.BaseUrl},{fx.B.BaseUrl}"]);
        await balancer.StartAsync();
        try
        {
            var servers = new Dictionary<string, AppFactory> { ["server-1"] = fx.A, ["server-2"] = fx.B };
            var people = new[] { ("fair@demo.local", "张伟"), ("news@demo.local", "刘洋"), ("service@demo.local", "陈静"), ("sales1@demo.local", "赵敏") };
            var used = new List<string>();
            for (var i = 0; i < people.Length; i++)
            {
                var (email, name) = people[i];
                var id = await CustomerAsync(1 + i);
                // Every answer the browser gets names the server that gave it.
                var context = await browser.Instance.NewContextAsync(new() { BaseURL = url, Locale = "en-US", ViewportSize = new() { Width = 1400, Height = 900 } });
                context.SetDefaultTimeout(Infrastructure.Browser.Timeout);
                var answeredBy = new ConcurrentBag<string>();
                context.Response += (_, r) => answeredBy.Add(r.Headers.TryGetValue("x-crm-server", out var s) ? s : $"none: {r.Url}");
                var page = await context.NewPageAsync();
                await SignInAsync(page, email);
                await page.GotoAsync($"/customers/{id}");
                await Infrastructure.Browser.WaitInteractiveAsync(page);

                // One server answered everything (sign-in form, sign-in, pages, files, the circuit's negotiation) ...
                var server = Assert.Single(answeredBy.Distinct());
                Assert.Contains(server, servers.Keys);
                used.Add(server);
                // ... and the circuit (its WebSocket) lives there too: that server lists the viewer as its own, the other does not.
                var home = servers[server].Services.GetRequiredService<PresenceService>();
                var other = servers.Single(s => s.Key != server).Value.Services.GetRequiredService<PresenceService>();
                await Until(() => home.LocalViewers(id).Any(v => v.Name == name), TimeSpan.FromSeconds(10));
                Assert.DoesNotContain(other.LocalViewers(id), v => v.Name == name);
                // The circuit works through the balancer: a save shows on the page.
                await SaveAsync(page, $"经负载均衡保存 {i + 1}");

                // A reload (a new circuit) comes back to the same server; the affinity cookie is not readable by scripts.
                await page.ReloadAsync();
                await Infrastructure.Browser.WaitInteractiveAsync(page);
                await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = $"经负载均衡保存 {i + 1}" })).ToBeVisibleAsync();
                Assert.Equal(server, Assert.Single(answeredBy.Distinct()));
                await Until(() => home.LocalViewers(id).Any(v => v.Name == name), TimeSpan.FromSeconds(10));
                Assert.DoesNotContain(other.LocalViewers(id), v => v.Name == name);
                var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == Balancer.CookieName);
                Assert.True(cookie.HttpOnly);
                await context.CloseAsync();
            }
            // New browsers take the servers in turn.
            Assert.Equal(new[] { "server-1", "server-2" }, used.Distinct().Order());
            Assert.Equal(2, used.Count(s => s == "server-1"));
        }
        finally
        {
            await balancer.StopAsync();
            await balancer.DisposeAsync();
        }
    }

    /// <summary>Signs in with the form, as a person does (no culture switch: the person's saved language applies).</summary>
    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Infrastructure.Browser.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/account/login"));
    }

    /// <summary>Logs an entry with the composer (Ctrl+Enter) and waits until the writer's own timeline shows it.</summary>
    private static async Task SaveAsync(IPage page, string subject)
    {
        await Infrastructure.Browser.Input(page, "activity-subject").FillAsync(subject);
        await Infrastructure.Browser.Input(page, "activity-subject").PressAsync("Control+Enter");
        await Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = subject })).ToBeVisibleAsync();
    }

    /// <summary>A head office counted from the newest (the other tests of the collection take the oldest).</summary>
    private async Task<int> CustomerAsync(int skip)
    {
        await using var db = await fx.A.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        return await db.Accounts.Where(a => a.ParentId == null).OrderByDescending(a => a.Id).Skip(skip).Select(a => a.Id).FirstAsync();
    }

    private static async Task Until(Func<bool> condition, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > within) Assert.Fail($"Not within {within.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
