using System.Globalization;
using CrmWorkspace.Features.Reports;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>The key-customer list and the care list as files: PDF, its HTML print view, Excel.</summary>
public static class KeyCustomerEndpoints
{
    /// <summary>Reads tier (A–D), team, region and owner from the query string; bad values are reported, not thrown.</summary>
    public static (KeyCustomerQuery? Query, Dictionary<string, string> Errors) ParseList(IQueryCollection qs, IStringLocalizer<KeyCustomersText> L)
    {
        var errors = new Dictionary<string, string>();
        AccountTier? tier = null;
        if (!string.IsNullOrEmpty(qs["tier"]))
        {
            if (Enum.TryParse<AccountTier>(qs["tier"], out var t) && Enum.IsDefined(t)) tier = t; else errors["tier"] = L["“{0}” is not a tier.", qs["tier"].ToString()];
        }
        int? team = null;
        if (!string.IsNullOrEmpty(qs["team"]))
        {
            if (int.TryParse(qs["team"], CultureInfo.InvariantCulture, out var t)) team = t; else errors["team"] = L["“{0}” is not a team.", qs["team"].ToString()];
        }
        var region = string.IsNullOrWhiteSpace(qs["region"]) ? null : qs["region"].ToString();
        var owner = string.IsNullOrWhiteSpace(qs["owner"]) ? null : qs["owner"].ToString();
        return (errors.Count == 0 ? new KeyCustomerQuery(tier, team, region, owner) : null, errors);
    }

    /// <summary>Reads the care list's month (yyyy-MM) and "mine" from the query string.</summary>
    public static (DateOnly From, DateOnly To, bool Mine, Dictionary<string, string> Errors) ParseCare(IQueryCollection qs, IStringLocalizer<KeyCustomersText> L)
    {
        var errors = new Dictionary<string, string>();
        var month = new DateOnly(DateTime.Today.Year, DateTime.Today.Month, 1);
        if (!string.IsNullOrEmpty(qs["month"]))
        {
            if (DateOnly.TryParseExact(qs["month"] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)) month = m;
            else errors["month"] = L["“{0}” is not a month (yyyy-MM).", qs["month"].ToString()];
        }
        return (month, month.AddMonths(1).AddDays(-1), qs["mine"] == "1", errors);
    }

    public static IEndpointRouteBuilder MapKeyCustomers(this IEndpointRouteBuilder app)
    {
        static IResult Invalid(Dictionary<string, string> errors) => Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

        app.MapGet("/key-customers/report.pdf", async (HttpContext http, KeyCustomerReports reports, ReportBrowser browser, IStringLocalizer<KeyCustomersText> L, CancellationToken ct) =>
        {
            var (q, errors) = ParseList(http.Request.Query, L);
            if (q is null) return Invalid(errors);
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            var me = StaffIdentity.From(http.User);
            var (page, cut) = await reports.KeyRowsAsync(q, me, KeyCustomerReports.MaxPdfRows, ct);
            var pdf = await reports.PdfAsync(await reports.KeyReportAsync(q, me, ct), ct);
            await http.RequestServices.GetRequiredService<Security.ExportGuard>().RecordAsync(me, "key-customers.pdf", q, page.Rows.Count, cut);
            return Results.File(pdf, "application/pdf", KeyCustomerReports.FileName("key-customers", "pdf"));
        });
        app.MapGet("/key-customers/report.html", async (HttpContext http, KeyCustomerReports reports, IStringLocalizer<KeyCustomersText> L, CancellationToken ct) =>
        {
            var (q, errors) = ParseList(http.Request.Query, L);
            if (q is null) return Invalid(errors);
            return Results.Content(await reports.HtmlAsync(await reports.KeyReportAsync(q, StaffIdentity.From(http.User), ct)), "text/html; charset=utf-8");
        });
        app.MapGet("/key-customers/export.xlsx", async (HttpContext http, KeyCustomerReports reports, IStringLocalizer<KeyCustomersText> L, CancellationToken ct) =>
        {
            var (q, errors) = ParseList(http.Request.Query, L);
            if (q is null) return Invalid(errors);
            return Results.File(await reports.KeyExcelAsync(q, StaffIdentity.From(http.User), ct), KeyCustomerReports.ExcelType, KeyCustomerReports.FileName("key-customers", "xlsx"));
        });
        app.MapGet("/key-customers/care.pdf", async (HttpContext http, KeyCustomerReports reports, ReportBrowser browser, IStringLocalizer<KeyCustomersText> L, CancellationToken ct) =>
        {
            var (from, to, mine, errors) = ParseCare(http.Request.Query, L);
            if (errors.Count > 0) return Invalid(errors);
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            var me = StaffIdentity.From(http.User);
            var owner = mine ? me.Id : null;
            var (rows, cut) = await reports.CareRowsAsync(from, to, owner, me, ct);
            var pdf = await reports.PdfAsync(await reports.CareReportAsync(from, to, owner, me, ct), ct);
            await http.RequestServices.GetRequiredService<Security.ExportGuard>().RecordAsync(me, "care-list.pdf", new { from, to, owner }, rows.Count, cut);
            return Results.File(pdf, "application/pdf", $"care-list-{from:yyyy-MM}.pdf");
        });
        app.MapGet("/key-customers/care.html", async (HttpContext http, KeyCustomerReports reports, IStringLocalizer<KeyCustomersText> L, CancellationToken ct) =>
        {
            var (from, to, mine, errors) = ParseCare(http.Request.Query, L);
            if (errors.Count > 0) return Invalid(errors);
            var me = StaffIdentity.From(http.User);
            return Results.Content(await reports.HtmlAsync(await reports.CareReportAsync(from, to, mine ? me.Id : null, me, ct)), "text/html; charset=utf-8");
        });
        app.MapGet("/key-customers/care.xlsx", async (HttpContext http, KeyCustomerReports reports, IStringLocalizer<KeyCustomersText> L, CancellationToken ct) =>
        {
            var (from, to, mine, errors) = ParseCare(http.Request.Query, L);
            if (errors.Count > 0) return Invalid(errors);
            var me = StaffIdentity.From(http.User);
            return Results.File(await reports.CareExcelAsync(from, to, mine ? me.Id : null, me, ct), KeyCustomerReports.ExcelType, $"care-list-{from:yyyy-MM}.xlsx");
        });
        return app;
    }
}
