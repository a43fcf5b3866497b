using System.Diagnostics;
using CrmWorkspace.Features.Reports;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmWorkspace.Benchmarks;

/// <summary>Renewal report end to end (query, HTML, PDF) at about 2,500 and 10,000 rows and one page, with Chromium's peak memory.</summary>
public sealed class RenewalScenarios(BenchHost host, bool quick, TextWriter log)
{
    /// <summary>The widest expiry window (from today, lapsed excluded) holding at most <paramref name="rows"/> open subscriptions.</summary>
    private async Task<(int Days, int Rows)> WindowAsync(int rows)
    {
        await using var c = await host.OpenRawAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT "EndsOn", COUNT(*) FROM "Subscriptions" WHERE "CancelledAt" IS NULL AND "RenewedById" IS NULL AND {host.IsFalse("IsDeleted")} AND "EndsOn" >= @today
            GROUP BY "EndsOn" ORDER BY "EndsOn"
            """;
        var today = DateOnly.FromDateTime(DateTime.Today);
        cmd.Param("@today", today);
        await using var r = await cmd.ExecuteReaderAsync();
        // The widest window holding at most the wanted rows (the report refuses more than 10,000).
        var total = 0;
        var best = (Days: 0, Rows: 0);
        while (await r.ReadAsync())
        {
            total += Convert.ToInt32(r.GetValue(1));
            if (total > rows) break;
            best = (r.GetFieldValue<DateOnly>(0).DayNumber - today.DayNumber, total);
        }
        return best;
    }

    /// <summary>Chromium's memory now: the proportional set size (PSS) summed over all its processes, in MB.</summary>
    public static double ChromiumMb()
    {
        double kb = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
                var comm = File.ReadAllText(Path.Combine(dir, "comm"));
                if (!comm.Contains("chrom", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var line in File.ReadLines(Path.Combine(dir, "smaps_rollup")))
                    if (line.StartsWith("Pss:")) { kb += double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]); break; }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return kb / 1024;
    }

    public async Task<(List<Result> Results, string Note)> RunAsync()
    {
        var results = new List<Result>();
        var browser = host.Services.GetRequiredService<ReportBrowser>();
        if (!browser.IsAvailable) return (results, "Renewal reports not measured: " + browser.MissingMessage);
        using var scope = host.Services.CreateScope();
        var reports = scope.ServiceProvider.GetRequiredService<RenewalReports>();
        // A manager: the whole report (others are cut to Security:ExportRowLimit rows).
        var by = new StaffIdentity("bench", "基准测试", 2, false, true);
        var notes = new List<string>();

        async Task<(Samples Time, int Pages, int Rows, double PeakMb)> MeasureAsync(RenewalQuery q, int n, int warmup)
        {
            var pages = 0;
            var rows = 0;
            var peak = 0.0;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested) { peak = Math.Max(peak, ChromiumMb()); try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { } }
            });
            byte[] last = [];
            var dataMs = new Samples();
            var htmlMs = new Samples();
            var time = await Samples.MeasureAsync(n, async _ =>
            {
                var t0 = Stopwatch.GetTimestamp();
                var data = await reports.DataAsync(q, by);
                dataMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                last = await reports.PdfAsync(data);
                rows = data.Count;
            }, warmup);
            stop.Cancel();
            await sampler;
            using (var doc = UglyToad.PdfPig.PdfDocument.Open(last)) pages = doc.NumberOfPages;
            // Breakdown, outside the timed runs: how much of the total is the HTML render.
            var sample = await reports.DataAsync(q, by);
            var t1 = Stopwatch.GetTimestamp();
            await reports.HtmlAsync(sample);
            htmlMs.Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
            log.WriteLine($"  {rows} rows: query p50 {dataMs.P(50):F0} ms, HTML {htmlMs.P(50):F0} ms; the rest of the total is Chromium printing");
            return (time, pages, rows, peak);
        }

        log.WriteLine("renewals: one-page report (warm browser)");
        var onePage = await Samples.MeasureAsync(quick ? 3 : 20, _ => browser.PrintAsync("<html><body><h1>空白页 blank</h1></body></html>", "floor", "{0}/{1}"), warmup: 2);
        // One periodical's renewals due today in one province fit on one page.
        int periodicalId;
        await using (var c = await host.OpenRawAsync())
            periodicalId = (int)await c.ScalarAsync("SELECT MAX(\"Id\") FROM \"Periodicals\"");
        var small = await MeasureAsync(new RenewalQuery { Days = 0, LapsedDays = 0, PeriodicalId = periodicalId, Province = "四川" }, quick ? 3 : 20, 2);
        results.Add(new Result($"Renewal report, one page ({small.Rows} rows, {small.Pages} page), warm browser, end to end", small.Time,
            "bare one-page print, warm browser", onePage, "≤ 300 ms", 300));

        foreach (var (target, limitMs, label) in new[] { (quick ? 300 : 2_500, 2_000, "≤ 2 s"), (quick ? 1_000 : 10_000, 10_000, "≤ 10 s, browser peak ≤ 1.5 GB") })
        {
            var (days, _) = await WindowAsync(target);
            log.WriteLine($"renewals: report of about {target:N0} rows ({days} days)");
            var before = ChromiumMb();
            var m = await MeasureAsync(new RenewalQuery { Days = days, LapsedDays = 0 }, quick ? 1 : (target > 5_000 ? 3 : 7), 1);
            results.Add(new Result($"Renewal report PDF, {m.Rows:N0} rows ({m.Pages} pages), end to end; Chromium peak {m.PeakMb:N0} MB (idle {before:N0} MB)", m.Time,
                "bare one-page print, warm browser", onePage, label, limitMs));
            if (target >= 10_000 && m.PeakMb > 1536) notes.Add($"Chromium peak {m.PeakMb:N0} MB is above 1.5 GB.");
        }
        return (results, string.Join(" ", notes));
    }
}
