using CrmWorkspace.Localization;
using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Features.Security;
using CrmWorkspace.Live;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>
/// A tier typed on the customer form: the tier comes from the value score, so typing one is a pin, which only a manager makes,
/// with a reason (as on the score panel). Checked before the customer service opens its unit of work; the pin is then written
/// in that same unit of work, with its timeline entry and a recompute mark, so it commits with the customer's change.
/// </summary>
public class TierPins(AuditTrail audit, IStringLocalizer<KeyCustomersText> L)
{
    /// <summary>Why a typed tier is refused (per-field errors on "Tier"), or null when this manager may pin it.</summary>
    public async Task<Dictionary<string, string>?> RefusalAsync(int accountId, bool isBranch, string? reason, StaffIdentity actor)
    {
        if (isBranch) return new() { ["Tier"] = L["A branch has its head office's tier; pin it at the head office."] };
        if (!await audit.AllowedAsync(actor, Permission.ManageKeyCustomers, $"customer #{accountId} tier (customer form)"))
            return new() { ["Tier"] = L["The tier comes from the value score; only a manager can pin it, with a reason."] };
        if (string.IsNullOrWhiteSpace(reason)) return new() { ["Tier"] = L["Say why the tier is pinned."] };
        if (reason.Trim().Length > KeyCustomerService.MaxReason) return new() { ["Tier"] = L["The reason is too long ({0} characters at most).", KeyCustomerService.MaxReason] };
        return null;
    }

    /// <summary>Pins the head office's tier in the caller's unit of work (checked first with <see cref="RefusalAsync"/>).</summary>
    public void Pin(CrmDbContext db, Account account, AccountTier tier, string reason, StaffIdentity actor)
    {
        var now = DateTimeOffset.UtcNow;
        var score = db.CustomerScores.Find(account.Id);
        if (score is null) db.CustomerScores.Add(score = new CustomerScore { AccountId = account.Id, ComputedTier = account.Tier, ComputedAt = now });
        (score.PinnedTier, score.PinReason, score.PinnedBy, score.PinnedAt) = (tier, reason.Trim(), actor.Id, now);
        var line = LocalLine.Of<KeyCustomersText>("Tier pinned to {0}: {1}", tier.ToString(), reason.Trim());
        db.Activities.Add(Activity.SystemEntry(account.Id, EventKind.ScorePinned.Name(), LineText.Format(L, line), actor.Id, actor.TeamId,
            line.Json(new { Tier = tier.ToString(), Reason = reason.Trim() })));
        // Its branches take the pinned tier on the worker's next round.
        db.ScoreDirty.Add(new ScoreDirty { AccountId = account.Id, At = now });
    }
}
