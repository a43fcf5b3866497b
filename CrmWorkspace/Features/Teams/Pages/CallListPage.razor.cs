using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmWorkspace.Features.Teams.Pages;

/// <summary>One call list: progress per person (live as anyone calls) and, for whoever has a share, their customers to call.</summary>
public partial class CallListPage
{
    [Parameter] public int Id { get; set; }
    [Inject] private CallListService Lists { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<TeamsText> L { get; set; } = default!;
    [Inject] private IStringLocalizer<SubscriptionsText> SL { get; set; } = default!;

    private static readonly RenewalCallOutcome[] Outcomes = [RenewalCallOutcome.NoAnswer, RenewalCallOutcome.CallBack, RenewalCallOutcome.Declined, RenewalCallOutcome.Renewed];
    private StaffIdentity _me = default!;
    private CallListProgress? _list;
    private List<CallItemRow> _mine = [];
    private bool _missing;

    protected override async Task OnParametersSetAsync()
    {
        _me = await Me.GetAsync();
        await LoadAsync();
        StopListening();
        // Another caller's outcome moves the progress; my own rows change only by me (shown at once from my result).
        Listen(Topic.Scope(CallListService.Scope(Id)), async _ => _list = (await Lists.ListsAsync(_me, Id)).FirstOrDefault());
    }

    private async Task LoadAsync()
    {
        _list = (await Lists.ListsAsync(_me, Id)).FirstOrDefault();
        _missing = _list is null;
        _mine = (await Lists.MyItemsAsync(_me, Id)).ToList();
    }

    private async Task ReloadAfterStaleAsync() { LiveRecovered(); await LoadAsync(); }

    private async Task CallAsync(CallItemRow item)
    {
        var dlg = await Dialogs.ShowAsync<CallOutcomeDialog>(L["Log a call"], new DialogParameters<CallOutcomeDialog> { { x => x.Item, item } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dlg.Result is { Canceled: false, Data: CallItemRow saved })
        {
            var at = _mine.FindIndex(x => x.Id == saved.Id);
            if (at >= 0) _mine[at] = saved;
            Snackbar.Add(L["Call logged on {0}'s timeline.", saved.AccountName], Severity.Success);
            _list = (await Lists.ListsAsync(_me, Id)).FirstOrDefault();
        }
    }
}
