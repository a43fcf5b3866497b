using System.Diagnostics;
using Microsoft.Playwright;

namespace CrmWorkspace.Benchmarks;

/// <summary>Server memory per open customer page: N pages open in one headless Chromium, growth of the app's heap and working set.</summary>
public static class MemoryScenario
{
    public static async Task<(double ManagedKbPerPage, double WorkingSetKbPerPage, string? Problem)> MeasureAsync(BenchHost host, int pages, int maxAccountId)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium)) return (double.NaN, double.NaN, "Chromium missing: apt-get install -y chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseUrl });
        context.SetDefaultTimeout(60_000);
        var login = await context.NewPageAsync();
        await login.GotoAsync("/account/login");
        await login.FillAsync("#email", "marketing@demo.local");
        await login.FillAsync("#password", "Demo-2026");
        await login.ClickAsync("button[type=submit]");
        await login.WaitForURLAsync(u => !u.Contains("/account/login"));
        await login.WaitForSelectorAsync("body[data-interactive='1']", new() { State = WaitForSelectorState.Attached });
        // One warm page so first-use costs (caches, JIT) are not counted per page.
        await login.GotoAsync("/customers/1");
        await login.WaitForSelectorAsync("[data-testid=timeline-entry], [data-testid=timeline-empty]");
        var (managed0, ws0) = Snapshot();
        var opened = new List<IPage>();
        var rng = new Random(5);
        for (var i = 0; i < pages; i++)
        {
            var p = await context.NewPageAsync();
            await p.GotoAsync($"/customers/{rng.Next(1, maxAccountId)}");
            await p.WaitForSelectorAsync("[data-testid=timeline-entry], [data-testid=timeline-empty]");
            opened.Add(p);
        }
        var (managed1, ws1) = Snapshot();
        if (Environment.GetEnvironmentVariable("CRM_BENCH_PAUSE") is { Length: > 0 })
        {
            Console.WriteLine($"pages open; pid {Environment.ProcessId}; pausing 60 s");
            await Task.Delay(60_000);
        }
        await context.CloseAsync();
        return ((managed1 - managed0) / 1024.0 / pages, (ws1 - ws0) / 1024.0 / pages, null);
    }

    private static (long Managed, long WorkingSet) Snapshot()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var proc = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(true), proc.WorkingSet64);
    }
}
