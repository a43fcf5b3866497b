using System.Collections.Concurrent;
using System.Diagnostics;
using CrmWorkspace.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace CrmWorkspace.Benchmarks;

/// <summary>
/// Hub clients in a process of their own (this program, mode hub-clients-child): they stand for other programs on other computers,
/// so their allocations, garbage collections and thread pool are not the servers'. They share the machine's two cores with the
/// servers all the same (at <see cref="Nice"/>). The child prints "DONE {summary} {ticks}" when
/// every client of a customer has had the event with that summary; ticks are <see cref="Stopwatch.GetTimestamp"/>, the machine's
/// monotonic clock, which both processes read.
/// </summary>
public sealed class HubClientProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiting = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private readonly Task<string> _errors;

    private HubClientProcess(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        _reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "READY") _ready.TrySetResult();
                else if (line.StartsWith("DONE "))
                {
                    var cut = line.LastIndexOf(' ');
                    Waiter(line[5..cut]).TrySetResult(long.Parse(line[(cut + 1)..]));
                }
            }
            _ready.TrySetException(new InvalidOperationException("The hub clients' process ended before it was ready."));
        });
    }

    /// <summary>The clients' niceness (CRM_BENCH_HUB_NICE; default 0: the servers and the clients share the cores as equals).</summary>
    public static string Nice => Environment.GetEnvironmentVariable("CRM_BENCH_HUB_NICE") ?? "0";

    private TaskCompletionSource<long> Waiter(string summary) => _waiting.GetOrAdd(summary, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Starts the child with <paramref name="count"/> clients per (server, customer) pair and waits until all are joined.</summary>
    public static async Task<HubClientProcess> StartAsync(int count, params (string BaseUrl, int AccountId)[] watch)
    {
        var dll = typeof(HubClientProcess).Assembly.Location;
        var psi = new ProcessStartInfo("nice") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-n", Nice, "dotnet", dll, "hub-clients-child", "--count", count.ToString() }) psi.ArgumentList.Add(arg);
        foreach (var (url, account) in watch) { psi.ArgumentList.Add("--watch"); psi.ArgumentList.Add($"{url}|{account}"); }
        var child = new HubClientProcess(Process.Start(psi)!);
        try { await child._ready.Task.WaitAsync(TimeSpan.FromMinutes(3)); }
        catch (Exception ex)
        {
            var err = child._process.HasExited ? await child._errors : "";
            throw new InvalidOperationException($"The hub clients' process did not start: {ex.Message} {err}");
        }
        return child;
    }

    /// <summary>When every client of the customer the summary's event is about had it (ticks), or a timeout.</summary>
    public async Task<long> DeliveredAsync(string summary, TimeSpan timeout)
    {
        try { return await Waiter(summary).Task.WaitAsync(timeout); }
        catch (TimeoutException) when (_process.HasExited)
        {
            throw new InvalidOperationException($"The hub clients' process ended ({_process.ExitCode}): {await _errors}");
        }
        finally { _waiting.TryRemove(summary, out _); }
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.StandardInput.Close(); } catch (InvalidOperationException) { }
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _reader;
        _process.Dispose();
    }

    /// <summary>A signed-in hub client on WebSockets alone (no negotiation round trip), not yet started.</summary>
    public static HubConnection Connection(string baseUrl, System.Net.CookieContainer cookies) =>
        new HubConnectionBuilder().WithUrl(baseUrl + WorkspaceHub.Path, o =>
        {
            o.Cookies = cookies;
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        }).Build();

    /// <summary>The child's side: connects the clients, then reports each summary every client of one customer has had.</summary>
    public static async Task ChildAsync(int count, IReadOnlyList<(string BaseUrl, int AccountId)> watch, TextWriter output)
    {
        var connections = new List<HubConnection>();
        var received = new ConcurrentDictionary<string, int>();
        var gate = new Lock();
        foreach (var (url, account) in watch)
        {
            var cookies = await HttpSignIn.CookiesAsync(url, "admin@demo.local");
            for (var i = 0; i < count; i++)
            {
                var hc = Connection(url, cookies);
                hc.On<WorkspaceEvent>("event", e =>
                {
                    if (e.Summary is not { } s || e.AccountId != account) return;
                    if (received.AddOrUpdate(s, 1, (_, n) => n + 1) != count) return;
                    var at = Stopwatch.GetTimestamp();
                    received.TryRemove(s, out _);
                    lock (gate) { output.WriteLine($"DONE {s} {at}"); output.Flush(); }
                });
                await hc.StartAsync();
                await hc.InvokeAsync("JoinCustomer", account);
                connections.Add(hc);
            }
        }
        lock (gate) { output.WriteLine("READY"); output.Flush(); }
        // Until the parent closes standard input (or kills the process).
        while (await Console.In.ReadLineAsync() is not null) { }
        foreach (var hc in connections) await hc.DisposeAsync();
    }
}
