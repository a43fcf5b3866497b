using CrmWorkspace.Components;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Subscriptions;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmWorkspace.Features.Teams.Pages;

/// <summary>Managers build a call list from a customer filter and hand it out; everyone sees the lists (theirs) with live progress.</summary>
public partial class CallListsPage
{
    [Inject] private CallListService Lists { get; set; } = default!;
    [Inject] private PeriodicalService Titles { get; set; } = default!;
    [Inject] private StaffDirectory Staff { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<TeamsText> L { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedText> T { get; set; } = default!;

    private StaffIdentity _me = default!;
    private bool _mayBuild, _saving;
    private IReadOnlyList<StaffMember> _staff = [];
    private IReadOnlyList<string> _provinces = [];
    private IReadOnlyList<PeriodicalRow> _periodicals = [];
    private IReadOnlyList<CallListProgress>? _lists;
    private readonly CallListInput _input = new();
    private int? _count;
    private string? _error;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    protected override async Task OnInitializedAsync()
    {
        _me = await Me.GetAsync();
        _mayBuild = _me.May(Permission.BuildCallLists);
        _staff = await Staff.StaffAsync();
        if (_mayBuild)
        {
            _provinces = await Lists.ProvincesAsync();
            _periodicals = await Titles.PeriodicalsAsync();
            _count = await Lists.CountAsync(_input.Filter);
        }
        _lists = await Lists.ListsAsync(_me);
        // Progress moves as calls are logged on any list; members hear lists handed to them.
        Listen(Topic.Scope(CallListService.AllScope), async _ => _lists = await Lists.ListsAsync(_me));
    }

    private async Task ReloadAfterStaleAsync() { LiveRecovered(); _lists = await Lists.ListsAsync(_me); }

    private async Task FilterAsync(Action set)
    {
        set();
        _count = null;
        _count = await Lists.CountAsync(_input.Filter);
    }

    private async Task BuildAsync()
    {
        _saving = true;
        try
        {
            var r = await Lists.BuildAsync(_input, _me);
            _errors = r.Errors ?? new Dictionary<string, string>();
            _error = r.Error;
            if (r.Ok)
            {
                Snackbar.Add(L["Call list handed out."], Severity.Success);
                Nav.NavigateTo($"/calllists/{r.Id}");
            }
        }
        finally { _saving = false; }
    }
}
