using System.Globalization;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Advertising;

/// <summary>The quote PDF (and its HTML print view, which works without Chromium), in Chinese or English.</summary>
public class QuoteDocuments(QuoteService quotes, ReportRenderer renderer, ReportBrowser browser, IStringLocalizer<AdvertisingText> L)
{
    public async Task<string?> HtmlAsync(int quoteId, string? lang = null, CancellationToken ct = default)
    {
        var q = await quotes.GetAsync(quoteId, ct);
        if (q is null) return null;
        using var _ = DocumentCulture.Use(lang);
        return await renderer.HtmlAsync<QuoteDocument>(new Dictionary<string, object?> { [nameof(QuoteDocument.Quote)] = q });
    }

    public Task<(byte[] Pdf, string FileName)?> PdfAsync(int quoteId, CancellationToken ct = default) => PdfInAsync(quoteId, null, ct);

    /// <summary>The quote in <paramref name="lang"/> ("zh-Hans" or "en"; null: the current UI language).</summary>
    public async Task<(byte[] Pdf, string FileName)?> PdfInAsync(int quoteId, string? lang, CancellationToken ct = default)
    {
        var q = await quotes.GetAsync(quoteId, ct);
        if (q is null) return null;
        using var _ = DocumentCulture.Use(lang);
        var html = await renderer.HtmlAsync<QuoteDocument>(new Dictionary<string, object?> { [nameof(QuoteDocument.Quote)] = q });
        var pdf = await browser.PrintAsync(html, $"{L["Doc.Advertising quotation"]} {q.Number} v{q.Revision}", L["Doc.Page {0} of {1}"], ct: ct);
        return (pdf, $"quote-{q.Number}-v{q.Revision}-{DocumentCulture.Suffix}.pdf");
    }
}

/// <summary>The language a document is printed in, whatever the page around it: set for the render, restored after.</summary>
public static class DocumentCulture
{
    public static IDisposable Use(string? lang)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        if (lang is not null && Localization.LocalizationSetup.Cultures.FirstOrDefault(c => c.Equals(lang, StringComparison.OrdinalIgnoreCase)) is { } chosen)
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(chosen);
        return new Restore(() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui));
    }

    /// <summary>"zh" or "en", for file names.</summary>
    public static string Suffix => Localization.LocalizationSetup.IsChinese ? "zh" : "en";

    private sealed class Restore(Action undo) : IDisposable { public void Dispose() => undo(); }
}

public static class QuoteDocumentEndpoints
{
    public static IEndpointRouteBuilder MapQuoteDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/advertising/quotes/{id:int}/quote.pdf", async (int id, string? lang, QuoteDocuments docs, ReportBrowser browser, CancellationToken ct) =>
        {
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            return await docs.PdfInAsync(id, lang, ct) is { } x ? Results.File(x.Pdf, "application/pdf", x.FileName) : Results.NotFound();
        });
        app.MapGet("/advertising/quotes/{id:int}/quote.html", async (int id, string? lang, QuoteDocuments docs, CancellationToken ct) =>
            await docs.HtmlAsync(id, lang, ct) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound());
        return app;
    }
}
