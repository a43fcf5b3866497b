using System.Net.Mail;

namespace CrmWorkspace.Domain.Normalization;

/// <summary>Emails are compared trimmed and lower-cased.</summary>
public static class EmailNormalizer
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return false;
        var t = email.Trim();
        if (t.Contains(' ') || !t.Contains('@')) return false;
        try
        {
            var parsed = new MailAddress(t);
            return parsed.Address == t && parsed.Host.Contains('.');
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
