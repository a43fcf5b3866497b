namespace CrmWorkspace.Domain;

/// <summary>What a target counts: money sold, renewals, booths, new customers or calls.</summary>
public enum TargetMeasure { SubscriptionRevenue = 1, Renewals = 2, Booths = 3, AdRevenue = 4, NewCustomers = 5, Calls = 6 }

/// <summary>How long a target runs: a calendar month or a calendar quarter.</summary>
public enum TargetPeriod { Month = 1, Quarter = 3 }

/// <summary>
/// A manager's target for one person or one team, one measure and one month or quarter. <see cref="Holder"/> ("person:{id}" or
/// "team:{id}") is unique with the period and measure, so two managers can never keep two targets for the same thing.
/// </summary>
public class SalesTarget : IAudited, IVersioned
{
    public int Id { get; set; }
    public string Holder { get; set; } = "";
    public string? PersonId { get; set; }
    public int? TeamId { get; set; }
    public TargetMeasure Measure { get; set; }
    public TargetPeriod Period { get; set; }
    /// <summary>The first day of the month or quarter.</summary>
    public DateOnly Starts { get; set; }
    public decimal Amount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public Guid Version { get; set; }

    public static string PersonKey(string personId) => "person:" + personId;
    public static string TeamKey(int teamId) => "team:" + teamId;
}
