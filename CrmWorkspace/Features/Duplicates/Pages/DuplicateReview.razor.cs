using MudBlazor;
using Microsoft.AspNetCore.Components.Forms;

namespace CrmWorkspace.Features.Duplicates.Pages;

public partial class DuplicateReview
{
    private const int MaxRejectedShown = 1000;
    private IReadOnlyList<ReviewGroup>? _groups;
    private IReadOnlyList<MergeRecord> _merges = [];
    private ScanState _scan = default!;
    private bool _isManager, _importing;
    private long? _linking;
    private int _tab, _importDone, _importTotal;
    private ImportKind _importKind = ImportKind.Accounts;
    private ImportResult? _import;

    protected override async Task OnInitializedAsync()
    {
        _isManager = (await Me.GetAsync()).IsManager;
        _scan = Scan.State;
        // Scan progress (already throttled by the scan), new pairs, dismissals, merges and imports.
        Listen(Topic.Scope(DuplicateService.Scope), async e =>
        {
            _scan = Scan.State;
            if (e.Kind != EventKind.DuplicatesScanProgress || !_scan.Running) await LoadAsync();
        });
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _groups = await Duplicates.GroupsAsync();
        _merges = await Merges.RecentAsync();
    }

    private async Task CancelScanAsync() => Scan.Cancel(await Me.GetAsync());

    private async Task StartScan()
    {
        if (!Scan.Start(await Me.GetAsync())) Snackbar.Add(_isManager ? L["A scan is already running."] : L["Only managers can scan."], Severity.Info);
        _scan = Scan.State;
    }

    private async Task DismissAsync(ReviewGroup g)
    {
        if (!await Duplicates.DismissAsync(g.Pairs.Select(p => p.Id), null, await Me.GetAsync())) Snackbar.Add(L["Only managers can dismiss likely duplicates."], Severity.Warning);
        Snackbar.Add(L["Remembered as not duplicates."], Severity.Info);
        await LoadAsync();
    }

    private async Task MergeAsync(ReviewGroup g, ReviewPair p)
    {
        var a = g.Records.First(r => r.Id == p.AId);
        var b = g.Records.First(r => r.Id == p.BId);
        var (older, newer) = a.CreatedAt <= b.CreatedAt ? (a, b) : (b, a);
        var dlg = await Dialogs.ShowAsync<MergeDialog>(L["Merge"], new DialogParameters<MergeDialog> { { x => x.Kind, g.Kind }, { x => x.A, older }, { x => x.B, newer } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dlg.Result is { Canceled: false, Data: long mergeId })
        {
            Snackbar.Add(L["Merged."], Severity.Success, o =>
            {
                o.Action = L["Undo"];
                o.OnClick = async _ => await UndoAsync(mergeId);
            });
            await LoadAsync();
        }
    }

    /// <summary>A head office and its branch: the branch gets its parent, the pair leaves the queue; the writer sees it at once.</summary>
    private async Task LinkAsBranchAsync(ReviewGroup g, ReviewPair p)
    {
        _linking = p.Id;
        try
        {
            var r = await Duplicates.LinkAsBranchAsync(p.Id, await Me.GetAsync());
            if (r.Ok)
            {
                var branch = g.Records.First(x => x.Id == r.BranchId).Name;
                var head = g.Records.First(x => x.Id == r.HeadId).Name;
                Snackbar.Add(L["{0} is now a branch of {1}.", branch, head], Severity.Success);
            }
            else Snackbar.Add(r.Problem, Severity.Warning);
        }
        finally { _linking = null; }
        await LoadAsync();
    }

    private async Task UndoAsync(long mergeId)
    {
        var r = await Merges.UndoAsync(mergeId, await Me.GetAsync());
        Snackbar.Add(r.Ok ? L["The merge is undone; both records are back as they were."] : r.Error ?? "", r.Ok ? Severity.Success : Severity.Warning);
        await InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); });
    }

    private async Task OnFile(InputFileChangeEventArgs e)
    {
        _import = null;
        if (e.File.Size > 50 * 1024 * 1024) { _import = new ImportResult(false, L["The file is larger than 50 MB; split it."], 0, 0, [], null, [], 0); return; }
        _importing = true;
        _importDone = 0;
        _importTotal = 0;
        StateHasChanged();
        try
        {
            using var ms = new MemoryStream();
            await e.File.OpenReadStream(50 * 1024 * 1024).CopyToAsync(ms);
            var progress = new Progress<(int Done, int Total)>(p => { _importDone = p.Done; _importTotal = p.Total; InvokeAsync(StateHasChanged); });
            _import = await Import.ImportAsync(ms.ToArray(), _importKind, await Me.GetAsync(), progress);
        }
        finally { _importing = false; }
        await LoadAsync();
    }
}
