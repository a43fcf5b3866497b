using System.Text.Json;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>One line of a score's breakdown: what was measured and the points it gave.</summary>
public record ScoreLine(ScoreInput Input, decimal Amount, int Points);

/// <summary>A computed score: the total, the tier it falls in, and the lines it is made of.</summary>
public record ScoreResult(int Score, AccountTier Tier, IReadOnlyList<ScoreLine> Lines);

/// <summary>The arithmetic of the value score, with no database: amounts × weights, capped, summed, cut into tiers.</summary>
public static class ScoreRules
{
    /// <summary>The weights a new workspace starts with; managers change them on the settings page.</summary>
    public static IReadOnlyList<ScoreWeight> DefaultWeights() =>
    [
        new() { Input = ScoreInput.SubscriptionRevenue, PointsPerUnit = 1, Unit = 1000, Cap = 30 },
        new() { Input = ScoreInput.SubscriptionCopies, PointsPerUnit = 1, Unit = 1, Cap = 10 },
        new() { Input = ScoreInput.BoothArea, PointsPerUnit = 1, Unit = 9, Cap = 20 },
        new() { Input = ScoreInput.FairSpend, PointsPerUnit = 1, Unit = 5000, Cap = 25 },
        new() { Input = ScoreInput.CustomerYears, PointsPerUnit = 2, Unit = 1, Cap = 10 },
        new() { Input = ScoreInput.OverduePayments, PointsPerUnit = -5, Unit = 1, Cap = 20 },
        new() { Input = ScoreInput.OpenComplaints, PointsPerUnit = -5, Unit = 1, Cap = 20 },
        new() { Input = ScoreInput.MonthsWithoutContact, PointsPerUnit = -2, Unit = 1, Cap = 12 },
    ];

    /// <summary>Points of one amount: whole units × points per unit, rounded half away from zero, within ±cap.</summary>
    public static int Points(decimal amount, ScoreWeight w)
    {
        if (w.Unit <= 0 || amount == 0) return 0;
        var raw = (int)Math.Round(amount / w.Unit * w.PointsPerUnit, MidpointRounding.AwayFromZero);
        return Math.Clamp(raw, -w.Cap, w.Cap);
    }

    public static AccountTier TierOf(int score, ScoreSettings s) =>
        score >= s.TierA ? AccountTier.A : score >= s.TierB ? AccountTier.B : score >= s.TierC ? AccountTier.C : AccountTier.D;

    /// <summary>The score of one customer's measured amounts; inputs with no amount give no line.</summary>
    public static ScoreResult Compute(IReadOnlyDictionary<ScoreInput, decimal> amounts, IReadOnlyList<ScoreWeight> weights, ScoreSettings settings)
    {
        var lines = new List<ScoreLine>();
        foreach (var w in weights.OrderBy(w => w.Input))
            if (amounts.TryGetValue(w.Input, out var amount) && amount != 0)
                lines.Add(new ScoreLine(w.Input, amount, Points(amount, w)));
        var score = lines.Sum(l => l.Points);
        return new ScoreResult(score, TierOf(score, settings), lines);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public static string Serialize(IReadOnlyList<ScoreLine> lines) => JsonSerializer.Serialize(lines, Json);
    public static IReadOnlyList<ScoreLine> Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ScoreLine>>(json, Json) ?? [];
}
