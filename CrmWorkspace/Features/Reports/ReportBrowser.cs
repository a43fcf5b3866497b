using Microsoft.Playwright;

namespace CrmWorkspace.Features.Reports;

/// <summary>Settings of the "Reports" section.</summary>
public class ReportOptions
{
    /// <summary>The Chromium that prints; empty picks Debian's chromium-headless-shell, else /usr/bin/chromium.</summary>
    public string ChromiumPath { get; set; } = "";
    public int MaxConcurrency { get; set; } = 2;
    public int TimeoutSeconds { get; set; } = 120;
}

/// <summary>Raised when PDFs cannot be made on this server; the message says what to install.</summary>
public class ReportUnavailableException(string message) : Exception(message);

/// <summary>
/// One shared headless Chromium that prints HTML to PDF: launched on first use, a bounded number of prints at a time,
/// each with a timeout, and closed with the app so no browser process outlives it.
/// </summary>
public sealed class ReportBrowser(Microsoft.Extensions.Options.IOptions<ReportOptions> options, ILogger<ReportBrowser> log) : IAsyncDisposable
{
    private readonly ReportOptions _options = Resolve(options.Value);

    /// <summary>The headless shell prints a page in about half the time of the full browser (no browser UI layer); same engine and fonts.</summary>
    private static ReportOptions Resolve(ReportOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.ChromiumPath)) return o;
        o.ChromiumPath = File.Exists("/usr/lib/chromium/chromium-headless-shell") ? "/usr/lib/chromium/chromium-headless-shell" : "/usr/bin/chromium";
        return o;
    }
    private readonly SemaphoreSlim _launch = new(1, 1);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrency));
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    // Opening a page costs a renderer process; printing reuses idle pages (SetContent replaces everything).
    private readonly System.Collections.Concurrent.ConcurrentBag<IPage> _idle = [];

    /// <summary>Documents larger than this (characters of HTML) print on a page that is closed afterwards.</summary>
    private const int LargeDocument = 1_000_000;

    public bool IsAvailable => File.Exists(_options.ChromiumPath);

    public string MissingMessage =>
        $"PDF reports need Chromium and a Chinese font on the server: run `apt-get install -y chromium-headless-shell fonts-wqy-microhei fonts-dejavu-core` (looked for {_options.ChromiumPath}, setting Reports:ChromiumPath). The HTML print view works without them.";

    // One context for all prints: a page in an existing context opens several times faster than a page with its own.
    private async Task<IBrowserContext> ContextAsync()
    {
        if (_browser is { IsConnected: true } && _context is { } c) return c;
        await _launch.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true } && _context is { } again) return again;
            if (!IsAvailable) throw new ReportUnavailableException(MissingMessage);
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _options.ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            });
            _context = await _browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
            log.LogInformation("Report browser started ({Path})", _options.ChromiumPath);
            return _context;
        }
        finally { _launch.Release(); }
    }

    /// <summary>Prints a complete HTML document to A4 PDF with a running header and "Page X of Y" in the margins.</summary>
    public Task<byte[]> PrintAsync(string html, string headerText, string pageOfFormat, bool landscape = false, CancellationToken ct = default)
    {
        var footer = System.Net.WebUtility.HtmlEncode(pageOfFormat)
            .Replace("{0}", "<span class=\"pageNumber\"></span>").Replace("{1}", "<span class=\"totalPages\"></span>");
        const string font = "font-family:'WenQuanYi Micro Hei',sans-serif;font-size:8px;color:#666;width:100%;padding:0 12mm;";
        return PrintCoreAsync(html, new PagePdfOptions
        {
            Format = "A4", Landscape = landscape, PrintBackground = true, DisplayHeaderFooter = true,
            HeaderTemplate = $"<div style=\"{font}\">{System.Net.WebUtility.HtmlEncode(headerText)}</div>",
            FooterTemplate = $"<div style=\"{font}text-align:right\">{footer}</div>",
            Margin = new Margin
            {
                Top = $"{ReportLayout.Num(ReportLayout.MarginTopMm)}mm", Bottom = $"{ReportLayout.Num(ReportLayout.MarginBottomMm)}mm",
                Left = $"{ReportLayout.Num(ReportLayout.MarginSideMm)}mm", Right = $"{ReportLayout.Num(ReportLayout.MarginSideMm)}mm",
            },
        }, ct);
    }

    /// <summary>
    /// Prints a document that draws its own sheets, margins, running header and page numbers (<see cref="PagedReport"/>):
    /// no margin templates, which Chromium would otherwise lay out once per page.
    /// </summary>
    public Task<byte[]> PrintSheetsAsync(string html, bool landscape, CancellationToken ct = default) =>
        PrintCoreAsync(html, new PagePdfOptions
        {
            Format = "A4", Landscape = landscape, PrintBackground = true, PreferCSSPageSize = true,
            Margin = new Margin { Top = "0", Bottom = "0", Left = "0", Right = "0" },
        }, ct);

    private async Task<byte[]> PrintCoreAsync(string html, PagePdfOptions pdfOptions, CancellationToken ct)
    {
        var context = await ContextAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        await _slots.WaitAsync(timeout.Token);
        try
        {
            if (!_idle.TryTake(out var page) || page.IsClosed) page = await context.NewPageAsync();
            var reusable = false;
            try
            {
                page.SetDefaultTimeout(_options.TimeoutSeconds * 1000);
                await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
                var pdf = await page.PdfAsync(pdfOptions).WaitAsync(timeout.Token);
                reusable = true;
                return pdf;
            }
            finally
            {
                // A page that failed or timed out is closed; a good one waits for the next print.
                // A page that laid out a long report keeps its memory; only small ones are worth keeping.
                if (reusable && html.Length < LargeDocument) _idle.Add(page);
                else await page.CloseAsync();
            }
        }
        finally { _slots.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
