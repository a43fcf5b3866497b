using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Customers;

/// <summary>The editable fields of a contact.</summary>
public class ContactInput
{
    public string Name { get; set; } = "";
    public string? Title { get; set; }
    public string? Department { get; set; }
    public DateTime? Birthday { get; set; }
    public bool IsKeyContact { get; set; }
    public string? Address { get; set; }
    public string? PostalCode { get; set; }
    public string? Notes { get; set; }
    public List<PhoneInput> Phones { get; set; } = [new()];
    public List<EmailInput> Emails { get; set; } = [new()];

    public static ContactInput From(Contact c) => new()
    {
        Name = c.Name, Title = c.Title, Department = c.Department,
        Birthday = c.Birthday?.ToDateTime(TimeOnly.MinValue), IsKeyContact = c.IsKeyContact, Address = c.Address, PostalCode = c.PostalCode, Notes = c.Notes,
        Phones = c.Phones.Count == 0 ? [new()] : c.Phones.Select(p => new PhoneInput { Number = p.Number, Kind = p.Kind }).ToList(),
        Emails = c.Emails.Count == 0 ? [new()] : c.Emails.Select(e => new EmailInput { Address = e.Address }).ToList(),
    };
}

/// <summary>One phone line of the contact form.</summary>
public class PhoneInput
{
    public string? Number { get; set; }
    public PhoneKind Kind { get; set; } = PhoneKind.Mobile;
}

/// <summary>One email line of the contact form.</summary>
public class EmailInput
{
    public string? Address { get; set; }
}
