using System.Globalization;
using CrmWorkspace.Components.Shared;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using MudBlazor;

namespace CrmWorkspace.Features.Teams.Pages;

/// <summary>
/// The manager's targets grid: teams and their people down, the six measures across, a month or a quarter at a time. Edits stay
/// on the page until saved together; a colleague's save shows at once in the cells not being edited, and a save that meets a
/// colleague's change to the same cell saves nothing and shows theirs.
/// </summary>
public partial class TargetsPage
{
    [Inject] private TargetService Targets { get; set; } = default!;
    [Inject] private TargetReports Reports { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private Security.AuditTrail Audit { get; set; } = default!;
    [Inject] private IStringLocalizer<TargetsText> L { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "period")] public string? PeriodCode { get; set; }

    private StaffIdentity? _me;
    private string? _refused, _message;
    private PeriodKey _period = PeriodKey.Of(TargetPeriod.Month, WorkLogService.Today);
    private TargetGrid? _grid;
    private bool _saving;
    /// <summary>Unsaved edits by cell: the text as typed, the amount it reads as, the version it was based on.</summary>
    private readonly Dictionary<string, (string Holder, TargetMeasure Measure, string Text, decimal? Amount, Guid? Version)> _edits = [];
    private readonly Dictionary<string, string> _cellErrors = [];
    private readonly Dictionary<string, string> _conflicts = [];
    private IJSObjectReference? _module, _keys;
    private DotNetObjectReference<TargetsPage>? _self;

    protected override async Task OnInitializedAsync()
    {
        _me = await Me.GetAsync();
        if (!_me.May(Permission.SetTargets))
        {
            await Audit.AllowedAsync(_me, Permission.SetTargets, "targets page");
            _refused = L["Only managers set targets. Your own results against your targets are on the results board."];
            return;
        }
        if (PeriodKey.Parse(PeriodCode) is { } p) _period = p;
        _grid = await Targets.GridAsync(_period);
        Listen(Topic.Scope(TargetService.Scope), e => e.Kind == EventKind.TargetsSet && e.ActorId != _me.Id, OnTargetsSetAsync);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_grid is null || _keys is not null) return;
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Teams/Pages/TargetsPage.razor.js");
        _self ??= DotNetObjectReference.Create(this);
        // One listener on the document for the page's life; the script finds the grid by id (it is re-rendered with each period).
        _keys = await _module.InvokeAsync<IJSObjectReference>("attach", _self);
    }

    private async Task GoAsync(PeriodKey p)
    {
        if (_edits.Count > 0)
        {
            _message = L["Save or discard your {0} changes before opening another period.", _edits.Count];
            return;
        }
        _period = p;
        _conflicts.Clear();
        Nav.NavigateTo($"/targets?period={p.Code}", replace: true);
        _grid = await Targets.GridAsync(_period);
    }

    private string Shown(TargetRow row, TargetMeasure m)
    {
        var key = TargetSaveResult.CellKey(row.Holder, m);
        if (_edits.TryGetValue(key, out var e)) return e.Text;
        return row.Cells[m].Amount is { } a ? m.Format(a) : "";
    }

    private string? SetBy(TargetCell c) => c.UpdatedBy is { } by && c.UpdatedAt is { } at ? L["Set by {0} at {1:g}", by, at.ToLocalTime()].Value : null;

    private string CellClass(string key) => _cellErrors.ContainsKey(key) ? "invalid" : _conflicts.ContainsKey(key) ? "conflict" : _edits.ContainsKey(key) ? "edited" : "";

    /// <summary>Reads a typed figure in the reader's culture ("12,000.50"); empty clears the target.</summary>
    private static bool TryRead(string? text, out decimal? amount)
    {
        amount = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.CurrentCulture, out var v)) { amount = v; return true; }
        return false;
    }

    private void Edit(TargetRow row, TargetMeasure m, string? text)
    {
        var key = TargetSaveResult.CellKey(row.Holder, m);
        var stored = row.Cells[m];
        _conflicts.Remove(key);
        _cellErrors.Remove(key);
        if (!TryRead(text, out var amount))
        {
            _cellErrors[key] = L["“{0}” is not a number.", text ?? ""];
            _edits[key] = (row.Holder, m, text ?? "", null, stored.Version);
            return;
        }
        if (Targets.Validate(m, amount) is { } bad) _cellErrors[key] = bad;
        if (amount == stored.Amount && !_cellErrors.ContainsKey(key)) { _edits.Remove(key); return; }
        _edits[key] = (row.Holder, m, text ?? "", amount, stored.Version);
    }

    /// <summary>Last period's targets as edits of this period's empty cells (nothing is saved until the manager saves).</summary>
    private async Task CopyPreviousAsync()
    {
        var previous = await Targets.GridAsync(_period.Previous);
        var copied = 0;
        foreach (var row in _grid!.Rows)
        {
            var before = previous.Rows.FirstOrDefault(r => r.Holder == row.Holder);
            if (before is null) continue;
            foreach (var m in Measures.All)
            {
                var key = TargetSaveResult.CellKey(row.Holder, m);
                if (row.Cells[m].Amount is not null || _edits.ContainsKey(key) || before.Cells[m].Amount is not { } a) continue;
                _edits[key] = (row.Holder, m, m.Format(a), a, null);
                copied++;
            }
        }
        Snackbar.Add(copied == 0 ? L["Nothing to fill: the previous period has no targets for the empty cells."] : L["{0} cells filled from the previous period; check them and save.", copied],
            copied == 0 ? Severity.Info : Severity.Success);
    }

    private void Discard()
    {
        _edits.Clear();
        _cellErrors.Clear();
        _conflicts.Clear();
        _message = null;
    }

    /// <summary>Ctrl+S in the grid.</summary>
    [JSInvokable]
    public async Task SaveFromKeyboard()
    {
        if (_edits.Count == 0 || _cellErrors.Count > 0 || _saving) return;
        await SaveAsync();
        StateHasChanged();
    }

    private async Task SaveAsync()
    {
        if (_cellErrors.Count > 0) return;
        _saving = true;
        try
        {
            var changes = _edits.Values.Select(e => new TargetChange(e.Holder, e.Measure, e.Amount, e.Version)).ToList();
            var r = await Targets.SaveAsync(_period, changes, _me!);
            if (r.Ok)
            {
                _edits.Clear();
                _message = null;
                _grid = await Targets.GridAsync(_period);
                Snackbar.Add(L["{0} targets saved; the results board shows them now.", r.Saved], Severity.Success);
                return;
            }
            foreach (var (k, v) in r.Errors ?? new Dictionary<string, string>()) _cellErrors[k] = v;
            _message = r.Error;
            if (r.Conflicts is { } conflicts)
            {
                // The colleague's figures replace the edits they collide with; every other edit stays to be saved again.
                foreach (var c in conflicts)
                {
                    var key = TargetSaveResult.CellKey(c.Holder, c.Measure);
                    _edits.Remove(key);
                    _conflicts[key] = L["{0} set this to {1} meanwhile.", c.ByName ?? "—", c.Amount is { } a ? c.Measure.Format(a) : L["no target"]];
                }
                // Edits that met no conflict keep the versions they were read at: a repeat save still cannot overwrite anyone.
                _grid = await Targets.GridAsync(_period);
            }
        }
        finally { _saving = false; }

    }

    private async Task OnTargetsSetAsync(WorkspaceEvent e)
    {
        _grid = await Targets.GridAsync(_period);
        Snackbar.Add(L["{0} saved targets; the cells you have not edited show them.", e.ActorName], Severity.Info);
        LiveRecovered();
    }

    private async Task ReloadAfterStaleAsync()
    {
        LiveRecovered();
        _grid = await Targets.GridAsync(_period);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_keys is not null) await _keys.InvokeVoidAsync("dispose");
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
        Dispose();
    }
}
