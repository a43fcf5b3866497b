using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams;

/// <summary>
/// Results against targets, counted from the records themselves whenever they are read (no stored totals to drift): subscriptions
/// sold and renewals (by the salesperson, when recorded, not cancelled), booths booked (live booths of bookings made in the period),
/// advertising sold (contracts signed in the period), new customers (entered by the person) and calls (calls and renewal calls
/// logged). Each measure is one grouped query on an index that covers it. A team's line is the sum of its people's.
/// Managers read everyone; a salesperson reads their own line.
/// </summary>
public class ResultsService(IDbContextFactory<CrmDbContext> dbs, StaffDirectory staff, IStringLocalizer<TargetsText> L, Security.AuditTrail audit)
{
    /// <summary>Records listed by a drill-down; its count and total always cover all of them.</summary>
    public const int MaxRecords = 500;
    /// <summary>The scope target changes are published on.</summary>
    public const string Scope = "targets";

    /// <summary>Whether a saved change can move a result: the board recomputes on these and on nothing else.</summary>
    public static bool Counts(WorkspaceEvent e) => e.Kind is EventKind.SubscriptionCreated or EventKind.SubscriptionRenewed or EventKind.SubscriptionCancelled
        or EventKind.BookingCreated or EventKind.BookingChanged or EventKind.BookingCancelled or EventKind.BookingExpired
        or EventKind.ContractSigned or EventKind.PaymentRecorded
        or EventKind.AccountCreated or EventKind.AccountDeleted or EventKind.AccountRestored or EventKind.AccountMerged or EventKind.AccountUnmerged
        or EventKind.AccountImported or EventKind.CustomersImported
        or EventKind.ActivityLogged or EventKind.ActivityEdited or EventKind.ActivityDeleted or EventKind.SubscriptionCalled or EventKind.CalllistCalled
        or EventKind.TargetsSet;

    /// <summary>Why this reader may not see this view (Sales read their own line; regions and others' lines are for managers).</summary>
    public async Task<string?> RefusedAsync(BoardView view, StaffIdentity viewer)
    {
        if (view == BoardView.People || viewer.May(Permission.ReadTeamResults)) return null;
        await audit.AllowedAsync(viewer, Permission.ReadTeamResults, $"results by {view}");
        return L["Only managers read the results of teams and regions; you see your own."];
    }

    public async Task<BoardRead> BoardAsync(PeriodKey period, BoardView view, StaffIdentity viewer, CancellationToken ct = default)
    {
        if (await RefusedAsync(view, viewer) is { } refused) return new BoardRead(null, refused);
        var ownOnly = !viewer.May(Permission.ReadTeamResults);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var everyone = await staff.StaffAsync();
        if (view == BoardView.Regions) return new BoardRead(await RegionsAsync(db, period, ct), null);

        var actuals = await ActualsAsync(db, period, ownOnly ? viewer.Id : null, ct);
        var targets = await db.SalesTargets.AsNoTracking().Where(t => t.Period == period.Period && t.Starts == period.Starts)
            .Select(t => new { t.Holder, t.Measure, t.Amount }).ToListAsync(ct);
        var byHolder = targets.GroupBy(t => t.Holder).ToDictionary(g => g.Key, g => g.ToDictionary(t => t.Measure, t => t.Amount));

        // Everyone in a team is listed (also with nothing yet: a manager sees who has not started), and anyone else who counted something.
        var people = everyone.Where(s => ownOnly ? s.Id == viewer.Id : s.TeamId != null || actuals.ContainsKey(s.Id))
            .Select(s => Line(SalesTarget.PersonKey(s.Id), s.Name, s.TeamId, actuals.GetValueOrDefault(s.Id), byHolder.GetValueOrDefault(SalesTarget.PersonKey(s.Id))))
            .ToList();
        if (ownOnly && people.Count == 0)
            people.Add(Line(SalesTarget.PersonKey(viewer.Id), viewer.Name, viewer.TeamId, actuals.GetValueOrDefault(viewer.Id), byHolder.GetValueOrDefault(SalesTarget.PersonKey(viewer.Id))));

        IReadOnlyList<ResultLine> lines = people;
        if (view == BoardView.Teams)
            lines = (await staff.TeamsAsync()).Select(t =>
            {
                var sum = Sum(people.Where(p => p.TeamId == t.Id), byHolder.GetValueOrDefault(SalesTarget.TeamKey(t.Id)));
                return sum with { Key = SalesTarget.TeamKey(t.Id), Name = Localization.LocalizationSetup.IsChinese ? t.NameZh : t.Name, TeamId = t.Id };
            }).ToList();
        var total = Sum(people, null) with { Key = "total", Name = L["Total"] };
        return new BoardRead(new ResultsBoard(period, view, lines, total, DateTimeOffset.UtcNow, ownOnly), null);
    }

    /// <summary>Everything counted per person in the period (or for one person): six measures and the two collections.</summary>
    public static async Task<Dictionary<string, Counted>> ActualsAsync(CrmDbContext db, PeriodKey period, string? personId, CancellationToken ct)
    {
        var (since, until) = period.Instants;
        var result = new Dictionary<string, Counted>();
        Counted Of(string id) => result.TryGetValue(id, out var c) ? c : result[id] = new Counted();

        var subs = db.Subscriptions.AsNoTracking().Where(s => s.CreatedAt >= since && s.CreatedAt < until && s.CancelledAt == null && s.SalespersonId != null);
        if (personId is not null) subs = subs.Where(s => s.SalespersonId == personId);
        foreach (var g in await subs.GroupBy(s => s.SalespersonId!)
                     .Select(g => new { g.Key, Price = g.Sum(s => (double)s.Price), Paid = g.Sum(s => (double)s.Paid), Renewals = g.Count(s => s.RenewedFromId != null) })
                     .ToListAsync(ct))
        {
            var c = Of(g.Key);
            c.Subscriptions = new Collection(Money(g.Price), Money(g.Paid));
            c[TargetMeasure.SubscriptionRevenue] = Money(g.Price);
            c[TargetMeasure.Renewals] = g.Renewals;
        }

        var booths = from bb in db.BookingBooths
                     join b in db.Bookings on bb.BookingId equals b.Id
                     where bb.Live && b.Status != BookingStatus.Cancelled && b.CreatedAt >= since && b.CreatedAt < until && b.SalespersonId != null
                     select new { b.SalespersonId };
        if (personId is not null) booths = booths.Where(b => b.SalespersonId == personId);
        foreach (var g in await booths.GroupBy(b => b.SalespersonId!).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            Of(g.Key)[TargetMeasure.Booths] = g.N;

        var contracts = db.AdContracts.AsNoTracking().Where(c => c.SignedOn >= period.Starts && c.SignedOn < period.Ends);
        if (personId is not null) contracts = contracts.Where(c => c.SalespersonId == personId);
        var paid = (await (from i in db.AdInstalments
                           join c in contracts on i.ContractId equals c.Id
                           group i by c.SalespersonId into g
                           select new { g.Key, Paid = g.Sum(i => (double)i.Paid) }).ToListAsync(ct)).ToDictionary(x => x.Key, x => x.Paid);
        foreach (var g in await contracts.GroupBy(c => c.SalespersonId).Select(g => new { g.Key, Total = g.Sum(c => (double)c.Total) }).ToListAsync(ct))
        {
            var c = Of(g.Key);
            c.Ads = new Collection(Money(g.Total), Money(paid.GetValueOrDefault(g.Key)));
            c[TargetMeasure.AdRevenue] = Money(g.Total);
        }

        var accounts = db.Accounts.AsNoTracking().Where(a => a.CreatedAt >= since && a.CreatedAt < until && a.MergedIntoId == null && a.CreatedBy != null);
        if (personId is not null) accounts = accounts.Where(a => a.CreatedBy == personId);
        foreach (var g in await accounts.GroupBy(a => a.CreatedBy!).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            Of(g.Key)[TargetMeasure.NewCustomers] = g.N;

        var calls = db.Activities.AsNoTracking().Where(a => (a.Kind == ActivityKind.Call || a.Kind == ActivityKind.SubscriptionCall)
            && a.OccurredAt >= since && a.OccurredAt < until && a.AuthorId != null);
        if (personId is not null) calls = calls.Where(a => a.AuthorId == personId);
        foreach (var g in await calls.GroupBy(a => a.AuthorId!).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            Of(g.Key)[TargetMeasure.Calls] = g.N;
        return result;
    }

    // Sums of money are added up by the database as floating point; cents are what the records hold.
    private static decimal Money(double v) => Math.Round((decimal)v, 2);

    /// <summary>A person's counts in the period.</summary>
    public sealed class Counted
    {
        public Dictionary<TargetMeasure, decimal> Values { get; } = [];
        public Collection Subscriptions { get; set; } = Collection.None;
        public Collection Ads { get; set; } = Collection.None;
        public decimal this[TargetMeasure m] { get => Values.GetValueOrDefault(m); set => Values[m] = value; }
    }

    private static ResultLine Line(string key, string name, int? teamId, Counted? c, Dictionary<TargetMeasure, decimal>? targets) =>
        new(key, name, teamId, Measures.All.ToDictionary(m => m, m => new Figure(targets is not null && targets.TryGetValue(m, out var t) ? t : null, c?[m] ?? 0)),
            c?.Subscriptions ?? Collection.None, c?.Ads ?? Collection.None);

    private static ResultLine Sum(IEnumerable<ResultLine> lines, Dictionary<TargetMeasure, decimal>? targets)
    {
        var list = lines.ToList();
        return new ResultLine("", "", null, Measures.All.ToDictionary(m => m, m =>
            {
                decimal? target = targets is not null && targets.TryGetValue(m, out var t) ? t : null;
                return new Figure(target, list.Sum(l => l[m].Actual));
            }),
            list.Aggregate(Collection.None, (a, l) => a + l.Subscriptions), list.Aggregate(Collection.None, (a, l) => a + l.Ads));
    }

    /// <summary>The same counts by the customer's province (no targets: targets belong to people and teams).</summary>
    private async Task<ResultsBoard> RegionsAsync(CrmDbContext db, PeriodKey period, CancellationToken ct)
    {
        var (since, until) = period.Instants;
        var lines = new Dictionary<string, (Counted C, string Name)>();
        var none = L["No region"].Value;
        Counted Of(string? p) => (lines.TryGetValue(p ?? "", out var x) ? x : lines[p ?? ""] = (new Counted(), p ?? none)).C;

        foreach (var g in await (from s in db.Subscriptions
                                 join a in db.Accounts.IgnoreQueryFilters() on s.AccountId equals a.Id
                                 where s.CreatedAt >= since && s.CreatedAt < until && s.CancelledAt == null && s.SalespersonId != null
                                 group s by a.Province into g
                                 select new { g.Key, Price = g.Sum(s => (double)s.Price), Paid = g.Sum(s => (double)s.Paid), Renewals = g.Count(s => s.RenewedFromId != null) })
                     .ToListAsync(ct))
        {
            var c = Of(g.Key);
            c.Subscriptions = new Collection(Money(g.Price), Money(g.Paid));
            c[TargetMeasure.SubscriptionRevenue] = Money(g.Price);
            c[TargetMeasure.Renewals] = g.Renewals;
        }
        foreach (var g in await (from bb in db.BookingBooths
                                 join b in db.Bookings on bb.BookingId equals b.Id
                                 join a in db.Accounts.IgnoreQueryFilters() on b.AccountId equals a.Id
                                 where bb.Live && b.Status != BookingStatus.Cancelled && b.CreatedAt >= since && b.CreatedAt < until && b.SalespersonId != null
                                 group b by a.Province into g
                                 select new { g.Key, N = g.Count() }).ToListAsync(ct))
            Of(g.Key)[TargetMeasure.Booths] = g.N;
        var contracts = from c in db.AdContracts
                        join a in db.Accounts.IgnoreQueryFilters() on c.AccountId equals a.Id
                        where c.SignedOn >= period.Starts && c.SignedOn < period.Ends
                        select new { c.Id, c.Total, a.Province };
        var paid = (await (from i in db.AdInstalments join c in contracts on i.ContractId equals c.Id group i by c.Province into g
                           select new { g.Key, Paid = g.Sum(i => (double)i.Paid) }).ToListAsync(ct)).ToDictionary(x => x.Key ?? "", x => x.Paid);
        foreach (var g in await contracts.GroupBy(c => c.Province).Select(g => new { g.Key, Total = g.Sum(c => (double)c.Total) }).ToListAsync(ct))
        {
            var c = Of(g.Key);
            c.Ads = new Collection(Money(g.Total), Money(paid.GetValueOrDefault(g.Key ?? "")));
            c[TargetMeasure.AdRevenue] = Money(g.Total);
        }
        foreach (var g in await db.Accounts.AsNoTracking().Where(a => a.CreatedAt >= since && a.CreatedAt < until && a.MergedIntoId == null && a.CreatedBy != null)
                     .GroupBy(a => a.Province).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            Of(g.Key)[TargetMeasure.NewCustomers] = g.N;
        foreach (var g in await (from x in db.Activities
                                 join a in db.Accounts.IgnoreQueryFilters() on x.AccountId equals a.Id
                                 where (x.Kind == ActivityKind.Call || x.Kind == ActivityKind.SubscriptionCall) && x.OccurredAt >= since && x.OccurredAt < until && x.AuthorId != null
                                 group x by a.Province into g
                                 select new { g.Key, N = g.Count() }).ToListAsync(ct))
            Of(g.Key)[TargetMeasure.Calls] = g.N;

        var result = lines.OrderBy(l => l.Key == "" ? 1 : 0).ThenByDescending(l => l.Value.C[TargetMeasure.SubscriptionRevenue] + l.Value.C[TargetMeasure.AdRevenue])
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => Line("region:" + l.Key, l.Value.Name, null, l.Value.C, null)).ToList();
        return new ResultsBoard(period, BoardView.Regions, result, Sum(result, null) with { Key = "total", Name = L["Total"] }, DateTimeOffset.UtcNow, false);
    }

    /// <summary>The records behind one figure: a person's (their own, or anyone's for managers), a team's, a region's or everyone's.</summary>
    public async Task<DrillRead> DrillAsync(DrillQuery q, StaffIdentity viewer, CancellationToken ct = default)
    {
        if (!(q.PersonId == viewer.Id && q.TeamId is null && q.Region is null)
            && !await audit.AllowedAsync(viewer, Permission.ReadTeamResults, $"records behind {q.Measure} {q.Period.Code}"))
            return new DrillRead([], 0, 0, false, L["Only managers read the records behind other people's results; you can open your own."]);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var everyone = await staff.StaffAsync();
        var names = everyone.ToDictionary(s => s.Id, s => s.Name);
        List<string>? members = q.TeamId is { } team ? everyone.Where(s => s.TeamId == team).Select(s => s.Id).ToList() : null;
        var (since, until) = q.Period.Instants;
        var accounts = db.Accounts.IgnoreQueryFilters();
        var region = q.Region;
        var person = q.PersonId;

        IQueryable<Row> rows;
        switch (q.Measure)
        {
            case DrillMeasure.SubscriptionRevenue or DrillMeasure.Renewals or DrillMeasure.SubscriptionPayments:
                var s = db.Subscriptions.AsNoTracking().Where(s => s.CreatedAt >= since && s.CreatedAt < until && s.CancelledAt == null && s.SalespersonId != null);
                if (q.Measure == DrillMeasure.Renewals) s = s.Where(x => x.RenewedFromId != null);
                rows = from x in s
                       join a in accounts on x.AccountId equals a.Id
                       select new Row
                       {
                           Ref = "subscription:" + x.Id, AccountId = a.Id, AccountName = a.Name, Province = a.Province, PersonId = x.SalespersonId, When = x.CreatedAt,
                           What = x.Periodical!.Title, Copies = x.Copies, Amount = (double)x.Price, Paid = (double)x.Paid, IsRenewal = x.RenewedFromId != null,
                       };
                break;
            case DrillMeasure.Booths:
                rows = from bb in db.BookingBooths
                       join b in db.Bookings on bb.BookingId equals b.Id
                       join booth in db.Booths on bb.BoothId equals booth.Id
                       join f in db.Fairs.IgnoreQueryFilters() on b.FairId equals f.Id
                       join a in accounts on b.AccountId equals a.Id
                       where bb.Live && b.Status != BookingStatus.Cancelled && b.CreatedAt >= since && b.CreatedAt < until && b.SalespersonId != null
                       select new Row
                       {
                           Ref = "booking:" + b.Id, AccountId = a.Id, AccountName = a.Name, Province = a.Province, PersonId = b.SalespersonId, When = b.CreatedAt,
                           What = f.Name + " · " + booth.Code, Amount = 1, Paid = 0,
                       };
                break;
            case DrillMeasure.AdRevenue or DrillMeasure.AdPayments:
                rows = from c in db.AdContracts
                       join a in accounts on c.AccountId equals a.Id
                       where c.SignedOn >= q.Period.Starts && c.SignedOn < q.Period.Ends
                       select new Row
                       {
                           Ref = "contract:" + c.Id, AccountId = a.Id, AccountName = a.Name, Province = a.Province, PersonId = c.SalespersonId, SignedOn = c.SignedOn,
                           What = c.Number, Amount = (double)c.Total, Paid = db.AdInstalments.Where(i => i.ContractId == c.Id).Sum(i => (double)i.Paid),
                       };
                break;
            case DrillMeasure.NewCustomers:
                rows = from a in db.Accounts
                       where a.CreatedAt >= since && a.CreatedAt < until && a.MergedIntoId == null && a.CreatedBy != null
                       select new Row { Ref = "account:" + a.Id, AccountId = a.Id, AccountName = a.Name, Province = a.Province, PersonId = a.CreatedBy, When = a.CreatedAt, What = a.City ?? "", Amount = 1 };
                break;
            default:
                rows = from x in db.Activities
                       join a in accounts on x.AccountId equals a.Id
                       where (x.Kind == ActivityKind.Call || x.Kind == ActivityKind.SubscriptionCall) && x.OccurredAt >= since && x.OccurredAt < until && x.AuthorId != null
                       select new Row { Ref = "activity:" + x.Id, AccountId = a.Id, AccountName = a.Name, Province = a.Province, PersonId = x.AuthorId, When = x.OccurredAt, What = x.Subject, Amount = 1 };
                break;
        }
        if (person is not null) rows = rows.Where(r => r.PersonId == person);
        if (members is not null) rows = rows.Where(r => members.Contains(r.PersonId!));
        if (region is not null) rows = region == "" ? rows.Where(r => r.Province == null) : rows.Where(r => r.Province == region);

        var all = await rows.ToListAsync(ct);
        var money = q.Measure is DrillMeasure.SubscriptionRevenue or DrillMeasure.AdRevenue or DrillMeasure.SubscriptionPayments or DrillMeasure.AdPayments;
        var listed = all.Select(r => new ResultRecord(r.Ref, r.AccountId, r.AccountName, r.Province, r.PersonId, r.PersonId is { } p ? names.GetValueOrDefault(p, p) : "—",
                r.SignedOn is { } d ? WorkLogService.StartOf(d) : r.When, r.Copies > 1 ? $"{r.What} × {r.Copies}" : r.What,
                money ? Money(r.Amount) : 1, money ? Money(r.Paid) : null))
            .OrderByDescending(r => r.When).ThenBy(r => r.Ref, StringComparer.Ordinal).ToList();
        var total = q.Measure switch
        {
            DrillMeasure.SubscriptionPayments or DrillMeasure.AdPayments => listed.Sum(r => r.Counts - (r.Collected ?? 0)),
            _ => listed.Sum(r => r.Counts),
        };
        return new DrillRead(listed.Take(MaxRecords).ToList(), listed.Count, total, listed.Count > MaxRecords);
    }

    /// <summary>A record behind a figure, as the database reads it.</summary>
    private sealed class Row
    {
        public string Ref { get; set; } = "";
        public int AccountId { get; set; }
        public string AccountName { get; set; } = "";
        public string? Province { get; set; }
        public string? PersonId { get; set; }
        public DateTimeOffset When { get; set; }
        public DateOnly? SignedOn { get; set; }
        public string What { get; set; } = "";
        public int Copies { get; set; }
        public double Amount { get; set; }
        public double Paid { get; set; }
        public bool IsRenewal { get; set; }
    }
}
