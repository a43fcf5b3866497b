using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using CrmWorkspace.Components;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using MudBlazor;

namespace CrmWorkspace.Features.Duplicates.Pages;

/// <summary>The administrator's table of known short names: add, edit, remove; others' changes arrive live.</summary>
public partial class CompanyAliasesAdmin
{
    [Inject] private CompanyAliasService Aliases { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<DuplicatesText> L { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedText> T { get; set; } = default!;

    private IReadOnlyList<AliasRow>? _rows;
    private AliasInput _new = new(), _edit = new();
    private AliasRow? _editing;
    private IReadOnlyDictionary<string, string> _newErrors = new Dictionary<string, string>(), _editErrors = new Dictionary<string, string>();
    private string? _newError, _filter;
    private bool _busy;

    private IEnumerable<AliasRow> Shown => string.IsNullOrWhiteSpace(_filter) ? _rows ?? [] :
        (_rows ?? []).Where(r => r.Alias.Contains(_filter.Trim(), StringComparison.OrdinalIgnoreCase) || r.FullName.Contains(_filter.Trim(), StringComparison.OrdinalIgnoreCase));

    protected override async Task OnInitializedAsync()
    {
        Listen(Topic.Scope(CompanyAliasService.Scope), async _ => _rows = await Aliases.ListAsync());
        _rows = await Aliases.ListAsync();
    }

    private async Task OnNewKey(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await AddAsync();
    }

    private async Task AddAsync()
    {
        _busy = true;
        try
        {
            var r = await Aliases.AddAsync(_new, await Me.GetAsync());
            _newErrors = r.Errors ?? new Dictionary<string, string>();
            _newError = r.Error;
            if (!r.Ok) return;
            Snackbar.Add(L["Short name {0} saved: it is used from now on.", _new.Alias!.Trim()], Severity.Success);
            _new = new();
            _rows = await Aliases.ListAsync();
        }
        finally { _busy = false; }
    }

    private void StartEdit(AliasRow row)
    {
        _editing = row;
        _edit = new AliasInput { Alias = row.Alias, FullName = row.FullName };
        _editErrors = new Dictionary<string, string>();
    }

    private void CancelEdit() => _editing = null;

    private async Task SaveEditAsync()
    {
        if (_editing is null) return;
        _busy = true;
        try
        {
            var r = await Aliases.UpdateAsync(_editing.Id, _edit, _editing.Version, await Me.GetAsync());
            _editErrors = r.Errors ?? new Dictionary<string, string>();
            if (r.Error is not null) Snackbar.Add(r.Error, Severity.Warning);
            if (!r.Ok) return;
            Snackbar.Add(L["Short name {0} saved: it is used from now on.", _edit.Alias!.Trim()], Severity.Success);
            _editing = null;
            _rows = await Aliases.ListAsync();
        }
        finally { _busy = false; }
    }

    private async Task RemoveAsync(AliasRow row)
    {
        var ok = await Dialogs.ShowMessageBoxAsync(L["Remove short name"], L["Remove {0} = {1}? Records written {0} are no longer read as {1}.", row.Alias, row.FullName],
            L["Remove"], cancelText: T["Cancel"]);
        if (ok != true) return;
        var r = await Aliases.RemoveAsync(row.Id, await Me.GetAsync());
        Snackbar.Add(r.Ok ? L["Short name {0} removed.", row.Alias] : r.Problem, r.Ok ? Severity.Info : Severity.Warning);
        _rows = await Aliases.ListAsync();
    }
}
