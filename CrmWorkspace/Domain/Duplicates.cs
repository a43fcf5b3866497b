namespace CrmWorkspace.Domain;

/// <summary>Which kind of record a duplicate pair or merge is about.</summary>
public enum RecordKind { Account = 0, Contact = 1 }

/// <summary>Where a likely-duplicate pair stands in the review queue.</summary>
public enum DuplicateStatus { Open = 1, Dismissed = 2, Merged = 3, LinkedAsBranch = 4 }

/// <summary>
/// Two records that look like the same customer (A has the lower id). Found by the batch scan or an import, or recorded
/// when someone went on despite the while-typing warning (then with their reason). "Not duplicates" is remembered.
/// </summary>
public class DuplicatePair
{
    public long Id { get; set; }
    public RecordKind Kind { get; set; }
    public int AId { get; set; }
    public int BId { get; set; }
    public double Score { get; set; }
    /// <summary>The match reasons as JSON (codes the UI translates).</summary>
    public string Reasons { get; set; } = "[]";
    public DuplicateStatus Status { get; set; } = DuplicateStatus.Open;
    /// <summary>scan, import or typing.</summary>
    public string Source { get; set; } = "scan";
    public DateTimeOffset FoundAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>Why someone dismissed the pair or went on creating the record.</summary>
    public string? Note { get; set; }
}

/// <summary>A merge, with everything needed to undo it exactly: both records and their children as they were.</summary>
public class MergeRecord
{
    public long Id { get; set; }
    public RecordKind Kind { get; set; }
    public int SurvivorId { get; set; }
    public int MergedId { get; set; }
    /// <summary>JSON snapshot of the state before the merge.</summary>
    public string Snapshot { get; set; } = "{}";
    public DateTimeOffset MergedAt { get; set; }
    public string? MergedBy { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }
}
