using CrmWorkspace.Domain;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Fairs;

/// <summary>Occupancy of one hall.</summary>
public record HallOccupancy(string Hall, int Booths, int Booked, decimal Area, decimal BookedArea)
{
    public decimal Percent => Booths == 0 ? 0 : Math.Round(100m * Booked / Booths, 1);
}

/// <summary>Everything the fair-booking report prints.</summary>
public record FairReportData(Fair Fair, IReadOnlyList<HallOccupancy> Halls, IReadOnlyList<(string Hall, IReadOnlyList<BookingView> Bookings)> ByHall,
    decimal TotalPrice, decimal TotalPaid, decimal TotalOutstanding, int BookingCount, string GeneratedBy, DateTimeOffset GeneratedAt);

/// <summary>The fair office's PDFs: the fair-booking report and an exhibitor's confirmation letter.</summary>
public class FairReports(FairService fairs, ReportRenderer renderer, ReportBrowser browser, StaffDirectory staff, IStringLocalizer<FairsText> L)
{
    public async Task<FairReportData?> DataAsync(int fairId, StaffIdentity by, CancellationToken ct = default)
    {
        var fair = await fairs.GetAsync(fairId, ct);
        if (fair is null) return null;
        var halls = new List<HallOccupancy>();
        foreach (var h in fair.Halls)
        {
            var map = (await fairs.HallMapAsync(h.Id, ct))!;
            var booked = map.Booths.Where(b => b.BookingId is not null).ToList();
            halls.Add(new HallOccupancy(h.Name, map.Booths.Count, booked.Count, map.Booths.Sum(b => b.Area), booked.Sum(b => b.Area)));
        }
        var bookings = await fairs.BookingsOfFairAsync(fairId, ct);
        var byHall = bookings.GroupBy(b => b.Booths.FirstOrDefault().Hall ?? "—").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<BookingView>)g.OrderBy(b => b.Booths.FirstOrDefault().Code, StringComparer.Ordinal).ToList())).ToList();
        return new FairReportData(fair, halls, byHall, bookings.Sum(b => b.Price - b.Discount), bookings.Sum(b => b.Paid), bookings.Sum(b => b.Outstanding),
            bookings.Count, by.Name, DateTimeOffset.Now);
    }

    public async Task<string?> ReportHtmlAsync(int fairId, StaffIdentity by, CancellationToken ct = default)
    {
        var data = await DataAsync(fairId, by, ct);
        return data is null ? null : await renderer.HtmlAsync(Report(data));
    }

    public async Task<(byte[] Pdf, string FileName)?> ReportPdfAsync(int fairId, StaffIdentity by, CancellationToken ct = default)
    {
        var data = await DataAsync(fairId, by, ct);
        if (data is null) return null;
        var report = Report(data);
        var pdf = await browser.PrintSheetsAsync(await renderer.HtmlAsync(report), report.Landscape, ct);
        return (pdf, $"fair-bookings-{data.Fair.StartsOn:yyyy-MM-dd}-{data.GeneratedAt:yyyyMMdd-HHmm}.pdf");
    }

    /// <summary>The fair-booking report: occupancy by hall, then each hall's bookings with subtotals, then the totals.</summary>
    public TabularReport Report(FairReportData data)
    {
        static string M(decimal v) => v.ToString("N2");
        var halls = data.Halls;
        var (booths, booked) = (halls.Sum(h => h.Booths), halls.Sum(h => h.Booked));
        var body = new List<ReportBlock>
        {
            new ReportTable(L["Occupancy by hall"],
                [new(L["Hall"], 30), new(L["Booths"], 14, true), new(L["Booked"], 14, true), new(L["Area m²"], 14, true), new(L["Booked m²"], 14, true), new(L["% booked"], 14, true)],
                halls.Select(h => new[] { h.Hall, $"{h.Booths}", $"{h.Booked}", h.Area.ToString("N1"), h.BookedArea.ToString("N1"), h.Percent.ToString("0.0") }).ToList(),
                new ReportSubtotal(L["All halls"], 1,
                [
                    $"{booths}", $"{booked}", halls.Sum(h => h.Area).ToString("N1"), halls.Sum(h => h.BookedArea).ToString("N1"),
                    (booths == 0 ? 0m : 100m * booked / booths).ToString("0.0"),
                ])),
        };
        if (data.BookingCount == 0) body.Add(new ReportNote(L["No bookings for this fair yet."], ReportNoteKind.Empty));
        ReportColumn[] columns =
        [
            new(L["Exhibitor"], 26), new(L["Contact"], 9), new(L["Phone"], 13), new(L["Booths"], 14), new(L["Status"], 10),
            new(L["Price"], 9, true), new(L["Paid"], 9, true), new(L["Outstanding"], 10, true),
        ];
        foreach (var (hall, bookings) in data.ByHall)
            body.Add(new ReportTable(hall, columns,
                bookings.Select(b => new[]
                {
                    b.AccountName, b.ContactName, b.ContactPhone, string.Join(", ", b.Booths.Select(x => x.Code)), L[$"BookingStatus.{b.Status}"].Value,
                    M(b.Price - b.Discount), M(b.Paid), M(b.Outstanding),
                }).ToList(),
                new ReportSubtotal(L["Subtotal {0}: {1} bookings", hall, bookings.Count], 5,
                    [M(bookings.Sum(b => b.Price - b.Discount)), M(bookings.Sum(b => b.Paid)), M(bookings.Sum(b => b.Outstanding))])));
        body.Add(new ReportNote(L["Total: {0} bookings · price {1:N2} · paid {2:N2} · outstanding {3:N2}", data.BookingCount, data.TotalPrice, data.TotalPaid, data.TotalOutstanding],
            ReportNoteKind.Total, new Dictionary<string, string>
            {
                ["total-paid"] = data.TotalPaid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["total-outstanding"] = data.TotalOutstanding.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        var f = data.Fair;
        return new TabularReport(L["China Sugar & Liquor Trade Media · Fair Office"], L["Fair bookings: {0}", f.Name],
            [(L["Fair"], $"{f.Name} · {f.City} {f.Venue}"), (L["Dates"], $"{f.StartsOn:d} – {f.EndsOn:d}")],
            L["Generated by {0} at {1:g}", data.GeneratedBy, data.GeneratedAt], body, $"{L["Fair bookings"]} · {f.Name}", L["Page {0} of {1}"], L["{0} (continued)"]);
    }

    public async Task<string?> LetterHtmlAsync(int bookingId, StaffIdentity by, CancellationToken ct = default)
    {
        var booking = await fairs.BookingAsync(bookingId, ct);
        if (booking is null) return null;
        var fair = (await fairs.GetAsync(booking.FairId, ct))!;
        var salesperson = (await staff.FindAsync(booking.SalespersonId))?.Name ?? by.Name;
        return await renderer.HtmlAsync<ConfirmationLetter>(new Dictionary<string, object?>
        {
            ["Booking"] = booking, ["Fair"] = fair, ["Salesperson"] = salesperson, ["GeneratedBy"] = by.Name,
        });
    }

    public async Task<(byte[] Pdf, string FileName)?> LetterPdfAsync(int bookingId, StaffIdentity by, CancellationToken ct = default)
    {
        var html = await LetterHtmlAsync(bookingId, by, ct);
        if (html is null) return null;
        var pdf = await browser.PrintAsync(html, L["Booking confirmation"], L["Page {0} of {1}"], ct: ct);
        return (pdf, $"booking-confirmation-{bookingId}.pdf");
    }
}

public static class FairReportEndpoints
{
    /// <summary>PDF downloads (and their HTML print views, which work without Chromium).</summary>
    public static IEndpointRouteBuilder MapFairReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fairs/{id:int}/report.pdf", async (int id, HttpContext http, FairReports reports, ReportBrowser browser, CancellationToken ct) =>
        {
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            var r = await reports.ReportPdfAsync(id, StaffIdentity.From(http.User), ct);
            return r is { } x ? Results.File(x.Pdf, "application/pdf", x.FileName) : Results.NotFound();
        });
        app.MapGet("/fairs/{id:int}/report.html", async (int id, HttpContext http, FairReports reports, CancellationToken ct) =>
            await reports.ReportHtmlAsync(id, StaffIdentity.From(http.User), ct) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound());
        app.MapGet("/fairs/bookings/{id:int}/letter.pdf", async (int id, HttpContext http, FairReports reports, ReportBrowser browser, CancellationToken ct) =>
        {
            if (!browser.IsAvailable) return Results.Problem(browser.MissingMessage, statusCode: 503);
            var r = await reports.LetterPdfAsync(id, StaffIdentity.From(http.User), ct);
            return r is { } x ? Results.File(x.Pdf, "application/pdf", x.FileName) : Results.NotFound();
        });
        app.MapGet("/fairs/bookings/{id:int}/letter.html", async (int id, HttpContext http, FairReports reports, CancellationToken ct) =>
            await reports.LetterHtmlAsync(id, StaffIdentity.From(http.User), ct) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound());
        return app;
    }
}
