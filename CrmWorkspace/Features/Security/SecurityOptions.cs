namespace CrmWorkspace.Features.Security;

/// <summary>The "Security" section of appsettings.json: sign-in limits, idle time, export limits.</summary>
public class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Wrong passwords in a row before an account is locked.</summary>
    public int LockoutAttempts { get; set; } = 5;
    /// <summary>How long a locked account stays locked (an administrator can unlock sooner).</summary>
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>Sign-in attempts allowed per client address in one window; more get "429 Too many requests".</summary>
    public int SignInPermitLimit { get; set; } = 10;
    /// <summary>The window of <see cref="SignInPermitLimit"/>, in seconds.</summary>
    public int SignInWindowSeconds { get; set; } = 60;
    /// <summary>Minutes without a click or key press before a browser is signed out.</summary>
    public int IdleMinutes { get; set; } = 30;
    /// <summary>How often open pages re-check that their sign-in still stands (password or role changed, unlocked...).</summary>
    public int RevalidateSeconds { get; set; } = 30;
    /// <summary>How often a request re-checks its sign-in cookie against the account (0: every request).</summary>
    public int StampCheckSeconds { get; set; } = 10;
    /// <summary>Most rows in a customer export by someone who may not export the whole list (managers may).</summary>
    public int ExportRowLimit { get; set; } = 100;
}
