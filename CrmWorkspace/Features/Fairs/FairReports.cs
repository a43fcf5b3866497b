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
        return data is null ? null : await renderer.HtmlAsync<FairReportDocument>(new Dictionary<string, object?> { ["Data"] = data });
    }

    public async Task<(byte[] Pdf, string FileName)?> ReportPdfAsync(int fairId, StaffIdentity by, CancellationToken ct = default)
    {
        var data = await DataAsync(fairId, by, ct);
        if (data is null) return null;
        var html = await renderer.HtmlAsync<FairReportDocument>(new Dictionary<string, object?> { ["Data"] = data });
        var pdf = await browser.PrintAsync(html, $"{L["Fair bookings"]} · {data.Fair.Name}", L["Page {0} of {1}"], landscape: true, ct: ct);
        return (pdf, $"fair-bookings-{data.Fair.StartsOn:yyyy-MM-dd}-{data.GeneratedAt:yyyyMMdd-HHmm}.pdf");
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
