using MudBlazor;
namespace CrmWorkspace.Features.Customers.Pages;

public partial class ContactDialog
{
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;
    /// <summary>The customer the contact belongs to.</summary>
    [Parameter] public int AccountId { get; set; }
    /// <summary>The contact to edit; null to add one.</summary>
    [Parameter] public int? ContactId { get; set; }
    private MudForm? _form;
    private ContactInput? _model;
    private Guid _version;
    private bool _saving, _canOverwrite;
    private string? _problem;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    private IReadOnlyList<CrmWorkspace.Features.Duplicates.DuplicateCandidate> _candidates = [];
    private IReadOnlyList<StaffMember> _staff = [];
    private readonly TypingPause _pause = new();
    private bool _checking;
    private string? _goOnReason;

    public void Dispose() => _pause.Dispose();

    /// <summary>Checks for duplicate people once the user pauses typing.</summary>
    private async Task QueueCheck()
    {
        if (await _pause.WaitAsync() is not { } ct) return;
        _checking = true;
        try
        {
            var m = _model!;
            var found = await Finder.ContactsAsync(new CrmWorkspace.Features.Duplicates.ContactProbe(m.Name, m.Phones.Select(p => p.Number ?? "").ToList(),
                m.Emails.Select(e => e.Address ?? "").ToList(), m.Address, m.PostalCode, m.Birthday is { } b ? DateOnly.FromDateTime(b) : null, AccountId, ContactId), ct: ct);
            if (!ct.IsCancellationRequested) _candidates = found;
        }
        catch (OperationCanceledException) { return; }
        finally { _checking = false; }
        StateHasChanged();
    }

    protected override async Task OnInitializedAsync()
    {
        _staff = await Staff.StaffAsync();
        if (ContactId is { } id && await Contacts.GetAsync(id) is { } c)
        {
            _model = ContactInput.From(c);
            _version = c.Version;
        }
        else _model = new ContactInput();
    }

    private async Task SaveAsync(bool overwrite)
    {
        await _form!.ValidateAsync();
        if (!_form.IsValid) return;
        if (_candidates.FirstOrDefault(c => c.Exact) is { } exact && string.IsNullOrWhiteSpace(_goOnReason))
        {
            var go = await Dialogs.ShowMessageBoxAsync(D["Same phone or e-mail as an existing contact"],
                D["{0} ({1}) already has this phone number or e-mail. Save anyway?", exact.Name, exact.Detail ?? ""], D["Save anyway"], cancelText: T["Cancel"]);
            if (go != true) return;
        }
        _saving = true;
        try
        {
            var me = await Me.GetAsync();
            var result = ContactId is { } id
                ? await Contacts.UpdateAsync(id, _model!, _version, overwrite, me)
                : await Contacts.AddAsync(AccountId, _model!, me);
            _errors = result.Errors ?? new Dictionary<string, string>();
            if (result.Ok && _candidates.Count > 0) await Duplicates.RecordGoOnAsync(RecordKind.Contact, result.Id!.Value, _candidates, _goOnReason, me);
            if (result.Ok) { Dialog.Close(DialogResult.Ok(result.Id)); return; }
            _problem = result.Error;
            _canOverwrite = ContactId is not null && result.Error is not null && result.Version is not null;
        }
        finally { _saving = false; }
    }
}
