namespace CrmWorkspace.Domain;

/// <summary>What kind of work an activity records; System marks entries written by the software itself.</summary>
public enum ActivityKind
{
    Call = 1, Visit = 2, Meeting = 3, Email = 4, Interview = 5, FairTalk = 6, SubscriptionCall = 7, Complaint = 8, Note = 9,
    System = 100,
}

/// <summary>
/// One entry on a customer's shared timeline: staff work (calls, visits...) or a system event
/// (customer created, field changed, subscription renewed, booth booked, merged...).
/// </summary>
public class Activity : TrackedEntity
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public int? ContactId { get; set; }
    /// <summary>The author's team when written (teams change; the entry keeps the one it was logged under).</summary>
    public int? TeamId { get; set; }
    public string? AuthorId { get; set; }
    public ActivityKind Kind { get; set; }
    /// <summary>For System entries: the event name ("account.changed", "subscription.renewed"...).</summary>
    public string? SystemEvent { get; set; }
    public string Subject { get; set; } = "";
    /// <summary>Plain text or Markdown; rendered sanitised.</summary>
    public string? Body { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateOnly? FollowUpOn { get; set; }
    public string? FollowUpAssigneeId { get; set; }
    public DateTimeOffset? FollowUpDoneAt { get; set; }
    /// <summary>Structured detail as JSON (e.g. field changes before → after).</summary>
    public string? Data { get; set; }
    /// <summary>
    /// A line the software wrote (a <see cref="LocalLine"/> in <see cref="Data"/>) as it reads in every language the workspace
    /// offers, one per line, so the timeline's text filter finds it in the reader's words; null for entries people wrote. Kept by
    /// the save itself (Features/Timeline/LineSearch.cs) whenever Data changes.
    /// </summary>
    public string? SearchText { get; set; }

    /// <summary>A system entry for the timeline, written in the same transaction as the change it records.</summary>
    public static Activity SystemEntry(int accountId, string systemEvent, string subject, string? actorId, int? teamId,
        string? data = null, int? contactId = null) => new()
    {
        AccountId = accountId, ContactId = contactId, Kind = ActivityKind.System, SystemEvent = systemEvent, Subject = subject,
        AuthorId = actorId, TeamId = teamId, OccurredAt = DateTimeOffset.UtcNow, Data = data,
    };
}

/// <summary>An earlier version of an activity, kept when its author edits or deletes it.</summary>
public class ActivityRevision
{
    public long Id { get; set; }
    public long ActivityId { get; set; }
    public ActivityKind Kind { get; set; }
    public string Subject { get; set; } = "";
    public string? Body { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateOnly? FollowUpOn { get; set; }
    public string? FollowUpAssigneeId { get; set; }
    /// <summary>When this version was replaced, and by whom.</summary>
    public DateTimeOffset ReplacedAt { get; set; }
    public string? ReplacedBy { get; set; }
}

/// <summary>Per customer and team: the last touch and open follow-ups, kept current by the timeline's writes.</summary>
public class TeamTouch
{
    public int AccountId { get; set; }
    public int TeamId { get; set; }
    public long? LastActivityId { get; set; }
    public DateTimeOffset? LastAt { get; set; }
    public string? LastAuthorId { get; set; }
    public string? LastSubject { get; set; }
    public ActivityKind? LastKind { get; set; }
    public int OpenFollowUps { get; set; }
}
