using CrmWorkspace.Features.Reports;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>One address label: where one subscription's copies of an issue go.</summary>
public record AddressLabel(int SubscriptionId, string? PostalCode, string? Address, string Company, string? Recipient, int Copies, string? Problem);

/// <summary>Everything an issue's label sheet prints, texts included.</summary>
public record LabelSheetData(string Title, string IssueLine, IReadOnlyList<AddressLabel> Labels, string EmptyText, string NoAddressText,
    string RecipientFormat, string CopiesFormat, string SheetOfFormat);

/// <summary>Address labels for an issue's dispatch list (PDF and its HTML print view).</summary>
public class DispatchLabels(DispatchService dispatch, ReportRenderer renderer, ReportBrowser browser, IStringLocalizer<SubscriptionsText> L)
{
    /// <summary>The labels of an issue: by default only the subscriptions not dispatched yet, in the dispatch list's order.</summary>
    public async Task<LabelSheetData?> DataAsync(int issueId, bool pendingOnly = true, CancellationToken ct = default)
    {
        if (await dispatch.IssueAsync(issueId, ct) is not { } issue) return null;
        var rows = (await dispatch.DispatchListAsync(issueId, ct)).Where(r => !pendingOnly || r.DispatchId is null).ToList();
        var title = $"{issue.Periodical.Title} {issue.Issue.Number}";
        return new LabelSheetData(title, L["{0} · published {1:yyyy-MM-dd}", title, issue.Issue.PublishedOn],
            rows.Select(r => new AddressLabel(r.SubscriptionId, r.PostalCode, r.Address, r.AccountName, r.Recipient, r.Copies,
                r.AddressProblem is null ? null : L["Address problem"].Value)).ToList(),
            pendingOnly ? L["No labels to print: every copy of this issue is dispatched."] : L["No subscription is active on this issue's date."],
            L["(no address on file)"], L["Attn: {0}"], L["× {0} copies"], L["Labels {0} · sheet {1} of {2}"]);
    }

    public Task<string> HtmlAsync(LabelSheetData data) =>
        renderer.HtmlAsync<AddressLabelSheet>(new Dictionary<string, object?> { [nameof(AddressLabelSheet.Data)] = data });

    public async Task<byte[]> PdfAsync(LabelSheetData data, CancellationToken ct = default) =>
        await browser.PrintSheetsAsync(await HtmlAsync(data), landscape: false, ct);
}

public static class DispatchLabelEndpoints
{
    public static IEndpointRouteBuilder MapDispatchLabels(this IEndpointRouteBuilder app)
    {
        static bool Pending(HttpContext http) => !string.Equals(http.Request.Query["pending"], "false", StringComparison.OrdinalIgnoreCase);

        app.MapGet("/periodicals/issues/{id:int}/labels.pdf", async (int id, HttpContext http, DispatchLabels labels, ReportBrowser browser, CancellationToken ct) =>
        {
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            if (await labels.DataAsync(id, Pending(http), ct) is not { } data) return Results.NotFound();
            // Labels are circulation's daily work (not cut), but they carry addresses: recorded like every export.
            await http.RequestServices.GetRequiredService<CrmWorkspace.Features.Security.ExportGuard>().RecordAsync(
                CrmWorkspace.Features.Staff.StaffIdentity.From(http.User), "labels.pdf", new { issue = id, pending = Pending(http) }, data.Labels.Count, false);
            return Results.File(await labels.PdfAsync(data, ct), "application/pdf", $"labels-{id}-{DateTime.Now:yyyyMMdd-HHmm}.pdf");
        });
        app.MapGet("/periodicals/issues/{id:int}/labels.html", async (int id, HttpContext http, DispatchLabels labels, CancellationToken ct) =>
            await labels.DataAsync(id, Pending(http), ct) is { } data ? Results.Content(await labels.HtmlAsync(data), "text/html; charset=utf-8") : Results.NotFound());
        return app;
    }
}
