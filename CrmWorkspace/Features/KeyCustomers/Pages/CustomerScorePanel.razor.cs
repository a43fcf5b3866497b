using MudBlazor;

namespace CrmWorkspace.Features.KeyCustomers.Pages;

/// <summary>A customer's value score on its page: breakdown, pin, and the monthly trend; updates when the score is recomputed.</summary>
public partial class CustomerScorePanel
{
    [Parameter, EditorRequired] public int AccountId { get; set; }

    private CustomerScoreView? _score;
    private bool _loaded, _mayPin, _pinning, _busy;
    private AccountTier? _pinTier;
    private string? _pinReason, _pinError;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private int _listeningTo;

    protected override async Task OnInitializedAsync() => _mayPin = (await Me.GetAsync()).May(Permission.ManageKeyCustomers);

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        var head = _score?.HeadId ?? AccountId;
        if (head == _listeningTo) return;
        StopListening();
        _listeningTo = head;
        // Only its own two kinds: a call logged on the customer costs this panel (and its chart) nothing.
        Listen(Topic.Customer(head), e => e.Kind is EventKind.ScoreChanged or EventKind.ScorePinned,
            e => LoadAsync(Reads.ForEventAsync(e, $"score:{AccountId}", () => Scores.ScoreOfAsync(AccountId))));
    }

    private Task LoadAsync() => LoadAsync(Scores.ScoreOfAsync(AccountId));

    private async Task LoadAsync(Task<CustomerScoreView?> read)
    {
        _score = await read;
        _loaded = true;
        if (_score is null) return;
        _pinTier ??= _score.PinnedTier;
        _pinReason ??= _score.PinReason;
        _labels = _score.Trend.Select(t => t.Month.ToString("yy-MM")).ToArray();
        _series = [new ChartSeries<double> { Name = L["Score"], Data = new ChartData<double>(_score.Trend.Select(t => (double)t.Score).ToList()) }];
    }

    private async Task PinAsync()
    {
        _busy = true;
        _pinError = null;
        var r = await Scores.PinAsync(AccountId, _pinTier, _pinReason, await Me.GetAsync());
        _busy = false;
        if (!r.Ok)
        {
            _pinError = r.Errors?.GetValueOrDefault("Reason");
            if (_pinError is null) Snackbar.Add(r.Problem, Severity.Error);
            return;
        }
        _pinning = false;
        await LoadAsync();
    }
}
