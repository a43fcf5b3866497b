using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Customers;

/// <summary>Filters, sort and page of the customer list.</summary>
public record AccountQuery
{
    public string? Name { get; init; }
    public string? Province { get; init; }
    public SupplyChainStage? Stage { get; init; }
    public BusinessType? BusinessType { get; init; }
    public AccountTier? Tier { get; init; }
    public string? OwnerId { get; init; }
    public bool Deleted { get; init; }
    public string? SortBy { get; init; }
    public bool Descending { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

/// <summary>One row of the customer list.</summary>
public record AccountRow(int Id, string Name, string? ShortName, string? Province, string? City, AccountTier Tier,
    AccountStatus Status, string? OwnerId, int ContactCount, int BranchCount, DateTimeOffset UpdatedAt,
    bool IntendsToSubscribe, bool IntendsToExhibit, bool IntendsToAdvertise, string? ParentName, SupplyChainStage? Stage, BusinessType? BusinessType);

/// <summary>A page of rows and the total count.</summary>
public record Paged<T>(IReadOnlyList<T> Items, int Total);

/// <summary>A branch or office under an account, with counts of its own and of its whole subtree.</summary>
public record BranchNode(int Id, string Name, string? City, int Contacts, int ConsolidatedContacts, int ConsolidatedBranches, IReadOnlyList<BranchNode> Children);

/// <summary>Everything the customer page shows about an account.</summary>
public record AccountDetails(Account Account, string? ParentName, IReadOnlyList<BranchNode> Branches,
    IReadOnlyList<Contact> Contacts, int ConsolidatedContacts, int ConsolidatedBranches);

/// <summary>Another user's save that landed between this user's load and save.</summary>
public record ConflictInfo(string ByName, DateTimeOffset At, AccountInput Theirs, Guid TheirVersion,
    IReadOnlyList<string> TheirFields, IReadOnlyList<string> MyFields, IReadOnlyList<string> BothFields);

/// <summary>Outcome of a save: the id and new version, field errors, or a conflict to resolve.</summary>
public record SaveResult(bool Ok, int? Id = null, Guid? Version = null, IReadOnlyDictionary<string, string>? Errors = null,
    ConflictInfo? Conflict = null, string? Error = null) : CommandResult(Ok, Error, Errors)
{
    public static SaveResult Fail(IReadOnlyDictionary<string, string> errors) => new(false, Errors: errors);
    public static SaveResult Refused(string message) => new(false, Error: message);
}
