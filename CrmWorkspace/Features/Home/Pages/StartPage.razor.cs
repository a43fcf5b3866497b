using CrmWorkspace.Components;
using CrmWorkspace.Components.Shared;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Home.Pages;

/// <summary>The start page: my follow-ups, neglect alerts for managers, colleagues' work on my customers, and the live panel.</summary>
public partial class StartPage
{
    [Inject] private HomeService Home { get; set; } = default!;
    [Inject] private TimelineService Timeline { get; set; } = default!;
    [Inject] private StaffDirectory Staff { get; set; } = default!;
    [Inject] private CurrentUser Me { get; set; } = default!;
    [Inject] private IStringLocalizer<HomeText> L { get; set; } = default!;
    [Inject] private IStringLocalizer<TimelineText> TL { get; set; } = default!;
    [Inject] private CrmWorkspace.Localization.LineText Lines { get; set; } = default!;

    private const int Days = 14;
    private IReadOnlyList<FollowUpItem>? _followUps;
    private ColleagueWorkList? _work;
    private IReadOnlyList<StaffMember> _staff = [];
    private StaffIdentity? _me;
    private string? _teamName;
    private bool _liveShown = true, _livePinned = true;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    private int DueToday => _followUps?.Count(f => f.Due == Today) ?? 0;
    private int Overdue => _followUps?.Count(f => f.Due < Today) ?? 0;
    private int ThisWeek => _followUps?.Count(f => f.Due > Today && f.Due <= Today.AddDays(6)) ?? 0;

    private string Greeting => DateTime.Now.Hour switch
    {
        < 12 => L["Good morning, {0}", _me?.Name ?? ""],
        < 18 => L["Good afternoon, {0}", _me?.Name ?? ""],
        _ => L["Good evening, {0}", _me?.Name ?? ""],
    };

    protected override async Task OnInitializedAsync()
    {
        _me = await Me.GetAsync();
        _staff = await Staff.StaffAsync();
        var team = (await Staff.TeamsAsync()).FirstOrDefault(t => t.Id == _me.TeamId);
        _teamName = team is null ? null : Localization.LocalizationSetup.IsChinese ? team.NameZh : team.Name;
        await LoadAsync();
        // Events addressed to me: my own work, follow-ups assigned to me, and colleagues' work on customers I own.
        Listen(Topic.Person(_me.Id), e => e.Kind.IsTimelineWork(), OnWorkAsync);
    }

    private async Task LoadAsync()
    {
        _followUps = await Timeline.MyFollowUpsAsync(_me!.Id);
        _work = await Home.ColleagueWorkAsync(_me.Id, Days);
        _workReadAt = DateTimeOffset.UtcNow;
    }

    // Entries age out of the window only on a full read: one at least this often, so counts never drift far.
    private static readonly TimeSpan FullReadEvery = TimeSpan.FromHours(1);
    private DateTimeOffset _workReadAt;

    /// <summary>
    /// A newly logged entry is added from its own row (a busy customer of mine is logged on many times a minute, and the whole
    /// window is thousands of entries); the follow-ups are read again only when it is assigned to me. Anything else reads both again.
    /// </summary>
    private async Task OnWorkAsync(WorkspaceEvent e)
    {
        if (e.Kind != EventKind.ActivityLogged || e.EntityId is not { } id || _work is null || DateTimeOffset.UtcNow - _workReadAt > FullReadEvery)
        {
            await LoadAsync();
            return;
        }
        var changed = false;
        if (e.ChangesFollowUpsOf(_me!.Id))
        {
            _followUps = await Timeline.MyFollowUpsAsync(_me.Id);
            changed = true;
        }
        if (e.ActorId != _me.Id && await Home.ColleagueEntryAsync(_me.Id, id, Days) is { } entry)
        {
            _work.Add(entry);
            changed = true;
        }
        if (!changed) KeepScreen();
    }

    private string TeamName(StaffMember? p) => p is null ? "" : (Localization.LocalizationSetup.IsChinese ? p.TeamNameZh : p.TeamName) ?? "";

    private string Ago(DateTimeOffset at)
    {
        var span = DateTimeOffset.UtcNow - at;
        return span.TotalMinutes < 1 ? TL["just now"] : span.TotalHours < 1 ? TL["{0} min ago", (int)span.TotalMinutes]
            : span.TotalDays < 1 ? TL["{0} h ago", (int)span.TotalHours] : span.TotalDays < 2 ? L["yesterday"] : TL["{0} days ago", (int)span.TotalDays];
    }
}
