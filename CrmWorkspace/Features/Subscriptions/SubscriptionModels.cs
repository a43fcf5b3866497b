using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>Marker for the subscriptions feature's localised strings.</summary>
public class SubscriptionsText;

/// <summary>What the new-subscription form sends.</summary>
public class SubscriptionInput
{
    public int AccountId { get; set; }
    public int? ContactId { get; set; }
    public int PeriodicalId { get; set; }
    public string? DeliveryAddress { get; set; }
    public int Copies { get; set; } = 1;
    public DateTime? StartsOn { get; set; } = DateTime.Today;
    /// <summary>Length of the period in months; the end date follows.</summary>
    public int Months { get; set; } = 12;
    public decimal? Price { get; set; }
    public decimal Paid { get; set; }
    public SubscriptionChannel Channel { get; set; } = SubscriptionChannel.Phone;
    public string? SalespersonId { get; set; }
    /// <summary>A manager's reason for serving a restricted customer anyway (written on its timeline); refused without it.</summary>
    public string? OverrideReason { get; set; }
}

/// <summary>What the one-step renewal sends: the new period, price and copies.</summary>
public class RenewalInput
{
    public DateTime? StartsOn { get; set; }
    public int Months { get; set; } = 12;
    public int Copies { get; set; } = 1;
    public decimal? Price { get; set; }
    public decimal Paid { get; set; }
    public SubscriptionChannel Channel { get; set; } = SubscriptionChannel.Phone;
}

/// <summary>A logged renewal call.</summary>
public class CallInput
{
    public RenewalCallOutcome Outcome { get; set; } = RenewalCallOutcome.NoAnswer;
    public DateTime? CallBackOn { get; set; }
    public string? DeclineReason { get; set; }
    public string? Note { get; set; }
}

/// <summary>Filters of the renewal desk, its exports and the renewal report.</summary>
public record RenewalQuery
{
    /// <summary>Subscriptions ending within this many days from today.</summary>
    public int Days { get; init; } = 60;
    /// <summary>Also list subscriptions that lapsed within this many days (0 = none).</summary>
    public int LapsedDays { get; init; } = 90;
    public int? PeriodicalId { get; init; }
    public string? Province { get; init; }
    public string? SalespersonId { get; init; }
    /// <summary>Today, for tests and reports made for another day; null means today.</summary>
    public DateOnly? Today { get; init; }
    /// <summary>Only this customer's rows: a live desk re-reads just the customer an event is about.</summary>
    public int? AccountId { get; init; }
    public const int MaxDays = 730;
}

/// <summary>One row of the renewal desk (and of the report and exports).</summary>
public record RenewalRow(int SubscriptionId, int AccountId, string AccountName, string? Province, string? City, int? ContactId, string? ContactName,
    string? Phone, int PeriodicalId, string PeriodicalTitle, int Copies, decimal Price, decimal Paid, DateOnly StartsOn, DateOnly EndsOn,
    SubscriptionStatus Status, string? SalespersonId, DateTimeOffset? LastCallAt, RenewalCallOutcome? LastCallOutcome, DateTimeOffset? CallBackAt,
    DateTimeOffset? LastContactAt, Guid Version);

/// <summary>A subscription as the customer's tab shows it.</summary>
public record SubscriptionView(int Id, int AccountId, string AccountName, int? ContactId, string? ContactName, string PeriodicalTitle, int Copies,
    DateOnly StartsOn, DateOnly EndsOn, decimal Price, decimal Paid, SubscriptionChannel Channel, string? SalespersonId, SubscriptionStatus Status,
    int? RenewedById, RenewalCallOutcome? LastCallOutcome, DateTimeOffset? LastCallAt, Guid Version);

/// <summary>One line of an issue's dispatch list.</summary>
public record DispatchRow(int SubscriptionId, int AccountId, string AccountName, string? Recipient, string? Address, string? AddressProblem, int Copies,
    long? DispatchId, DateTimeOffset? DispatchedAt, ReturnReason? Returned, string? PostalCode = null);

/// <summary>A periodical with its counts for the list page.</summary>
public record PeriodicalRow(int Id, string Title, string Code, IssueFrequency Frequency, int IssuesPerYear, decimal AnnualPrice, string? SpecialIssues,
    int ActiveSubscriptions, int Issues);

/// <summary>Outcome of a subscriptions use case.</summary>
/// <summary>The outcome of a subscription command; Count says how many rows a batch command (plan a year, mark dispatched) wrote.</summary>
public record SubscriptionResult(bool Ok, int? Id = null, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, int? Count = null)
    : CommandResult(Ok, Error, Errors);

/// <summary>A periodical's group in the renewal report.</summary>
public record RenewalGroup(string Periodical, IReadOnlyList<RenewalRow> Rows)
{
    public int Copies => Rows.Sum(r => r.Copies);
    public decimal Amount => Rows.Sum(r => r.Price);
}

/// <summary>Everything the renewal report prints.</summary>
public record RenewalReportData(RenewalQuery Query, string? PeriodicalTitle, string? SalespersonName, IReadOnlyList<RenewalGroup> Groups,
    string GeneratedBy, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, string> SalespersonNames, string? CutNote = null)
{
    public int Count => Groups.Sum(g => g.Rows.Count);
    public int Copies => Groups.Sum(g => g.Copies);
    public decimal Amount => Groups.Sum(g => g.Amount);
}

/// <summary>Small rules the circulation services share: today's date and how a free-text field is stored.</summary>
internal static class Circulation
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);

    /// <summary>Blank becomes null; anything else is trimmed.</summary>
    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
