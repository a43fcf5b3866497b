using MudBlazor;
namespace CrmWorkspace.Features.Customers.Pages;

public partial class CustomerPage
{
    /// <summary>The account id from the route.</summary>
    [Parameter] public int Id { get; set; }
    /// <summary>?addContact=1 opens the add-contact dialog (from the duplicate warning's "add a contact to it instead").</summary>
    [SupplyParameterFromQuery(Name = "addContact")] public int? AddContactOnOpen { get; set; }
    private bool _addContactOpened;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (AddContactOnOpen == 1 && !_addContactOpened && _details is { Account.IsDeleted: false })
        {
            _addContactOpened = true;
            await AddContact();
        }
    }
    private AccountDetails? _details;
    private bool _notFound;
    private IReadOnlyList<StaffMember> _staff = [];
    private int _listeningTo;

    protected override async Task OnInitializedAsync()
    {
        _staff = await Staff.StaffAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_listeningTo != Id)
        {
            // Only this customer's events (and its branches'): the timeline, subscriptions and bookings panels listen for their own.
            StopListening();
            _listeningTo = Id;
            Listen(Topic.Customer(Id), ChangesHeader, OnCustomerEventAsync);
            // The pool sweep sends one event for all the customers it moved: a page whose customer has an owner reads it again.
            Listen(Topic.Scope(Teams.PoolService.Scope), e => e.Kind == EventKind.PoolReturned && e.AccountId == 0 && _details?.Account.OwnerId is not null,
                OnCustomerEventAsync);
        }
        await Load();
    }

    // The header and contacts; timeline work updates only the "who works this customer" strip, which listens for itself.
    private static bool ChangesHeader(WorkspaceEvent e) => e.Kind is EventKind.AccountCreated or EventKind.AccountChanged
        or EventKind.AccountDeleted or EventKind.AccountRestored or EventKind.AccountMerged or EventKind.AccountUnmerged or EventKind.BranchLinked
        or EventKind.ContactAdded or EventKind.ContactChanged or EventKind.ContactDeleted or EventKind.ContactRestored
        or EventKind.ContactMerged or EventKind.ContactUnmerged or EventKind.ContactImported or EventKind.DispatchReturned
        or EventKind.OwnerHanded or EventKind.PoolClaimed or EventKind.PoolReturned;

    private Task OnCustomerEventAsync(WorkspaceEvent e) => Load();

    private async Task ReloadAfterStaleAsync() { LiveRecovered(); await Load(); }

    private async Task Load()
    {
        // Deleted customers still open (with a banner) so they can be restored.
        _details = await Accounts.GetAsync(Id, includeDeleted: true);
        _notFound = _details is null;
        // A merged customer's old links lead to the record it was merged into.
        if (_details?.Account.MergedIntoId is { } survivor)
        {
            Snackbar.Add(L["{0} was merged into this customer.", _details.Account.Name], Severity.Info);
            Nav.NavigateTo($"/customers/{survivor}", replace: true);
            return;
        }
    }

    private string Name(string? id) => _staff.FirstOrDefault(s => s.Id == id)?.Name ?? "—";

    private async Task AddContact()
    {
        var parameters = new DialogParameters<ContactDialog> { { x => x.AccountId, Id } };
        var dlg = await Dialogs.ShowAsync<ContactDialog>(L["Add contact"], parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dlg.Result;
        if (result is { Canceled: false }) { Snackbar.Add(L["Contact saved."], Severity.Success); await Load(); }
    }

    private async Task EditContact(Contact c)
    {
        var parameters = new DialogParameters<ContactDialog> { { x => x.AccountId, Id }, { x => x.ContactId, c.Id } };
        var dlg = await Dialogs.ShowAsync<ContactDialog>(L["Edit contact"], parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dlg.Result;
        if (result is { Canceled: false }) { Snackbar.Add(L["Contact saved."], Severity.Success); await Load(); }
    }

    private async Task DeleteContact(Contact c)
    {
        var ok = await Dialogs.ShowMessageBoxAsync(L["Delete contact"], L["Delete {0}? You can undo this right after.", c.Name], T["Delete"], cancelText: T["Cancel"]);
        if (ok != true) return;
        var me = await Me.GetAsync();
        await Contacts.SetDeletedAsync(c.Id, true, me);
        Snackbar.Add(L["{0} deleted.", c.Name], Severity.Info, o =>
        {
            o.Action = T["Undo"];
            o.OnClick = async _ => { await Contacts.SetDeletedAsync(c.Id, false, me); await InvokeAsync(Load); };
        });
        await Load();
    }

    private async Task Delete()
    {
        var ok = await Dialogs.ShowMessageBoxAsync(L["Delete customer"], L["Delete {0}? It disappears from lists and search; you can restore it from the deleted customers.", _details!.Account.Name], T["Delete"], cancelText: T["Cancel"]);
        if (ok != true) return;
        var result = await Accounts.DeleteAsync(Id, await Me.GetAsync());
        if (result.Ok) Snackbar.Add(L["Customer deleted. Find it under Customers › Deleted to restore it."], Severity.Info);
        else Snackbar.Add(result.Problem, Severity.Error);
        await Load();
    }

    private async Task Restore()
    {
        var result = await Accounts.RestoreAsync(Id, await Me.GetAsync());
        if (!result.Ok) Snackbar.Add(result.Problem, Severity.Error);
        await Load();
    }
}
