using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace CrmWorkspace.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class FloorMapTests(BrowserAppFixture fx)
{
    [Fact]
    public async Task Two_agents_on_the_floor_map_A_books_B_sees_it_taken_live_and_is_refused_and_the_report_downloads()
    {
        int fairId, freeBoothId;
        string code, exhibitor;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            fairId = await db.Fairs.OrderByDescending(f => f.StartsOn).Select(f => f.Id).FirstAsync();
            var hall = await db.Halls.Where(h => h.FairId == fairId).OrderBy(h => h.SortOrder).FirstAsync();
            var live = db.BookingBooths.Where(b => b.Live).Select(b => b.BoothId);
            var booth = await db.Booths.Where(b => b.HallId == hall.Id && !live.Contains(b.Id)).OrderBy(b => b.Code).FirstAsync();
            (freeBoothId, code) = (booth.Id, booth.Code);
            exhibitor = await db.Accounts.Where(a => a.ParentId == null).OrderBy(a => a.Id).Skip(5).Select(a => a.Name).FirstAsync();
        }
        var a = await fx.Browser.SignInAsync(fx.BaseUrl, "fair@demo.local");        // 张伟
        var b = await fx.Browser.SignInAsync(fx.BaseUrl, "marketing@demo.local");   // 王磊
        foreach (var p in new[] { a, b })
        {
            await p.GotoAsync($"/fairs/{fairId}/map");
            await Infrastructure.Browser.WaitInteractiveAsync(p);
            await Expect(p.Locator($"[data-testid=booth][data-code='{code}']")).ToHaveAttributeAsync("data-status", "Free");
        }
        await b.EvaluateAsync<string>("() => (window.__noReload = 'same-page')");
        string other;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            other = await db.Accounts.Where(x => x.ParentId == null).OrderBy(x => x.Id).Skip(7).Select(x => x.Name).FirstAsync();

        // B starts to book the same booth for another exhibitor but has not pressed Book yet.
        await b.Locator($"[data-testid=booth][data-code='{code}']").ClickAsync();
        await Infrastructure.Browser.Input(b, "book-exhibitor").FillAsync(other[..6]);
        await b.GetByText(other, new() { Exact = true }).First.ClickAsync();
        await Expect(b.GetByTestId("book")).ToBeEnabledAsync();

        // A books it.
        await a.Locator($"[data-testid=booth][data-code='{code}']").ClickAsync();
        await Infrastructure.Browser.Input(a, "book-exhibitor").FillAsync(exhibitor[..6]);
        await a.GetByText(exhibitor, new() { Exact = true }).First.ClickAsync();
        await a.GetByTestId("book").ClickAsync();
        await Expect(a.GetByTestId("booking-details")).ToContainTextAsync(exhibitor);
        int bookingId;
        await using (var db = await fx.App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            bookingId = await db.BookingBooths.Where(x => x.BoothId == freeBoothId && x.Live).Select(x => x.BookingId).SingleAsync();

        // B's map shows it taken without a reload and warns at once.
        await Expect(b.Locator($"[data-testid=booth][data-code='{code}']")).ToHaveAttributeAsync("data-status", "Reserved");
        await Expect(b.GetByTestId("taken-warning")).ToContainTextAsync(exhibitor);
        Assert.Equal("same-page", await b.EvaluateAsync<string>("() => window.__noReload"));
        await Infrastructure.Browser.ScreenshotAsync(b, "floor-map-b");

        // B presses Book anyway: refused, naming A's booking.
        await b.GetByTestId("book").ClickAsync();
        var error = b.GetByTestId("book-error");
        await Expect(error).ToContainTextAsync($"#{bookingId}");
        await Expect(error).ToContainTextAsync(exhibitor);
        await Expect(error).ToContainTextAsync("张伟");

        // The fair-booking report downloads as a PDF with the exhibitor in it.
        var download = await a.RunAndWaitForDownloadAsync(() => a.GetByTestId("fair-report").ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), download.SuggestedFilename);
        await download.SaveAsAsync(path);
        using var pdf = PdfDocument.Open(path);
        Assert.Contains(exhibitor, string.Concat(pdf.GetPages().Select(p => p.Text)));
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }
}
