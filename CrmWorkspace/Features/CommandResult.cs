namespace CrmWorkspace.Features;

/// <summary>
/// What every command (a use case that writes) answers: done, or why not, as a message and per-field errors in the person's
/// language. Each feature's result adds what its callers need (the new id, a conflict, the saved entry).
/// </summary>
public abstract record CommandResult(bool Ok, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null)
{
    /// <summary>Everything that went wrong, as one line (for a snackbar).</summary>
    public string Problem => Error ?? string.Join(" ", Errors?.Values ?? []);
}
