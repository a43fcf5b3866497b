using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Advertising;

/// <summary>Marker for the advertising feature's localised strings.</summary>
public class AdvertisingText;

/// <summary>Settings of the advertising feature (section "Advertising" of appsettings.json).</summary>
public class AdvertisingOptions
{
    /// <summary>A salesperson's extra discount on a quote line above this percent needs a manager's approval.</summary>
    public decimal ApprovalDiscountPercent { get; set; } = 10;
    /// <summary>Days a new quote stays valid.</summary>
    public int QuoteValidDays { get; set; } = 30;
    /// <summary>Run-of-book ad pages of an issue that has no plan of its own.</summary>
    public int DefaultAdPages { get; set; } = 24;
    public int DefaultPages { get; set; } = 96;
}

/// <summary>Outcome of an advertising use case; Conflict means someone else changed the record first.</summary>
public record AdResult(bool Ok, int? Id = null, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, bool Conflict = false, Guid? Version = null)
    : CommandResult(Ok, Error, Errors);

/// <summary>A rate-card line as the list shows it.</summary>
public record AdProductRow(int Id, int Year, AdMedium Medium, int? PeriodicalId, string? Periodical, string Name, AdSize? Size, bool Colour,
    AdPosition Position, string? Site, AdUnit Unit, decimal ListPrice, bool Active, Guid Version);

/// <summary>What the rate-card editor sends.</summary>
public class AdProductInput
{
    public int Id { get; set; }
    public int Year { get; set; } = DateTime.Today.Year;
    public AdMedium Medium { get; set; } = AdMedium.Print;
    public int? PeriodicalId { get; set; }
    public string Name { get; set; } = "";
    public AdSize? Size { get; set; } = AdSize.Full;
    public bool Colour { get; set; } = true;
    public AdPosition Position { get; set; }
    public string? Site { get; set; }
    public decimal ListPrice { get; set; }
    public bool Active { get; set; } = true;
    /// <summary>The version the editor started from (for an existing product).</summary>
    public Guid Version { get; set; }
}

/// <summary>A card on the pipeline board.</summary>
public record OpportunityCard(int Id, int AccountId, string AccountName, string Title, AdMedium Medium, decimal ExpectedValue, DateOnly ExpectedClose,
    string OwnerId, string OwnerName, PipelineStep Step, Guid Version);

/// <summary>What creating or editing an opportunity sends.</summary>
public class OpportunityInput
{
    public int AccountId { get; set; }
    public string Title { get; set; } = "";
    public AdMedium Medium { get; set; } = AdMedium.Print;
    public decimal ExpectedValue { get; set; }
    public DateOnly ExpectedClose { get; set; } = DateOnly.FromDateTime(DateTime.Today.AddMonths(2));
    public string? OwnerId { get; set; }
    public PipelineStep Step { get; set; } = PipelineStep.FindProspects;
}

/// <summary>One cell of the forecast: an owner's weighted value of deals expected to close in a month.</summary>
public record ForecastRow(string OwnerId, string OwnerName, int Year, int Month, int Deals, decimal Value, decimal Weighted);

/// <summary>A line the quote builder sends.</summary>
public class QuoteLineInput
{
    public int ProductId { get; set; }
    public int Quantity { get; set; } = 1;
    public string? Schedule { get; set; }
    /// <summary>Extra discount the salesperson offers, in percent, on top of the rate card's series and volume discounts.</summary>
    public decimal ExtraDiscount { get; set; }
}

/// <summary>What the quote builder sends.</summary>
public class QuoteInput
{
    public int AccountId { get; set; }
    public int? OpportunityId { get; set; }
    public List<QuoteLineInput> Lines { get; set; } = [];
    public int ValidDays { get; set; } = 30;
    public string? Terms { get; set; }
    /// <summary>A manager's reason for serving a restricted customer anyway (written on its timeline); refused without it.</summary>
    public string? OverrideReason { get; set; }
}

/// <summary>A quote as the page and the PDF show it.</summary>
public record QuoteView(int Id, string Number, int Revision, int? PreviousId, int AccountId, string AccountName, string? AccountAddress, int? OpportunityId,
    QuoteStatus Status, DateOnly ValidUntil, string? Terms, string SalespersonId, string SalespersonName, decimal Gross, decimal Net, decimal DiscountPercent,
    bool NeedsApproval, string? ApprovedByName, DateTimeOffset CreatedAt, IReadOnlyList<QuoteLine> Lines, int? ContractId, Guid Version);

/// <summary>A signed contract as its PDF shows it: parties, lines (from the accepted quote), payment plan.</summary>
public record ContractView(int Id, string Number, DateOnly SignedOn, int AccountId, string AccountName, string? AccountAddress, string SalespersonName,
    string QuoteNumber, int QuoteRevision, decimal Total, IReadOnlyList<QuoteLine> Lines, IReadOnlyList<AdInstalment> Instalments);

/// <summary>One premium position or the run-of-book space of an issue, and who holds it.</summary>
public record FlatplanSlot(int? InsertionId, AdPosition Position, AdSize Size, decimal Pages, int? AccountId, string? Advertiser, string? ContractNumber,
    InsertionStatus? Status, string? SalespersonId, Guid? Version);

/// <summary>An issue's flatplan: its pages, ad pages and what sits where.</summary>
public record Flatplan(int IssueId, int PeriodicalId, string Periodical, string Number, DateOnly PublishedOn, int Pages, int AdPages, decimal RunOfBookUsed,
    IReadOnlyList<FlatplanSlot> Premium, IReadOnlyList<FlatplanSlot> RunOfBook);

/// <summary>One insertion as it is now (live or not), with its contract line and that line's live count: what an open flatplan applies.</summary>
public record InsertionChange(int IssueId, bool Live, FlatplanSlot Slot, PlaceableLine Line);

/// <summary>A contract line that can still be placed (quantity not yet used up).</summary>
public record PlaceableLine(int ContractId, string ContractNumber, int QuoteLineId, string Advertiser, string Description, AdPosition Position, AdSize Size, int Quantity, int Placed);

/// <summary>An instalment with its contract, as the receivables list shows it.</summary>
public record ReceivableRow(int InstalmentId, int ContractId, string ContractNumber, int AccountId, string AccountName, string SalespersonId, string SalespersonName,
    int Sequence, DateOnly DueOn, decimal Amount, decimal Paid, decimal Outstanding, int DaysOverdue);

internal static class Ads
{
    /// <summary>"3 建立信任关系 · Build trust" in English, "3 建立信任关系" in Chinese: the step by the seed's own name.</summary>
    public static string StepLabel(Microsoft.Extensions.Localization.IStringLocalizer l, PipelineStep s)
    {
        var en = l[$"PipelineStep.{s}"].Value;
        var zh = StepZh(s);
        return en == zh ? $"{(int)s} {zh}" : $"{(int)s} {zh} · {en}";
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.Today);
    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    /// <summary>The seed's own Chinese names of the eight steps (广告销售八步).</summary>
    public static string StepZh(PipelineStep s) => s switch
    {
        PipelineStep.FindProspects => "寻找准客户", PipelineStep.Visit => "约见拜访", PipelineStep.BuildTrust => "建立信任关系",
        PipelineStep.UncoverNeeds => "挖掘客户需求", PipelineStep.WorkOutSolution => "研究解决方案", PipelineStep.Propose => "提出客户方案",
        PipelineStep.Sign => "签约承诺", _ => "客户满意",
    };
}
