namespace CrmWorkspace.Features.Duplicates.Matching;

/// <summary>
/// Agreement and disagreement weights in the spirit of Fellegi-Sunter: each field adds evidence
/// (positive when the values agree, negative when they clearly differ, nothing when a value is missing);
/// the sum goes through a logistic curve to give the 0..1 score.
/// </summary>
internal sealed class MatchWeights
{
    // Person names.
    public double NameTokenAgree = 6.5;
    public double NameTokenDisagree = -4.5;
    public double NameSimLow = 0.8;
    public double NameSimHigh = 0.96;
    public double InitialAgree = 1.5;
    public double InitialDisagree = -2.0;
    public double CjkName2Agree = 2.5;
    public double CjkName3Agree = 6.0;
    public double CjkNameNear = 1.0;
    public double CjkName2Near = -2.0;
    public double CjkNameDisagree = -9.0;

    // Birthday.
    public double BirthdayAgree = 9.0;
    public double BirthdayNear = 4.5;
    public double BirthdayTwoDigits = 0.5;
    public double BirthdayDisagree = -5.0;

    // Postcode.
    public double PostcodeAgree = 5.0;
    public double PostcodeNear = 1.5;
    public double PostcodeDisagree = -4.0;

    // Address tokens.
    public double AddressAgree = 8.0;
    public double AddressDisagree = -5.0;
    public double AddressSimLow = 0.35;
    public double AddressSimHigh = 0.95;

    // Phones and e-mails.
    public double PhoneAgree = 12.0;
    public double SharedLineAgree = 7.0;
    public double PhoneDisagree = -3.0;
    public double AccountPhoneDisagree = -1.5;
    public double EmailAgree = 12.0;
    public double EmailDisagree = -1.5;

    // Company names.
    public double CompanyCoreAgree = 13.0;
    public double CompanyCoreDisagree = -8.0;
    public double CompanySimLow = 0.75;
    public double CompanySimHigh = 0.97;
    public double PlaceConflict = -12.0;
    public double PlaceAgree = 1.0;
    public double SameParent = 1.0;
    public double ParentChild = -20.0;

    // Mapping of the evidence sum to 0..1.
    public double Offset = 4.0;
    public double Scale = 3.0;

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
