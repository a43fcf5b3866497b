using MudBlazor;
namespace CrmWorkspace.Features.Customers.Pages;

public partial class AccountEdit
{
    /// <summary>The account id from the route; null for a new customer.</summary>
    [Parameter] public int? Id { get; set; }
    private bool IsNew => Id is null;
    private MudForm? _form;
    private bool _valid, _saving, _notFound;
    private AccountInput? _model, _original;
    private Guid _version;
    private string? _loadedName, _problem;
    private ParentOption? _parent;
    private ConflictInfo? _conflict;
    private Dictionary<string, bool> _keepMine = [];
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private IReadOnlyList<StaffMember> _staff = [];
    private string? _savedByOther, _meId;
    /// <summary>A tier typed here pins the value score's tier: managers only, with this reason.</summary>
    private string? _tierReason;
    private bool _mayPin;
    private bool TierTyped => !IsNew && _original is not null && _model is not null && _model.Tier != _original.Tier;

    protected override async Task OnInitializedAsync()
    {
        _meId = await Me.IdAsync();
        _mayPin = (await Me.GetAsync()).May(Permission.ManageKeyCustomers);
        // Told at once when someone else saves this customer while the form is open.
        if (Id is { } id)
            Listen(Topic.Customer(id), e => e.Kind == EventKind.AccountChanged && e.AccountId == id && e.ActorId != _meId, e =>
            {
                _savedByOther = L["{0} saved this customer at {1:t} while you are editing ({2}). Saving will show what changed so nothing is overwritten.", e.ActorName, e.At.ToLocalTime(), e.Summary ?? ""];
                return Task.CompletedTask;
            });
    }

    public override void Dispose()
    {
        base.Dispose();
        _pause.Dispose();
    }

    private IReadOnlyList<CrmWorkspace.Features.Duplicates.DuplicateCandidate> _candidates = [];
    private readonly TypingPause _pause = new();
    private bool _checking;
    private string? _goOnReason;

    /// <summary>Checks for duplicates once the user pauses typing; a newer keystroke cancels the older check.</summary>
    private async Task QueueCheck()
    {
        if (await _pause.WaitAsync() is not { } ct) return;
        _checking = true;
        try
        {
            var m = _model!;
            var found = await Finder.AccountsAsync(new CrmWorkspace.Features.Duplicates.AccountProbe(m.Name, m.Phone, m.Address, m.City, m.ParentId, Id), ct: ct);
            if (!ct.IsCancellationRequested) _candidates = found;
        }
        catch (OperationCanceledException) { return; }
        finally { _checking = false; }
        StateHasChanged();
    }

    private void AddContactInstead(CrmWorkspace.Features.Duplicates.DuplicateCandidate c) => Nav.NavigateTo($"/customers/{c.AccountId}?addContact=1");

    /// <summary>A choice in the parent company picker.</summary>
    public record ParentOption(int Id, string Name);

    protected override async Task OnParametersSetAsync()
    {
        _staff = await Staff.StaffAsync();
        if (IsNew)
        {
            // No owner chosen: the territory of the customer's region decides (shown under the owner field).
            _model = new AccountInput();
            return;
        }
        var details = await Accounts.GetAsync(Id!.Value);
        if (details is null) { _notFound = true; return; }
        _original = AccountInput.From(details.Account);
        _model = _original.Clone();
        _version = details.Account.Version;
        _loadedName = details.Account.Name;
        _parent = details.ParentName is { } pn ? new ParentOption(details.Account.ParentId!.Value, pn) : null;
    }

    private async Task<IEnumerable<ParentOption>> SearchParents(string text, CancellationToken ct) =>
        (await Accounts.FindParentsAsync(text, Id ?? 0, ct)).Select(p => new ParentOption(p.Id, p.Name));

    private void OnParentChanged(ParentOption? p)
    {
        _parent = p;
        _model!.ParentId = p?.Id;
    }

    private void ToggleLine(ProductLines line, bool on) =>
        _model!.ProductLines = on ? _model.ProductLines | line : _model.ProductLines & ~line;

    private static string Show(object? v) => v switch { null => "—", string s when string.IsNullOrWhiteSpace(s) => "—", _ => v.ToString()! };

    private async Task Save()
    {
        await _form!.ValidateAsync();
        if (!_form.IsValid) return;
        // Saving over an exact duplicate (same phone) asks first.
        if (_candidates.FirstOrDefault(c => c.Exact) is { } exact && string.IsNullOrWhiteSpace(_goOnReason))
        {
            var go = await Dialogs.ShowMessageBoxAsync(D["Same phone as an existing customer"],
                D["{0} already has this phone number. Save this customer anyway?", exact.Name], D["Save anyway"], cancelText: T["Cancel"]);
            if (go != true) return;
        }
        _saving = true;
        _problem = null;
        try
        {
            var me = await Me.GetAsync();
            var result = IsNew
                ? await Accounts.CreateAsync(_model!, me)
                : await Accounts.UpdateAsync(Id!.Value, _original!, _model!, _version, me, _tierReason);
            if (result.Ok && _candidates.Count > 0)
                await Duplicates.RecordGoOnAsync(RecordKind.Account, result.Id!.Value, _candidates, _goOnReason, me);
            Handle(result);
        }
        finally { _saving = false; }
    }

    private void Handle(SaveResult result)
    {
        _errors = result.Errors ?? new Dictionary<string, string>();
        if (result.Ok)
        {
            Snackbar.Add(L["Customer saved."], Severity.Success);
            Nav.NavigateTo($"/customers/{result.Id}");
            return;
        }
        if (result.Conflict is { } c)
        {
            _conflict = c;
            _keepMine = c.BothFields.ToDictionary(f => f, _ => true);
            // Their changes to fields this person left alone are simply taken: the form shows the saved values at once.
            foreach (var f in c.TheirFields.Except(c.MyFields)) _model!.Set(f, c.Theirs.Get(f));
        }
        _problem = result.Error;
    }

    private async Task SaveMerged()
    {
        var c = _conflict!;
        var merged = c.Theirs.Clone();
        foreach (var f in c.MyFields.Where(f => !c.BothFields.Contains(f) || _keepMine.GetValueOrDefault(f, true)))
            merged.Set(f, _model!.Get(f));
        _original = c.Theirs;
        _version = c.TheirVersion;
        _model = merged;
        _conflict = null;
        _saving = true;
        try { Handle(await Accounts.UpdateAsync(Id!.Value, _original, _model, _version, await Me.GetAsync(), _tierReason)); }
        finally { _saving = false; }
    }

    private void DiscardMine()
    {
        var c = _conflict!;
        _original = c.Theirs;
        _model = c.Theirs.Clone();
        _version = c.TheirVersion;
        _conflict = null;
        Snackbar.Add(L["Your changes were discarded; the form shows the saved customer."], Severity.Info);
    }
}
