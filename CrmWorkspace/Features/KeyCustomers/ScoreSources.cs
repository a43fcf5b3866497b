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
/// complaints (complaint entries on the timeline not yet closed), and whole months since anyone last worked it.
/// </summary>
public sealed class RelationshipInputs : IScoreInputSource
{
    public async Task MeasureAsync(ScoreMeasure m, CancellationToken ct)
    {
        var db = m.Db;
        var today = m.Today;
        var accounts = db.Accounts.AsNoTracking();
        if (m.Only is { } ids) accounts = accounts.Where(a => ids.Contains(a.Id));
        var rows = await accounts.Select(a => new
        {
            a.Id, a.CreatedAt,
            FirstSubscription = db.Subscriptions.Where(s => s.AccountId == a.Id).Min(s => (DateOnly?)s.StartsOn),
            LastTouch = db.TeamTouches.Where(t => t.AccountId == a.Id).Max(t => t.LastAt),
            OpenComplaints = db.Activities.Count(x => x.AccountId == a.Id && x.Kind == ActivityKind.Complaint && x.FollowUpDoneAt == null),
        }).ToListAsync(ct);
        // Per head office: the earliest start and the latest touch over it and its branches.
        var since = new Dictionary<int, DateOnly>();
        var touch = new Dictionary<int, DateTimeOffset?>();
        foreach (var r in rows)
        {
            var created = DateOnly.FromDateTime(r.CreatedAt.UtcDateTime);
            var start = r.FirstSubscription is { } f && f < created ? f : created;
            m.Add(r.Id, ScoreInput.OpenComplaints, r.OpenComplaints);
            since[r.Id] = start;
            touch[r.Id] = r.LastTouch;
        }
        foreach (var group in rows.GroupBy(r => m.HeadOf(r.Id)))
        {
            if (group.Key is not { } head) continue;
            var start = group.Min(r => since[r.Id]);
            var years = (today.Year - start.Year) - (today < start.AddYears(today.Year - start.Year) ? 1 : 0);
            m.Add(head, ScoreInput.CustomerYears, Math.Max(0, years));
            var last = group.Max(r => touch[r.Id]);
            var lastDay = last is { } l ? DateOnly.FromDateTime(l.UtcDateTime) : start;
            var months = (today.Year - lastDay.Year) * 12 + today.Month - lastDay.Month - (today.Day < lastDay.Day ? 1 : 0);
            m.Add(head, ScoreInput.MonthsWithoutContact, Math.Max(0, months));
        }
    }
}
