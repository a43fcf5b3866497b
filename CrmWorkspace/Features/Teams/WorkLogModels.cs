using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Teams;

/// <summary>Marker for the team features' localised strings.</summary>
public class TeamsText;

public enum WorkLogPeriod { Day = 1, Week = 7 }

/// <summary>Whose work log and which days: one person, one team, or (PersonId and TeamId empty) everybody.</summary>
public record WorkLogQuery(DateOnly From, WorkLogPeriod Period = WorkLogPeriod.Day, string? PersonId = null, int? TeamId = null)
{
    /// <summary>The first day shown: the day itself, or the Monday of its week.</summary>
    public DateOnly Start => Period == WorkLogPeriod.Week ? From.AddDays(-(((int)From.DayOfWeek + 6) % 7)) : From;
    /// <summary>The day after the last day shown.</summary>
    public DateOnly End => Start.AddDays((int)Period);
}

/// <summary>One piece of work in the log: who did what on which customer, when.</summary>
public record WorkLogEntry(long Id, int AccountId, string AccountName, string? AuthorId, int? TeamId, ActivityKind Kind, string Subject,
    string? Outcome, DateTimeOffset OccurredAt, DateOnly? FollowUpOn, string? Data = null);

/// <summary>One person's figures in the window: activities by kind and distinct customers touched.</summary>
public record WorkLogPerson(string PersonId, string Name, int? TeamId, int Activities, int Customers, IReadOnlyDictionary<ActivityKind, int> ByKind);

/// <summary>A daily summary as the log shows it, with the manager's comment.</summary>
public record SummaryView(long Id, string AuthorId, string AuthorName, DateOnly Day, string Text, string? Comment, string? CommentedBy,
    string? CommentedByName, DateTimeOffset? CommentedAt, DateTimeOffset UpdatedAt, Guid Version);

/// <summary>The work log of a person or team for a day or week.</summary>
public record WorkLog(WorkLogQuery Query, int Activities, int Customers, IReadOnlyDictionary<ActivityKind, int> ByKind,
    IReadOnlyList<WorkLogPerson> People, IReadOnlyList<WorkLogEntry> Entries, bool Truncated, IReadOnlyList<SummaryView> Summaries);

/// <summary>A read of the work log: the log, or why the reader may not see it.</summary>
public record WorkLogRead(WorkLog? Log, string? Error);

/// <summary>The outcome of writing or commenting on a summary; Summary is the saved one, shown at once to the writer.</summary>
public record SummaryResult(bool Ok, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null, SummaryView? Summary = null,
    bool Conflict = false) : CommandResult(Ok, Error, Errors);
