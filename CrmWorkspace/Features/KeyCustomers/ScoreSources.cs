using CrmWorkspace.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.KeyCustomers;

/// <summary>
/// What input sources measure into: amounts per head office. <see cref="Only"/> limits the accounts read (null: everyone);
/// an amount measured on a branch is added to its head office.
/// </summary>
public sealed class ScoreMeasure(CrmDbContext db, IReadOnlyDictionary<int, int> headOf, IReadOnlyList<int>? only, DateOnly today, ScoreSettings settings)
{
    public CrmDbContext Db { get; } = db;
    public IReadOnlyList<int>? Only { get; } = only;
    public DateOnly Today { get; } = today;
    public ScoreSettings Settings { get; } = settings;
    public Dictionary<int, Dictionary<ScoreInput, decimal>> Amounts { get; } = [];

    /// <summary>The head office an account rolls up to (itself when it has no parent), if it is being measured.</summary>
    public int? HeadOf(int accountId) => headOf.TryGetValue(accountId, out var h) ? h : null;

    public void Add(int accountId, ScoreInput input, decimal amount)
    {
        if (amount == 0 || !headOf.TryGetValue(accountId, out var head)) return;
        if (!Amounts.TryGetValue(head, out var a)) Amounts[head] = a = [];
        a[input] = a.GetValueOrDefault(input) + amount;
    }
}

/// <summary>
/// One source of score inputs (subscriptions, fairs, the relationship; advertising once it exists). Each is registered as an
/// <c>IScoreInputSource</c>; the score is the sum over whatever sources are registered.
/// </summary>
public interface IScoreInputSource
{
    Task MeasureAsync(ScoreMeasure m, CancellationToken ct);
}

/// <summary>Circulation: subscription revenue started in the last 12 months, copies running today, unpaid subscriptions.</summary>
public sealed class SubscriptionInputs : IScoreInputSource
{
    public async Task MeasureAsync(ScoreMeasure m, CancellationToken ct)
    {
        var since = m.Today.AddMonths(-12);
        var dueBefore = m.Today.AddDays(-m.Settings.PaymentDueDays);
        var q = m.Db.Subscriptions.AsNoTracking().Where(s => s.CancelledAt == null && s.EndsOn >= since);
        if (m.Only is { } ids) q = q.Where(s => ids.Contains(s.AccountId));
        var rows = await q.Select(s => new { s.AccountId, s.StartsOn, s.EndsOn, s.Copies, s.Price, s.Paid }).ToListAsync(ct);
        foreach (var s in rows)
        {
            if (s.StartsOn > since && s.StartsOn <= m.Today) m.Add(s.AccountId, ScoreInput.SubscriptionRevenue, s.Price);
            if (s.StartsOn <= m.Today && s.EndsOn >= m.Today) m.Add(s.AccountId, ScoreInput.SubscriptionCopies, s.Copies);
            if (s.Paid < s.Price && s.StartsOn <= dueBefore) m.Add(s.AccountId, ScoreInput.OverduePayments, 1);
        }
    }
}

/// <summary>The fair office: booth area and spend over recent (and coming) fairs; bookings unpaid after their fair began.</summary>
public sealed class FairInputs : IScoreInputSource
{
    public async Task MeasureAsync(ScoreMeasure m, CancellationToken ct)
    {
        var since = m.Today.AddMonths(-m.Settings.FairMonths);
        var dueBefore = m.Today.AddDays(-m.Settings.PaymentDueDays);
        var q = m.Db.Bookings.AsNoTracking().Where(b => b.Status != BookingStatus.Cancelled && b.Status != BookingStatus.Inquiry);
        if (m.Only is { } ids) q = q.Where(b => ids.Contains(b.AccountId));
        var rows = await (from b in q
                          join f in m.Db.Fairs on b.FairId equals f.Id
                          where f.StartsOn >= since
                          select new
                          {
                              b.AccountId, b.Price, b.Discount, b.Paid, f.StartsOn,
                              Area = m.Db.BookingBooths.Where(x => x.BookingId == b.Id && x.Live).Join(m.Db.Booths, x => x.BoothId, y => y.Id, (x, y) => y.Area).Sum(),
                          }).ToListAsync(ct);
        foreach (var b in rows)
        {
            m.Add(b.AccountId, ScoreInput.BoothArea, b.Area);
            m.Add(b.AccountId, ScoreInput.FairSpend, b.Price - b.Discount);
            if (b.Paid < b.Price - b.Discount && b.StartsOn <= dueBefore) m.Add(b.AccountId, ScoreInput.OverduePayments, 1);
        }
    }
}

/// <summary>
/// The relationship: whole years since the customer came (its record or first subscription, whichever is earlier), open
/// complaints (complaint entries on the timeline not yet closed), and whole months since anyone last worked it. Each is one grouped
/// query over the accounts measured (one indexed range per account, or one pass for everyone), never a query per account.
/// </summary>
public sealed class RelationshipInputs : IScoreInputSource
{
    public async Task MeasureAsync(ScoreMeasure m, CancellationToken ct)
    {
        var db = m.Db;
        var today = m.Today;
        var accounts = db.Accounts.AsNoTracking();
        var subscriptions = db.Subscriptions.AsNoTracking();
        var touches = db.TeamTouches.AsNoTracking();
        var complaints = db.Activities.AsNoTracking().Where(x => x.Kind == ActivityKind.Complaint && x.FollowUpDoneAt == null);
        if (m.Only is { } ids)
        {
            accounts = accounts.Where(a => ids.Contains(a.Id));
            subscriptions = subscriptions.Where(s => ids.Contains(s.AccountId));
            touches = touches.Where(t => ids.Contains(t.AccountId));
            complaints = complaints.Where(x => ids.Contains(x.AccountId));
        }
        var rows = await accounts.Select(a => new { a.Id, a.CreatedAt }).ToListAsync(ct);
        var firsts = await subscriptions.GroupBy(s => s.AccountId).Select(g => new { g.Key, First = g.Min(s => s.StartsOn) }).ToDictionaryAsync(x => x.Key, x => x.First, ct);
        var lasts = await touches.GroupBy(t => t.AccountId).Select(g => new { g.Key, Last = g.Max(t => t.LastAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var open = await complaints.GroupBy(x => x.AccountId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var c in open) m.Add(c.Key, ScoreInput.OpenComplaints, c.Count);
        // Per head office: the earliest start and the latest touch over it and its branches.
        var heads = new Dictionary<int, (DateOnly Start, DateTimeOffset? Last)>();
        foreach (var r in rows)
        {
            if (m.HeadOf(r.Id) is not { } head) continue;
            var created = DateOnly.FromDateTime(r.CreatedAt.UtcDateTime);
            var start = firsts.TryGetValue(r.Id, out var f) && f < created ? f : created;
            DateTimeOffset? last = lasts.TryGetValue(r.Id, out var l) ? l : null;
            if (heads.TryGetValue(head, out var h))
                heads[head] = (start < h.Start ? start : h.Start, h.Last is null || (last is { } x && x > h.Last) ? last ?? h.Last : h.Last);
            else heads[head] = (start, last);
        }
        foreach (var (head, (start, last)) in heads)
        {
            var years = (today.Year - start.Year) - (today < start.AddYears(today.Year - start.Year) ? 1 : 0);
            m.Add(head, ScoreInput.CustomerYears, Math.Max(0, years));
            var lastDay = last is { } l ? DateOnly.FromDateTime(l.UtcDateTime) : start;
            var months = (today.Year - lastDay.Year) * 12 + today.Month - lastDay.Month - (today.Day < lastDay.Day ? 1 : 0);
            m.Add(head, ScoreInput.MonthsWithoutContact, Math.Max(0, months));
        }
    }
}
