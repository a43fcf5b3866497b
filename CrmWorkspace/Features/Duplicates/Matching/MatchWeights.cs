namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Agreement and disagreement weights in the spirit of Fellegi-Sunter: each field adds evidence
/// (positive when the values agree, negative when they clearly differ, nothing when a value is missing);
/// the sum goes through a logistic curve to give the 0..1 score.
/// </summary>
internal sealed class MatchWeights
{
    // Person names.
    /// <summary>Evidence for one full name token that agrees.</summary>
    public double NameTokenAgree = 6.5;
    /// <summary>Evidence against for one name token that differs.</summary>
    public double NameTokenDisagree = -4.5;
    /// <summary>
    /// At most this much evidence from a Latin name however many of its tokens agree: a full name is one field, and a
    /// common full name shared by two people ("alexa rose white") must not outweigh a different address, postcode and birthday.
    /// </summary>
    public double NameAgreeCap = 10.0;
    /// <summary>Jaro-Winkler at or below which name tokens count as different.</summary>
    public double NameSimLow = 0.8;
    /// <summary>Jaro-Winkler at or above which name tokens count as equal.</summary>
    public double NameSimHigh = 0.96;
    /// <summary>An initial that fits the other name's token.</summary>
    public double InitialAgree = 1.5;
    /// <summary>An initial that does not fit.</summary>
    public double InitialDisagree = -2.0;
    /// <summary>Equal two-character CJK names (very common: 张伟).</summary>
    public double CjkName2Agree = 2.5;
    /// <summary>Equal CJK names of three or more characters.</summary>
    public double CjkName3Agree = 6.0;
    /// <summary>A CJK name of three or more characters one character off.</summary>
    public double CjkNameNear = 1.0;
    /// <summary>A two-character CJK name with the same surname and one character off.</summary>
    public double CjkName2Near = -2.0;
    /// <summary>Different CJK names.</summary>
    public double CjkNameDisagree = -9.0;

    // Birthday.
    /// <summary>Same birthday.</summary>
    public double BirthdayAgree = 9.0;
    /// <summary>Birthday with one digit changed, neighbouring digits or day and month swapped.</summary>
    public double BirthdayNear = 4.5;
    /// <summary>Birthday with two digits changed.</summary>
    public double BirthdayTwoDigits = 0.5;
    /// <summary>Different birthdays.</summary>
    public double BirthdayDisagree = -5.0;

    // Postcode.
    /// <summary>Same postcode.</summary>
    public double PostcodeAgree = 5.0;
    /// <summary>Postcode one digit off or with neighbouring digits swapped.</summary>
    public double PostcodeNear = 1.5;
    /// <summary>Different postcodes.</summary>
    public double PostcodeDisagree = -4.0;

    // Address tokens.
    /// <summary>Addresses with equal tokens.</summary>
    public double AddressAgree = 8.0;
    /// <summary>Addresses with hardly any token in common.</summary>
    public double AddressDisagree = -5.0;
    /// <summary>Token-set similarity at or below which addresses count as different.</summary>
    public double AddressSimLow = 0.35;
    /// <summary>Token-set similarity at or above which addresses count as equal.</summary>
    public double AddressSimHigh = 0.95;

    // Phones and e-mails.
    /// <summary>A shared mobile (contacts) or main number (accounts).</summary>
    public double PhoneAgree = 12.0;
    /// <summary>A shared fixed line between contacts (an office number many colleagues have).</summary>
    public double SharedLineAgree = 7.0;
    /// <summary>Contacts with phones but none in common.</summary>
    public double PhoneDisagree = -3.0;
    /// <summary>Accounts with different numbers (a company has many lines).</summary>
    public double AccountPhoneDisagree = -1.5;
    /// <summary>A shared e-mail address.</summary>
    public double EmailAgree = 12.0;
    /// <summary>E-mail addresses but none in common.</summary>
    public double EmailDisagree = -1.5;

    // Company names.
    /// <summary>Equal company name cores (scaled down for very short cores).</summary>
    public double CompanyCoreAgree = 13.0;
    /// <summary>Different company name cores.</summary>
    public double CompanyCoreDisagree = -8.0;
    /// <summary>Name similarity at or below which companies count as different.</summary>
    public double CompanySimLow = 0.75;
    /// <summary>Name similarity at or above which company names count as equal.</summary>
    public double CompanySimHigh = 0.97;
    /// <summary>Two places that cannot be the same location (branches in two cities).</summary>
    public double PlaceConflict = -12.0;
    /// <summary>The same place.</summary>
    public double PlaceAgree = 1.0;
    /// <summary>Two accounts under the same parent account.</summary>
    public double SameParent = 1.0;
    /// <summary>One account is the parent of the other.</summary>
    public double ParentChild = -20.0;
    /// <summary>A branch named after its head office ("…有限公司成都分公司"): linked as a branch, never merged, whatever else agrees.</summary>
    public double HeadAndBranch = -40.0;
    /// <summary>Most a brand alone ("茅台") adds against a full company name with that brand: not enough without a phone, e-mail or address.</summary>
    public double BareBrandAgree = 2.0;
    /// <summary>Different mobile numbers (a mobile belongs to one person): two people unless something else agrees.</summary>
    public double MobileDisagree = -8.0;
    /// <summary>A Chinese name given as the surname alone (刘总, 老王) that is the other name's surname.</summary>
    public double CjkSurnameOnlyAgree = 0.5;

    // Mapping of the evidence sum to 0..1.
    /// <summary>Evidence at which the score is 0.5.</summary>
    public double Offset = 4.0;
    /// <summary>How much evidence moves the score (logistic scale).</summary>
    public double Scale = 3.0;

    /// <summary>The weights the scorer uses unless told otherwise.</summary>
    public static readonly MatchWeights Default = new();

    /// <summary>Linear interpolation between the disagreement and the agreement weight as the similarity goes from low to high.</summary>
    public static double Partial(double sim, double low, double high, double disagree, double agree)
    {
        var f = Math.Clamp((sim - low) / (high - low), 0, 1);
        return disagree + (agree - disagree) * f;
    }

    /// <summary>The evidence sum as a 0..1 score.</summary>
    public double ToScore(double evidence) => 1.0 / (1.0 + Math.Exp(-(evidence - Offset) / Scale));
}
