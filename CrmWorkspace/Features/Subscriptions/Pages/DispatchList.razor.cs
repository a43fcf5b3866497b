using MudBlazor;
namespace CrmWorkspace.Features.Subscriptions.Pages;

public partial class DispatchList
{
    /// <summary>The issue from the route.</summary>
    [Parameter] public int IssueId { get; set; }
    private (Periodical Periodical, PeriodicalIssue Issue)? _issue;
    private IReadOnlyList<DispatchRow>? _rows;
    private readonly HashSet<int> _selected = [];
    private bool _loaded, _busy, _downloading;
    private FileDownload _download = default!;
    private int _listeningTo;

    protected override async Task OnParametersSetAsync()
    {
        _issue = await Dispatching.IssueAsync(IssueId);
        _loaded = true;
        await LoadAsync();
        if (_listeningTo == IssueId) return;
        StopListening();
        _listeningTo = IssueId;
        // This issue's dispatch marks, returns on its rows, and new, renewed or cancelled subscriptions; not the renewal desk's calls.
        Listen(Topic.Scope(SubscriptionService.Scope), async e =>
        {
            var relevant = e.Kind switch
            {
                EventKind.DispatchMarked => e.EntityId == IssueId,
                EventKind.DispatchReturned => _rows?.Any(r => r.AccountId == e.AccountId) == true,
                EventKind.SubscriptionCreated or EventKind.SubscriptionRenewed or EventKind.SubscriptionCancelled => true,
                _ => false,
            };
            if (relevant) await LoadAsync();
        });
    }

    private async Task LoadAsync()
    {
        _rows = await Dispatching.DispatchListAsync(IssueId);
        _selected.IntersectWith(_rows.Where(r => r.DispatchId is null).Select(r => r.SubscriptionId));
    }

    private bool AllSelected => _rows is { Count: > 0 } && _rows.Where(r => r.DispatchId is null).All(r => _selected.Contains(r.SubscriptionId)) && _selected.Count > 0;

    private void SelectAll(bool on)
    {
        _selected.Clear();
        if (on) _selected.UnionWith(_rows!.Where(r => r.DispatchId is null).Select(r => r.SubscriptionId));
    }

    private void Toggle(int id, bool on) { if (on) _selected.Add(id); else _selected.Remove(id); }

    private async Task MarkAsync()
    {
        _busy = true;
        try
        {
            var r = await Dispatching.MarkDispatchedAsync(IssueId, _selected.ToList(), await Me.GetAsync());
            if (r.Ok) Snackbar.Add(L["{0} marked as dispatched.", r.Count ?? 0], Severity.Success);
            else Snackbar.Add(r.Error ?? "", Severity.Warning);
            _selected.Clear();
            await LoadAsync();
        }
        finally { _busy = false; }
    }

    private async Task ReturnAsync(long dispatchId, ReturnReason reason)
    {
        var r = await Dispatching.RecordReturnAsync(dispatchId, reason, null, await Me.GetAsync());
        if (r.Ok) Snackbar.Add(L["Return recorded on the customer's timeline."], Severity.Info);
        else Snackbar.Add(r.Error ?? "", Severity.Warning);
        await LoadAsync();
    }
}
