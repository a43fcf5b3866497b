namespace CrmWorkspace.Domain;

/// <summary>How often a periodical appears.</summary>
public enum IssueFrequency { Weekly = 1, Biweekly = 2, Monthly = 3, Bimonthly = 4, Quarterly = 5 }

/// <summary>A periodical the publishing team sells as subscriptions (期刊), with its special issues (专辑).</summary>
public class Periodical : TrackedEntity
{
    public int Id { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Short unique code used on labels and exports ("TJKX").</summary>
    public string Code { get; set; } = "";
    public IssueFrequency Frequency { get; set; } = IssueFrequency.Monthly;
    public int IssuesPerYear { get; set; } = 12;
    public decimal AnnualPrice { get; set; }
    /// <summary>Special issues published besides the regular ones (free text, e.g. "Spring fair special").</summary>
    public string? SpecialIssues { get; set; }
    public List<PeriodicalIssue> Issues { get; set; } = [];
}

/// <summary>One issue of a periodical; dispatch lists are made per issue.</summary>
public class PeriodicalIssue
{
    public int Id { get; set; }
    public int PeriodicalId { get; set; }
    /// <summary>Issue number as printed ("2026-05").</summary>
    public string Number { get; set; } = "";
    public DateOnly PublishedOn { get; set; }
    public bool IsSpecial { get; set; }
}

/// <summary>How a subscription was sold.</summary>
public enum SubscriptionChannel { Phone = 1, Visit = 2, Online = 3, Fair = 4, Agent = 5 }

/// <summary>Where a subscription stands; it follows from its dates (and a cancellation).</summary>
public enum SubscriptionStatus { Active = 1, Expiring = 2, Lapsed = 3, Cancelled = 4 }

/// <summary>What came of a renewal call.</summary>
public enum RenewalCallOutcome { NoAnswer = 1, CallBack = 2, Renewed = 3, Declined = 4 }

/// <summary>A customer's subscription to a periodical for one period; a renewal is a new subscription pointing back.</summary>
public class Subscription : TrackedEntity
{
    /// <summary>Days before the end in which a subscription counts as expiring.</summary>
    public const int ExpiringDays = 30;

    public int Id { get; set; }
    public int AccountId { get; set; }
    public int? ContactId { get; set; }
    public int PeriodicalId { get; set; }
    public Periodical? Periodical { get; set; }
    public string? DeliveryAddress { get; set; }
    public int Copies { get; set; } = 1;
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public decimal Price { get; set; }
    public decimal Paid { get; set; }
    public SubscriptionChannel Channel { get; set; } = SubscriptionChannel.Phone;
    public string? SalespersonId { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }
    /// <summary>The subscription this one renews, and the one that renewed it.</summary>
    public int? RenewedFromId { get; set; }
    public int? RenewedById { get; set; }
    public DateTimeOffset? LastCallAt { get; set; }
    public RenewalCallOutcome? LastCallOutcome { get; set; }
    public DateTimeOffset? CallBackAt { get; set; }
    public string? DeclineReason { get; set; }

    /// <summary>The status on a given day.</summary>
    public SubscriptionStatus StatusOn(DateOnly day) => StatusOf(CancelledAt, EndsOn, day);

    public static SubscriptionStatus StatusOf(DateTimeOffset? cancelledAt, DateOnly endsOn, DateOnly day) =>
        cancelledAt is not null ? SubscriptionStatus.Cancelled
        : endsOn < day ? SubscriptionStatus.Lapsed
        : endsOn <= day.AddDays(ExpiringDays) ? SubscriptionStatus.Expiring
        : SubscriptionStatus.Active;
}

/// <summary>Why a dispatched copy came back.</summary>
public enum ReturnReason { BadAddress = 1, Refused = 2, Other = 3 }

/// <summary>One subscription's copies of one issue: dispatched, and possibly returned.</summary>
public class Dispatch
{
    public long Id { get; set; }
    public int IssueId { get; set; }
    public int SubscriptionId { get; set; }
    public int Copies { get; set; }
    public DateTimeOffset DispatchedAt { get; set; }
    public string? DispatchedBy { get; set; }
    public ReturnReason? Returned { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public string? ReturnNote { get; set; }
}
