using CrmWorkspace.Domain;

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
    /// <summary>Create staff accounts, set their team and role, unlock them.</summary>
    ManageStaff,
    /// <summary>Link a customer as a branch of its head office from the duplicates review queue.</summary>
    LinkBranches,
    /// <summary>Add, edit and remove the known short names of customers (中粮 for 中国粮油食品（集团）有限公司).</summary>
    ManageCompanyAliases,
    /// <summary>Read the work log of anyone and of whole teams (members read their own).</summary>
    ReadTeamWorkLog,
    /// <summary>Comment on someone's daily summary.</summary>
    CommentWorkLog,
    /// <summary>Build call lists and hand them out.</summary>
    BuildCallLists,
    /// <summary>Hand any customer over to someone else (owners hand over their own).</summary>
    HandOverAnyCustomer,
    /// <summary>Map regions to a team and an owner (who gets new customers there).</summary>
    ManageTerritories,
    /// <summary>Give someone a single task with a due date; see the team's neglected customers and overdue work.</summary>
    AssignTasks,
    /// <summary>Set the value score's weights and tier cut-offs; pin a customer's tier by hand.</summary>
    ManageKeyCustomers,
    /// <summary>Edit the advertising rate card (products, list prices, discount tiers).</summary>
    EditRateCard,
    /// <summary>Approve a quote whose discount is above the limit in settings.</summary>
    ApproveQuotes,
    /// <summary>Create and change customers and contacts.</summary>
    ChangeCustomers,
    /// <summary>Delete (and restore) customers and contacts.</summary>
    DeleteCustomers,
    /// <summary>Export customer lists in full (others get at most Security:ExportRowLimit rows).</summary>
    ExportCustomers,
    /// <summary>Give or change a discount on a booking.</summary>
    ApproveDiscounts,
    /// <summary>Record what a customer paid (booking payments).</summary>
    RecordPayments,
    /// <summary>Search the audit trail and see the permission table.</summary>
    ReadAudit,
    /// <summary>Serve a restricted customer anyway (subscribe, book, quote, greet), with a reason written on its timeline.</summary>
    ServeRestrictedCustomers,
    /// <summary>Set targets for teams and people.</summary>
    SetTargets,
    /// <summary>Read everyone's results against targets, by team and region, and the records behind them (Sales read their own).</summary>
    ReadTeamResults,
}

/// <summary>
/// The one table of who may do what, by job: Sales work customers, Finance records payments, Managers analyse, export,
/// merge and approve discounts, Administrators manage staff. The permissions page and PermissionTableTests read this same switch.
/// </summary>
public static class Permissions
{
    public static bool May(this StaffIdentity who, Permission what) => what switch
    {
        Permission.MergeRecords or Permission.DismissDuplicates or Permission.RunDuplicateScan => who.IsManager || who.IsAdmin,
        Permission.ManageStaff => who.IsAdmin,
        Permission.LinkBranches => who.IsManager || who.IsAdmin,
        Permission.ManageCompanyAliases => who.IsAdmin,
        Permission.ReadTeamWorkLog or Permission.CommentWorkLog or Permission.BuildCallLists or Permission.HandOverAnyCustomer
            or Permission.ManageTerritories or Permission.AssignTasks => who.IsManager || who.IsAdmin,
        Permission.ManageKeyCustomers => who.IsManager || who.IsAdmin,
        Permission.EditRateCard or Permission.ApproveQuotes => who.IsManager || who.IsAdmin,
        Permission.ChangeCustomers => who.Is(Roles.Sales, Roles.Manager, Roles.Administrator),
        Permission.DeleteCustomers => who.Is(Roles.Manager, Roles.Administrator),
        Permission.ExportCustomers => who.Is(Roles.Manager, Roles.Administrator),
        Permission.ApproveDiscounts => who.Is(Roles.Manager, Roles.Administrator),
        Permission.RecordPayments => who.Is(Roles.Finance, Roles.Manager, Roles.Administrator),
        Permission.ReadAudit => who.Is(Roles.Manager, Roles.Administrator),
        Permission.ServeRestrictedCustomers => who.IsManager || who.IsAdmin,
        Permission.SetTargets or Permission.ReadTeamResults => who.Is(Roles.Manager, Roles.Administrator),
        _ => false,
    };

    /// <summary>Whether this person has one of these roles.</summary>
    public static bool Is(this StaffIdentity who, params string[] roles) => roles.Contains(who.Role);

    /// <summary>A made-up person of this role, to read the table (the permissions page, the table test).</summary>
    public static StaffIdentity Sample(string role) => StaffIdentity.ForRole("sample-" + role, role, null, role);
}
