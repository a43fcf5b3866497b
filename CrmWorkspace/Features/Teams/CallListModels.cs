using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Teams;

/// <summary>Which customers go on a call list: any combination of region, kind of business, status and intents, or the lapsed subscribers of a periodical.</summary>
public class CustomerFilter
{
    public string? Province { get; set; }
    public string? City { get; set; }
    public BusinessType? BusinessType { get; set; }
    public AccountStatus? Status { get; set; }
    public AccountTier? Tier { get; set; }
    public bool IntendsToExhibit { get; set; }
    public bool IntendsToAdvertise { get; set; }
    public bool IntendsToSubscribe { get; set; }
    /// <summary>Customers whose subscription to this periodical ended without a renewal and who hold no current one.</summary>
    public int? LapsedPeriodicalId { get; set; }
}

/// <summary>What the manager fills in to build and hand out a list.</summary>
public class CallListInput
{
    public string Name { get; set; } = "";
    public CustomerFilter Filter { get; set; } = new();
    public List<string> AssigneeIds { get; set; } = [];
    public CallListSplit Split { get; set; } = CallListSplit.Evenly;
    public DateTime? DueOn { get; set; }
}

/// <summary>One person's share of a list and how far they are.</summary>
public record CallListShare(string PersonId, string Name, int Customers, int Called, IReadOnlyDictionary<RenewalCallOutcome, int> ByOutcome);

/// <summary>A list with its progress, overall and per person.</summary>
public record CallListProgress(int Id, string Name, string FilterText, CallListSplit Split, DateOnly? DueOn, string? CreatedBy, DateTimeOffset CreatedAt,
    int Customers, int Called, IReadOnlyList<CallListShare> People, bool RenewedAllowed)
{
    public int Percent => Customers == 0 ? 0 : Called * 100 / Customers;
}

/// <summary>A customer to call on someone's list, with the phone one click away.</summary>
public record CallItemRow(long Id, int CallListId, string ListName, int AccountId, string AccountName, string? Province, string? City, string? Phone,
    string? ContactName, RenewalCallOutcome? Outcome, DateTimeOffset? CalledAt, bool RenewedAllowed);

/// <summary>The outcome of building a list or logging a call.</summary>
public record CallListResult(bool Ok, int? Id = null, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, CallItemRow? Item = null)
    : CommandResult(Ok, Error, Errors);
