namespace CrmWorkspace.Domain;

/// <summary>
/// A sales region (a province, or one city of it) and who works new customers there: a team and, usually, an owner. A city's
/// territory is more precise than its province's and wins over it. Without an owner, new customers go to the team's pool.
/// </summary>
public class Territory : IVersioned
{
    public int Id { get; set; }
    public string Province { get; set; } = "";
    /// <summary>Null: the whole province (except cities that have their own territory).</summary>
    public string? City { get; set; }
    public int? TeamId { get; set; }
    public string? OwnerId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public Guid Version { get; set; }
}

/// <summary>
/// A single task a manager gives one person, on a customer or on none, with a due date and a reminder some days before. It sits
/// in the person's "My follow-ups" until they mark it done.
/// </summary>
public class AssignedTask : IVersioned
{
    public long Id { get; set; }
    public string AssigneeId { get; set; } = "";
    public string AssignedById { get; set; } = "";
    /// <summary>The assignee's team when it was given (the manager's view of the team's tasks).</summary>
    public int? TeamId { get; set; }
    public int? AccountId { get; set; }
    public string Title { get; set; } = "";
    public string? Notes { get; set; }
    public DateOnly DueOn { get; set; }
    /// <summary>The day the reminder is due (the due day itself when no earlier reminder was asked for).</summary>
    public DateOnly RemindOn { get; set; }
    /// <summary>When the reminder went out (the reminder job sets it once).</summary>
    public DateTimeOffset? RemindedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public Guid Version { get; set; }
}
