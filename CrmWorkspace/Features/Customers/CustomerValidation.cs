using CrmWorkspace.Domain.Normalization;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Customers;

/// <summary>Field rules shared by the forms (live) and the service (authoritative); messages are localised.</summary>
public class CustomerValidation(IStringLocalizer<CustomersText> L)
{
    public string? Name(string? v) =>
        string.IsNullOrWhiteSpace(v) ? L["Name is required."].Value : v.Trim().Length > 200 ? L["Name is too long (200 characters at most)."].Value : null;

    public string? ContactName(string? v) =>
        string.IsNullOrWhiteSpace(v) ? L["Name is required."].Value : v.Trim().Length > 100 ? L["Name is too long (100 characters at most)."].Value : null;

    public string? Phone(string? v) =>
        string.IsNullOrWhiteSpace(v) || PhoneNormalizer.IsValid(v) ? null
            : L["\"{0}\" is not a valid phone number. Use a mobile (138 0013 8000) or a landline with area code (028 8555 1234).", v.Trim()].Value;

    public string? Email(string? v) =>
        string.IsNullOrWhiteSpace(v) || EmailNormalizer.IsValid(v) ? null : L["\"{0}\" is not a valid email address.", v.Trim()].Value;

    public string? Website(string? v)
    {
        if (string.IsNullOrWhiteSpace(v)) return null;
        var t = v.Trim();
        if (!t.Contains("://")) t = "http://" + t;
        return Uri.TryCreate(t, UriKind.Absolute, out var u) && u.Host.Contains('.') ? null : L["\"{0}\" is not a valid web address.", v.Trim()].Value;
    }

    public Dictionary<string, string> Validate(AccountInput a)
    {
        var errors = new Dictionary<string, string>();
        void Add(string field, string? error) { if (error is not null) errors[field] = error; }
        Add(nameof(a.Name), Name(a.Name));
        Add(nameof(a.Phone), Phone(a.Phone));
        Add(nameof(a.Website), Website(a.Website));
        if (a.ShortName?.Trim().Length > 60) errors[nameof(a.ShortName)] = L["Short name is too long (60 characters at most)."].Value;
        return errors;
    }

    public Dictionary<string, string> Validate(ContactInput c)
    {
        var errors = new Dictionary<string, string>();
        void Add(string field, string? error) { if (error is not null) errors[field] = error; }
        Add(nameof(c.Name), ContactName(c.Name));
        for (var i = 0; i < c.Phones.Count; i++) Add($"Phones[{i}]", Phone(c.Phones[i].Number));
        for (var i = 0; i < c.Emails.Count; i++) Add($"Emails[{i}]", Email(c.Emails[i].Address));
        if (c.Birthday is { } b && (b.Date > DateTime.Today || b.Year < 1900)) errors[nameof(c.Birthday)] = L["Birthday must be a past date."].Value;
        if (c.PostalCode?.Trim().Length > 12) errors[nameof(c.PostalCode)] = L["The postal code is too long (12 characters at most)."].Value;
        if (c.Address?.Trim().Length > 300) errors[nameof(c.Address)] = L["The address is too long (300 characters at most)."].Value;
        return errors;
    }
}
