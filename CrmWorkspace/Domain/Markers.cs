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
