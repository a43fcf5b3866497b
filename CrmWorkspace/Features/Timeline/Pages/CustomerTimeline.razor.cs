using MudBlazor;
namespace CrmWorkspace.Features.Timeline.Pages;

public partial class CustomerTimeline
{
    /// <summary>The customer whose timeline this is.</summary>
    [Parameter, EditorRequired] public int AccountId { get; set; }
    /// <summary>Whether the customer has branches (shows the switch to include their entries).</summary>
    [Parameter] public bool HasBranches { get; set; }
    /// <summary>The customer's contacts, for "with whom".</summary>
    [Parameter] public IReadOnlyList<Contact> Contacts { get; set; } = [];

    private const int PageSize = 30;
    // Entries arriving live while the page is open are kept on top of what the person loaded, up to one more page; older ones then
    // leave the screen (still one "Load older entries" away). A page open all day on a busy customer grew by every entry of the
    // day: 600 entries and 15,000 DOM nodes that every save re-rendered, in each colleague's browser and circuit (docs/performance.md).
    private const int LiveRoom = PageSize;
    private int _loaded = PageSize;
    private ActivityInput _draft = new();
    private List<TimelineEntry>? _entries;
    private IReadOnlyList<TimelineEntry> _followUps = [];
    private HashSet<long> _fresh = [];
    private bool _hasMore, _loadingMore, _includeBranches, _showFilters;
    private IReadOnlyCollection<int> _teamFilter = [];
    private IReadOnlyCollection<ActivityKind> _kindFilter = [];
    private string? _author, _text, _meId;
    private DateRange? _range;
    private IReadOnlyList<Team> _teams = [];
    private IReadOnlyList<StaffMember> _staff = [];
    private DotNetObjectReference<CustomerTimeline>? _ref;
    private readonly string _sentinelId = "more-" + Guid.NewGuid().ToString("N")[..8];
    private int _loadedFor;

    private bool Filtered => _teamFilter.Count > 0 || _kindFilter.Count > 0 || _author is not null || _range is not null || !string.IsNullOrWhiteSpace(_text);

    protected override async Task OnInitializedAsync()
    {
        _teams = await Staff.TeamsAsync();
        _staff = await Staff.StaffAsync();
        _meId = await Me.IdAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == AccountId) return;
        _loadedFor = AccountId;
        StopListening();
        Listen(Topic.Customer(AccountId), e => !e.Kind.LeavesTimelineAsIs() && (e.AccountId == AccountId || _includeBranches), OnEventAsync);
        await ReloadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_hasMore && _ref is null)
        {
            _ref = DotNetObjectReference.Create(this);
            try { await JS.InvokeVoidAsync("crm.observeSentinel", _sentinelId, _ref); } catch (JSDisconnectedException) { }
        }
    }

    private string TeamName(Team t) => Localization.LocalizationSetup.IsChinese ? t.NameZh : t.Name;
    private string Name(string? id) => _staff.FirstOrDefault(s => s.Id == id)?.Name ?? "—";

    private string DayLabel(DateTime day) =>
        day == DateTime.Today ? L["Today"] : day == DateTime.Today.AddDays(-1) ? L["Yesterday"] : day.ToString("D");

    private TimelineQuery Query((DateTimeOffset, long)? before = null) => new()
    {
        AccountId = AccountId, IncludeBranches = _includeBranches, TeamIds = _teamFilter, Kinds = _kindFilter, AuthorId = _author,
        From = _range?.Start, To = _range?.End, Text = _text, Before = before, Take = PageSize,
    };

    private async Task ReloadAsync()
    {
        var page = await Timeline.PageAsync(Query());
        _entries = page.ToList();
        _hasMore = page.Count == PageSize;
        _loaded = PageSize;
        _followUps = await Timeline.OpenFollowUpsAsync(AccountId);
    }

    private async Task OnTeamsChanged(IReadOnlyCollection<int>? v) { _teamFilter = v ?? []; await ReloadAsync(); }
    private async Task OnKindsChanged(IEnumerable<ActivityKind>? v) { _kindFilter = v?.ToList() ?? []; await ReloadAsync(); }

    [JSInvokable]
    public async Task LoadMoreAsync()
    {
        if (_entries is not { Count: > 0 } || _loadingMore || !_hasMore) return;
        _loadingMore = true;
        StateHasChanged();
        var last = _entries[^1];
        var page = await Timeline.PageAsync(Query((last.OccurredAt, last.Id)));
        _entries.AddRange(page.Where(p => _entries.All(e => e.Id != p.Id)));
        _hasMore = page.Count == PageSize;
        _loaded = _entries.Count;
        _loadingMore = false;
        StateHasChanged();
    }

    // The writer shows its own entry at once from the result; its own event later finds it already there.
    private async Task<TimelineResult> LogAsync(ActivityInput input)
    {
        var result = await Timeline.LogAsync(AccountId, input, await Me.GetAsync());
        if (result.Entry is { } entry && _entries is not null)
        {
            Upsert(entry, fresh: false);
            if (entry.FollowUpOn is not null) _followUps = await Timeline.OpenFollowUpsAsync(AccountId);
            // The form's Save is the form's event: without this the list would wait for its own live event to re-render.
            StateHasChanged();
        }
        return result;
    }

    private async Task CompleteAsync(long id)
    {
        var result = await Timeline.CompleteFollowUpAsync(id, await Me.GetAsync());
        if (result.Ok)
        {
            _followUps = _followUps.Where(f => f.Id != id).ToList();
            if (await Timeline.EntryAsync(id) is { } entry) Upsert(entry, fresh: false);
        }
    }

    // Events on this customer (and its branches) re-read only the entry they name; other changes (system entries of account,
    // contact, booking or subscription changes) fetch just the newest few. Filters off-screen are respected by re-checking.
    private async Task OnEventAsync(WorkspaceEvent e)
    {
        if (_entries is null) return;
        if (e.AccountId != AccountId && !_includeBranches) return;
        var touchesFollowUps = false;
        switch (e.Kind)
        {
            case EventKind.ActivityDeleted when e.EntityId is { } gone:
                _entries.RemoveAll(x => x.Id == gone);
                touchesFollowUps = true;
                break;
            case EventKind.ActivityLogged or EventKind.ActivityEdited or EventKind.FollowupDone when e.EntityId is { } id:
                if (await Reads.ForEventAsync(e, "entry", () => Timeline.EntryAsync(id)) is { } entry)
                    Upsert(entry, fresh: e.Kind == EventKind.ActivityLogged && e.ActorId != _meId);
                touchesFollowUps = true;
                break;
            case EventKind.DuplicatesScanProgress:
                return;
            default:
                var newest = await Timeline.PageAsync(Query() with { Take = 5 });
                foreach (var n in newest) Upsert(n, fresh: true);
                touchesFollowUps = e.Kind == EventKind.SubscriptionCalled || e.Kind is EventKind.AccountMerged or EventKind.AccountUnmerged;
                break;
        }
        if (touchesFollowUps) _followUps = await Reads.ForEventAsync(e, $"followups:{AccountId}", async () => (IReadOnlyList<TimelineEntry>?)await Timeline.OpenFollowUpsAsync(AccountId)) ?? [];
    }

    // Inserts or replaces one entry in date order; with filters on, a new entry that does not match them is left out.
    private void Upsert(TimelineEntry entry, bool fresh)
    {
        var at = _entries!.FindIndex(x => x.Id == entry.Id);
        if (at >= 0) { _entries[at] = entry; return; }
        if (Filtered) return;
        if (_hasMore && _entries.Count > 0 && (entry.OccurredAt, entry.Id).CompareTo((_entries[^1].OccurredAt, _entries[^1].Id)) < 0) return;
        _entries.Add(entry);
        _entries.Sort((x, y) => (y.OccurredAt, y.Id).CompareTo((x.OccurredAt, x.Id)));
        if (fresh) _fresh.Add(entry.Id);
        if (_entries.Count > _loaded + LiveRoom)
        {
            foreach (var old in _entries.Skip(_loaded + LiveRoom)) _fresh.Remove(old.Id);
            _entries.RemoveRange(_loaded + LiveRoom, _entries.Count - _loaded - LiveRoom);
            _hasMore = true;
        }
    }

    private async Task ReloadAfterStaleAsync() { LiveRecovered(); await ReloadAsync(); }

    public async ValueTask DisposeAsync()
    {
        StopListening();
        _ref?.Dispose();
        await Task.CompletedTask;
    }
}
