using MudBlazor;

namespace CrmWorkspace.Features.KeyCustomers.Pages;

/// <summary>Asks first, before a form saves something for a restricted customer (the service refuses without the override anyway).</summary>
public static class RestrictionPrompt
{
    /// <summary>
    /// Whether to go on, and the manager's reason when the customer is restricted (null when it is not). Not going on: the customer
    /// is restricted and the person cannot override it, or cancelled.
    /// </summary>
    public static async Task<(bool Go, string? Reason)> AskAsync(IDialogService dialogs, RestrictedCustomers restricted, int accountId, RestrictedService what,
        StaffIdentity me)
    {
        if (accountId <= 0) return (true, null);
        var info = await restricted.InfoAsync(accountId, me);
        if (!info.Restricted) return (true, null);
        var dlg = await dialogs.ShowAsync<RestrictionDialog>(string.Empty,
            new DialogParameters<RestrictionDialog> { { x => x.Info, info }, { x => x.Service, restricted.Service(what) } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        return await dlg.Result is { Canceled: false, Data: string reason } ? (true, reason) : (false, null);
    }
}
