using PhoneNumbers;

namespace CrmWorkspace.Domain.Normalization;

/// <summary>Parses phone numbers as people type them (+86, 0086, dashes, area codes, extensions) into E.164.</summary>
public static class PhoneNormalizer
{
    public const string DefaultRegion = "CN";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form ("+8613800138000"), or null when the text is not a valid number.</summary>
    public static string? ToE164(string? text, string region = DefaultRegion)
    {
        if (!TryParse(text, region, out var number)) return null;
        return Util.Format(number, PhoneNumberFormat.E164);
    }

    /// <summary>Whether the text is a valid phone number for the region (or carries its own country code).</summary>
    public static bool IsValid(string? text, string region = DefaultRegion) => TryParse(text, region, out _);

    /// <summary>A number formatted for display ("138 0013 8000", "028 8555 1234").</summary>
    public static string Display(string? text, string region = DefaultRegion) =>
        TryParse(text, region, out var number) ? Util.Format(number, PhoneNumberFormat.NATIONAL) : text ?? "";

    private static bool TryParse(string? text, string region, out PhoneNumber number)
    {
        number = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        // "0086..." is how the international prefix is often written in China; libphonenumber wants "+86".
        if (t.StartsWith("00")) t = "+" + t[2..];
        try
        {
            number = Util.Parse(t, region);
            return Util.IsValidNumber(number);
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>Whether the text looks like someone typing a phone number rather than a name.</summary>
    public static bool LooksLikePhone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var digits = 0;
        foreach (var ch in text)
        {
            if (char.IsAsciiDigit(ch)) digits++;
            else if (ch is not (' ' or '-' or '+' or '(' or ')' or '.')) return false;
        }
        return digits >= 5;
    }

    /// <summary>The digits only, for prefix search while a number is still being typed.</summary>
    public static string Digits(string text) => new(text.Where(char.IsAsciiDigit).ToArray());
}
