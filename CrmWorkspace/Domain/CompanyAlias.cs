namespace CrmWorkspace.Domain;

/// <summary>
/// A customer's known short name (中粮) and the full registered name it stands for (中国粮油食品（集团）有限公司): typing, import and
/// the duplicate scan read the short name as the full one. Seeded from the shipped list; administrators add, edit and remove.
/// A removed alias stays as a deleted row, so the shipped list does not bring it back at the next start.
/// </summary>
public class CompanyAlias : TrackedEntity
{
    public int Id { get; set; }
    /// <summary>The short name as written.</summary>
    public string Alias { get; set; } = "";
    /// <summary>The short name's comparable core (width, case, script and punctuation folded): unique, so one short name means one company.</summary>
    public string Key { get; set; } = "";
    /// <summary>The full registered name.</summary>
    public string FullName { get; set; } = "";
}
