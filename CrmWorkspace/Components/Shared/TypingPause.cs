namespace CrmWorkspace.Components.Shared;

/// <summary>
/// Waits for the user to pause typing: each call cancels the previous wait, so only the last keystroke's check runs.
/// Returns the token of the check that may run, or null when a newer keystroke took over.
/// </summary>
public sealed class TypingPause(int milliseconds = 250) : IDisposable
{
    private CancellationTokenSource? _current;

    public async Task<CancellationToken?> WaitAsync()
    {
        _current?.Cancel();
        var cts = _current = new CancellationTokenSource();
        try { await Task.Delay(milliseconds, cts.Token); }
        catch (OperationCanceledException) { return null; }
        return cts.Token;
    }

    public void Dispose() => _current?.Cancel();
}
