namespace CrmWorkspace.Domain;

/// <summary>What kind of advertising a product sells, and so what it is sold by: an issue, a week, a month or a period.</summary>
public enum AdMedium { Print = 1, Online = 2, WebsiteDesign = 3, Listing = 4, Outdoor = 5 }

/// <summary>Page size of a print advertisement, as a share of a page.</summary>
public enum AdSize { Full = 1, Half = 2, Quarter = 3 }

/// <summary>
/// Where a print ad sits. Every position but run-of-book is a premium position with a fixed count per issue (one each);
/// run-of-book space is limited only by the issue's ad pages.
/// </summary>
public enum AdPosition { RunOfBook = 0, FrontCover = 1, InsideFrontCover = 2, InsideBackCover = 3, BackCover = 4, CentreSpread = 5 }

/// <summary>The unit a product is priced by.</summary>
public enum AdUnit { Issue = 1, Week = 2, Month = 3, Period = 4 }

/// <summary>One line of the rate card: a product at its list price for one year.</summary>
public class AdProduct : TrackedEntity
{
    public int Id { get; set; }
    public int Year { get; set; }
    public AdMedium Medium { get; set; } = AdMedium.Print;
    /// <summary>The periodical a print product appears in; null for online, services and outdoor.</summary>
    public int? PeriodicalId { get; set; }
    public string Name { get; set; } = "";
    public AdSize? Size { get; set; }
    public bool Colour { get; set; } = true;
    public AdPosition Position { get; set; } = AdPosition.RunOfBook;
    /// <summary>For online slots and outdoor sites: which slot or site ("首页通栏", "成都春糖会场东门").</summary>
    public string? Site { get; set; }
    public AdUnit Unit { get; set; } = AdUnit.Issue;
    public decimal ListPrice { get; set; }
    public bool Active { get; set; } = true;
}

/// <summary>What a discount tier counts: insertions of one product (a series) or the whole order's gross amount (volume).</summary>
public enum AdDiscountBasis { Series = 1, Volume = 2 }

/// <summary>A discount of the rate card of a year: from this many insertions (series) or this gross amount (volume), this percent.</summary>
public class AdDiscountTier
{
    public int Id { get; set; }
    public int Year { get; set; }
    public AdDiscountBasis Basis { get; set; }
    public decimal Threshold { get; set; }
    public decimal Percent { get; set; }
}

/// <summary>How many of an issue's pages carry ads, so run-of-book space can be counted (issues without one use the default).</summary>
public class AdIssuePlan
{
    public int Id { get; set; }
    public int IssueId { get; set; }
    public int Pages { get; set; } = 96;
    public int AdPages { get; set; } = 24;
}

/// <summary>The seed's eight steps of an advertising sale (广告销售八步).</summary>
public enum PipelineStep
{
    FindProspects = 1, Visit = 2, BuildTrust = 3, UncoverNeeds = 4, WorkOutSolution = 5, Propose = 6, Sign = 7, Satisfied = 8,
}

/// <summary>Why a deal was lost: a fixed list, so the reasons can be counted.</summary>
public enum LostReason { Price = 1, Competitor = 2, NoBudget = 3, NoDecision = 4, Timing = 5, NoResponse = 6, Other = 9 }

/// <summary>An advertising sales opportunity with a customer: what, how much, when, whose, and which step it has reached.</summary>
public class Opportunity : TrackedEntity
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public string Title { get; set; } = "";
    public AdMedium Medium { get; set; } = AdMedium.Print;
    public decimal ExpectedValue { get; set; }
    public DateOnly ExpectedClose { get; set; }
    public string OwnerId { get; set; } = "";
    public int? TeamId { get; set; }
    public PipelineStep Step { get; set; } = PipelineStep.FindProspects;
    /// <summary>Order of the card within its step on the board.</summary>
    public int Rank { get; set; }
    public LostReason? LostReason { get; set; }
    public DateTimeOffset? LostAt { get; set; }
    /// <summary>What the customer said after publication (step 8).</summary>
    public string? Feedback { get; set; }

    /// <summary>The chance a deal at this step closes: the weight of the forecast.</summary>
    public static decimal Probability(PipelineStep step) => step switch
    {
        PipelineStep.FindProspects => 0.05m, PipelineStep.Visit => 0.10m, PipelineStep.BuildTrust => 0.20m, PipelineStep.UncoverNeeds => 0.30m,
        PipelineStep.WorkOutSolution => 0.45m, PipelineStep.Propose => 0.60m, PipelineStep.Sign => 0.90m, _ => 1m,
    };
}

/// <summary>Where a quote stands.</summary>
public enum QuoteStatus { Draft = 1, AwaitingApproval = 2, Approved = 3, Accepted = 4, Declined = 5, Superseded = 6 }

/// <summary>A priced offer to a customer; a revision is a new quote of the same number with the next version, the old one kept.</summary>
public class Quote : TrackedEntity
{
    public int Id { get; set; }
    public string Number { get; set; } = "";
    public int Revision { get; set; } = 1;
    public int? PreviousId { get; set; }
    public int AccountId { get; set; }
    public int? OpportunityId { get; set; }
    public QuoteStatus Status { get; set; } = QuoteStatus.Draft;
    public DateOnly ValidUntil { get; set; }
    public string? Terms { get; set; }
    public string SalespersonId { get; set; } = "";
    public decimal Gross { get; set; }
    public decimal Net { get; set; }
    /// <summary>The largest discount on any line, in percent: above the limit it needs a manager's approval.</summary>
    public decimal DiscountPercent { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public List<QuoteLine> Lines { get; set; } = [];
}

/// <summary>A line of a quote; it keeps the product's name and price as they were when quoted.</summary>
public class QuoteLine
{
    public int Id { get; set; }
    public int QuoteId { get; set; }
    public int ProductId { get; set; }
    public string Description { get; set; } = "";
    public AdUnit Unit { get; set; }
    public decimal UnitPrice { get; set; }
    public int Quantity { get; set; } = 1;
    /// <summary>Issues or period the line covers, as told to the customer ("2027-03 to 2027-08").</summary>
    public string? Schedule { get; set; }
    /// <summary>Series/volume discount from the rate card, and the extra discount the salesperson gave, in percent.</summary>
    public decimal CardDiscount { get; set; }
    public decimal ExtraDiscount { get; set; }
    public decimal Net { get; set; }
}

/// <summary>A signed advertising contract, made from an accepted quote.</summary>
public class AdContract : TrackedEntity
{
    public int Id { get; set; }
    public string Number { get; set; } = "";
    public int QuoteId { get; set; }
    public int AccountId { get; set; }
    public string SalespersonId { get; set; } = "";
    public DateOnly SignedOn { get; set; }
    public decimal Total { get; set; }
    public List<AdInstalment> Instalments { get; set; } = [];
}

/// <summary>Where an insertion stands in production.</summary>
public enum InsertionStatus { Reserved = 1, Confirmed = 2, MaterialReceived = 3, ProofApproved = 4, Published = 5, Cancelled = 9 }

/// <summary>
/// One ad placed in one issue. A live insertion in a premium position is unique per issue in the database
/// (UX_AdInsertion_LivePosition), so a position can never be sold twice.
/// </summary>
public class AdInsertion : TrackedEntity
{
    public int Id { get; set; }
    public int ContractId { get; set; }
    public int QuoteLineId { get; set; }
    public int IssueId { get; set; }
    public AdPosition Position { get; set; }
    public AdSize Size { get; set; } = AdSize.Full;
    /// <summary>True while the insertion holds its space (not cancelled); the unique index counts only these.</summary>
    public bool Live { get; set; } = true;
    public InsertionStatus Status { get; set; } = InsertionStatus.Reserved;

    /// <summary>Pages this ad takes.</summary>
    public static decimal PagesOf(AdSize size, AdPosition position) =>
        position == AdPosition.CentreSpread ? 2m : size switch { AdSize.Half => 0.5m, AdSize.Quarter => 0.25m, _ => 1m };
}

/// <summary>An instalment of a contract's payment plan, and what has been paid of it.</summary>
public class AdInstalment
{
    public int Id { get; set; }
    public int ContractId { get; set; }
    public int Sequence { get; set; }
    public DateOnly DueOn { get; set; }
    public decimal Amount { get; set; }
    public decimal Paid { get; set; }
    public DateOnly? PaidOn { get; set; }
}

/// <summary>
/// An online slot booked for whole weeks, or an outdoor site booked for a period of days, for one contract line.
/// The days or weeks it holds are its <see cref="AdSiteUse"/> rows, which the database keeps unique per site.
/// </summary>
public class AdSiteBooking : TrackedEntity
{
    public int Id { get; set; }
    public int ContractId { get; set; }
    public int QuoteLineId { get; set; }
    public int ProductId { get; set; }
    public AdMedium Medium { get; set; }
    /// <summary>The slot or site as the rate card names it; <see cref="SiteKey"/> is what makes two products the same place.</summary>
    public string Site { get; set; } = "";
    public string SiteKey { get; set; } = "";
    /// <summary>First and last day held (for online slots: a Monday and a Sunday).</summary>
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public bool Live { get; set; } = true;

    /// <summary>"2:首页通栏 home banner": medium and site, trimmed and lower-cased, so each year's product of one site is one place.</summary>
    public static string KeyOf(AdMedium medium, string site) => $"{(int)medium}:{site.Trim().ToLowerInvariant()}";

    /// <summary>The units a booking holds: the Monday of each week for online slots, each day for outdoor sites.</summary>
    public static IEnumerable<DateOnly> UnitsOf(AdMedium medium, DateOnly from, DateOnly to)
    {
        var step = medium == AdMedium.Online ? 7 : 1;
        for (var d = from; d <= to; d = d.AddDays(step)) yield return d;
    }

    /// <summary>The Monday of the week of a day.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}

/// <summary>One week (online) or day (outdoor) a live site booking holds. Unique per site and unit: a slot is never sold twice.</summary>
public class AdSiteUse
{
    public long Id { get; set; }
    public int BookingId { get; set; }
    public string SiteKey { get; set; } = "";
    public DateOnly Unit { get; set; }
}
