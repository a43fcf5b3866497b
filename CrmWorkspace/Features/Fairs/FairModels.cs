using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Fairs;

/// <summary>Marker for the fairs feature's localised strings.</summary>
public class FairsText;

/// <summary>A fair in the list, with its occupancy.</summary>
public record FairRow(int Id, string Name, string City, string? Venue, DateOnly StartsOn, DateOnly EndsOn, DateOnly? BookingDeadline, FairStatus Status,
    int Booths, int Booked, decimal Area, decimal BookedArea);

/// <summary>One tile of the floor map.</summary>
public record BoothTile(int Id, int HallId, string Code, string Row, int Number, decimal Area, BoothType Type, decimal Price,
    int? BookingId, BookingStatus? Status, int? AccountId, string? Exhibitor, string? SalespersonId, DateTimeOffset? HoldExpiresAt);

/// <summary>A hall and its tiles.</summary>
public record HallMap(int Id, string Name, IReadOnlyList<BoothTile> Booths);

/// <summary>What the booking side sheet sends.</summary>
public class BookingInput
{
    public int AccountId { get; set; }
    public int? ContactId { get; set; }
    public List<int> BoothIds { get; set; } = [];
    public BookingStatus Status { get; set; } = BookingStatus.Reserved;
    /// <summary>Days a reservation is held before it lapses.</summary>
    public int HoldDays { get; set; } = 7;
    public decimal? Price { get; set; }
    public decimal Discount { get; set; }
    public decimal Deposit { get; set; }
    public decimal Paid { get; set; }
    public AgencyServices Services { get; set; }
    public string? SalespersonId { get; set; }
    public string? Notes { get; set; }
    /// <summary>A manager's reason for serving a restricted customer anyway (written on its timeline); refused without it.</summary>
    public string? OverrideReason { get; set; }
}

/// <summary>A booking with what the pages and reports show of it.</summary>
public record BookingView(int Id, int FairId, string FairName, int AccountId, string AccountName, int? ContactId, string? ContactName, string? ContactPhone,
    BookingStatus Status, DateTimeOffset? HoldExpiresAt, decimal Price, decimal Discount, decimal Deposit, decimal Paid, decimal Outstanding,
    AgencyServices Services, string? SalespersonId, IReadOnlyList<(int Id, string Code, string Hall, decimal Area)> Booths, Guid Version, DateTimeOffset CreatedAt);

/// <summary>Outcome of a booking use case; a refusal names who holds the booth.</summary>
public record BookingResult(bool Ok, int? BookingId = null, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null)
    : CommandResult(Ok, Error, Errors);

/// <summary>A customer who exhibited last time and has not booked this fair.</summary>
public record RebookingRow(int AccountId, string AccountName, string? Province, string? City, string? Phone, string? OwnerId, string LastBooths, decimal LastArea);
