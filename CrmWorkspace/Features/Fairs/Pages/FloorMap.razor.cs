using MudBlazor;
namespace CrmWorkspace.Features.Fairs.Pages;

public partial class FloorMap
{
    /// <summary>The fair id from the route.</summary>
    [Parameter] public int Id { get; set; }

    /// <summary>A choice in the exhibitor picker.</summary>
    public record AccountOption(int Id, string Name);

    private sealed class HallForm
    {
        public string Name { get; set; } = "";
        public string FirstRow { get; set; } = "A";
        public string LastRow { get; set; } = "F";
        public int FirstNumber { get; set; } = 1;
        public int LastNumber { get; set; } = 40;
        public decimal Area { get; set; } = 9;
        public BoothType Type { get; set; } = BoothType.Standard;
        public decimal Price { get; set; } = 12_800;
    }

    private Fair? _fair;
    private bool _missing, _addingHall, _booking;
    private int _hallId;
    private HallMap? _map;
    private List<BoothTile> _selected = [];
    private BookingView? _selectedBooking;
    private AccountOption? _account;
    private IReadOnlyList<Contact> _contacts = [];
    private BookingInput _input = new();
    private string? _bookError, _hallError;
    private bool Ended => _fair is not null && _fair.EndsOn < DateOnly.FromDateTime(DateTime.Now);
    private HallForm _hall = new();
    private IReadOnlyDictionary<string, string> _hallErrors = new Dictionary<string, string>();
    private HashSet<int> _flash = [];

    protected override async Task OnInitializedAsync()
    {
        // Only this fair's bookings and halls; the map of the open hall is re-read (one indexed query) and changed booths flash.
        Listen(Topic.Scope(FairService.Scope(Id)), async e =>
        {
            if (e.Kind is EventKind.HallChanged or EventKind.FairChanged) { await LoadFairAsync(); return; }
            var before = _map?.Booths.ToDictionary(b => b.Id, b => b.BookingId);
            await RefreshAsync();
            _flash = _map?.Booths.Where(b => before is not null && before.GetValueOrDefault(b.Id) != b.BookingId).Select(b => b.Id).ToHashSet() ?? [];
        });
        await LoadFairAsync();
    }

    private async Task LoadFairAsync()
    {
        _fair = await Fairs.GetAsync(Id);
        _missing = _fair is null;
        if (_fair?.Halls.Count > 0) await ShowHallAsync(_hallId != 0 && _fair.Halls.Any(h => h.Id == _hallId) ? _hallId : _fair.Halls[0].Id);
    }

    private async Task ShowHallAsync(int hallId)
    {
        _hallId = hallId;
        _map = await Fairs.HallMapAsync(hallId);
        _selected.Clear();
    }

    private async Task RefreshAsync()
    {
        _map = await Fairs.HallMapAsync(_hallId);
        // A selected booth someone else just took stays selected but is flagged, so the agent sees who has it.
        _selected = _selected.Select(s => _map?.Booths.FirstOrDefault(b => b.Id == s.Id) ?? s).ToList();
        if (_selectedBooking is { } open) _selectedBooking = await Fairs.BookingAsync(open.Id);
    }

    private async Task Click(BoothTile b)
    {
        _bookError = null;
        if (b.BookingId is { } bookingId)
        {
            _selected.Clear();
            _selectedBooking = await Fairs.BookingAsync(bookingId);
            return;
        }
        _selectedBooking = null;
        if (_selected.Any(s => s.Id == b.Id)) _selected.RemoveAll(s => s.Id == b.Id);
        else _selected.Add(b);
    }

    private void ClearSelection() { _selected.Clear(); _bookError = null; }

    private int _searchSeq;

    /// <summary>
    /// Exhibitors whose name contains the typed text. Nothing is offered before something is typed, and the answer to an
    /// older query (typing went on meanwhile) is discarded rather than shown, so the list never offers names the text excludes.
    /// </summary>
    private async Task<IEnumerable<AccountOption>> SearchAccounts(string text, CancellationToken ct)
    {
        var seq = ++_searchSeq;
        var term = text?.Trim() ?? "";
        if (term.Length == 0) return [];
        var found = await Accounts.FindParentsAsync(term, 0, ct);
        if (seq != _searchSeq) throw new OperationCanceledException(ct);
        ct.ThrowIfCancellationRequested();
        return found.Where(a => a.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(a => new AccountOption(a.Id, a.Name));
    }

    private async Task OnAccountChanged(AccountOption? a)
    {
        _account = a;
        _input.ContactId = null;
        _contacts = a is null ? [] : (await Accounts.GetAsync(a.Id))?.Contacts ?? [];
        _input.ContactId = _contacts.FirstOrDefault(c => c.IsKeyContact)?.Id;
    }

    private async Task BookAsync()
    {
        _booking = true;
        try
        {
            _input.AccountId = _account?.Id ?? 0;
            _input.BoothIds = _selected.Select(s => s.Id).ToList();
            var me = await Me.GetAsync();
            var (go, reason) = await CrmWorkspace.Features.KeyCustomers.Pages.RestrictionPrompt.AskAsync(Dialogs, Restricted, _input.AccountId,
                CrmWorkspace.Features.KeyCustomers.RestrictedService.Booking, me);
            if (!go) return;
            _input.OverrideReason = reason;
            var r = await Fairs.BookAsync(Id, _input, me);
            if (!r.Ok)
            {
                _bookError = r.Error ?? string.Join(" ", r.Errors?.Values ?? []);
                await RefreshAsync();
                return;
            }
            Snackbar.Add(L["Booked: {0}", string.Join(", ", _selected.Select(s => s.Code))], Severity.Success);
            _selected.Clear();
            _input = new BookingInput();
            _account = null;
            _contacts = [];
            await RefreshAsync();
            _selectedBooking = await Fairs.BookingAsync(r.BookingId!.Value);
        }
        finally { _booking = false; }
    }

    private async Task AddHallAsync()
    {
        var r = await Fairs.AddHallAsync(Id, _hall.Name, _hall.FirstRow.Trim().ToUpperInvariant(), _hall.LastRow.Trim().ToUpperInvariant(),
            _hall.FirstNumber, _hall.LastNumber, _hall.Area, _hall.Type, _hall.Price, await Me.GetAsync());
        _hallErrors = r.Errors ?? new Dictionary<string, string>();
        _hallError = r.Error;
        if (!r.Ok) return;
        _addingHall = false;
        _hall = new HallForm();
        _hallId = r.BookingId!.Value;
        await LoadFairAsync();
    }
}
