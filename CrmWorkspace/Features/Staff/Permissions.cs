namespace CrmWorkspace.Features.Staff;

/// <summary>What a person may do beyond working customers; checked by the services, shown (not enforced) by the buttons.</summary>
public enum Permission
{
    /// <summary>Merge two customers or contacts, and undo a merge.</summary>
    MergeRecords,
    /// <summary>Mark likely duplicates as "not duplicates".</summary>
    DismissDuplicates,
    /// <summary>Start (or cancel) the scan of every customer and contact.</summary>
    RunDuplicateScan,
    /// <summary>Create staff accounts, set their team and role.</summary>
    ManageStaff,
    /// <summary>Edit the advertising rate card (products, list prices, discount tiers).</summary>
    EditRateCard,
    /// <summary>Approve a quote whose discount is above the limit in settings.</summary>
    ApproveQuotes,
}

/// <summary>The one table of who may do what: managers run the data-quality work, administrators the staff.</summary>
public static class Permissions
{
    public static bool May(this StaffIdentity who, Permission what) => what switch
    {
        Permission.MergeRecords or Permission.DismissDuplicates or Permission.RunDuplicateScan => who.IsManager || who.IsAdmin,
        Permission.ManageStaff => who.IsAdmin,
        Permission.EditRateCard or Permission.ApproveQuotes => who.IsManager || who.IsAdmin,
        _ => false,
    };
}
