using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Customers;

/// <summary>The editable fields of an account, as the form binds them and as conflicts compare them.</summary>
public class AccountInput
{
    public string Name { get; set; } = "";
    public string? ShortName { get; set; }
    public int? ParentId { get; set; }
    public SupplyChainStage? Stage { get; set; }
    public BusinessType? BusinessType { get; set; }
    public ProductLines ProductLines { get; set; }
    public string? Province { get; set; }
    public string? City { get; set; }
    public string? Address { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public AccountTier Tier { get; set; } = AccountTier.C;
    public string? OwnerId { get; set; }
    public AccountStatus Status { get; set; } = AccountStatus.Prospect;
    public bool IntendsToSubscribe { get; set; }
    public bool IntendsToExhibit { get; set; }
    public bool IntendsToAdvertise { get; set; }

    /// <summary>Names of the fields compared for conflicts and field history.</summary>
    public static readonly string[] Fields = typeof(AccountInput).GetProperties().Select(p => p.Name).ToArray();

    public static AccountInput From(Account a) => new()
    {
        Name = a.Name, ShortName = a.ShortName, ParentId = a.ParentId, Stage = a.Stage, BusinessType = a.BusinessType,
        ProductLines = a.ProductLines, Province = a.Province, City = a.City, Address = a.Address, Phone = a.Phone,
        Website = a.Website, Tier = a.Tier, OwnerId = a.OwnerId, Status = a.Status,
        IntendsToSubscribe = a.IntendsToSubscribe, IntendsToExhibit = a.IntendsToExhibit, IntendsToAdvertise = a.IntendsToAdvertise,
    };

    public AccountInput Clone() => (AccountInput)MemberwiseClone();

    public object? Get(string field) => typeof(AccountInput).GetProperty(field)!.GetValue(this);

    public void Set(string field, object? value) => typeof(AccountInput).GetProperty(field)!.SetValue(this, value);

    /// <summary>The fields whose values differ between two inputs.</summary>
    public static IReadOnlyList<string> Diff(AccountInput a, AccountInput b) =>
        Fields.Where(f => !Equals(Normalize(a.Get(f)), Normalize(b.Get(f)))).ToList();

    private static object? Normalize(object? v) => v is string s ? (string.IsNullOrWhiteSpace(s) ? null : s.Trim()) : v;

    /// <summary>Writes the given fields onto the entity.</summary>
    public void ApplyTo(Account a, IEnumerable<string>? fields = null)
    {
        foreach (var f in fields ?? Fields)
        {
            var value = Normalize(Get(f));
            typeof(Account).GetProperty(f)!.SetValue(a, value);
        }
    }
}
