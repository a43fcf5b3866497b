using CrmWorkspace.Components.Shared;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams.Pages;

/// <summary>
/// The board of target against actual: people, teams or regions for a month or quarter, each figure opening the records behind
/// it. Live: a saved renewal, booking, contract, payment, customer or call recounts the board, and the figures that moved flash.
/// </summary>
public partial class ResultsPage
{
    [Inject] private ResultsService Results { get; set; } = default!;
    [Inject] private TargetReports Reports { get; set; } = default!;
    [Inject] private StaffDirectory Staff { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private IStringLocalizer<TargetsText> L { get; set; } = default!;

    /// <summary>"2026-12" or "2026-Q4"; this month when absent.</summary>
    [SupplyParameterFromQuery(Name = "period")] public string? PeriodCode { get; set; }
    /// <summary>people, teams or regions.</summary>
    [SupplyParameterFromQuery(Name = "view")] public string? ViewName { get; set; }

    private StaffIdentity? _me;
    private IReadOnlyList<Team> _teams = [];
    private bool _mayManage, _downloading;
    private PeriodKey _period = PeriodKey.Of(TargetPeriod.Month, WorkLogService.Today);
    private BoardView _view = BoardView.People;
    private ResultsBoard? _board;
    private string? _error;
    private DrillQuery? _drill;
    private DrillRead? _drillRead;
    private readonly HashSet<(string, TargetMeasure)> _fresh = [];
    private FileDownload _download = default!;
    // One recount at a time; events arriving meanwhile ask for one more (a burst of saves costs two recounts, not one each).
    private bool _counting, _again;

    protected override async Task OnInitializedAsync()
    {
        _me = await Me.GetAsync();
        _teams = await Staff.TeamsAsync();
        _mayManage = _me.May(Permission.ReadTeamResults);
        if (PeriodKey.Parse(PeriodCode) is { } p) _period = p;
        if (_mayManage && Enum.TryParse<BoardView>(ViewName, true, out var v)) _view = v;
        await LoadAsync();
        Listen(Topic.Workspace, ResultsService.Counts, OnEventAsync);
    }

    private async Task LoadAsync()
    {
        var read = await Results.BoardAsync(_period, _view, _me!);
        (_board, _error) = (read.Board, read.Error);
        _fresh.Clear();
    }

    private async Task GoAsync(PeriodKey p)
    {
        _period = p;
        _drill = null;
        _drillRead = null;
        _board = null;
        Nav.NavigateTo($"/results?period={p.Code}&view={_view.ToString().ToLowerInvariant()}", replace: true);
        await LoadAsync();
    }

    private async Task ViewAsync(BoardView v)
    {
        _view = v;
        await GoAsync(_period);
    }

    private async Task OnEventAsync(WorkspaceEvent e)
    {
        if (_counting) { _again = true; KeepScreen(); return; }
        _counting = true;
        try
        {
            do
            {
                _again = false;
                var before = _board;
                var read = await Results.BoardAsync(_period, _view, _me!);
                if (read.Board is null) return;
                _board = read.Board;
                _fresh.Clear();
                if (before is not null) Mark(before, _board);
                if (_drill is { } d) _drillRead = await Results.DrillAsync(d, _me!);
            } while (_again);
            LiveRecovered();
        }
        finally { _counting = false; }
    }

    // The figures that moved since the last count flash once.
    private void Mark(ResultsBoard before, ResultsBoard now)
    {
        var old = before.Lines.Append(before.Total).ToDictionary(l => l.Key);
        foreach (var l in now.Lines.Append(now.Total))
            foreach (var m in Measures.All)
                if (!old.TryGetValue(l.Key, out var o) || o[m] != l[m]) _fresh.Add((l.Key, m));
    }

    private async Task ReloadAfterStaleAsync() { LiveRecovered(); await LoadAsync(); }

    private async Task OpenAsync(ResultLine line, DrillMeasure measure)
    {
        _drill = new DrillQuery(_period, measure,
            PersonId: line.Key.StartsWith("person:", StringComparison.Ordinal) ? line.Key[7..] : null,
            TeamId: line.Key.StartsWith("team:", StringComparison.Ordinal) && int.TryParse(line.Key[5..], out var t) ? t : null,
            Region: line.Key.StartsWith("region:", StringComparison.Ordinal) ? line.Key[7..] : null);
        _drillRead = null;
        StateHasChanged();
        _drillRead = await Results.DrillAsync(_drill, _me!);
    }

    private Task DownloadAsync() => _download.DownloadAsync($"/results/report.pdf?period={_period.Code}");

    /// <summary>Reached (green), on pace for the part of the period gone (amber), behind (red); no colour without a target.</summary>
    private string Pace(Figure f)
    {
        if (f.Percent is not { } pct) return "";
        if (pct >= 100) return "ok";
        var today = WorkLogService.Today;
        var gone = today >= _period.Ends ? 1m : today < _period.Starts ? 0m
            : (decimal)(today.DayNumber - _period.Starts.DayNumber + 1) / (_period.Ends.DayNumber - _period.Starts.DayNumber);
        return pct >= gone * 100 ? "pace" : "behind";
    }

    private string? TeamOf(int? teamId) => _teams.FirstOrDefault(t => t.Id == teamId) is { } t ? (Localization.LocalizationSetup.IsChinese ? t.NameZh : t.Name) : null;

    private static bool IsMoney(DrillMeasure m) => m is DrillMeasure.SubscriptionRevenue or DrillMeasure.AdRevenue or DrillMeasure.SubscriptionPayments or DrillMeasure.AdPayments;

    private string DrillName(DrillMeasure m) => m switch
    {
        DrillMeasure.SubscriptionPayments => L["Subscription payments"],
        DrillMeasure.AdPayments => L["Ad payments"],
        _ => Reports.Measure((TargetMeasure)m),
    };

    private string DrillTitle(DrillQuery d)
    {
        var whose = d.PersonId is { } p ? _board?.Lines.FirstOrDefault(l => l.Key == "person:" + p)?.Name ?? p
            : d.TeamId is { } t ? TeamOf(t) ?? "" : d.Region is { } r ? (r == "" ? L["No region"] : r) : L["Everyone"];
        return $"{DrillName(d.Measure)} · {whose} · {Reports.PeriodName(d.Period)}";
    }

    private string DrillSummary(DrillQuery d, DrillRead r) => d.Measure switch
    {
        DrillMeasure.SubscriptionPayments or DrillMeasure.AdPayments => L["{0:N0} records · outstanding {1:N2}", r.Count, r.Total],
        DrillMeasure.SubscriptionRevenue or DrillMeasure.AdRevenue => L["{0:N0} records · total {1:N2}", r.Count, r.Total],
        _ => L["{0:N0} records", r.Count],
    };
}
