namespace CrmWorkspace.Domain;

/// <summary>
/// Who runs a background job now (several servers): one row per job, held by one server until <see cref="ExpiresAt"/>; the holder
/// renews it while it works, and any server takes it once it has expired (its holder died or stopped).
/// </summary>
public class JobLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}
