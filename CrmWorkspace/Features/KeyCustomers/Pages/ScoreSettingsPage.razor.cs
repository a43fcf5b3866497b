using MudBlazor;

namespace CrmWorkspace.Features.KeyCustomers.Pages;

/// <summary>Managers set the score's weights, caps and tier cut-offs; saving recomputes everyone, with progress shown live.</summary>
public partial class ScoreSettingsPage
{
    private ScoreSettingsInput? _model;
    private Dictionary<string, string> _errors = [];
    private bool _mayEdit, _busy;
    private RecomputeStatus _status = new(false, 0, 0, null);

    protected override async Task OnInitializedAsync()
    {
        _mayEdit = (await Me.GetAsync()).May(Permission.ManageKeyCustomers);
        _model = await Scores.SettingsAsync();
        _status = Scores.Recompute;
        Listen(Topic.Scope(KeyCustomerService.Scope), e =>
        {
            if (e.Kind == EventKind.ScoreRecomputeProgress) _status = Scores.Recompute;
            return Task.CompletedTask;
        });
    }

    private string Example(ScoreWeight w)
    {
        var amount = w.Unit * 3;
        return ScoreText.Line(L, new ScoreLine(w.Input, amount, ScoreRules.Points(amount, w)));
    }

    private async Task SaveAsync()
    {
        _busy = true;
        var r = await Scores.SaveSettingsAsync(_model!, await Me.GetAsync());
        _busy = false;
        _errors = r.Errors?.ToDictionary() ?? [];
        if (!r.Ok)
        {
            if (r.Error is not null) Snackbar.Add(r.Error, Severity.Error);
            return;
        }
        _model = await Scores.SettingsAsync();
        _status = Scores.Recompute;
        Snackbar.Add(L["Settings saved; every customer is being recomputed."], Severity.Success);
    }

    private async Task ResetAsync()
    {
        _errors = [];
        _model = await Scores.SettingsAsync();
    }
}
