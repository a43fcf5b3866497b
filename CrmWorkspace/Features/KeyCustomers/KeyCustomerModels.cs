namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>What a key-customer command answers.</summary>
public record KeyCustomerResult(bool Ok, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, long? Id = null)
    : CommandResult(Ok, Error, Errors);

/// <summary>The settings page's form: cut-offs, periods and one weight per input.</summary>
public class ScoreSettingsInput
{
    public int TierA { get; set; }
    public int TierB { get; set; }
    public int TierC { get; set; }
    public int FairMonths { get; set; }
    public int PaymentDueDays { get; set; }
    public int CareDays { get; set; }
    public List<ScoreWeight> Weights { get; set; } = [];
    /// <summary>The version the manager started from; a save over someone else's is refused.</summary>
    public Guid Version { get; set; }

    public static ScoreSettingsInput From(ScoreSettings s, IEnumerable<ScoreWeight> weights) => new()
    {
        TierA = s.TierA, TierB = s.TierB, TierC = s.TierC, FairMonths = s.FairMonths, PaymentDueDays = s.PaymentDueDays, CareDays = s.CareDays, Version = s.Version,
        Weights = weights.OrderBy(w => w.Input).Select(w => new ScoreWeight { Input = w.Input, PointsPerUnit = w.PointsPerUnit, Unit = w.Unit, Cap = w.Cap }).ToList(),
    };
}

/// <summary>A customer's score as its page shows it: the head office it rolls up to, the breakdown, a pin, the monthly trend.</summary>
public record CustomerScoreView(int HeadId, string HeadName, bool IsBranch, int Score, AccountTier ComputedTier, AccountTier Tier,
    IReadOnlyList<ScoreLine> Lines, DateTimeOffset ComputedAt, AccountTier? PinnedTier, string? PinReason, string? PinnedByName,
    DateTimeOffset? PinnedAt, IReadOnlyList<ScoreSnapshot> Trend);

/// <summary>Where the full recompute stands.</summary>
public record RecomputeStatus(bool Running, int Done, int Total, DateTimeOffset? FinishedAt);
