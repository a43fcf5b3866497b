using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;

namespace CrmWorkspace.Features.Advertising;

/// <summary>The quote PDF (and its HTML print view, which works without Chromium).</summary>
public class QuoteDocuments(QuoteService quotes, ReportRenderer renderer, ReportBrowser browser)
{
    public async Task<string?> HtmlAsync(int quoteId, CancellationToken ct = default)
    {
        var q = await quotes.GetAsync(quoteId, ct);
        return q is null ? null : await renderer.HtmlAsync<QuoteDocument>(new Dictionary<string, object?> { [nameof(QuoteDocument.Quote)] = q });
    }

    public async Task<(byte[] Pdf, string FileName)?> PdfAsync(int quoteId, CancellationToken ct = default)
    {
        var q = await quotes.GetAsync(quoteId, ct);
        if (q is null) return null;
        var html = await renderer.HtmlAsync<QuoteDocument>(new Dictionary<string, object?> { [nameof(QuoteDocument.Quote)] = q });
        var pdf = await browser.PrintAsync(html, $"广告报价单 Quotation {q.Number} v{q.Revision}", "第 {0} 页，共 {1} 页 · Page {0} of {1}", ct: ct);
        return (pdf, $"quote-{q.Number}-v{q.Revision}.pdf");
    }
}

public static class QuoteDocumentEndpoints
{
    public static IEndpointRouteBuilder MapQuoteDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/advertising/quotes/{id:int}/quote.pdf", async (int id, QuoteDocuments docs, ReportBrowser browser, CancellationToken ct) =>
        {
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            return await docs.PdfAsync(id, ct) is { } x ? Results.File(x.Pdf, "application/pdf", x.FileName) : Results.NotFound();
        });
        app.MapGet("/advertising/quotes/{id:int}/quote.html", async (int id, QuoteDocuments docs, CancellationToken ct) =>
            await docs.HtmlAsync(id, ct) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound());
        return app;
    }
}
