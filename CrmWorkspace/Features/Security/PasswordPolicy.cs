using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Security;

/// <summary>
/// The password rule for the first administrator and every new user: stated on the forms before submitting, checked here
/// with a message in the user's language, and given to Identity (which checks it again).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    public static void Apply(PasswordOptions o)
    {
        o.RequiredLength = MinLength;
        o.RequireDigit = true;
        o.RequireLowercase = true;
        o.RequireUppercase = true;
        o.RequireNonAlphanumeric = false;
    }

    /// <summary>The rule in words, shown beside every new-password field.</summary>
    public static string Describe(IStringLocalizer<SecurityText> L) =>
        L["At least {0} characters, with a digit, a lower-case and an upper-case letter; not your email or name.", MinLength];

    /// <summary>What is wrong with this password, or null when it keeps the rule.</summary>
    public static string? Check(string? password, string? email, string? name, IStringLocalizer<SecurityText> L)
    {
        var p = password ?? "";
        if (p.Length < MinLength || p.Length > MaxLength || !p.Any(char.IsDigit) || !p.Any(char.IsLower) || !p.Any(char.IsUpper))
            return L["The password does not keep the rule: {0}", Describe(L)];
        if ((!string.IsNullOrWhiteSpace(email) && p.Contains(email.Trim().Split('@')[0], StringComparison.OrdinalIgnoreCase) && email.Trim().Split('@')[0].Length >= 4)
            || (!string.IsNullOrWhiteSpace(name) && name.Trim().Length >= 4 && p.Contains(name.Trim(), StringComparison.OrdinalIgnoreCase)))
            return L["The password must not contain your email or name."];
        return null;
    }
}
