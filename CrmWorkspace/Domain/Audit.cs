namespace CrmWorkspace.Domain;

/// <summary>What an audit entry records. Append new kinds at the end (stored as numbers).</summary>
public enum AuditKind
{
    SignIn = 1,
    SignInFailed = 2,
    LockedOut = 3,
    Unlocked = 4,
    SignInRateLimited = 5,
    SignOut = 6,
    StaffCreated = 10,
    RoleChanged = 11,
    TeamChanged = 12,
    PasswordChanged = 13,
    Export = 20,
    Merge = 30,
    MergeUndone = 31,
    Deleted = 40,
    Restored = 41,
    PermissionRefused = 50,
}

/// <summary>
/// One line of the audit trail: who did what, when, from where. Written only through <c>AuditTrail</c>;
/// never changed or deleted (the context refuses to save a modified or deleted entry).
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public AuditKind Kind { get; set; }
    /// <summary>The person acting (null for an unknown sign-in name).</summary>
    public string? ActorId { get; set; }
    /// <summary>Their name (or the email typed) at the time, so the entry reads on its own.</summary>
    public string ActorName { get; set; } = "";
    /// <summary>What it was done to: a person's email, "customer #12", an export's file.</summary>
    public string? Subject { get; set; }
    /// <summary>More: the filter of an export, the old and new role, the permission refused.</summary>
    public string? Detail { get; set; }
    /// <summary>Client address (after forwarded headers).</summary>
    public string? Address { get; set; }
    /// <summary>Rows of an export.</summary>
    public int? Rows { get; set; }
}
