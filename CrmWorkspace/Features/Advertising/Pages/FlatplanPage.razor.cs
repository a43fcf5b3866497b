using MudBlazor;

namespace CrmWorkspace.Features.Advertising.Pages;

public partial class FlatplanPage
{
    [Parameter] public int? IssueId { get; set; }

    private IReadOnlyList<(int Id, string Periodical, string Number, DateOnly PublishedOn)> _issues = [];
    private Flatplan? _plan;
    private IReadOnlyList<PlaceableLine> _placeable = [];
    private HashSet<AdPosition> _flash = [];
    private string? _error;

    protected override async Task OnParametersSetAsync()
    {
        if (_issues.Count == 0) _issues = await Plans.IssuesAsync();
        StopListening();
        _plan = null;
        _error = null;
        if (IssueId is not { } id) return;
        // Everyone on this issue's flatplan (marketing, the news center) sees placements and status changes as they are saved.
        // An event naming an insertion updates that one ad and its line from one small read; anything else (pages changed) reloads.
        Listen(Topic.Scope(FlatplanService.Scope(id)), async e =>
        {
            var before = _plan?.Premium.ToDictionary(s => s.Position, s => s.InsertionId);
            if (e.EntityId is not { } changed || _plan is null || !await ApplyAsync((int)changed)) await LoadAsync();
            _flash = _plan?.Premium.Where(s => before is not null && before.GetValueOrDefault(s.Position) != s.InsertionId).Select(s => s.Position).ToHashSet() ?? [];
        });
        await LoadAsync();
    }

    // The printout follows the page's language.
    private string PdfHref(string what) => $"/advertising/flatplan/{IssueId}/{what}.pdf?lang={System.Globalization.CultureInfo.CurrentUICulture.Name}";

    private void GoToIssue(int id) => Nav.NavigateTo($"/advertising/flatplan/{id}");

    private async Task LoadAsync()
    {
        if (IssueId is not { } id) return;
        _plan = await Plans.FlatplanAsync(id);
        _placeable = await Plans.PlaceableAsync(id);
        LiveRecovered();
    }

    /// <summary>Applies one insertion as it is now to the plan and the lines to place; false when it is not of this issue's plan on screen.</summary>
    private async Task<bool> ApplyAsync(int insertionId)
    {
        var change = await Plans.InsertionAsync(insertionId);
        if (change is null || _plan is null || change.IssueId != _plan.IssueId) return false;
        (_plan, _placeable) = FlatplanService.Apply(_plan, _placeable, change);
        return true;
    }

    private async Task PlaceAsync(PlaceableLine line)
    {
        var r = await Plans.PlaceAsync(line.QuoteLineId, IssueId!.Value, await Me.GetAsync());
        _error = r.Ok ? null : r.Problem;
        if (r.Ok) Snackbar.Add(L["Placed: {0} · {1}", line.Advertiser, L[$"AdPosition.{line.Position}"]], Severity.Success);
        // A refusal may mean the screen was behind (someone else placed): read it all again.
        if (!r.Ok || !await ApplyAsync(r.Id!.Value)) await LoadAsync();
    }

    private async Task SetStatusAsync((FlatplanSlot Slot, InsertionStatus Status) change)
    {
        var r = await Plans.SetStatusAsync(change.Slot.InsertionId!.Value, change.Status, change.Slot.Version!.Value, await Me.GetAsync());
        if (!r.Ok) Snackbar.Add(r.Problem, Severity.Error);
        if (!r.Ok || !await ApplyAsync(r.Id!.Value)) await LoadAsync();
    }
}
