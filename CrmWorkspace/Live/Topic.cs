namespace CrmWorkspace.Live;

/// <summary>What a live view listens to: one customer, one scope (a fair, the renewal desk), a team, a person, or everything.</summary>
public readonly record struct Topic(string Key)
{
    public static Topic Customer(int accountId) => new($"customer:{accountId}");
    public static Topic Scope(string scope) => new($"scope:{scope}");
    public static Topic Team(int teamId) => new($"team:{teamId}");
    /// <summary>Events addressed to one person (a follow-up assigned to them).</summary>
    public static Topic Person(string userId) => new($"person:{userId}");
    /// <summary>The whole workspace: the live panel and the hub bridge.</summary>
    public static readonly Topic Workspace = new("workspace");

    public override string ToString() => Key;
}
