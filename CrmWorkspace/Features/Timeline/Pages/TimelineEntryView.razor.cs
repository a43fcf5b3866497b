using MudBlazor;
namespace CrmWorkspace.Features.Timeline.Pages;

/// <summary>One entry of a timeline: a person's note or call (editable by its author, with its history), or a system line with the fields it changed.</summary>
public partial class TimelineEntryView
{
    [Parameter, EditorRequired] public TimelineEntry Entry { get; set; } = default!;
    /// <summary>Just arrived live: shown highlighted.</summary>
    [Parameter] public bool Fresh { get; set; }
    [Parameter] public string? MeId { get; set; }
    [Parameter] public bool ShowAccount { get; set; }
    [Parameter] public IReadOnlyList<Contact> Contacts { get; set; } = [];
    [Parameter] public EventCallback OnChanged { get; set; }

    private Team? _team;
    private IReadOnlyList<StaffMember> _staff = [];
    private IReadOnlyList<FieldChange> _changes = [];
    private bool _editing;
    private ActivityInput _edit = new();

    // A live update re-renders the timeline: an entry whose own data did not change skips its render (Markdown and all).
    private bool _sameAsRendered;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        _sameAsRendered = Entry is not null
            && parameters.TryGetValue<TimelineEntry>(nameof(Entry), out var entry) && ReferenceEquals(entry, Entry)
            && parameters.GetValueOrDefault(nameof(Fresh), false) == Fresh
            && parameters.GetValueOrDefault(nameof(ShowAccount), false) == ShowAccount
            && parameters.GetValueOrDefault<IReadOnlyList<Contact>>(nameof(Contacts)) == Contacts;
        return base.SetParametersAsync(parameters);
    }

    protected override bool ShouldRender()
    {
        var render = !_sameAsRendered;
        _sameAsRendered = false;
        return render;
    }

    protected override async Task OnParametersSetAsync()
    {
        _staff = await Staff.StaffAsync();
        _team = (await Staff.TeamsAsync()).FirstOrDefault(t => t.Id == Entry.TeamId);
        _changes = FieldChange.Parse(Entry.Data);
    }

    private string TeamName(Team t) => Localization.LocalizationSetup.IsChinese ? t.NameZh : t.Name;
    private string Name(string? id) => _staff.FirstOrDefault(s => s.Id == id)?.Name ?? "—";

    private string EventLabel => L[$"Event.{Entry.SystemEvent}"] is { ResourceNotFound: false } s ? s : Entry.SystemEvent ?? "";

    private string SystemDetail => Entry.SystemEvent switch
    {
        "account.changed" or "contact.changed" => Entry.SystemEvent == "contact.changed" ? Entry.Subject : "",
        _ => Lines.Subject(Entry.Subject, Entry.Data),
    };

    private string FieldName(string field) => C[$"Field.{field}"] is { ResourceNotFound: false } s ? s : L[$"Field.{field}"];

    private string Value(string field, string? v) => v is null ? "—" : field == "OwnerId" ? Name(v) : v switch
    {
        "True" => T["Yes"], "False" => T["No"],
        _ => Enum.TryParse<AccountTier>(v, out _) && field == "Tier" ? v : T[$"{EnumType(field)}.{v}"] is { ResourceNotFound: false } e ? e : v,
    };

    private static string EnumType(string field) => field switch
    {
        "Stage" => nameof(SupplyChainStage), "BusinessType" => nameof(BusinessType), "Status" => nameof(AccountStatus), "ProductLines" => nameof(ProductLines), _ => field,
    };

    private void StartEdit()
    {
        _edit = new ActivityInput
        {
            Kind = Entry.Kind, Subject = Entry.Subject, Body = Entry.Body, Outcome = Entry.Outcome, ContactId = Entry.ContactId,
            OccurredAt = Entry.OccurredAt, FollowUpOn = Entry.FollowUpOn?.ToDateTime(TimeOnly.MinValue), FollowUpAssigneeId = Entry.FollowUpAssigneeId,
        };
        _editing = true;
    }

    private async Task<TimelineResult> SaveEditAsync(ActivityInput input)
    {
        var result = await Timeline.EditAsync(Entry.Id, input, Entry.Version, await Me.GetAsync());
        if (result.Ok) { _editing = false; await OnChanged.InvokeAsync(); }
        return result;
    }

    private async Task DeleteAsync()
    {
        var ok = await Dialogs.ShowMessageBoxAsync(L["Delete entry"], L["Delete \"{0}\"? Its history is kept.", Entry.Subject], T["Delete"], cancelText: T["Cancel"]);
        if (ok != true) return;
        await Timeline.DeleteAsync(Entry.Id, await Me.GetAsync());
        await OnChanged.InvokeAsync();
    }

    private async Task ShowHistoryAsync()
    {
        var history = await Timeline.HistoryAsync(Entry.Id);
        var text = string.Join("\n\n", history.Select(h => $"{h.ReplacedAt.ToLocalTime():g} · {Name(h.ReplacedBy)}\n{h.Subject}\n{h.Body}"));
        await Dialogs.ShowMessageBoxAsync(L["Earlier versions"], text, T["Close"]);
    }
}
