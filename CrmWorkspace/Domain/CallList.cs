namespace CrmWorkspace.Domain;

/// <summary>How a manager hands a call list out: the same number each, or whole regions per person.</summary>
public enum CallListSplit { Evenly = 1, ByRegion = 2 }

/// <summary>A list of customers to call, built by a manager from a customer filter and handed out to salespeople.</summary>
public class CallList : TrackedEntity
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int? TeamId { get; set; }
    /// <summary>The filter it was built from, in words (as the manager saw it when building).</summary>
    public string FilterText { get; set; } = "";
    /// <summary>Built from the lapsed subscribers of this periodical, if so (then "Renewed" is an outcome).</summary>
    public int? PeriodicalId { get; set; }
    public CallListSplit Split { get; set; }
    public DateOnly? DueOn { get; set; }
    public List<CallListItem> Items { get; set; } = [];
}

/// <summary>One customer on a call list, the person who calls it, and the outcome of the call (the renewal desk's outcomes).</summary>
public class CallListItem
{
    public long Id { get; set; }
    public int CallListId { get; set; }
    public int AccountId { get; set; }
    public string AssigneeId { get; set; } = "";
    public RenewalCallOutcome? Outcome { get; set; }
    public DateTimeOffset? CalledAt { get; set; }
    /// <summary>The call on the customer's timeline.</summary>
    public long? ActivityId { get; set; }
}
