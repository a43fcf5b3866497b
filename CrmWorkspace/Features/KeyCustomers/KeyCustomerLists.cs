using CrmWorkspace.Data;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>What to do about a customer whose value moved (seed 001: thank, encourage, or talk it through).</summary>
public enum CareAction { Thank = 1, Encourage = 2, TalkThrough = 3 }

/// <summary>A reason a customer's value moved, in words: a breakdown line that changed, or something that happened.</summary>
public record ChangeReason(bool Up, string Text);

/// <summary>One row of "value that changes".</summary>
public record ValueChangeRow(int AccountId, string Name, string? OwnerId, int Before, int After, AccountTier TierBefore, AccountTier TierAfter,
    IReadOnlyList<ChangeReason> Reasons, int OpenFollowUps)
{
    public int Delta => After - Before;
}

/// <summary>What kind of problem a problem-list item is.</summary>
public enum ProblemKind { Complaint = 1, OverduePayment = 2, DeclinedRenewal = 3, NoContact = 4 }

/// <summary>One item on the problem-customer list; <see cref="Key"/> identifies it for closing.</summary>
public record ProblemItem(string Key, ProblemKind Kind, int AccountId, string AccountName, AccountTier Tier, string? OwnerId, string Detail, DateTimeOffset Since);

/// <summary>The lists managers act from: customers whose value moved, and problem customers; and the actions taken on them.</summary>
public class KeyCustomerLists(IDbContextFactory<CrmDbContext> dbs, TimelineService timeline, IStringLocalizer<KeyCustomersText> L)
{
    public const int MaxNote = 1_000;

    /// <summary>Head offices whose score moved most since the snapshot <paramref name="months"/> months ago, with reasons.</summary>
    public async Task<IReadOnlyList<ValueChangeRow>> ValueChangesAsync(int months = 3, int take = 30, string? ownerId = null, CancellationToken ct = default)
    {
        months = Math.Clamp(months, 1, 12);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(DateTime.Today);
        var since = new DateOnly(today.Year, today.Month, 1).AddMonths(-months);
        var q = from s in db.CustomerScores
                join p in db.ScoreSnapshots on new { s.AccountId, Month = since } equals new { p.AccountId, p.Month }
                join a in db.Accounts on s.AccountId equals a.Id
                where ownerId == null || a.OwnerId == ownerId
                let delta = s.Score - p.Score
                orderby (delta < 0 ? -delta : delta) descending, s.AccountId
                select new { s.AccountId, a.Name, a.OwnerId, Before = p.Score, After = s.Score, TierBefore = p.Tier, s.ComputedTier, s.PinnedTier,
                    BeforeLines = p.Breakdown, AfterLines = s.Breakdown };
        var rows = await q.Where(x => x.Before != x.After || x.TierBefore != (x.PinnedTier ?? x.ComputedTier)).Take(take).ToListAsync(ct);
        var ids = rows.Select(r => r.AccountId).ToList();
        var from = new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var reasons = await EventsAsync(db, ids, from, today, ct);
        var open = await db.TeamTouches.Where(t => ids.Contains(t.AccountId)).GroupBy(t => t.AccountId)
            .Select(g => new { g.Key, Open = g.Sum(t => t.OpenFollowUps) }).ToDictionaryAsync(x => x.Key, x => x.Open, ct);
        return rows.Select(r => new ValueChangeRow(r.AccountId, r.Name, r.OwnerId, r.Before, r.After, r.TierBefore, r.PinnedTier ?? r.ComputedTier,
            [.. LineReasons(r.BeforeLines, r.AfterLines), .. reasons.GetValueOrDefault(r.AccountId) ?? []], open.GetValueOrDefault(r.AccountId))).ToList();
    }

    // Breakdown lines that moved (snapshots made before breakdowns were kept have none: then only events explain the move).
    private IEnumerable<ChangeReason> LineReasons(string beforeJson, string afterJson)
    {
        var before = ScoreRules.Deserialize(beforeJson);
        if (before.Count == 0) yield break;
        var after = ScoreRules.Deserialize(afterJson);
        foreach (var input in before.Select(l => l.Input).Union(after.Select(l => l.Input)).Order())
        {
            var b = before.FirstOrDefault(l => l.Input == input);
            var a = after.FirstOrDefault(l => l.Input == input);
            var delta = (a?.Points ?? 0) - (b?.Points ?? 0);
            if (delta == 0) continue;
            yield return new ChangeReason(delta > 0, L["{0}: {1} → {2} ({3})", L[$"ScoreInput.{input}"],
                b is null ? "—" : ScoreText.Amount(b), a is null ? "—" : ScoreText.Amount(a), ScoreText.Points(delta)]);
        }
    }

    // What happened in the period, per head office: declined renewals, lapsed subscriptions, new complaints, new subscriptions and bookings.
    private async Task<Dictionary<int, List<ChangeReason>>> EventsAsync(CrmDbContext db, List<int> heads, DateTimeOffset from, DateOnly today, CancellationToken ct)
    {
        var result = new Dictionary<int, List<ChangeReason>>();
        var headOf = new Dictionary<int, int>();
        foreach (var h in heads)
            foreach (var m in await AccountService.WithDescendantsAsync(db, h, ct)) headOf[m] = h;
        var members = headOf.Keys.ToList();
        void Add(int accountId, bool up, string text)
        {
            var head = headOf[accountId];
            if (!result.TryGetValue(head, out var list)) result[head] = list = [];
            if (list.Count < 6 && !list.Any(x => x.Text == text)) list.Add(new ChangeReason(up, text));
        }
        var fromDay = DateOnly.FromDateTime(from.UtcDateTime);
        var subs = await db.Subscriptions.AsNoTracking().Where(s => members.Contains(s.AccountId) &&
                ((s.LastCallOutcome == RenewalCallOutcome.Declined && s.LastCallAt >= from) || (s.EndsOn >= fromDay && s.EndsOn < today && s.RenewedById == null)
                 || s.StartsOn >= fromDay || s.CancelledAt >= from))
            .Select(s => new { s.AccountId, s.Periodical!.Title, s.LastCallOutcome, s.LastCallAt, s.DeclineReason, s.StartsOn, s.EndsOn, s.RenewedById, s.CancelledAt, s.CancelReason, s.RenewedFromId, s.Copies })
            .ToListAsync(ct);
        foreach (var s in subs)
        {
            if (s.LastCallOutcome == RenewalCallOutcome.Declined && s.LastCallAt >= from) Add(s.AccountId, false, L["Renewal of {0} declined: {1}", s.Title, s.DeclineReason ?? "—"]);
            else if (s.CancelledAt >= from) Add(s.AccountId, false, L["{0} cancelled: {1}", s.Title, s.CancelReason ?? "—"]);
            else if (s.EndsOn >= fromDay && s.EndsOn < today && s.RenewedById == null) Add(s.AccountId, false, L["{0} lapsed without renewal", s.Title]);
            if (s.StartsOn >= fromDay && s.StartsOn <= today && s.CancelledAt is null)
                Add(s.AccountId, true, s.RenewedFromId is null ? L["New subscription: {0} × {1}", s.Title, s.Copies] : L["Renewed: {0} × {1}", s.Title, s.Copies]);
        }
        var complaints = await db.Activities.AsNoTracking().Where(a => members.Contains(a.AccountId) && a.Kind == ActivityKind.Complaint && a.OccurredAt >= from)
            .Select(a => new { a.AccountId, a.Subject }).ToListAsync(ct);
        foreach (var c in complaints) Add(c.AccountId, false, L["New complaint: {0}", c.Subject]);
        var bookings = await db.Bookings.AsNoTracking().Where(b => members.Contains(b.AccountId) && b.CreatedAt >= from && b.Status != BookingStatus.Inquiry)
            .Join(db.Fairs, b => b.FairId, f => f.Id, (b, f) => new { b.AccountId, f.Name, b.Status }).ToListAsync(ct);
        foreach (var b in bookings)
            Add(b.AccountId, b.Status != BookingStatus.Cancelled, b.Status == BookingStatus.Cancelled ? L["Booking at {0} cancelled", b.Name] : L["Booked at {0}", b.Name]);
        return result;
    }

    /// <summary>
    /// Plans a follow-up on the customer's timeline (thank, encourage, talk it through), assigned to the customer's owner
    /// (or the person acting when it has none), due tomorrow. Anyone who works customers may do this.
    /// </summary>
    public async Task<TimelineResult> FollowUpAsync(int accountId, CareAction action, string? note, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(action)) return new TimelineResult(false, Error: L["Choose thank, encourage or talk it through."]);
        if (note?.Length > MaxNote) return new TimelineResult(false, Error: L["The note is too long ({0} characters at most).", MaxNote]);
        string? owner;
        await using (var db = await dbs.CreateDbContextAsync(ct))
            owner = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerId).FirstOrDefaultAsync(ct);
        return await timeline.LogAsync(accountId, new ActivityInput
        {
            Kind = action == CareAction.TalkThrough ? ActivityKind.Call : ActivityKind.Note,
            Subject = L[$"CareAction.{action}.Subject"],
            Body = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            FollowUpOn = DateTime.Today.AddDays(1),
            FollowUpAssigneeId = owner ?? actor.Id,
        }, actor, ct);
    }

    /// <summary>Open problems: complaints, overdue payments, recently declined renewals, key customers left without contact.</summary>
    public async Task<IReadOnlyList<ProblemItem>> ProblemsAsync(int noContactDays = 60, string? ownerId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (settings, _) = (await db.ScoreSettings.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(ct) ?? new ScoreSettings(), 0);
        var today = DateOnly.FromDateTime(DateTime.Today);
        var now = DateTimeOffset.UtcNow;
        var dueBefore = today.AddDays(-settings.PaymentDueDays);
        var items = new List<(string Key, ProblemKind Kind, int AccountId, string Detail, DateTimeOffset Since)>();

        foreach (var c in await db.Activities.AsNoTracking().Where(a => a.Kind == ActivityKind.Complaint && a.FollowUpDoneAt == null)
                     .Select(a => new { a.Id, a.AccountId, a.Subject, a.OccurredAt }).ToListAsync(ct))
            items.Add(($"complaint:{c.Id}", ProblemKind.Complaint, c.AccountId, c.Subject, c.OccurredAt));
        foreach (var s in await db.Subscriptions.AsNoTracking().Where(s => s.CancelledAt == null && s.Paid < s.Price && s.StartsOn <= dueBefore && s.EndsOn >= today.AddYears(-1))
                     .Select(s => new { s.Id, s.AccountId, s.Periodical!.Title, s.Price, s.Paid, s.StartsOn }).ToListAsync(ct))
            items.Add(($"subscription-payment:{s.Id}", ProblemKind.OverduePayment, s.AccountId, L["{0}: ¥{1:N0} of ¥{2:N0} unpaid", s.Title, s.Price - s.Paid, s.Price],
                new DateTimeOffset(s.StartsOn.AddDays(settings.PaymentDueDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
        foreach (var b in await db.Bookings.AsNoTracking().Where(b => b.Status != BookingStatus.Cancelled && b.Status != BookingStatus.Inquiry && b.Paid < b.Price - b.Discount)
                     .Join(db.Fairs, b => b.FairId, f => f.Id, (b, f) => new { b.Id, b.AccountId, f.Name, f.StartsOn, Due = b.Price - b.Discount - b.Paid })
                     .Where(x => x.StartsOn <= dueBefore && x.StartsOn >= today.AddYears(-1)).ToListAsync(ct))
            items.Add(($"booking-payment:{b.Id}", ProblemKind.OverduePayment, b.AccountId, L["{0}: ¥{1:N0} unpaid", b.Name, b.Due],
                new DateTimeOffset(b.StartsOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
        var declinedSince = now.AddDays(-90);
        foreach (var s in await db.Subscriptions.AsNoTracking().Where(s => s.LastCallOutcome == RenewalCallOutcome.Declined && s.LastCallAt >= declinedSince && s.RenewedById == null)
                     .Select(s => new { s.Id, s.AccountId, s.Periodical!.Title, s.DeclineReason, s.LastCallAt }).ToListAsync(ct))
            items.Add(($"declined:{s.Id}", ProblemKind.DeclinedRenewal, s.AccountId, L["Renewal of {0} declined: {1}", s.Title, s.DeclineReason ?? "—"], s.LastCallAt!.Value));
        // Key customers (tier A and B) nobody has worked for N days; the key carries the last contact, so a later lapse is a new problem.
        var quietSince = now.AddDays(-Math.Clamp(noContactDays, 7, 365));
        foreach (var k in await db.Accounts.AsNoTracking().Where(a => (a.ParentId ?? 0) == 0 && (a.Tier == AccountTier.A || a.Tier == AccountTier.B))
                     .Select(a => new { a.Id, a.CreatedAt, Last = db.TeamTouches.Where(t => t.AccountId == a.Id).Max(t => t.LastAt) })
                     .Where(x => (x.Last ?? x.CreatedAt) < quietSince).ToListAsync(ct))
        {
            var last = k.Last ?? k.CreatedAt;
            items.Add(($"no-contact:{k.Id}:{last:yyyyMMdd}", ProblemKind.NoContact, k.Id, L["No contact for {0} days", (int)(now - last).TotalDays], last));
        }

        var keys = items.Select(i => i.Key).ToList();
        var closed = (await db.ProblemClosures.Where(p => keys.Contains(p.Key)).Select(p => p.Key).ToListAsync(ct)).ToHashSet();
        var ids = items.Select(i => i.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Name, a.Tier, a.OwnerId }).ToDictionaryAsync(a => a.Id, ct);
        return items.Where(i => !closed.Contains(i.Key) && accounts.ContainsKey(i.AccountId))
            .Select(i => { var a = accounts[i.AccountId]; return new ProblemItem(i.Key, i.Kind, i.AccountId, a.Name, a.Tier, a.OwnerId, i.Detail, i.Since); })
            .Where(i => ownerId is null || i.OwnerId == ownerId)
            .OrderBy(i => i.Tier).ThenBy(i => i.Kind).ThenBy(i => i.Since).Take(500).ToList();
    }

    /// <summary>
    /// Closes a problem with a timeline entry saying what was done, in one commit; a complaint is closed with it. A problem
    /// already closed by someone else is reported, not closed twice.
    /// </summary>
    public async Task<TimelineResult> CloseProblemAsync(string key, int accountId, ActivityKind kind, string whatWasDone, StaffIdentity actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(whatWasDone)) return new TimelineResult(false, Errors: new Dictionary<string, string> { ["Subject"] = L["Say what was done."] });
        if (whatWasDone.Trim().Length > TimelineService.MaxSubject)
            return new TimelineResult(false, Errors: new Dictionary<string, string> { ["Subject"] = L["Say it in {0} characters at most.", TimelineService.MaxSubject] });
        if (key.Length > 80) return new TimelineResult(false, Error: L["This problem no longer exists."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.ProblemClosures.AnyAsync(p => p.Key == key, ct)) return new TimelineResult(false, Error: L["Someone has already closed this problem."]);
        Activity? complaint = null;
        if (key.StartsWith("complaint:") && long.TryParse(key["complaint:".Length..], out var complaintId))
        {
            complaint = await db.Activities.FirstOrDefaultAsync(a => a.Id == complaintId && a.Kind == ActivityKind.Complaint, ct);
            if (complaint is null) return new TimelineResult(false, Error: L["This problem no longer exists."]);
            accountId = complaint.AccountId;
            complaint.FollowUpDoneAt = DateTimeOffset.UtcNow;
        }
        var (entry, error) = await timeline.AddAsync(db, accountId, new ActivityInput { Kind = kind, Subject = whatWasDone.Trim(), Outcome = L["Problem closed"] }, actor, ct);
        if (entry is null) return new TimelineResult(false, Error: error);
        db.ProblemClosures.Add(new ProblemClosure { Key = key, AccountId = accountId, ActivityId = entry.Id, ClosedBy = actor.Id, ClosedAt = DateTimeOffset.UtcNow });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return new TimelineResult(false, Error: L["Someone has already closed this problem."]); }
        if (complaint is not null)
        {
            await TeamSummary.TouchAsync(db, complaint.AccountId, complaint.TeamId, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await timeline.PublishAsync(db, EventKind.ActivityLogged, entry, actor, null, ct);
        if (complaint is not null) await timeline.PublishAsync(db, EventKind.FollowupDone, complaint, actor, null, ct);
        return new TimelineResult(true, entry.Id);
    }
}
