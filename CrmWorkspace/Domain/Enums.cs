namespace CrmWorkspace.Domain;

/// <summary>Where a company sits in the sugar &amp; liquor supply chain (what it makes).</summary>
public enum SupplyChainStage { RawMaterials = 1, FinishedGoods = 2, PeripheralProducts = 3 }

/// <summary>What kind of business a company is (producer, distributor, service organisation).</summary>
public enum BusinessType { Producer = 1, Distributor = 2, ServiceOrganisation = 3 }

/// <summary>Product lines a company trades in; a company usually has several.</summary>
[Flags]
public enum ProductLines
{
    None = 0,
    Sugar = 1,
    Baijiu = 2,
    Wine = 4,
    Beer = 8,
    Beverages = 16,
    Food = 32,
    Packaging = 64,
    Equipment = 128,
}

/// <summary>Customer value tier; A is a key customer (重点客户).</summary>
public enum AccountTier { A = 1, B = 2, C = 3, D = 4 }

/// <summary>Relationship status; Restricted customers get limited service (seed section 6).</summary>
public enum AccountStatus { Prospect = 1, Active = 2, Dormant = 3, Restricted = 4 }

/// <summary>The departments that share one customer.</summary>
public enum TeamCode { Marketing = 1, Circulation = 2, TradeFair = 3, News = 4, Service = 5 }

/// <summary>Role names used with ASP.NET Core Identity.</summary>
public static class Roles
{
    /// <summary>Enters and works customers, bookings and subscriptions (was "Member").</summary>
    public const string Sales = "Sales";
    /// <summary>Analyses performance, runs the data-quality work, exports customer lists, approves discounts.</summary>
    public const string Manager = "Manager";
    /// <summary>Records payments; reads customers.</summary>
    public const string Finance = "Finance";
    /// <summary>Manages staff, reads the audit trail (was "Admin").</summary>
    public const string Administrator = "Administrator";
    /// <summary>Old name of <see cref="Administrator"/>, kept so existing code compiles.</summary>
    public const string Admin = Administrator;
    /// <summary>Old name of <see cref="Sales"/>, kept so existing code compiles.</summary>
    public const string Member = Sales;
    public static readonly string[] All = [Sales, Manager, Finance, Administrator];
}
