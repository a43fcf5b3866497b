using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Fairs;
using CrmWorkspace.Features.Fairs.Pages;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmWorkspace.Benchmarks;

/// <summary>Fair office scenarios on a fair of 3,000 booths (6 halls of 500) and 2,500 bookings, built once through the app's own use cases.</summary>
public sealed class FairScenarios(BenchHost host, int iterations, bool quick, TextWriter log)
{
    private const string FairName = "基准测试：第115届全国糖酒商品交易会";
    private IServiceProvider Services => host.Services;

    private async Task<StaffIdentity> AgentAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var u = await db.Users.Where(x => x.TeamId == 3).OrderBy(x => x.Email).FirstAsync();
        // A manager's rights: the filling books with payments (recording payments is for finance and managers).
        return new StaffIdentity(u.Id, u.DisplayName, u.TeamId, false, true);
    }

    /// <summary>Creates the benchmark fair unless it exists; returns its id and how long building it took.</summary>
    private async Task<(int FairId, TimeSpan? Built)> EnsureFairAsync(StaffIdentity agent)
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            if (await db.Fairs.Where(f => f.Name == FairName).Select(f => (int?)f.Id).FirstOrDefaultAsync() is { } existing) return (existing, null);
        var sw = Stopwatch.StartNew();
        using var scope = Services.CreateScope();
        var fairs = scope.ServiceProvider.GetRequiredService<FairService>();
        var fair = new Fair { Name = FairName, City = "成都", Venue = "中国西部国际博览城", StartsOn = new DateOnly(2027, 3, 23), EndsOn = new DateOnly(2027, 3, 25) };
        await fairs.CreateFairAsync(fair, agent);
        var (halls, rowsTo, per, bookings) = quick ? (2, 'E', 20, 150) : (6, 'J', 50, 2_500);
        for (var h = 1; h <= halls; h++)
            await fairs.AddHallAsync(fair.Id, $"{h}号馆", "A", rowsTo.ToString(), 1, per, h % 3 == 0 ? 18 : 9, h % 3 == 0 ? BoothType.Corner : BoothType.Standard, h % 3 == 0 ? 24_000 : 12_800, agent);
        List<int> booths, accounts;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            booths = await db.Booths.Where(b => b.FairId == fair.Id).OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();
            accounts = await db.Accounts.Where(a => a.ParentId == null && a.Status != AccountStatus.Restricted).OrderBy(a => a.Id).Select(a => a.Id).Take(bookings).ToListAsync();
        }
        var rng = new Random(11);
        var order = booths.OrderBy(_ => rng.Next()).ToList();
        for (var i = 0; i < bookings && i < accounts.Count; i++)
        {
            var status = (BookingStatus)new[] { 2, 3, 4, 5 }[i % 4];
            var r = await fairs.BookAsync(fair.Id, new BookingInput
            {
                AccountId = accounts[i], BoothIds = [order[i]], Status = status, HoldDays = 30, Paid = status == BookingStatus.PaidInFull ? 12_800 : status == BookingStatus.DepositPaid ? 3_000 : 0,
            }, agent);
            if (!r.Ok) throw new InvalidOperationException(r.Error);
            if ((i + 1) % 500 == 0) log.WriteLine($"  {i + 1} bookings");
        }
        return (fair.Id, sw.Elapsed);
    }

    /// <summary>The scale dataset holds three fairs of 3,000 booths; the other two (earlier and later sessions) carry no bookings.</summary>
    private async Task EnsureOtherFairsAsync(StaffIdentity agent)
    {
        using var scope = Services.CreateScope();
        var fairs = scope.ServiceProvider.GetRequiredService<FairService>();
        foreach (var (name, starts) in new[] { ("基准测试：第114届全国糖酒商品交易会", new DateOnly(2026, 3, 23)), ("基准测试：第116届全国糖酒商品交易会", new DateOnly(2027, 10, 12)) })
        {
            await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
                if (await db.Fairs.AnyAsync(f => f.Name == name)) continue;
            var fair = new Fair { Name = name, City = "成都", Venue = "中国西部国际博览城", StartsOn = starts, EndsOn = starts.AddDays(2) };
            await fairs.CreateFairAsync(fair, agent);
            var (halls, rowsTo, per) = quick ? (2, 'E', 20) : (6, 'J', 50);
            for (var h = 1; h <= halls; h++)
                await fairs.AddHallAsync(fair.Id, $"{h}号馆", "A", rowsTo.ToString(), 1, per, 9, BoothType.Standard, 12_800, agent);
        }
    }

    public async Task<(List<Result> Results, string Note)> RunAsync()
    {
        var agent = await AgentAsync();
        log.WriteLine("fair: ensure 3 fairs of 3,000 booths, one with 2,500 bookings");
        await EnsureOtherFairsAsync(agent);
        var (fairId, built) = await EnsureFairAsync(agent);
        var results = new List<Result>();
        int hallId, hallBooths, bookingCount;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            hallId = await db.Halls.Where(h => h.FairId == fairId).OrderBy(h => h.SortOrder).Select(h => h.Id).FirstAsync();
            hallBooths = await db.Booths.CountAsync(b => b.HallId == hallId);
            bookingCount = await db.Bookings.CountAsync(b => b.FairId == fairId && b.Status != BookingStatus.Cancelled);
        }
        var note = $"Benchmark fair: {hallBooths} booths per hall, {bookingCount:N0} live bookings{(built is { } t ? $", built through the booking use case in {t.TotalSeconds:F0} s" : "")}.";

        // Floor: the hall's booths by a bare prepared query.
        await using var c = new SqliteConnection($"Data Source={host.DatabasePath}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Id, Code, Row, Number, Area FROM Booths WHERE HallId = $h ORDER BY Row, Number";
        cmd.Parameters.AddWithValue("$h", hallId);
        cmd.Prepare();
        var bare = await Samples.MeasureAsync(iterations, async _ => { await using var r = await cmd.ExecuteReaderAsync(); while (await r.ReadAsync()) { } });

        log.WriteLine("fair: hall map render");
        using var scope = Services.CreateScope();
        var fairs = scope.ServiceProvider.GetRequiredService<FairService>();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, Services.GetRequiredService<ILoggerFactory>());
        var render = await Samples.MeasureAsync(iterations, async _ =>
        {
            var map = await fairs.HallMapAsync(hallId);
            await renderer.Dispatcher.InvokeAsync(async () =>
                (await renderer.RenderComponentAsync<HallGrid>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Map"] = map }))).ToHtmlString());
        });
        results.Add(new Result($"Floor map of a {hallBooths}-booth hall: query + server render", render, "the hall's booths, bare prepared query", bare, "p95 ≤ 50 ms", 50));

        log.WriteLine("fair: booking → open map");
        var events = Services.GetRequiredService<IWorkspaceEvents>();
        List<int> free;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            var live = db.BookingBooths.Where(x => x.Live).Select(x => x.BoothId);
            free = await db.Booths.Where(b => b.HallId == hallId && !live.Contains(b.Id)).Select(b => b.Id).ToListAsync();
        }
        var accountId = 1;
        var reached = new Samples();
        var n = Math.Min(free.Count, quick ? 10 : 60);
        TaskCompletionSource<long>? arrived = null;
        // An open map does exactly this on the event: reload its hall.
        using (events.Subscribe(Topic.Scope(FairService.Scope(fairId)), async e =>
        {
            if (e.Kind != EventKind.BookingCreated || arrived is null) return;
            await fairs.HallMapAsync(hallId);
            arrived.TrySetResult(Stopwatch.GetTimestamp());
        }))
        {
            for (var i = 0; i < n; i++)
            {
                arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                var t0 = Stopwatch.GetTimestamp();
                var r = await fairs.BookAsync(fairId, new BookingInput { AccountId = accountId, BoothIds = [free[i]], Status = BookingStatus.Inquiry }, agent);
                if (!r.Ok) throw new InvalidOperationException(r.Error);
                reached.Add(Stopwatch.GetElapsedTime(t0, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10))).TotalMilliseconds);
                arrived = null;
                await fairs.UpdateAsync(r.BookingId!.Value, BookingStatus.Cancelled, 0, 0, 0, 0, AgencyServices.None, "benchmark", (await fairs.BookingAsync(r.BookingId.Value))!.Version, agent);
            }
        }
        results.Add(new Result("Booking saved → an open floor map has reloaded its hall (from the start of the save)", reached, "hall map query alone (as above)", render, "p95 ≤ 20 ms", 20));

        var browser = Services.GetRequiredService<ReportBrowser>();
        if (!browser.IsAvailable) return (results, note + " Reports not measured: " + browser.MissingMessage);
        var reports = scope.ServiceProvider.GetRequiredService<FairReports>();
        log.WriteLine("fair: one-page print floor and confirmation letter");
        var onePage = await Samples.MeasureAsync(quick ? 3 : 20, _ => browser.PrintAsync("<html><body><h1>空白页 blank</h1></body></html>", "floor", "{0}/{1}"), warmup: 2);
        int bookingId;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
            bookingId = await db.Bookings.Where(b => b.FairId == fairId && b.Status != BookingStatus.Cancelled).Select(b => b.Id).FirstAsync();
        var letter = await Samples.MeasureAsync(quick ? 3 : 20, _ => reports.LetterPdfAsync(bookingId, agent), warmup: 2);
        results.Add(new Result("Exhibitor confirmation letter (PDF, warm browser)", letter, "bare one-page print, warm browser", onePage, "≤ 300 ms", 300));
        log.WriteLine("fair: fair-booking report");
        int pages = 0;
        var report = await Samples.MeasureAsync(quick ? 1 : 3, async _ =>
        {
            var r = await reports.ReportPdfAsync(fairId, agent);
            using var pdf = UglyToad.PdfPig.PdfDocument.Open(r!.Value.Pdf);
            pages = pdf.NumberOfPages;
        }, warmup: 1);
        results.Add(new Result($"Fair-booking report PDF, {bookingCount:N0} bookings ({pages} pages), end to end", report, "bare one-page print, warm browser", onePage, "≤ 3 s", 3000));
        return (results, note);
    }
}
