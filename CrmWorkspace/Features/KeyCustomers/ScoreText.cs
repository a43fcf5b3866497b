using System.Globalization;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>Marker for the key-customer texts (Resources/Features/KeyCustomers).</summary>
public class KeyCustomersText;

/// <summary>Breakdown lines in the reader's language: "Subscriptions (12 months) ¥8,600: +9".</summary>
public static class ScoreText
{
    public static string Amount(ScoreLine line) => line.Input switch
    {
        ScoreInput.SubscriptionRevenue or ScoreInput.FairSpend => "¥" + line.Amount.ToString("N0", CultureInfo.CurrentCulture),
        ScoreInput.BoothArea => line.Amount.ToString("0.#", CultureInfo.CurrentCulture) + " m²",
        _ => line.Amount.ToString("0.#", CultureInfo.CurrentCulture),
    };

    public static string Points(int points) => points > 0 ? $"+{points}" : points < 0 ? $"−{-points}" : "0";

    public static string Line(IStringLocalizer<KeyCustomersText> L, ScoreLine line) =>
        L["{0} {1}: {2}", L[$"ScoreInput.{line.Input}"], Amount(line), Points(line.Points)];
}
