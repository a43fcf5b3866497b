using System.Diagnostics;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>What the batch scan found.</summary>
public record ScanOutcome(int Contacts, int Accounts, int ContactPairs, int AccountPairs, int NewPairs, TimeSpan Took);

/// <summary>Where a running (or the last) scan stands.</summary>
public record ScanState(bool Running, double Progress, string Phase, ScanOutcome? Last, string? Error, DateTimeOffset? Started);

/// <summary>
/// The batch duplicate scan over all contacts and accounts: loads their match fields, compares within blocks (never all pairs),
/// and adds new likely-duplicate pairs to the review queue. One scan at a time per server, in the background, cancellable.
/// </summary>
public sealed class DuplicateScan
{
    private const string Signal = "duplicate-scan";
    private readonly IDbContextFactory<CrmDbContext> dbs;
    private readonly MatchScorer scorer;
    private readonly IWorkspaceEvents events;
    private readonly ILogger<DuplicateScan> log;
    private readonly ClusterSignals signals;
    private readonly JobLeases leases;
    private readonly CrmWorkspace.Features.Security.AuditTrail audit;
    public const string Job = "duplicate-scan";

    public DuplicateScan(IDbContextFactory<CrmDbContext> dbs, MatchScorer scorer, IWorkspaceEvents events, ILogger<DuplicateScan> log, ClusterSignals signals, JobLeases leases,
        CrmWorkspace.Features.Security.AuditTrail audit)
    {
        (this.dbs, this.scorer, this.events, this.log, this.signals, this.leases, this.audit) = (dbs, scorer, events, log, signals, leases, audit);
        // A scan running on another server: its state is shown here too (a signal beside its progress event, on another channel).
        signals.On(Signal, json =>
        {
            if (json is null || System.Text.Json.JsonSerializer.Deserialize<ScanState>(json) is not { } remote) return;
            lock (_gate) if (_cts is null || !_state.Running) _state = remote;
        });
    }

    private readonly Lock _gate = new();
    private CancellationTokenSource? _cts;
    private ScanState _state = new(false, 0, "", null, null, null);

    public ScanState State { get { lock (_gate) return _state; } }

    private long _lastProgressAt;

    // Progress goes out on the one live path (scope "duplicates"), at most five times a second; a state change always.
    // The change is made and told to the other servers under one lock, so they hear the states in the order they happened
    // (Progress<T> posts its reports to the pool: a late one must not follow "done" and undo it, here or on the other server).
    private void Update(Func<ScanState, ScanState?> change)
    {
        ScanState s;
        lock (_gate)
        {
            if (change(_state) is not { } next) return;
            _state = s = next;
            var now = Environment.TickCount64;
            if (s.Running && s.Phase == _lastPhase && now - _lastProgressAt < 200) return;
            _lastProgressAt = now;
            _lastPhase = s.Phase;
            signals.RaiseElsewhere(Signal, System.Text.Json.JsonSerializer.Serialize(s));
        }
        events.Publish(new WorkspaceEvent(EventKind.DuplicatesScanProgress, 0, StaffIdentity.System.Id, StaffIdentity.System.Name, null,
            DateTimeOffset.UtcNow, $"{s.Phase} {s.Progress:P0}", Scope: DuplicateService.Scope));
    }

    private string? _lastPhase;

    /// <summary>Starts a scan in the background (managers only); false when one is already running or the person may not.</summary>
    public bool Start(StaffIdentity by)
    {
        if (!audit.Allowed(by, Permission.RunDuplicateScan, "duplicate scan")) return false;
        lock (_gate)
        {
            if (_state.Running) return false;
            _cts = new CancellationTokenSource();
            _state = _state with { Running = true, Progress = 0, Phase = "loading", Error = null, Started = DateTimeOffset.UtcNow };
        }
        var ct = _cts.Token;
        _ = Task.Run(async () =>
        {
            // One scan at a time across all servers: the scan's lease, renewed while it runs.
            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                if (!await leases.TryAcquireAsync(Job, ct))
                {
                    Update(x => x with { Running = false, Phase = "failed", Error = "A scan is already running on another server." });
                    return;
                }
                _ = RenewAsync(renewing.Token);
                // A report that arrives once the scan has ended changes nothing.
                var outcome = await RunAsync(new Progress<(string Phase, double P)>(p => Update(x => x.Running ? x with { Phase = p.Phase, Progress = p.P } : null)), ct);
                Update(x => new ScanState(false, 1, "done", outcome, null, x.Started));
                events.Publish(new WorkspaceEvent(EventKind.DuplicatesScanned, 0, StaffIdentity.System.Id, StaffIdentity.System.Name, null, DateTimeOffset.UtcNow, outcome.NewPairs.ToString(), Scope: DuplicateService.Scope));
            }
            catch (OperationCanceledException) { Update(x => x with { Running = false, Phase = "cancelled" }); }
            catch (Exception e)
            {
                log.LogError(e, "Duplicate scan failed");
                Update(x => x with { Running = false, Phase = "failed", Error = e.Message });
            }
            finally
            {
                renewing.Cancel();
                try { await leases.ReleaseAsync(Job, CancellationToken.None); } catch (Exception e) { log.LogWarning(e, "Could not give up the scan's lease"); }
            }
        });
        return true;
    }

    private async Task RenewAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(leases.Duration / 3);
            while (await timer.WaitForNextTickAsync(ct)) await leases.TryAcquireAsync(Job, ct);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { log.LogWarning(e, "Renewing the scan's lease failed"); }
    }

    public bool Cancel(StaffIdentity by)
    {
        if (!audit.Allowed(by, Permission.RunDuplicateScan, "duplicate scan")) return false;
        lock (_gate) _cts?.Cancel();
        return true;
    }

    /// <summary>Runs the whole scan now (the background job and the benchmark call this).</summary>
    public async Task<ScanOutcome> RunAsync(IProgress<(string Phase, double P)>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        progress?.Report(("loading", 0));
        var contacts = await LoadContactsAsync(ct);
        var accounts = await LoadAccountsAsync(ct);
        progress?.Report(("contacts", 0.05));
        var contactPairs = BatchScan.Contacts(contacts, scorer, new Progress<double>(p => progress?.Report(("contacts", 0.05 + 0.6 * p))), ct);
        var accountPairs = BatchScan.Accounts(accounts, scorer, new Progress<double>(p => progress?.Report(("accounts", 0.65 + 0.3 * p))), ct);
        progress?.Report(("saving", 0.95));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var added = await DuplicateService.AddPairsAsync(db, RecordKind.Contact, contactPairs.Select(p => (p.A, p.B, p.Result)), "scan", ct: ct)
                  + await DuplicateService.AddPairsAsync(db, RecordKind.Account, accountPairs.Select(p => (p.A, p.B, p.Result)), "scan", ct: ct);
        progress?.Report(("done", 1));
        return new ScanOutcome(contacts.Count, accounts.Count, contactPairs.Count, accountPairs.Count, added, sw.Elapsed);
    }

    /// <summary>Every live contact's match fields (or the first <paramref name="take"/> by id), streamed without tracking.</summary>
    public async Task<List<ContactRecord>> LoadContactsAsync(CancellationToken ct = default, int? take = null)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var maxId = take is { } n ? await db.Contacts.OrderBy(c => c.Id).Skip(n - 1).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct) ?? int.MaxValue : int.MaxValue;
        var phones = new Dictionary<int, List<string>>();
        await foreach (var p in db.Set<ContactPhone>().AsNoTracking().Where(p => p.ContactId <= maxId).Select(p => new { p.ContactId, p.E164 }).AsAsyncEnumerable().WithCancellation(ct))
            (phones.TryGetValue(p.ContactId, out var l) ? l : phones[p.ContactId] = []).Add(p.E164);
        var emails = new Dictionary<int, List<string>>();
        await foreach (var e in db.Set<ContactEmail>().AsNoTracking().Where(e => e.ContactId <= maxId).Select(e => new { e.ContactId, e.Address }).AsAsyncEnumerable().WithCancellation(ct))
            (emails.TryGetValue(e.ContactId, out var l) ? l : emails[e.ContactId] = []).Add(e.Address);
        var list = new List<ContactRecord>();
        await foreach (var c in db.Contacts.AsNoTracking().Where(c => c.Id <= maxId).Select(c => new { c.Id, c.Name, c.Address, c.PostalCode, c.Birthday, c.AccountId }).AsAsyncEnumerable().WithCancellation(ct))
            list.Add(new ContactRecord
            {
                Id = c.Id, Name = c.Name, Address = c.Address, Postcode = c.PostalCode, Birthday = c.Birthday, AccountId = c.AccountId,
                PhonesE164 = phones.GetValueOrDefault(c.Id) ?? [], Emails = emails.GetValueOrDefault(c.Id) ?? [],
            });
        return list;
    }

    public async Task<List<AccountRecord>> LoadAccountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.AsNoTracking()
            .Select(a => new AccountRecord { Id = a.Id, Name = a.Name, PhoneE164 = a.PhoneE164, Address = a.Address, City = a.City, ParentId = a.ParentId })
            .ToListAsync(ct);
    }
}
