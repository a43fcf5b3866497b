using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Timeline;

/// <summary>What the composer (or an API client) sends to log or edit an activity.</summary>
public class ActivityInput
{
    public ActivityKind Kind { get; set; } = ActivityKind.Call;
    public string Subject { get; set; } = "";
    public string? Body { get; set; }
    /// <summary>
    /// The body's length as the person saw it (the composer measures it in the browser); when given, a body that arrived
    /// shorter or longer is refused, so an entry is never stored with a truncated or missing note.
    /// </summary>
    public int? BodyLength { get; set; }
    public string? Outcome { get; set; }
    public int? ContactId { get; set; }
    /// <summary>When it happened; null means now.</summary>
    public DateTimeOffset? OccurredAt { get; set; }
    public DateTime? FollowUpOn { get; set; }
    public string? FollowUpAssigneeId { get; set; }
}

/// <summary>One row of the timeline as the page shows it.</summary>
public record TimelineEntry(long Id, int AccountId, string? AccountName, int? ContactId, string? ContactName, int? TeamId,
    string? AuthorId, ActivityKind Kind, string? SystemEvent, string Subject, string? Body, string? Outcome,
    DateTimeOffset OccurredAt, DateOnly? FollowUpOn, string? FollowUpAssigneeId, DateTimeOffset? FollowUpDoneAt,
    bool Edited, Guid Version, string? Data);

/// <summary>Filters and the keyset cursor of a timeline page.</summary>
public record TimelineQuery
{
    public int AccountId { get; init; }
    public bool IncludeBranches { get; init; }
    public IReadOnlyCollection<int>? TeamIds { get; init; }
    public IReadOnlyCollection<ActivityKind>? Kinds { get; init; }
    public string? AuthorId { get; init; }
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public string? Text { get; init; }
    /// <summary>Keyset cursor: entries strictly older than this (OccurredAt, Id).</summary>
    public (DateTimeOffset At, long Id)? Before { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>One team's relation to a customer: last touch and open follow-ups.</summary>
public record TeamWork(int TeamId, string TeamName, string TeamNameZh, string Color, DateTimeOffset? LastAt, string? LastAuthorId,
    string? LastSubject, ActivityKind? LastKind, int OpenFollowUps, string? LastData = null);

/// <summary>A follow-up on someone's list.</summary>
public record FollowUpItem(long ActivityId, int AccountId, string AccountName, string Subject, DateOnly Due, string? AuthorId, int? TeamId);

public static class FollowUpEvents
{
    /// <summary>
    /// Whether the event can change <paramref name="userId"/>'s open follow-ups. A new entry only adds one when it is assigned to
    /// them (logging never closes an earlier one); an edit, a delete, a follow-up done or a renewal call may change any.
    /// </summary>
    public static bool ChangesFollowUpsOf(this CrmWorkspace.Live.WorkspaceEvent e, string userId) =>
        e.Kind.IsTimelineWork() && (e.Kind != CrmWorkspace.Live.EventKind.ActivityLogged || e.AssigneeId == userId);
}

/// <summary>The outcome of a timeline command; Entry is the saved entry as the timeline shows it, so the writer shows it at once.</summary>
public record TimelineResult(bool Ok, long? Id = null, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, TimelineEntry? Entry = null)
    : CommandResult(Ok, Error, Errors);
