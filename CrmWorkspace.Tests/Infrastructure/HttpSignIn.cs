using System.Net;

namespace CrmWorkspace.Tests.Infrastructure;

/// <summary>Signs in over HTTP like the sign-in form does, for API and hub clients.</summary>
public static class HttpSignIn
{
    public static async Task<CookieContainer> CookiesAsync(string baseUrl, string email, string password = Browser.DemoPassword)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var page = await client.GetStringAsync("/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = Html.AntiforgeryToken(page),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("error") == true)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return cookies;
    }
}
