using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmWorkspace.Live;

/// <summary>
/// Every kind of thing that changed, as the compiler knows them. On the wire and on system timeline entries a kind is written
/// as its dotted name ("activity.logged"): see <see cref="EventKinds.Name"/>.
/// </summary>
[JsonConverter(typeof(EventKindJsonConverter))]
public enum EventKind
{
    AccountCreated, AccountChanged, AccountDeleted, AccountRestored, AccountMerged, AccountUnmerged, AccountImported,
    BranchLinked,
    ContactAdded, ContactChanged, ContactDeleted, ContactRestored, ContactMerged, ContactUnmerged, ContactImported,
    ActivityLogged, ActivityEdited, ActivityDeleted, FollowupDone,
    BookingCreated, BookingChanged, BookingCancelled, BookingExpired,
    FairChanged, HallChanged,
    PeriodicalChanged, IssueChanged,
    SubscriptionCreated, SubscriptionCalled, SubscriptionRenewed, SubscriptionCancelled,
    DispatchMarked, DispatchReturned,
    DuplicatesFound, DuplicatesDismissed, DuplicatesScanned, DuplicatesScanProgress, CustomersImported,
    CompanyAliasesChanged,
    SummaryWritten, SummaryCommented,
    CalllistCreated, CalllistCalled,
    PoolReturned, PoolClaimed, OwnerHanded, TerritoriesChanged, TaskAssigned, TaskDone, TaskReminded,
    ScoreChanged, ScoreSettingsChanged, ScoreRecomputeProgress, ScorePinned, KeyFollowupLogged, RestrictionOverridden,
    RatecardChanged, OpportunityCreated, OpportunityMoved, OpportunityChanged, OpportunityLost,
    QuoteSaved, QuoteApproved, QuoteAccepted, ContractSigned, InsertionPlaced, InsertionChanged, PaymentRecorded,
    SiteBooked, SiteCancelled,
    TargetsSet,
}

public static class EventKinds
{
    private static readonly Dictionary<EventKind, string> Names = Enum.GetValues<EventKind>().ToDictionary(k => k, Dotted);
    private static readonly Dictionary<string, EventKind> ByName = Names.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>"ActivityLogged" → "activity.logged": the name stored on system entries and sent to hub clients.</summary>
    public static string Name(this EventKind kind) => Names[kind];

    /// <summary>Work on a timeline that moves follow-ups and "who works this customer": an entry logged, edited or deleted, a follow-up done, a renewal call.</summary>
    public static bool IsTimelineWork(this EventKind kind) => kind is EventKind.ActivityLogged or EventKind.ActivityEdited or EventKind.ActivityDeleted
        or EventKind.FollowupDone or EventKind.SubscriptionCalled;

    /// <summary>Kinds that never put an entry on a customer's timeline (scores, scan progress): the timeline ignores them.</summary>
    public static bool LeavesTimelineAsIs(this EventKind kind) => kind is EventKind.ScoreChanged or EventKind.ScoreRecomputeProgress
        or EventKind.ScoreSettingsChanged or EventKind.DuplicatesScanProgress or EventKind.DuplicatesScanned;

    public static EventKind? Parse(string? name) => name is not null && ByName.TryGetValue(name, out var k) ? k : null;

    private static string Dotted(EventKind kind)
    {
        var s = kind.ToString();
        var cut = s.IndexOfAny("ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray(), 1);
        return (s[..cut] + "." + s[cut..]).ToLowerInvariant();
    }
}

/// <summary>Writes and reads a kind by its dotted name, so hub clients see "activity.logged".</summary>
public sealed class EventKindJsonConverter : JsonConverter<EventKind>
{
    public override EventKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        EventKinds.Parse(reader.GetString()) ?? throw new JsonException($"Unknown event kind {reader.GetString()}");

    public override void Write(Utf8JsonWriter writer, EventKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
