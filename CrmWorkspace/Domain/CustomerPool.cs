namespace CrmWorkspace.Domain;

/// <summary>
/// A customer in its team's shared pool (公海): its owner logged nothing on it for the configured number of days, so it went back
/// for anyone in the team to claim. The row exists exactly while the customer is in the pool.
/// </summary>
public class PoolEntry
{
    public int AccountId { get; set; }
    /// <summary>The team whose pool it is in (the former owner's team).</summary>
    public int? TeamId { get; set; }
    public string? FormerOwnerId { get; set; }
    public DateTimeOffset PooledAt { get; set; }
}
