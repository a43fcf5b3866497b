using System.Net;
using System.Text.RegularExpressions;

namespace CrmWorkspace.Benchmarks;

/// <summary>Signs in over HTTP like the sign-in form, for hub clients (benchmarks and tests).</summary>
public static partial class HttpSignIn
{
    public static async Task<CookieContainer> CookiesAsync(string baseUrl, string email, string password = "Demo-2026")
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var page = await client.GetStringAsync("/account/login");
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("error") == true)
            throw new InvalidOperationException($"Sign-in as {email} failed");
        return cookies;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
