namespace CrmWorkspace.Domain;

/// <summary>A person at a customer company.</summary>
public class Contact : TrackedEntity
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public Account? Account { get; set; }
    public string Name { get; set; } = "";
    public string? Title { get; set; }
    public string? Department { get; set; }
    public DateOnly? Birthday { get; set; }
    public bool IsKeyContact { get; set; }
    public string? Address { get; set; }
    public string? PostalCode { get; set; }
    /// <summary>Set when this contact was merged into another.</summary>
    public int? MergedIntoId { get; set; }
    /// <summary>Set when mail to <see cref="Address"/> came back (bad address); cleared when the address is edited.</summary>
    public string? AddressProblem { get; set; }
    public string? Notes { get; set; }
    public List<ContactPhone> Phones { get; set; } = [];
    public List<ContactEmail> Emails { get; set; } = [];
}

/// <summary>Kind of a phone number.</summary>
public enum PhoneKind { Mobile = 1, Office = 2, Fax = 3, Other = 4 }

/// <summary>One phone number of a contact, as typed and normalised.</summary>
public class ContactPhone
{
    public int Id { get; set; }
    public int ContactId { get; set; }
    public string Number { get; set; } = "";
    public string E164 { get; set; } = "";
    public PhoneKind Kind { get; set; } = PhoneKind.Mobile;
}

/// <summary>One email address of a contact (stored trimmed and lower-cased).</summary>
public class ContactEmail
{
    public int Id { get; set; }
    public int ContactId { get; set; }
    public string Address { get; set; } = "";
}
