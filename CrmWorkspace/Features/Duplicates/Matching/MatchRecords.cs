namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>Why two records look alike: a code the UI translates, with an optional detail or percentage.</summary>
/// <param name="Code">One of the <see cref="MatchReasonCodes"/>.</param>
/// <param name="Detail">The shared value (phone number, e-mail address, place), when there is one.</param>
/// <param name="Percent">How similar the values are, 0..100, for the "similar" codes.</param>
public sealed record MatchReason(string Code, string? Detail = null, int? Percent = null);

/// <summary>The outcome of comparing two records: a score in 0..1 and the reasons behind it.</summary>
/// <param name="Score">How likely the two records describe the same customer, 0..1.</param>
/// <param name="Reasons">The agreeing fields, strongest first.</param>
public sealed record MatchResult(double Score, IReadOnlyList<MatchReason> Reasons);

/// <summary>Reason codes used in <see cref="MatchReason.Code"/>.</summary>
public static class MatchReasonCodes
{
    /// <summary>Both records carry the same phone number (Detail = E.164).</summary>
    public const string SamePhone = "samePhone";
    /// <summary>Both records carry the same e-mail address (Detail = address).</summary>
    public const string SameEmail = "sameEmail";
    /// <summary>The names are similar but not equal (Percent).</summary>
    public const string NameSimilar = "nameSimilar";
    /// <summary>The names are equal after normalisation.</summary>
    public const string SameName = "sameName";
    /// <summary>Both records are in the same place (Detail = place).</summary>
    public const string SamePlace = "samePlace";
    /// <summary>The addresses are similar (Percent).</summary>
    public const string AddressSimilar = "addressSimilar";
    /// <summary>The birthdays are equal.</summary>
    public const string SameBirthday = "sameBirthday";
    /// <summary>Both accounts belong to the same parent account.</summary>
    public const string SameParent = "sameParent";
    /// <summary>The postcodes are equal.</summary>
    public const string SamePostcode = "samePostcode";
    /// <summary>One company is a branch of the other (Detail = the branch part, "成都分公司"): link it as a branch, do not merge.</summary>
    public const string BranchOf = "branchOf";
    /// <summary>Two branches of one company in different places (Detail = "成都分公司/重庆分公司").</summary>
    public const string OtherBranch = "otherBranch";
    /// <summary>The Chinese trade names (字号) are equal (Detail = the trade name).</summary>
    public const string SameTradeName = "sameTradeName";
    /// <summary>The trade names differ in a character (Detail = "金粮/金穗"): another company unless a phone, e-mail or address agrees.</summary>
    public const string OtherTradeName = "otherTradeName";
    /// <summary>The industries differ (Detail = "酒业/纸业").</summary>
    public const string OtherIndustry = "otherIndustry";
    /// <summary>One name holds distinctive words the other lacks (Detail = the words, "美凯龙").</summary>
    public const string ExtraWords = "extraWords";
    /// <summary>One name is a brand alone (Detail = the brand): weak evidence without a phone, e-mail or address.</summary>
    public const string BareBrand = "bareBrand";
    /// <summary>The names are in different counties or cities (Detail = "射洪县/蓬溪县").</summary>
    public const string OtherPlace = "otherPlace";
    /// <summary>A known short name stands for the other's full name (Detail = the short name, "中粮").</summary>
    public const string KnownShortName = "knownShortName";
}

/// <summary>A contact (person) as the matcher sees it.</summary>
public sealed class ContactRecord
{
    /// <summary>The contact's id.</summary>
    public int Id;
    /// <summary>The full name, in any order and script.</summary>
    public string? Name;
    /// <summary>Phone numbers in E.164 (other formats are normalised on the fly).</summary>
    public List<string> PhonesE164 = [];
    /// <summary>E-mail addresses.</summary>
    public List<string> Emails = [];
    /// <summary>The postal address as one line.</summary>
    public string? Address;
    /// <summary>The postcode.</summary>
    public string? Postcode;
    /// <summary>The date of birth, when known.</summary>
    public DateOnly? Birthday;
    /// <summary>The account (company) the contact works for.</summary>
    public int? AccountId;
}

/// <summary>An account (company) as the matcher sees it.</summary>
public sealed class AccountRecord
{
    /// <summary>The account's id.</summary>
    public int Id;
    /// <summary>The company name as entered.</summary>
    public string? Name;
    /// <summary>The main phone number in E.164 (other formats are normalised on the fly).</summary>
    public string? PhoneE164;
    /// <summary>The postal address as one line.</summary>
    public string? Address;
    /// <summary>The city.</summary>
    public string? City;
    /// <summary>The parent account, for branches and subsidiaries.</summary>
    public int? ParentId;
}
