namespace CrmWorkspace.Domain;

/// <summary>A customer company; branches and offices point to their parent.</summary>
public class Account : TrackedEntity
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? ShortName { get; set; }
    public int? ParentId { get; set; }
    public Account? Parent { get; set; }
    public List<Account> Branches { get; set; } = [];
    public SupplyChainStage? Stage { get; set; }
    public BusinessType? BusinessType { get; set; }
    public ProductLines ProductLines { get; set; }
    public string? Province { get; set; }
    public string? City { get; set; }
    public string? Address { get; set; }
    public string? Phone { get; set; }
    /// <summary>E.164 form of <see cref="Phone"/>, kept by the save path for lookups.</summary>
    public string? PhoneE164 { get; set; }
    public string? Website { get; set; }
    public AccountTier Tier { get; set; } = AccountTier.C;
    public string? OwnerId { get; set; }
    public StaffUser? Owner { get; set; }
    public AccountStatus Status { get; set; } = AccountStatus.Prospect;
    public bool IntendsToSubscribe { get; set; }
    public bool IntendsToExhibit { get; set; }
    public bool IntendsToAdvertise { get; set; }
    public List<Contact> Contacts { get; set; } = [];
    /// <summary>Set when this record was merged into another: old links redirect there.</summary>
    public int? MergedIntoId { get; set; }
}
