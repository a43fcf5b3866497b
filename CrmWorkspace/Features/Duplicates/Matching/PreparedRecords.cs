using CrmWorkspace.Domain.Normalization;

namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>A contact with every field normalised once, so that comparing it with many others is cheap.</summary>
internal sealed class PreparedContact
{
    /// <summary>The record id.</summary>
    public readonly int Id;
    /// <summary>Latin name tokens, sorted.</summary>
    public readonly string[] LatinNameTokens;
    /// <summary>The CJK part of the name, without spaces.</summary>
    public readonly string? CjkName;
    /// <summary>The person-name key.</summary>
    public readonly string NameKey;
    /// <summary>Phone numbers in E.164.</summary>
    public readonly string[] Phones;
    /// <summary>E-mail addresses, normalised.</summary>
    public readonly string[] Emails;
    /// <summary>Address tokens.</summary>
    public readonly string[] AddressTokens;
    /// <summary>The postcode without spaces or punctuation.</summary>
    public readonly string? Postcode;
    /// <summary>The birthday.</summary>
    public readonly DateOnly? Birthday;

    /// <summary>Normalises every field of the contact.</summary>
    public PreparedContact(ContactRecord r)
    {
        Id = r.Id;
        var tokens = PersonNameNormalizer.Tokens(r.Name);
        NameKey = string.Join(" ", tokens);
        CjkName = tokens.Count > 0 && TextSimilarity.IsCjk(tokens[0][0]) ? tokens[0] : null;
        LatinNameTokens = (CjkName is null ? tokens : tokens.Skip(1)).ToArray();
        Phones = r.PhonesE164.Select(NormalizePhone).Where(p => p is not null).Select(p => p!).Distinct().ToArray();
        Emails = r.Emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(EmailNormalizer.Normalize).Distinct().ToArray();
        AddressTokens = AddressNormalizer.Tokens(r.Address).ToArray();
        var pc = string.Concat(TextSimilarity.Words(TextSimilarity.Fold(r.Postcode)));
        Postcode = pc.Length == 0 ? null : pc;
        Birthday = r.Birthday;
    }

    /// <summary>Whether the contact has any name at all.</summary>
    public bool HasName => CjkName is not null || LatinNameTokens.Length > 0;

    /// <summary>Whether an E.164 number is a mobile (personal) rather than a fixed line that colleagues share.</summary>
    internal static bool IsMobile(string e164)
    {
        // Chinese mobiles are +86 1xx xxxx xxxx; everything else asks libphonenumber.
        if (e164.StartsWith("+86", StringComparison.Ordinal)) return e164.Length == 14 && e164[3] == '1';
        try
        {
            var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
            var type = util.GetNumberType(util.Parse(e164, null));
            return type is PhoneNumbers.PhoneNumberType.MOBILE or PhoneNumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return false;
        }
    }

    /// <summary>E.164 numbers pass through; anything else goes through the phone normaliser.</summary>
    internal static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var t = phone.Trim();
        if (t[0] == '+' && t.Skip(1).All(char.IsAsciiDigit)) return t;
        return PhoneNormalizer.ToE164(t);
    }
}

/// <summary>An account with every field normalised once.</summary>
internal sealed class PreparedAccount
{
    /// <summary>The record id.</summary>
    public readonly int Id;
    /// <summary>The normalised company name.</summary>
    public readonly CompanyName Name;
    /// <summary>The name core without its trade word.</summary>
    public readonly string Stem;
    /// <summary>The trade word ending the core, or "".</summary>
    public readonly string Trade;
    /// <summary>The main number in E.164.</summary>
    public readonly string? Phone;
    /// <summary>Address tokens.</summary>
    public readonly string[] AddressTokens;
    /// <summary>The city, canonical when known.</summary>
    public readonly string? City;
    /// <summary>Whether the city is one of the known places (so a province can contain it).</summary>
    public readonly bool CityKnown;
    /// <summary>The parent account.</summary>
    public readonly int? ParentId;

    /// <summary>Normalises every field of the account.</summary>
    public PreparedAccount(AccountRecord r)
    {
        Id = r.Id;
        Name = CompanyNameNormalizer.Normalize(r.Name);
        (Stem, Trade) = CompanyNameNormalizer.SplitTrade(Name.Core);
        Phone = PreparedContact.NormalizePhone(r.PhoneE164);
        AddressTokens = AddressNormalizer.Tokens(r.Address).ToArray();
        City = NormalizeCity(r.City);
        CityKnown = City is not null && Places.Canonical(City) == City;
        ParentId = r.ParentId;
    }

    /// <summary>A city canonical when known ("宜宾市" and "Yibin" both give "宜宾"), else folded without a 市/县 suffix.</summary>
    internal static string? NormalizeCity(string? city)
    {
        var canonical = Places.Canonical(city);
        if (canonical is not null) return canonical;
        var t = string.Concat(TextSimilarity.Words(TextSimilarity.Fold(city)));
        if (t.Length == 0) return null;
        if (t.Length > 2 && (t.EndsWith('市') || t.EndsWith('县'))) t = t[..^1];
        return t;
    }
}
