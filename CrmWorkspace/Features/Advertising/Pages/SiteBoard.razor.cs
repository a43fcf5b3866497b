using MudBlazor;

namespace CrmWorkspace.Features.Advertising.Pages;

public partial class SiteBoard
{
    /// <summary>Weeks shown at once.</summary>
    private const int Weeks = 12;

    /// <summary>What the booking row of one contract line holds while it is filled in.</summary>
    private sealed class BookingForm { public DateTime? From; public DateTime? To; public int Weeks = 1; }

    private DateOnly _start = AdSiteBooking.WeekOf(DateOnly.FromDateTime(DateTime.Today));
    private IReadOnlyList<SiteRow>? _sites;
    private IReadOnlyList<BookableLine> _bookable = [];
    private readonly Dictionary<int, BookingForm> _forms = [];
    private HashSet<int> _flash = [];
    private string? _error;

    protected override async Task OnInitializedAsync()
    {
        // Everyone on the board sees bookings and cancellations as they are saved; new ones flash.
        Listen(Topic.Scope(SiteBookingService.Scope), async _ =>
        {
            var before = _sites?.SelectMany(s => s.Bookings).Select(b => b.Id).ToHashSet() ?? [];
            await LoadAsync();
            _flash = _sites?.SelectMany(s => s.Bookings).Select(b => b.Id).Where(id => !before.Contains(id)).ToHashSet() ?? [];
        });
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _sites = await Sites.SitesAsync(_start, _start.AddDays(7 * Weeks - 1));
        _bookable = await Sites.BookableAsync();
        LiveRecovered();
    }

    private async Task ShiftAsync(int days)
    {
        _start = _start.AddDays(7 * days);
        await LoadAsync();
    }

    private BookingForm FormOf(BookableLine line)
    {
        if (!_forms.TryGetValue(line.QuoteLineId, out var f))
            _forms[line.QuoteLineId] = f = new BookingForm
            {
                From = _start.ToDateTime(TimeOnly.MinValue), To = _start.AddDays(13).ToDateTime(TimeOnly.MinValue), Weeks = Math.Max(1, line.Quantity - line.Booked),
            };
        return f;
    }

    private async Task BookAsync(BookableLine line)
    {
        var f = FormOf(line);
        if (f.From is not { } from) { _error = L["Choose the first day."]; return; }
        var r = await Sites.BookAsync(line.QuoteLineId, DateOnly.FromDateTime(from), f.To is { } to ? DateOnly.FromDateTime(to) : null, f.Weeks, await Me.GetAsync());
        _error = r.Ok ? null : r.Problem;
        if (r.Ok)
        {
            Snackbar.Add(L["Booked: {0} · {1}", line.Advertiser, line.Site], Severity.Success);
            _forms.Remove(line.QuoteLineId);
        }
        await LoadAsync();
    }
}
