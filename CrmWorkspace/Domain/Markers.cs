namespace CrmWorkspace.Domain;

/// <summary>Created/updated stamps, filled by the save path.</summary>
public interface IAudited
{
    DateTimeOffset CreatedAt { get; set; }
    string? CreatedBy { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
    string? UpdatedBy { get; set; }
}

/// <summary>Records that are hidden rather than removed, so they can be restored.</summary>
public interface ISoftDeletable
{
    bool IsDeleted { get; set; }
    DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>App-managed optimistic concurrency token (SQLite has no rowversion).</summary>
public interface IVersioned
{
    Guid Version { get; set; }
}

/// <summary>Base of the records people edit: audit stamps, soft delete and the concurrency token in one place.</summary>
public abstract class TrackedEntity : IAudited, ISoftDeletable, IVersioned
{
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public bool IsDeleted { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public Guid Version { get; set; }
}

/// <summary>Who acts when no person does: background jobs (hold expiry, scheduled scans).</summary>
public static class Actors
{
    public const string SystemId = "system";
}
