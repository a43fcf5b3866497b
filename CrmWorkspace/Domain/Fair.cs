namespace CrmWorkspace.Domain;

/// <summary>Where a fair is in its life.</summary>
public enum FairStatus { Planning = 1, OpenForBooking = 2, BookingClosed = 3, Finished = 4 }

/// <summary>A session of the national Sugar &amp; Liquor Fair (spring in Chengdu, autumn elsewhere).</summary>
public class Fair : TrackedEntity
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string City { get; set; } = "";
    public string? Venue { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public DateOnly? BookingDeadline { get; set; }
    public FairStatus Status { get; set; } = FairStatus.OpenForBooking;
    public List<Hall> Halls { get; set; } = [];
}

/// <summary>An exhibition hall of a fair.</summary>
public class Hall
{
    public int Id { get; set; }
    public int FairId { get; set; }
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public List<Booth> Booths { get; set; } = [];
}

/// <summary>Kind of stand space.</summary>
public enum BoothType { Standard = 1, RawSpace = 2, Corner = 3, Island = 4 }

/// <summary>One bookable booth: its code, place in the hall grid, size and price.</summary>
public class Booth
{
    public int Id { get; set; }
    public int HallId { get; set; }
    public int FairId { get; set; }
    public string Code { get; set; } = "";
    public string Row { get; set; } = "";
    public int Number { get; set; }
    public decimal Area { get; set; }
    public BoothType Type { get; set; } = BoothType.Standard;
    public decimal Price { get; set; }
}

/// <summary>Where a booking stands; Cancelled releases its booths.</summary>
public enum BookingStatus { Inquiry = 1, Reserved = 2, Contracted = 3, DepositPaid = 4, PaidInFull = 5, Cancelled = 9 }

/// <summary>Agency services the fair office arranges for an exhibitor.</summary>
[Flags]
public enum AgencyServices { None = 0, Transport = 1, FasciaBoard = 2, Furniture = 4, Electricity = 8, Accommodation = 16, Design = 32 }

/// <summary>A customer's booking of one or more booths at a fair.</summary>
public class Booking : TrackedEntity
{
    public int Id { get; set; }
    public int FairId { get; set; }
    public int AccountId { get; set; }
    public int? ContactId { get; set; }
    public BookingStatus Status { get; set; } = BookingStatus.Reserved;
    /// <summary>A reserved booking holds its booths until then; afterwards it lapses by itself.</summary>
    public DateTimeOffset? HoldExpiresAt { get; set; }
    public decimal Price { get; set; }
    public decimal Discount { get; set; }
    public decimal Deposit { get; set; }
    public decimal Paid { get; set; }
    public AgencyServices Services { get; set; }
    public string? SalespersonId { get; set; }
    public string? Notes { get; set; }
    public string? CancelReason { get; set; }
    public List<BookingBooth> Booths { get; set; } = [];

    public decimal Outstanding => Math.Max(0, Price - Discount - Paid);
}

/// <summary>
/// A booth held by a booking. <see cref="Live"/> rows are unique per booth in the database, so two bookings can never
/// hold the same booth, whatever the UI does.
/// </summary>
public class BookingBooth
{
    public int Id { get; set; }
    public int BookingId { get; set; }
    public int BoothId { get; set; }
    public bool Live { get; set; } = true;
}
