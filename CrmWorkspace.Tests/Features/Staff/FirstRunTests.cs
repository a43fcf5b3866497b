using System.Net;
using CrmWorkspace.Tests.Infrastructure;

namespace CrmWorkspace.Tests.Features.Staff;

public class FirstRunTests
{
    [Fact]
    public async Task Without_demo_mode_there_is_no_default_user_and_the_first_start_asks_for_the_admin()
    {
        await using var app = new AppFactory(demo: false);
        var baseUrl = app.Start();
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };

        var first = await client.GetAsync("/customers");
        Assert.Equal("/setup", first.Headers.Location!.ToString());

        // A demo password does not work: no demo users exist, and even sign-in leads to the set-up form.
        var setup = await client.GetStringAsync("/setup");
        var token = Html.AntiforgeryToken(setup);
        var login = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "admin@demo.local", ["password"] = "Demo-2026", ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("/setup", login.Headers.Location!.ToString());

        var created = await client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["displayName"] = "周总", ["email"] = "boss@example.com", ["password"] = "Strong-pass-1",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/", created.Headers.Location!.ToString());
        var list = await client.GetAsync("/customers");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        // Once an admin exists, the set-up form is closed.
        var again = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) }.GetAsync("/customers");
        Assert.StartsWith("/account/login", again.Headers.Location!.PathAndQuery.Length > 0 && again.Headers.Location.IsAbsoluteUri ? again.Headers.Location.PathAndQuery : again.Headers.Location.ToString());
    }
}
