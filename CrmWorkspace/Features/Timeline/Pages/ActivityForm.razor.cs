using MudBlazor;
namespace CrmWorkspace.Features.Timeline.Pages;

public partial class ActivityForm
{
    /// <summary>The values being edited.</summary>
    [Parameter, EditorRequired] public ActivityInput Model { get; set; } = new();
    /// <summary>Saves and returns field errors or a message; success clears the form when <see cref="ClearOnSave"/>.</summary>
    [Parameter, EditorRequired] public Func<ActivityInput, Task<TimelineResult>> OnSave { get; set; } = default!;
    /// <summary>Shown when editing an existing entry.</summary>
    [Parameter] public EventCallback OnCancel { get; set; }
    /// <summary>Contacts of the customer to pick from.</summary>
    [Parameter] public IReadOnlyList<Contact> Contacts { get; set; } = [];
    [Parameter] public bool ClearOnSave { get; set; }
    [Parameter] public string? SaveLabel { get; set; }
    [Parameter] public string TestId { get; set; } = "composer";

    private static readonly ActivityKind[] Kinds = Enum.GetValues<ActivityKind>().Where(k => k != ActivityKind.System).ToArray();
    private IReadOnlyDictionary<string, string> Errors = new Dictionary<string, string>();
    private string? Error;
    private bool _saving, _more;
    private IReadOnlyList<StaffMember> _staff = [];
    private string SaveText => SaveLabel ?? L["Log"];
    private ElementReference _root;
    private DotNetObjectReference<ActivityForm>? _self;
    /// <summary>Set when the browser holds more text than a note may have (the text stays there, it is not sent).</summary>
    private (int Length, bool Pasted)? _tooLong;
    /// <summary>Text travels back from the browser in pieces this size: well below the hub's message limit even fully escaped.</summary>
    private const int Piece = 4_000;

    private int BodyLength => _tooLong is { Pasted: false } t ? t.Length : Model.Body?.Length ?? 0;

    private string? TooLongText => _tooLong is not { } t ? null
        : t.Pasted ? L["The pasted text has {0:N0} characters; a note holds at most {1:N0}. Nothing was pasted: split it into several notes.", t.Length, TimelineService.MaxBody].Value
        : L["The note has {0:N0} characters; at most {1:N0} can be saved. Shorten it: nothing is saved until it fits.", t.Length, TimelineService.MaxBody].Value;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        _rendered = true;
        if (!firstRender) return;
        // Long notes: the browser refuses text over the limit before it is sent (a bigger event would drop the connection).
        _self = DotNetObjectReference.Create(this);
        try { await JS.InvokeVoidAsync("crm.guardText", _root, TimelineService.MaxBody, _self); }
        catch (JSDisconnectedException) { }
    }

    /// <summary>Called by the browser when the text is (or would be, for a paste) over the limit; the text was not sent.</summary>
    [JSInvokable]
    public Task TextTooLong(int length, bool pasted)
    {
        // A refused paste leaves the text as it was; typed or dropped text stays in the browser until it is shortened.
        _tooLong = pasted ? (length, true) : length > TimelineService.MaxBody ? (length, false) : null;
        return InvokeAsync(StateHasChanged);
    }

    private void OnBodyChanged(string? value)
    {
        Model.Body = value;
        _tooLong = null;
    }

    /// <summary>The length of the text in the browser's notes box; null when the browser cannot be asked (prerendering, tests without JS).</summary>
    private async Task<int?> BrowserLengthAsync()
    {
        try { return await JS.InvokeAsync<int?>("crm.textLength", _root); }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException) { return null; }
    }

    /// <summary>The notes box's text read back in pieces, for when what reached the server differs from what the person sees.</summary>
    private async Task<string> BrowserTextAsync(int length)
    {
        var text = new System.Text.StringBuilder(length);
        for (var offset = 0; offset < length; offset += Piece)
            text.Append(await JS.InvokeAsync<string>("crm.textSlice", _root, offset, Piece));
        return text.ToString();
    }

    public void Dispose() => _self?.Dispose();

    // The timeline around the composer re-renders for every entry colleagues log; the composer (a dozen MudBlazor inputs) only
    // re-renders when its own inputs change or its parameters do, not for each of those.
    private bool _sameAsRendered;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        _sameAsRendered = _rendered
            && Same(parameters, nameof(Model), Model) && Same(parameters, nameof(OnSave), OnSave) && Same(parameters, nameof(OnCancel), OnCancel)
            && Same(parameters, nameof(Contacts), Contacts) && Same(parameters, nameof(ClearOnSave), ClearOnSave)
            && Same(parameters, nameof(SaveLabel), SaveLabel) && Same(parameters, nameof(TestId), TestId);
        return base.SetParametersAsync(parameters);
    }

    // A parameter left out keeps its value; one passed again is the same when equal (delegates: same target and method).
    private static bool Same<T>(ParameterView parameters, string name, T current) =>
        !parameters.TryGetValue<T>(name, out var value) || EqualityComparer<T>.Default.Equals(value, current);

    protected override bool ShouldRender()
    {
        var render = !_sameAsRendered;
        _sameAsRendered = false;
        return render;
    }

    private bool _rendered;

    protected override async Task OnInitializedAsync()
    {
        _staff = await Staff.StaffAsync();
        // Editing an entry that already has these opens them; a fresh composer stays light.
        _more = Model.FollowUpOn is not null || Model.Outcome is not null || Model.ContactId is not null;
    }

    private async Task OnKeyDown(KeyboardEventArgs e)
    {
        if (e.CtrlKey && e.Key == "Enter") await SaveAsync();
    }

    private async Task SaveAsync()
    {
        if (_saving) return;
        _saving = true;
        try
        {
            // The browser is the reference for what the person wrote: over the limit nothing is saved (the text stays there);
            // otherwise the server's copy is checked against it and, if an input was lost on the way, read again.
            var length = await BrowserLengthAsync();
            if (length > TimelineService.MaxBody || (length is null && _tooLong is { Pasted: false }))
            {
                _tooLong = (length ?? _tooLong!.Value.Length, false);
                return;
            }
            _tooLong = null;
            if (length is { } n)
            {
                if (n != (Model.Body?.Length ?? 0)) Model.Body = await BrowserTextAsync(n) is { Length: > 0 } t ? t : null;
                Model.BodyLength = n;
            }
            var result = await OnSave(Model);
            Errors = result.Errors ?? new Dictionary<string, string>();
            Error = result.Error;
            if (result.Ok && ClearOnSave)
            {
                var kind = Model.Kind;
                Model.Subject = ""; Model.Body = null; Model.BodyLength = null; Model.Outcome = null; Model.FollowUpOn = null; Model.FollowUpAssigneeId = null; Model.ContactId = null;
                Model.Kind = kind;
            }
        }
        finally { _saving = false; }
    }
}
