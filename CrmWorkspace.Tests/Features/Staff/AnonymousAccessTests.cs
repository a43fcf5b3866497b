using System.Net;
using System.Reflection;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Tests.Features.Staff;

[Collection(AppCollection.Name)]
public class AnonymousAccessTests(AppFixture fx)
{
    // Pages and endpoints a stranger may reach: the sign-in and first-run forms, the error page, static files.
    private static readonly string[] OpenRoutes = ["/account/login", "/setup", "/Error"];

    private HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(fx.BaseUrl) };

    private static string Sample(string route) =>
        "/" + string.Join('/', RoutePatternFactory.Parse(route).PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart { Name: "Id" or "id" } => "1",
            RoutePatternParameterPart pp => pp.Default?.ToString() ?? "1",
            _ => "",
        }))));

    public static TheoryData<string> RoutedPages()
    {
        var data = new TheoryData<string>();
        foreach (var t in typeof(Program).Assembly.GetTypes())
            foreach (var r in t.GetCustomAttributes<RouteAttribute>())
                if (!OpenRoutes.Contains(r.Template, StringComparer.OrdinalIgnoreCase)) data.Add(r.Template);
        return data;
    }

    [Theory]
    [MemberData(nameof(RoutedPages))]
    public async Task Every_page_sends_a_stranger_to_sign_in(string route)
    {
        var response = await Anonymous().GetAsync(Sample(route));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.OriginalString.Replace(fx.BaseUrl, ""));
    }

    [Fact]
    public async Task Every_endpoint_refuses_a_stranger()
    {
        var sources = fx.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var endpoints = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .ToList();
        Assert.NotEmpty(endpoints);
        var client = Anonymous();
        var checkedCount = 0;
        foreach (var e in endpoints)
        {
            var methods = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m is "GET" or "POST" or "PUT" or "DELETE"))
            {
                var url = Sample(e.RoutePattern.RawText ?? "/");
                var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method != "GET") request.Content = new FormUrlEncodedContent([]);
                var response = await client.SendAsync(request);
                var code = (int)response.StatusCode;
                var toLogin = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/account/login");
                // 400 is antiforgery refusing a form post before authorization: refused either way.
                Assert.True(toLogin || code is 401 or 403 or 400 or 405,
                    $"{method} {url} ({e.DisplayName}) answered {code} to an anonymous caller");
                checkedCount++;
            }
        }
        Assert.True(checkedCount >= 5, $"only {checkedCount} endpoints checked");
    }

    [Fact]
    public async Task The_sign_in_page_is_open_and_says_so_in_both_languages()
    {
        var client = Anonymous();
        var en = await client.GetStringAsync("/account/login");
        Assert.Contains("Sign in", en);
        var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Dzh-Hans%7Cuic%3Dzh-Hans");
        var zh = WebUtility.HtmlDecode(await (await client.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Contains("登录", zh);
    }
}
