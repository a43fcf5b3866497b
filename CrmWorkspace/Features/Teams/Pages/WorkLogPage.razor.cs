using CrmWorkspace.Components;
using CrmWorkspace.Components.Shared;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmWorkspace.Features.Teams.Pages;

/// <summary>
/// The work log page: a person's or a team's day or week across customers, live while the day goes on; the person's own
/// daily summary and the manager's comments beside it.
/// </summary>
public partial class WorkLogPage
{
    [Inject] private WorkLogService WorkLog { get; set; } = default!;
    [Inject] private WorkLogReports Reports { get; set; } = default!;
    [Inject] private StaffDirectory Staff { get; set; } = default!;
    [Inject] private CrmWorkspace.Localization.LineText Lines { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<TeamsText> L { get; set; } = default!;
    [Inject] private IStringLocalizer<TimelineText> TL { get; set; } = default!;

    /// <summary>Whose log to open: "me", "all", "team:3" or "person:{id}" (from links and bookmarks).</summary>
    [SupplyParameterFromQuery(Name = "whose")] public string? Whose { get; set; }

    private StaffIdentity? _me;
    private IReadOnlyList<StaffMember> _staff = [];
    private IReadOnlyList<Team> _teams = [];
    private bool _mayReadTeams, _mayComment, _downloading, _saving;
    private string _whose = "me";
    private WorkLogPeriod _period = WorkLogPeriod.Day;
    private DateOnly _day = WorkLogService.Today;
    private WorkLog? _log;
    private string? _error;
    private string? _myText;
    private Guid? _myVersion;
    private IReadOnlyDictionary<string, string> _summaryErrors = new Dictionary<string, string>();
    private readonly Dictionary<long, string?> _comments = [];
    private readonly HashSet<long> _fresh = [];
    private FileDownload _download = default!;

    private bool ShowsMyDay => _whose == "me" && _period == WorkLogPeriod.Day;

    protected override async Task OnInitializedAsync()
    {
        _me = await Me.GetAsync();
        _staff = await Staff.StaffAsync();
        _teams = await Staff.TeamsAsync();
        _mayReadTeams = _me.May(Permission.ReadTeamWorkLog);
        _mayComment = _me.May(Permission.CommentWorkLog);
        // A manager opens on their team's day; a member on their own.
        _whose = Whose ?? (_mayReadTeams && _me.TeamId is { } t ? $"team:{t}" : "me");
        await LoadAsync();
    }

    private WorkLogQuery Query => _whose switch
    {
        "all" => new WorkLogQuery(_day, _period),
        var w when w.StartsWith("team:", StringComparison.Ordinal) && int.TryParse(w[5..], out var t) => new WorkLogQuery(_day, _period, TeamId: t),
        var w when w.StartsWith("person:", StringComparison.Ordinal) => new WorkLogQuery(_day, _period, PersonId: w[7..]),
        _ => new WorkLogQuery(_day, _period, PersonId: _me!.Id),
    };

    private async Task SetAsync(Action set)
    {
        set();
        if (_day > WorkLogService.Today) _day = WorkLogService.Today;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var q = Query;
        var read = await WorkLog.ReadAsync(q, _me!);
        (_log, _error) = (read.Log, read.Error);
        _fresh.Clear();
        if (ShowsMyDay && _log?.Summaries.FirstOrDefault(s => s.AuthorId == _me!.Id && s.Day == _day) is { } mine)
            (_myText, _myVersion) = (mine.Text, mine.Version);
        else if (ShowsMyDay) (_myText, _myVersion) = (null, null);
        Relisten(q);
    }

    // Listens to what the log shows: the person, the team, or (everyone) the whole workspace. Only a window that reaches today
    // can change, so older windows listen to nothing.
    private void Relisten(WorkLogQuery q)
    {
        StopListening();
        if (_log is null || q.End <= WorkLogService.Today) return;
        var topic = q.PersonId is { } p ? Topic.Person(p) : q.TeamId is { } t ? Topic.Team(t) : Topic.Workspace;
        Listen(topic, e => OnEventAsync(q, e));
    }

    private async Task OnEventAsync(WorkLogQuery q, WorkspaceEvent e)
    {
        var activity = e.Kind is EventKind.ActivityLogged or EventKind.ActivityEdited or EventKind.ActivityDeleted or EventKind.SubscriptionCalled;
        var summary = e.Kind is EventKind.SummaryWritten or EventKind.SummaryCommented;
        if (!activity && !summary) return;
        // A person's topic also carries colleagues' work on their customers and follow-ups given to them: only their own work counts.
        if (activity && q.PersonId is { } p && e.ActorId != p) return;
        if (summary && q.PersonId is { } sp && e.AssigneeId != sp) return;
        var before = _log?.Entries.Select(x => x.Id).ToHashSet() ?? [];
        var read = await WorkLog.ReadAsync(q, _me!);
        if (read.Log is null) return;
        _log = read.Log;
        foreach (var x in _log.Entries) if (!before.Contains(x.Id)) _fresh.Add(x.Id);
        LiveRecovered();
    }

    private async Task ReloadAfterStaleAsync() { LiveRecovered(); await LoadAsync(); }

    private async Task SaveSummaryAsync()
    {
        _saving = true;
        try
        {
            var r = await WorkLog.WriteSummaryAsync(_day, _myText, _myVersion, _me!);
            _summaryErrors = r.Errors ?? new Dictionary<string, string>();
            if (r.Ok)
            {
                Snackbar.Add(L["Summary saved."], Severity.Success);
                await LoadAsync();
            }
            else if (r.Error is { } err)
            {
                Snackbar.Add(err, Severity.Warning);
                if (r.Conflict) await LoadAsync();
            }
        }
        finally { _saving = false; }
    }

    private async Task CommentAsync(SummaryView s)
    {
        _saving = true;
        try
        {
            var r = await WorkLog.CommentAsync(s.Id, _comments.GetValueOrDefault(s.Id), s.Version, _me!);
            if (r.Ok)
            {
                _comments.Remove(s.Id);
                Snackbar.Add(L["Comment saved; {0} sees it on their work log.", s.AuthorName], Severity.Success);
                await LoadAsync();
            }
            else
            {
                Snackbar.Add(r.Problem, Severity.Warning);
                if (r.Conflict) await LoadAsync();
            }
        }
        finally { _saving = false; }
    }

    private string QueryString()
    {
        var q = Query;
        return $"day={q.From:yyyy-MM-dd}&period={(q.Period == WorkLogPeriod.Week ? "week" : "day")}&person={Uri.EscapeDataString(q.PersonId ?? "")}&team={q.TeamId}";
    }

    private Task DownloadAsync(string file) => _download.DownloadAsync($"/worklog/{file}?{QueryString()}");

    private string Name(string? id) => _staff.FirstOrDefault(s => s.Id == id)?.Name ?? "—";

    private static string TeamName(Team t) => Localization.LocalizationSetup.IsChinese ? t.NameZh : t.Name;
}
