namespace CrmWorkspace.Domain;

/// <summary>
/// A person's short daily summary (日报) for one day, and the manager's comment on it. One per person and day (unique index),
/// so two windows writing the same day never make two.
/// </summary>
public class DailySummary : TrackedEntity
{
    public long Id { get; set; }
    public string AuthorId { get; set; } = "";
    /// <summary>The author's team when written (teams change; the summary keeps the one it was written under).</summary>
    public int? TeamId { get; set; }
    /// <summary>The working day it sums up (local calendar day).</summary>
    public DateOnly Day { get; set; }
    public string Text { get; set; } = "";
    public string? Comment { get; set; }
    public string? CommentedBy { get; set; }
    public DateTimeOffset? CommentedAt { get; set; }
}
