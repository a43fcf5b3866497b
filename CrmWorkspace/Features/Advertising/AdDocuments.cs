using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Advertising;

/// <summary>The contract PDF, and an issue's flatplan and production list as PDF, in Chinese or English (lang null: the current UI language).</summary>
public class AdDocuments(QuoteService quotes, FlatplanService plans, StaffDirectory staff, ReportRenderer renderer, ReportBrowser browser, IStringLocalizer<AdvertisingText> L)
{
    public async Task<(byte[] Pdf, string FileName)?> ContractPdfAsync(int contractId, string? lang, CancellationToken ct = default)
    {
        var c = await quotes.ContractAsync(contractId, ct);
        if (c is null) return null;
        using var _ = DocumentCulture.Use(lang);
        var html = await renderer.HtmlAsync<ContractDocument>(new Dictionary<string, object?> { [nameof(ContractDocument.Contract)] = c });
        var pdf = await browser.PrintAsync(html, $"{L["Doc.Advertising contract"]} {c.Number}", L["Doc.Page {0} of {1}"], ct: ct);
        return (pdf, $"contract-{c.Number}-{DocumentCulture.Suffix}.pdf");
    }

    /// <summary>The issue's flatplan, or with <paramref name="production"/> only the ads still without material or an approved proof.</summary>
    public async Task<string?> FlatplanHtmlAsync(int issueId, bool production, StaffIdentity by, string? lang, CancellationToken ct = default)
    {
        var plan = await plans.FlatplanAsync(issueId, ct);
        if (plan is null) return null;
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        using var _ = DocumentCulture.Use(lang);
        return await renderer.HtmlAsync<FlatplanDocument>(new Dictionary<string, object?>
        {
            [nameof(FlatplanDocument.Plan)] = plan, [nameof(FlatplanDocument.Production)] = production, [nameof(FlatplanDocument.People)] = people,
            [nameof(FlatplanDocument.GeneratedLine)] = L["Doc.Printed by {0} at {1}", by.Name, DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm")].Value,
        });
    }

    public async Task<(byte[] Pdf, string FileName)?> FlatplanPdfAsync(int issueId, bool production, StaffIdentity by, string? lang, CancellationToken ct = default)
    {
        var plan = await plans.FlatplanAsync(issueId, ct);
        if (plan is null) return null;
        var html = (await FlatplanHtmlAsync(issueId, production, by, lang, ct))!;
        using var _ = DocumentCulture.Use(lang);
        var title = production ? L["Doc.Production list"] : L["Flatplan"];
        var pdf = await browser.PrintAsync(html, $"{title} {plan.Periodical} {plan.Number}", L["Doc.Page {0} of {1}"], ct: ct);
        var code = string.Concat(plan.Number.Where(char.IsLetterOrDigit));
        return (pdf, $"{(production ? "production" : "flatplan")}-{plan.IssueId}-{code}-{plan.PublishedOn:yyyy-MM-dd}-{DocumentCulture.Suffix}.pdf");
    }
}

public static class AdDocumentEndpoints
{
    public static IEndpointRouteBuilder MapAdDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/advertising/contracts/{id:int}/contract.pdf", async (int id, string? lang, AdDocuments docs, ReportBrowser browser, CancellationToken ct) =>
        {
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            return await docs.ContractPdfAsync(id, lang, ct) is { } x ? Results.File(x.Pdf, "application/pdf", x.FileName) : Results.NotFound();
        });
        foreach (var (path, production) in new[] { ("flatplan", false), ("production", true) })
            app.MapGet($"/advertising/flatplan/{{id:int}}/{path}.pdf", async (int id, string? lang, HttpContext http, AdDocuments docs, ReportBrowser browser, CancellationToken ct) =>
            {
                if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
                return await docs.FlatplanPdfAsync(id, production, StaffIdentity.From(http.User), lang, ct) is { } x ? Results.File(x.Pdf, "application/pdf", x.FileName) : Results.NotFound();
            });
        app.MapGet("/advertising/flatplan/{id:int}/flatplan.html", async (int id, string? lang, bool? production, HttpContext http, AdDocuments docs, CancellationToken ct) =>
            await docs.FlatplanHtmlAsync(id, production == true, StaffIdentity.From(http.User), lang, ct) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound());
        return app;
    }
}
