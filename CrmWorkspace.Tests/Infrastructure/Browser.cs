using CrmWorkspace.Data;
using CrmWorkspace.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>One headless Debian Chromium driven by Playwright, shared by a test collection.</summary>
public sealed class Browser : IAsyncDisposable
{
    public const string DemoPassword = "Demo-2026";
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CRM_CHROMIUM") ?? "/usr/bin/chromium";
    /// <summary>Generous waits: CI runs on a loaded 2-core machine.</summary>
    public const float Timeout = 30_000;

    private IPlaywright? _playwright;
    public IBrowser Instance { get; private set; } = default!;

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: install it with `apt-get install -y chromium fonts-wqy-microhei`.");
        // Expect(...) has its own 5 s default; on a loaded 2-core CI machine give it the same generous wait.
        Assertions.SetDefaultExpectTimeout(Timeout);
        var b = new Browser { _playwright = await Playwright.CreateAsync() };
        b.Instance = await b._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return b;
    }

    /// <summary>A fresh browser context (its own cookies) signed in as a demo user, on the customer list.</summary>
    public async Task<IPage> SignInAsync(string baseUrl, string email, string culture = "en")
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, Locale = culture == "en" ? "en-US" : "zh-CN", ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/account/login"));
        // A person's language is saved with them and wins over the browser's: set it, so no test inherits another's choice.
        await page.GotoAsync($"/culture/set?culture={(culture == "en" ? "en" : "zh-Hans")}&returnUrl=/");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Waits until the Blazor circuit is up, so clicks and typing reach the server.</summary>
    public static async Task WaitInteractiveAsync(IPage page) =>
        await page.WaitForSelectorAsync("body[data-interactive='1']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    /// <summary>The input of a MudBlazor field tagged with data-testid (Mud puts the attribute on the input itself).</summary>
    public static ILocator Input(IPage page, string testId) => page.Locator(InputSelector(testId)).First;

    public static ILocator Input(ILocator scope, string testId) => scope.Locator(InputSelector(testId)).First;

    private static string InputSelector(string id) =>
        $"input[data-testid='{id}'], textarea[data-testid='{id}'], [data-testid='{id}'] input, [data-testid='{id}'] textarea";

    /// <summary>Saves a full-page screenshot under the test output's screenshots folder (kept as a CI artifact).</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        var copyTo = Environment.GetEnvironmentVariable("CRM_SCREENSHOTS");
        if (!string.IsNullOrEmpty(copyTo)) { Directory.CreateDirectory(copyTo); File.Copy(path, Path.Combine(copyTo, name + ".png"), true); }
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Instance is not null) await Instance.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>One app and one browser for all browser tests (they run one after another).</summary>
public sealed class BrowserAppFixture : IAsyncLifetime
{
    public AppFactory App { get; } = new(demoAccounts: 80);
    public Browser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        BaseUrl = App.Start();
        Browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await App.DisposeAsync();
    }

    /// <summary>The identity of a demo user of this app, as services expect the actor (their role read from the database).</summary>
    public async Task<StaffIdentity> StaffAsync(string email)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.SingleAsync(x => x.Email == email);
        var role = await db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstAsync();
        return StaffIdentity.ForRole(u.Id, u.DisplayName, u.TeamId, role!);
    }
}

[CollectionDefinition(Name)]
public class BrowserCollection : ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "browser";
}
