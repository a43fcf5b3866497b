using System.Globalization;
using System.Text;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>The renewal report (PDF and its HTML print view) and the worklist exports (Excel, CSV).</summary>
public class RenewalReports(SubscriptionService subscriptions, StaffDirectory staff, ReportRenderer renderer, ReportBrowser browser,
    IStringLocalizer<SubscriptionsText> L)
{
    /// <summary>Longest report printed to PDF; larger windows go to the Excel export.</summary>
    public const int MaxPdfRows = 10_000;

    public async Task<RenewalReportData> DataAsync(RenewalQuery q, StaffIdentity by, CancellationToken ct = default)
    {
        var rows = await subscriptions.WorklistAsync(q, MaxPdfRows + 1, ct);
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        var groups = rows.GroupBy(r => r.PeriodicalTitle).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RenewalGroup(g.Key, g.ToList())).ToList();
        var title = q.PeriodicalId is { } pid ? await subscriptions.PeriodicalTitleAsync(pid, ct) : null;
        return new RenewalReportData(q, title, q.SalespersonId is { } sid ? people.GetValueOrDefault(sid) : null, groups, by.Name, DateTimeOffset.Now, people);
    }

    public async Task<string> HtmlAsync(RenewalReportData data) =>
        await renderer.HtmlAsync<RenewalReportDocument>(new Dictionary<string, object?> { ["Data"] = data });

    public async Task<byte[]> PdfAsync(RenewalReportData data, CancellationToken ct = default)
    {
        if (data.Count > MaxPdfRows) throw new ReportTooLargeException(L["This window holds more than {0:N0} subscriptions, too many to print; narrow it or use the Excel export.", MaxPdfRows]);
        var html = await HtmlAsync(data);
        return await browser.PrintAsync(html, L["Renewal report"], L["Page {0} of {1}"], landscape: true, ct: ct);
    }

    public string FileName(RenewalReportData data, string ext) => $"renewals-{data.GeneratedAt:yyyyMMdd-HHmm}.{ext}";

    private (string[] Header, IEnumerable<object?[]> Rows) Table(IReadOnlyList<RenewalRow> rows, IReadOnlyDictionary<string, string> people) =>
        ([L["Periodical"], L["Customer"], L["Province"], L["City"], L["Recipient"], L["Phone"], L["Copies"], L["Amount"], L["Paid"], L["Starts"], L["Expires"],
          L["Status"], L["Salesperson"], L["Last call"], L["Outcome"], L["Last contact"]],
         rows.Select(r => new object?[] { r.PeriodicalTitle, r.AccountName, r.Province, r.City, r.ContactName, r.Phone, r.Copies, r.Price, r.Paid,
             r.StartsOn.ToString("yyyy-MM-dd"), r.EndsOn.ToString("yyyy-MM-dd"), L[$"SubscriptionStatus.{r.Status}"].Value,
             r.SalespersonId is { } s ? people.GetValueOrDefault(s) : null, r.LastCallAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm"),
             r.LastCallOutcome is { } o ? L[$"RenewalCallOutcome.{o}"].Value : null, r.LastContactAt?.ToLocalTime().ToString("yyyy-MM-dd") }));

    /// <summary>The whole worklist as an Excel workbook (no row limit).</summary>
    public async Task<byte[]> ExcelAsync(RenewalQuery q, CancellationToken ct = default)
    {
        var rows = await subscriptions.WorklistAsync(q, null, ct);
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        var (header, data) = Table(rows, people);
        var sheet = data.Select(r => header.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => x.Item2)).ToList();
        if (sheet.Count == 0) sheet.Add(header.ToDictionary(h => h, _ => (object?)null));
        using var ms = new MemoryStream();
        await ms.SaveAsAsync(sheet, sheetName: L["Renewals"], cancellationToken: ct);
        return ms.ToArray();
    }

    /// <summary>The whole worklist as CSV, UTF-8 with a byte-order mark so Excel opens the Chinese text correctly.</summary>
    public async Task<byte[]> CsvAsync(RenewalQuery q, CancellationToken ct = default)
    {
        var rows = await subscriptions.WorklistAsync(q, null, ct);
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        var (header, data) = Table(rows, people);
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", header.Select(Csv)));
        foreach (var r in data) sb.AppendLine(string.Join(",", r.Select(v => Csv(Convert.ToString(v, CultureInfo.InvariantCulture)))));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Csv(string? v)
    {
        if (string.IsNullOrEmpty(v)) return "";
        // A leading = + - @ would be run as a formula by spreadsheets.
        if (v[0] is '=' or '+' or '-' or '@' && !decimal.TryParse(v, CultureInfo.InvariantCulture, out _)) v = "'" + v;
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
    }
}

/// <summary>Raised when a report would be too long to print; the message offers the Excel export.</summary>
public class ReportTooLargeException(string message) : Exception(message);

public static class RenewalReportEndpoints
{
    /// <summary>Reads the report parameters from the query string; bad values are reported, not thrown.</summary>
    public static (RenewalQuery? Query, Dictionary<string, string> Errors) Parse(IQueryCollection qs, SubscriptionService service, IStringLocalizer<SubscriptionsText> L)
    {
        var errors = new Dictionary<string, string>();
        int Int(string key, int fallback)
        {
            if (!qs.TryGetValue(key, out var v) || string.IsNullOrEmpty(v)) return fallback;
            if (int.TryParse(v, CultureInfo.InvariantCulture, out var i)) return i;
            errors[key] = L["“{0}” is not a whole number.", v.ToString()];
            return fallback;
        }
        var q = new RenewalQuery
        {
            Days = Int("days", 60), LapsedDays = Int("lapsed", 90),
            PeriodicalId = qs.ContainsKey("periodical") && !string.IsNullOrEmpty(qs["periodical"]) ? Int("periodical", -1) : null,
            Province = string.IsNullOrWhiteSpace(qs["region"]) ? null : qs["region"].ToString(),
            SalespersonId = string.IsNullOrWhiteSpace(qs["salesperson"]) ? null : qs["salesperson"].ToString(),
        };
        foreach (var (k, v) in service.Validate(q)) errors.TryAdd(k, v);
        return (errors.Count == 0 ? q : null, errors);
    }

    public static IEndpointRouteBuilder MapRenewalReports(this IEndpointRouteBuilder app)
    {
        static IResult Invalid(Dictionary<string, string> errors) => Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

        app.MapGet("/renewals/report.pdf", async (HttpContext http, RenewalReports reports, SubscriptionService service, ReportBrowser browser,
            IStringLocalizer<SubscriptionsText> L, CancellationToken ct) =>
        {
            var (q, errors) = Parse(http.Request.Query, service, L);
            if (q is null) return Invalid(errors);
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            var data = await reports.DataAsync(q, StaffIdentity.From(http.User), ct);
            try { return Results.File(await reports.PdfAsync(data, ct), "application/pdf", reports.FileName(data, "pdf")); }
            catch (ReportTooLargeException e) { return Results.Problem(e.Message, statusCode: 413); }
        });
        app.MapGet("/renewals/report.html", async (HttpContext http, RenewalReports reports, SubscriptionService service, IStringLocalizer<SubscriptionsText> L, CancellationToken ct) =>
        {
            var (q, errors) = Parse(http.Request.Query, service, L);
            if (q is null) return Invalid(errors);
            return Results.Content(await reports.HtmlAsync(await reports.DataAsync(q, StaffIdentity.From(http.User), ct)), "text/html; charset=utf-8");
        });
        app.MapGet("/renewals/export.xlsx", async (HttpContext http, RenewalReports reports, SubscriptionService service, IStringLocalizer<SubscriptionsText> L, CancellationToken ct) =>
        {
            var (q, errors) = Parse(http.Request.Query, service, L);
            if (q is null) return Invalid(errors);
            return Results.File(await reports.ExcelAsync(q, ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"renewals-{DateTime.Now:yyyyMMdd-HHmm}.xlsx");
        });
        app.MapGet("/renewals/export.csv", async (HttpContext http, RenewalReports reports, SubscriptionService service, IStringLocalizer<SubscriptionsText> L, CancellationToken ct) =>
        {
            var (q, errors) = Parse(http.Request.Query, service, L);
            if (q is null) return Invalid(errors);
            return Results.File(await reports.CsvAsync(q, ct), "text/csv; charset=utf-8", $"renewals-{DateTime.Now:yyyyMMdd-HHmm}.csv");
        });
        return app;
    }
}

public static class SubscriptionsSetup
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services)
    {
        services.AddScoped<SubscriptionService>();
        services.AddScoped<RenewalReports>();
        return services;
    }
}
