using Microsoft.AspNetCore.Identity;

namespace CrmWorkspace.Domain;

/// <summary>A department that works customers.</summary>
public class Team
{
    public int Id { get; set; }
    public TeamCode Code { get; set; }
    public string Name { get; set; } = "";
    public string NameZh { get; set; } = "";
    /// <summary>Team colour for chips and avatars (CSS colour).</summary>
    public string Color { get; set; } = "#607d8b";
}

/// <summary>A staff member: an Identity user with a team, a display name and UI preferences.</summary>
public class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public int? TeamId { get; set; }
    public Team? Team { get; set; }
    /// <summary>Preferred UI culture ("en" or "zh-Hans").</summary>
    public string Culture { get; set; } = "en";
    public bool DarkMode { get; set; }
}
