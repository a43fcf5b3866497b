namespace CrmWorkspace.Domain;

/// <summary>
/// What a customer's value score is made of. Each input is measured by an input source (Features/KeyCustomers/Sources); a new
/// source (ad spend, once advertising lands) adds a member here, a default weight and one source class.
/// </summary>
public enum ScoreInput
{
    SubscriptionRevenue = 1, SubscriptionCopies = 2, BoothArea = 3, FairSpend = 4, CustomerYears = 5, OverduePayments = 6,
    OpenComplaints = 7, MonthsWithoutContact = 8,
}

/// <summary>How one input turns into points: <see cref="PointsPerUnit"/> for every <see cref="Unit"/> of the amount, at most <see cref="Cap"/> either way.</summary>
public class ScoreWeight
{
    public ScoreInput Input { get; set; }
    public decimal PointsPerUnit { get; set; }
    public decimal Unit { get; set; } = 1;
    public int Cap { get; set; }
}

/// <summary>The managers' settings of the value score: tier cut-offs and periods (one row); the weights are <see cref="ScoreWeight"/> rows.</summary>
public class ScoreSettings : IVersioned
{
    public int Id { get; set; } = 1;
    /// <summary>Lowest score of tiers A, B and C; below C a customer is D.</summary>
    public int TierA { get; set; } = 30;
    public int TierB { get; set; } = 15;
    public int TierC { get; set; } = 5;
    /// <summary>Fairs that started this many months ago or later (and coming ones) count.</summary>
    public int FairMonths { get; set; } = 24;
    /// <summary>A payment is overdue this many days after a subscription starts or a fair begins.</summary>
    public int PaymentDueDays { get; set; } = 30;
    /// <summary>Care reminders (birthdays, anniversaries, festivals) show on "My follow-ups" this many days before.</summary>
    public int CareDays { get; set; } = 7;
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public Guid Version { get; set; }
}

/// <summary>A head office's current value score (branches roll up to it), its breakdown, and a tier a manager may pin.</summary>
public class CustomerScore
{
    public int AccountId { get; set; }
    public int Score { get; set; }
    public AccountTier ComputedTier { get => _computedTier; set { _computedTier = value; Tier = _pinnedTier ?? value; } }
    private AccountTier _computedTier;
    /// <summary>JSON list of (input, amount, points), in input order.</summary>
    public string Breakdown { get; set; } = "[]";
    public DateTimeOffset ComputedAt { get; set; }
    public AccountTier? PinnedTier { get => _pinnedTier; set { _pinnedTier = value; Tier = value ?? _computedTier; } }
    private AccountTier? _pinnedTier;
    public string? PinReason { get; set; }
    public string? PinnedBy { get; set; }
    public DateTimeOffset? PinnedAt { get; set; }

    /// <summary>The tier shown (pinned, else computed): stored, so the key-customer list reads one tier in score order from an index.</summary>
    public AccountTier Tier { get; private set; }
}

/// <summary>A customer's score as it stood in a month (the last computation of that month).</summary>
public class ScoreSnapshot
{
    public int AccountId { get; set; }
    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }
    public int Score { get; set; }
    public AccountTier Tier { get; set; }
    public string Breakdown { get; set; } = "[]";
}

/// <summary>
/// "This customer's inputs changed": written in the same transaction as the change (by the save path), so a recompute can be
/// delayed but never lost.
/// </summary>
public class ScoreDirty
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A problem on the problem-customer list (a complaint, an overdue payment, a declined renewal, a key customer left without
/// contact) closed by a timeline entry that says what was done. <see cref="Key"/> names the problem ("complaint:42").
/// </summary>
public class ProblemClosure
{
    public long Id { get; set; }
    public string Key { get; set; } = "";
    public int AccountId { get; set; }
    public long ActivityId { get; set; }
    public string ClosedBy { get; set; } = "";
    public DateTimeOffset ClosedAt { get; set; }
}
