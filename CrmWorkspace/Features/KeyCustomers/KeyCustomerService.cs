using CrmWorkspace.Localization;
using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>Value scores: read a customer's, change the weights (managers), pin a tier by hand (managers).</summary>
public class KeyCustomerService(IDbContextFactory<CrmDbContext> dbs, ScoreKeeper keeper, KeyCustomerWorker worker, IWorkspaceEvents events,
    StaffDirectory staff, IStringLocalizer<KeyCustomersText> L, CrmWorkspace.Features.Security.AuditTrail audit)
{
    /// <summary>Scope of events about scores as a whole (settings saved, recompute progress).</summary>
    public const string Scope = "key-customers";
    public const int MaxReason = 300;

    public async Task<ScoreSettingsInput> SettingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(Actors.SystemId, ct);
        var (settings, weights) = await ScoreKeeper.SettingsAsync(db, ct);
        return ScoreSettingsInput.From(settings, weights);
    }

    public Dictionary<string, string> Validate(ScoreSettingsInput input)
    {
        var e = new Dictionary<string, string>();
        if (input.TierA is < -1000 or > 1000 || input.TierB is < -1000 or > 1000 || input.TierC is < -1000 or > 1000)
            e[nameof(input.TierA)] = L["Cut-offs lie between −1,000 and 1,000."];
        else if (!(input.TierA > input.TierB && input.TierB > input.TierC))
            e[nameof(input.TierA)] = L["Tier A needs a higher score than B, and B than C."];
        if (input.FairMonths is < 1 or > 120) e[nameof(input.FairMonths)] = L["Fairs are counted over 1 to 120 months."];
        if (input.PaymentDueDays is < 0 or > 365) e[nameof(input.PaymentDueDays)] = L["A payment falls due 0 to 365 days after the start."];
        if (input.CareDays is < 0 or > 60) e[nameof(input.CareDays)] = L["Care reminders come 0 to 60 days before."];
        foreach (var w in input.Weights)
        {
            var key = $"Weight.{w.Input}";
            if (!Enum.IsDefined(w.Input)) e[key] = L["Unknown input."];
            else if (w.Unit <= 0 || w.Unit > 1_000_000) e[key] = L["The unit must be above 0 and at most 1,000,000."];
            else if (w.PointsPerUnit is < -100 or > 100) e[key] = L["Points per unit lie between −100 and 100."];
            else if (w.Cap is < 0 or > 100) e[key] = L["The cap lies between 0 and 100 points."];
        }
        return e;
    }

    /// <summary>Saves the weights and cut-offs (managers only) and starts the recompute of every customer.</summary>
    public async Task<KeyCustomerResult> SaveSettingsAsync(ScoreSettingsInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ManageKeyCustomers, "score settings")) return new KeyCustomerResult(false, L["Only a manager can change how customers are scored."]);
        var errors = Validate(input);
        if (errors.Count > 0) return new KeyCustomerResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await ScoreKeeper.SettingsAsync(db, ct);
        var settings = await db.ScoreSettings.OrderBy(s => s.Id).FirstAsync(ct);
        if (settings.Version != input.Version)
            return new KeyCustomerResult(false, L["{0} changed the settings meanwhile; reload them first.", (await staff.FindAsync(settings.UpdatedBy))?.Name ?? settings.UpdatedBy ?? ""]);
        settings.TierA = input.TierA; settings.TierB = input.TierB; settings.TierC = input.TierC;
        settings.FairMonths = input.FairMonths; settings.PaymentDueDays = input.PaymentDueDays; settings.CareDays = input.CareDays;
        settings.UpdatedAt = DateTimeOffset.UtcNow; settings.UpdatedBy = actor.Id;
        var weights = await db.ScoreWeights.ToListAsync(ct);
        foreach (var w in input.Weights)
            if (weights.FirstOrDefault(x => x.Input == w.Input) is { } row) (row.PointsPerUnit, row.Unit, row.Cap) = (w.PointsPerUnit, w.Unit, w.Cap);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new KeyCustomerResult(false, L["Someone changed the settings meanwhile; reload them first."]); }
        events.Publish(new WorkspaceEvent(EventKind.ScoreSettingsChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, Scope: Scope));
        worker.RequestFullRecompute();
        return new KeyCustomerResult(true);
    }

    public RecomputeStatus Recompute => worker.Status;

    /// <summary>The score of the head office this customer rolls up to (null until first computed).</summary>
    public async Task<CustomerScoreView?> ScoreOfAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var up = await AccountService.AncestorsOfAsync(db, accountId, ct);
        var head = up.Count > 0 ? up[^1] : accountId;
        var s = await db.CustomerScores.AsNoTracking().FirstOrDefaultAsync(x => x.AccountId == head, ct);
        if (s is null) return null;
        var name = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == head).Select(a => a.Name).FirstAsync(ct);
        var from = new DateOnly(DateTime.Today.Year, DateTime.Today.Month, 1).AddMonths(-11);
        var trend = await db.ScoreSnapshots.AsNoTracking().Where(x => x.AccountId == head && x.Month >= from).OrderBy(x => x.Month).ToListAsync(ct);
        return new CustomerScoreView(head, name, head != accountId, s.Score, s.ComputedTier, s.Tier, ScoreRules.Deserialize(s.Breakdown), s.ComputedAt,
            s.PinnedTier, s.PinReason, s.PinnedBy is null ? null : (await staff.FindAsync(s.PinnedBy))?.Name ?? s.PinnedBy, s.PinnedAt, trend);
    }

    /// <summary>Pins a customer's tier by hand with a reason (managers only), or unpins it (tier null); noted on the timeline.</summary>
    public async Task<KeyCustomerResult> PinAsync(int accountId, AccountTier? tier, string? reason, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ManageKeyCustomers, $"customer #{accountId} tier")) return new KeyCustomerResult(false, L["Only a manager can pin a customer's tier."]);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (tier is not null && reason is null) return new KeyCustomerResult(false, Errors: new Dictionary<string, string> { ["Reason"] = L["Say why the tier is pinned."] });
        if (reason?.Length > MaxReason) return new KeyCustomerResult(false, Errors: new Dictionary<string, string> { ["Reason"] = L["The reason is too long ({0} characters at most).", MaxReason] });
        await using (var db = await dbs.BeginAsync(actor.Id, ct))
        {
            var up = await AccountService.AncestorsOfAsync(db, accountId, ct);
            var head = up.Count > 0 ? up[^1] : accountId;
            if (!await db.Accounts.AnyAsync(a => a.Id == head, ct)) return new KeyCustomerResult(false, L["This customer no longer exists."]);
            var score = await db.CustomerScores.FirstOrDefaultAsync(s => s.AccountId == head, ct);
            if (score is null)
            {
                await keeper.RecomputeAsync([head], ct);
                score = await db.CustomerScores.FirstAsync(s => s.AccountId == head, ct);
            }
            score.PinnedTier = tier;
            score.PinReason = tier is null ? null : reason;
            score.PinnedBy = tier is null ? null : actor.Id;
            score.PinnedAt = tier is null ? null : DateTimeOffset.UtcNow;
            var line = tier is { } t ? LocalLine.Of<KeyCustomersText>("Tier pinned to {0}: {1}", t.ToString(), reason!)
                : LocalLine.Of<KeyCustomersText>("Tier pin removed; the computed tier {0} applies.", score.ComputedTier.ToString());
            db.Activities.Add(Activity.SystemEntry(head, EventKind.ScorePinned.Name(), LineText.Format(L, line), actor.Id, actor.TeamId,
                line.Json(new { Tier = tier?.ToString(), Reason = reason })));
            await db.SaveChangesAsync(ct);
            accountId = head;
        }
        // The shown tier (Account.Tier of the group) follows at once, not on the worker's next round.
        await keeper.RecomputeAsync([accountId], ct);
        events.Publish(new WorkspaceEvent(EventKind.ScorePinned, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow,
            tier?.ToString(), Scope: Scope));
        return new KeyCustomerResult(true);
    }
}
