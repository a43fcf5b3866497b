using System.Text.Json;
using CrmWorkspace.Domain;
using static CrmWorkspace.Features.DemoData.DemoPhrases;

namespace CrmWorkspace.Features.DemoData;

/// <summary>A demo staff member as the history generator needs them.</summary>
public sealed record DemoPerson(string Id, string Name, int? TeamId, bool IsManager = false);

/// <summary>A contact of a demo customer.</summary>
public sealed record DemoContact(int Id, string Name, string? Title);

/// <summary>A demo customer as stored: what its history must agree with.</summary>
public sealed record DemoCustomer(int Id, int? ParentId, string Name, string? OwnerId, AccountTier Tier, AccountStatus Status,
    bool Subscribe, bool Exhibit, bool Advertise, DateTimeOffset CreatedAt, IReadOnlyList<DemoContact> Contacts, string? Phone = null,
    ProductLines Lines = ProductLines.None, bool Planted = false);

/// <summary>A stored subscription period.</summary>
public sealed record DemoSubscription(int Id, int AccountId, int? ContactId, int PeriodicalId, string Periodical, decimal AnnualPrice,
    DateOnly StartsOn, DateOnly EndsOn, int Copies, string? Address);

/// <summary>A stored fair booking and the id of its "booth booked" timeline entry.</summary>
public sealed record DemoBooking(int Id, int AccountId, string Fair, DateOnly FairStarts, DateOnly FairEnds, bool Finished, BookingStatus Status, long? EntryId);

/// <summary>Everything already stored that the year's history is written around.</summary>
public sealed record DemoWorld(DateTimeOffset Now, IReadOnlyList<DemoPerson> Staff, IReadOnlyList<DemoCustomer> Customers,
    IReadOnlyList<DemoSubscription> Subscriptions, IReadOnlyList<DemoBooking> Bookings)
{
    public DateOnly Today => DateOnly.FromDateTime(Now.ToLocalTime().DateTime);
}

/// <summary>What came of one subscription's renewal: the call state to store, and a new period when it was renewed.</summary>
public sealed record DemoRenewal(int SubscriptionId, RenewalCallOutcome Outcome, DateTimeOffset CallAt, DateOnly? CallBackOn, string? DeclineReason,
    Subscription? Next, Activity? RenewedEntry);

/// <summary>The generated year: timeline entries (oldest first), renewals, and when each booking was really made.</summary>
public sealed record DemoYear(List<Activity> Activities, List<DemoRenewal> Renewals, Dictionary<long, DateTimeOffset> BookingEntryTimes);

/// <summary>
/// Writes a year in the life of the company around the stored customers, subscriptions and bookings: every team's work on the
/// shared timeline, follow-ups (done, due, overdue), field changes. Pure and deterministic: the same world and seed give the same year.
/// </summary>
public sealed class DemoHistory(DemoWorld world, int seed)
{
    /// <summary>Open follow-ups every demo user has at least, whatever the demo size.</summary>
    public const int MinDueToday = 2, MinThisWeek = 2, MinOverdue = 1, MaxOverdue = 3, MinColleagueWork = 2;

    private readonly Random _rng = new(seed);
    private readonly List<Activity> _out = [];
    private readonly DateTimeOffset _now = world.Now.ToUniversalTime();
    private readonly DateOnly _today = world.Today;
    private readonly DateOnly _yearAgo = world.Today.AddDays(-365);
    private readonly Dictionary<int, DemoPerson> _teamUser = world.Staff.Where(s => s.TeamId is not null).GroupBy(s => s.TeamId!.Value)
        .ToDictionary(g => g.Key, g => g.First());
    private readonly Dictionary<int, DemoCustomer> _customers = world.Customers.ToDictionary(c => c.Id);
    private readonly Dictionary<int, DateOnly> _restrictedOn = [];

    private const int Marketing = (int)TeamCode.Marketing, Circulation = (int)TeamCode.Circulation, Fair = (int)TeamCode.TradeFair,
        News = (int)TeamCode.News, Service = (int)TeamCode.Service;

    public DemoYear Build()
    {
        var renewals = new List<DemoRenewal>();
        var bookingTimes = new Dictionary<long, DateTimeOffset>();
        var problems = world.Customers.Where(c => c.Status == AccountStatus.Restricted || (!c.Planted && _rng.NextDouble() < 0.07)).Select(c => c.Id).ToHashSet();
        foreach (var c in world.Customers.OrderBy(c => c.Id))
        {
            if (c.Planted) { Planted(c); continue; }
            Created(c);
            MarketingYear(c);
            if (c.Tier <= AccountTier.B && c.ParentId is null && _rng.NextDouble() < (c.Tier == AccountTier.A ? 0.9 : 0.4)) NewsYear(c);
            if (c.Exhibit && !world.Bookings.Any(b => b.AccountId == c.Id)) FairProspect(c);
            if (problems.Contains(c.Id)) ServiceProblems(c);
            else if (_rng.NextDouble() < 0.12) Inquiry(c);
            FieldChanges(c);
            if (_rng.NextDouble() < 0.3 || c.Status == AccountStatus.Restricted) ProfileNote(c);
        }
        foreach (var s in world.Subscriptions.OrderBy(s => s.Id)) renewals.AddRange(SubscriptionYear(s));
        foreach (var b in world.Bookings.OrderBy(b => b.Id)) BookingYear(b, bookingTimes);
        FewOverdue();
        EnsureEveryoneHasWork();
        // Oldest first, so ids follow time as they do when people log as they go.
        var ordered = _out.Select((a, i) => (a, i)).OrderBy(x => x.a.OccurredAt).ThenBy(x => x.i).Select(x => x.a).ToList();
        return new DemoYear(ordered, renewals, bookingTimes);
    }

    // ---------- teams ----------

    private void Created(DemoCustomer c)
    {
        if (c.CreatedAt.Date < _yearAgo.ToDateTime(TimeOnly.MinValue)) return;
        var by = Owner(c);
        Add(System(c.Id, "account.created", c.Name, by, c.CreatedAt));
        if (c.ParentId is { } parent)
            Add(System(parent, "branch.linked", c.Name, by, c.CreatedAt, FieldChange.Json([new("Branch", null, c.Name)])));
    }

    private void MarketingYear(DemoCustomer c)
    {
        var n = Scaled(c, c.Tier switch { AccountTier.A => 16, AccountTier.B => 10, AccountTier.C => 5, _ => 2 });
        for (var i = 0; i < n; i++)
        {
            var day = Day(c);
            var roll = _rng.NextDouble();
            var (kind, subject) = roll < 0.4 ? (ActivityKind.Visit, Pick(VisitSubjects)) : roll < 0.8 ? (ActivityKind.Call, Pick(CallSubjects))
                : roll < 0.92 ? (ActivityKind.Email, Pick(EmailSubjects)) : (ActivityKind.Meeting, Pick(MeetingSubjects));
            var contact = Contact(c);
            var a = Work(c, Marketing, kind, Fill(subject, c, contact), day, contact);
            a.Outcome = kind == ActivityKind.Email ? null : Pick(MarketingOutcomes);
            if (kind == ActivityKind.Visit && _rng.NextDouble() < 0.5) a.Body = Fill(Pick(VisitBodies), c, contact);
            if (_rng.NextDouble() < 0.35) FollowUp(a, day, Pick(MarketingFollowUps));
        }
    }

    private void NewsYear(DemoCustomer c)
    {
        var n = c.Tier == AccountTier.A ? _rng.Next(1, 4) : 1;
        for (var i = 0; i < n; i++)
        {
            var day = Day(c);
            var contact = c.Contacts.FirstOrDefault();
            var topic = Pick(InterviewTopics);
            var a = Work(c, News, ActivityKind.Interview, $"采访：{contact?.Title}{contact?.Name}谈{topic}", day, contact);
            a.Body = Fill(InterviewBody.Replace("{topic}", topic), c, contact);
            a.Outcome = Fill(Pick(InterviewOutcomes), c, contact);
            if (_rng.NextDouble() < 0.5) FollowUp(a, day, Pick(InterviewFollowUps));
        }
    }

    private void FairProspect(DemoCustomer c)
    {
        var n = _rng.Next(1, 3);
        for (var i = 0; i < n; i++)
        {
            var day = Recent(c, 75);
            var contact = Contact(c);
            var a = Work(c, Fair, ActivityKind.FairTalk, Fill(Pick(FairTalkSubjects), c, contact, "春季糖酒会"), day, contact);
            a.Outcome = Pick(FairProspectOutcomes);
            if (i == n - 1) FollowUp(a, day, "发送展位图和报价", open: true);
        }
    }

    private void BookingYear(DemoBooking b, Dictionary<long, DateTimeOffset> times)
    {
        if (!_customers.TryGetValue(b.AccountId, out var c)) return;
        var fairShort = b.Fair.Contains("春季") ? "春季糖酒会" : "秋季糖酒会";
        // Autumn exhibitors booked in the months before that fair; spring exhibitors in the last few weeks.
        var booked = b.Finished ? b.FairStarts.AddDays(-_rng.Next(25, 110)) : _today.AddDays(-_rng.Next(1, 45));
        if (booked < DateOnly.FromDateTime(c.CreatedAt.Date)) booked = DateOnly.FromDateTime(c.CreatedAt.Date).AddDays(1);
        if (booked > _today) booked = _today;
        var at = Time(booked);
        if (b.EntryId is { } entry) times[entry] = at;
        var talks = _rng.Next(1, 3);
        for (var i = talks; i >= 1; i--)
        {
            var day = Weekday(booked.AddDays(-_rng.Next(2, 12) * i));
            var contact = Contact(c);
            var talk = Work(c, Fair, ActivityKind.FairTalk, Fill(Pick(FairTalkSubjects), c, contact, fairShort), day, contact);
            talk.Outcome = i == 1 ? $"确认预订（{Label(b.Status)}）" : Pick(FairProspectOutcomes);
        }
        if (b.Finished && b.FairEnds.AddDays(3) < _today)
        {
            var day = Weekday(b.FairEnds.AddDays(_rng.Next(3, 15)));
            if (day >= _today) return;
            var contact = Contact(c);
            var after = Work(c, Fair, ActivityKind.FairTalk, Fill(Pick(FairAfterSubjects), c, contact, fairShort), day, contact);
            after.Outcome = Fill(Pick(FairAfterOutcomes), c, contact);
            if (_rng.NextDouble() < 0.5) FollowUp(after, day, "邀请预订春季糖酒会展位", open: _rng.NextDouble() < 0.5);
        }
        else if (!b.Finished && b.Status is BookingStatus.Reserved or BookingStatus.Contracted && _rng.NextDouble() < 0.7)
        {
            var contact = Contact(c);
            var talk = Work(c, Fair, ActivityKind.Call, $"电话：{fairShort}展位款项", Weekday(_today.AddDays(-_rng.Next(1, 10))), contact);
            talk.Outcome = "客户答应本周安排付款";
            FollowUp(talk, DateOnly.FromDateTime(talk.OccurredAt.LocalDateTime), b.Status == BookingStatus.Reserved ? "催缴定金" : "催缴尾款", open: true);
        }
    }

    private static string Label(BookingStatus s) => s switch
    {
        BookingStatus.Reserved => "已预留", BookingStatus.Contracted => "已签合同", BookingStatus.DepositPaid => "已付定金", BookingStatus.PaidInFull => "已付全款", _ => "洽谈中",
    };

    private IEnumerable<DemoRenewal> SubscriptionYear(DemoSubscription s)
    {
        if (!_customers.TryGetValue(s.AccountId, out var c)) yield break;
        var circulation = _teamUser.GetValueOrDefault(Circulation);
        if (circulation is null) yield break;
        // The sale itself, when it falls in the year.
        if (s.StartsOn > _yearAgo.AddDays(7) && s.StartsOn <= _today)
        {
            var sold = Weekday(s.StartsOn.AddDays(-_rng.Next(3, 20)));
            if (sold < _today)
            {
                var call = Work(c, Circulation, ActivityKind.SubscriptionCall, $"征订电话：推荐《{s.Periodical}》", sold, Known(c, s.ContactId));
                call.Outcome = $"同意订阅 {s.Copies} 份";
                var created = System(c.Id, "subscription.created", $"{s.Periodical} × {s.Copies}", circulation, call.OccurredAt.AddMinutes(20),
                    JsonSerializer.Serialize(new { s.Id, s.StartsOn, s.EndsOn, Price = s.AnnualPrice * s.Copies }), s.ContactId);
                Add(created);
            }
        }
        var subject = $"续订电话 · {s.Periodical}";
        if (s.EndsOn < _today)
        {
            // Lapsed: called before the end; renewed, declined or never reached.
            var callDay = Weekday(s.EndsOn.AddDays(-_rng.Next(5, 35)));
            if (callDay >= _today) callDay = _today.AddDays(-1);
            var roll = _rng.NextDouble();
            if (roll < 0.55)
            {
                if (_rng.NextDouble() < 0.4)
                {
                    var first = Work(c, Circulation, ActivityKind.SubscriptionCall, subject, Weekday(callDay.AddDays(-_rng.Next(3, 8))), Known(c, s.ContactId));
                    first.Outcome = "约定回电";
                    FollowUp(first, DateOnly.FromDateTime(first.OccurredAt.LocalDateTime), "回电确认续订份数", forceDone: true, due: callDay);
                }
                var at = Time(callDay);
                var copies = _rng.NextDouble() < 0.85 ? s.Copies : s.Copies + 1;
                var starts = s.EndsOn.AddDays(1);
                var next = new Subscription
                {
                    AccountId = s.AccountId, ContactId = s.ContactId, PeriodicalId = s.PeriodicalId, DeliveryAddress = s.Address, Copies = copies,
                    StartsOn = starts, EndsOn = starts.AddMonths(12).AddDays(-1), Price = s.AnnualPrice * copies, Paid = _rng.NextDouble() < 0.8 ? s.AnnualPrice * copies : 0,
                    Channel = SubscriptionChannel.Phone, SalespersonId = circulation.Id, RenewedFromId = s.Id,
                    CreatedAt = at, CreatedBy = circulation.Id, UpdatedAt = at, UpdatedBy = circulation.Id, Version = Guid(),
                };
                var entry = System(c.Id, "subscription.renewed", $"{s.Periodical} × {copies}，{next.StartsOn:yyyy-MM-dd} – {next.EndsOn:yyyy-MM-dd}", circulation, at, null, s.ContactId);
                Add(entry);
                yield return new DemoRenewal(s.Id, RenewalCallOutcome.Renewed, at, null, null, next, entry);
            }
            else if (roll < 0.8)
            {
                var reason = Pick(DeclineReasons);
                var call = Work(c, Circulation, ActivityKind.SubscriptionCall, subject, callDay, Known(c, s.ContactId));
                call.Outcome = $"拒绝续订：{reason}";
                yield return new DemoRenewal(s.Id, RenewalCallOutcome.Declined, call.OccurredAt, null, reason, null, null);
            }
            else
            {
                var call = Work(c, Circulation, ActivityKind.SubscriptionCall, subject, callDay, Known(c, s.ContactId));
                call.Outcome = "无人接听";
                FollowUp(call, callDay, "再次联系续订", open: _rng.NextDouble() < 0.5);
                yield return new DemoRenewal(s.Id, RenewalCallOutcome.NoAnswer, call.OccurredAt, null, null, null, null);
            }
        }
        else if (s.EndsOn <= _today.AddDays(Subscription.ExpiringDays))
        {
            // Expiring: the desk is half way through its list.
            var roll = _rng.NextDouble();
            if (roll < 0.45)
            {
                var day = Weekday(_today.AddDays(-_rng.Next(1, 10)));
                var back = _today.AddDays(_rng.Next(0, 7));
                var call = Work(c, Circulation, ActivityKind.SubscriptionCall, subject, day, Known(c, s.ContactId));
                call.Outcome = $"约定回电 {back:yyyy-MM-dd}";
                call.FollowUpOn = back;
                call.FollowUpAssigneeId = circulation.Id;
                yield return new DemoRenewal(s.Id, RenewalCallOutcome.CallBack, call.OccurredAt, back, null, null, null);
            }
            else if (roll < 0.6)
            {
                var call = Work(c, Circulation, ActivityKind.SubscriptionCall, subject, Weekday(_today.AddDays(-_rng.Next(1, 6))), Known(c, s.ContactId));
                call.Outcome = "无人接听";
                yield return new DemoRenewal(s.Id, RenewalCallOutcome.NoAnswer, call.OccurredAt, null, null, null, null);
            }
        }
    }

    private void ServiceProblems(DemoCustomer c)
    {
        var n = _rng.Next(2, 5);
        var subs = world.Subscriptions.Where(s => s.AccountId == c.Id).ToList();
        var booked = world.Bookings.Any(b => b.AccountId == c.Id);
        for (var i = 0; i < n; i++)
        {
            // A complaint fits what the customer actually buys.
            var choices = new List<string>();
            if (subs.Count > 0) choices.AddRange(SubscriptionComplaints.Select(x => x.Replace("{periodical}", subs[_rng.Next(subs.Count)].Periodical)));
            if (c.Advertise) choices.AddRange(AdComplaints);
            if (booked) choices.AddRange(FairComplaints);
            choices.AddRange(GeneralComplaints);
            var day = i == n - 1 && _rng.NextDouble() < 0.5 ? Recent(c, 10) : Day(c);
            var contact = Contact(c);
            var complaint = Work(c, Service, ActivityKind.Complaint, choices[_rng.Next(choices.Count)], day, contact);
            complaint.Body = $"客户{contact?.Name}来电，语气不满。已记录并承诺 **3 个工作日内** 答复。";
            var due = Weekday(day.AddDays(_rng.Next(1, 4)));
            if (due < _today)
            {
                FollowUp(complaint, day, "答复客户处理结果", forceDone: true, due: due);
                var fixedDay = due;
                var resolution = Work(c, Service, ActivityKind.Note, "处理结果：" + complaint.Subject.Replace("投诉：", ""), fixedDay, contact);
                resolution.Outcome = "已解决";
                resolution.Body = Pick(Resolutions);
            }
            else FollowUp(complaint, day, "答复客户处理结果", open: true, due: due);
        }
    }

    private void Inquiry(DemoCustomer c)
    {
        var contact = Contact(c);
        var a = Work(c, Service, ActivityKind.Call, Pick(InquirySubjects), Day(c), contact);
        a.Outcome = "已答复";
    }

    private void FieldChanges(DemoCustomer c)
    {
        var marketing = _teamUser.GetValueOrDefault(Marketing);
        if (marketing is null) return;
        var changes = new List<FieldChange>();
        if (c.Status == AccountStatus.Active && _rng.NextDouble() < 0.35) changes.Add(new("Status", nameof(AccountStatus.Prospect), nameof(AccountStatus.Active)));
        if (c.Tier is AccountTier.A or AccountTier.B && _rng.NextDouble() < 0.4) changes.Add(new("Tier", (c.Tier + 1).ToString(), c.Tier.ToString()));
        if (c.Advertise && _rng.NextDouble() < 0.3) changes.Add(new("IntendsToAdvertise", "False", "True"));
        if (changes.Count > 0) Add(System(c.Id, "account.changed", string.Join(", ", changes.Select(x => x.Field)), marketing, Time(Day(c)), FieldChange.Json(changes)));
        if (c.Phone is { Length: > 6 } phone && _rng.NextDouble() < 0.08)
        {
            var old = phone[..^4] + _rng.Next(1000, 10_000);
            var by = _teamUser.GetValueOrDefault(Circulation) ?? marketing;
            Add(System(c.Id, "account.changed", "Phone", by, Time(Day(c)), FieldChange.Json([new FieldChange("Phone", old, phone)])));
        }
        if (c.Status == AccountStatus.Restricted && _teamUser.GetValueOrDefault(Service) is { } service)
        {
            var day = _restrictedOn[c.Id] = Recent(c, 120);
            Add(System(c.Id, "account.changed", "Status", service, Time(day), FieldChange.Json([new FieldChange("Status", nameof(AccountStatus.Active), nameof(AccountStatus.Restricted))])));
        }
    }

    private void ProfileNote(DemoCustomer c)
    {
        var team = c.Status == AccountStatus.Restricted ? Service : TeamOf(c.OwnerId) ?? Marketing;
        if (!_teamUser.ContainsKey(team)) return;
        var contact = c.Contacts.FirstOrDefault();
        var body = c.Status == AccountStatus.Restricted ? RestrictedNote
            : Fill(DemoPhrases.ProfileNote, c, contact).Replace("{trade}", Trade(c.Lines)).Replace("{deal}", Pick(Deals)).Replace("{warning}", Pick(Warnings));
        // The reason for restricting a customer is written the day its status changed.
        var day = _restrictedOn.TryGetValue(c.Id, out var restricted) ? restricted : Day(c);
        var a = Work(c, team, ActivityKind.Note, c.Status == AccountStatus.Restricted ? "备注：限制服务的原因" : "备注：客户档案", day, null);
        a.Body = body;
    }

    /// <summary>The planted duplicate was typed in recently by someone who did not look first; they have already worked it.</summary>
    private void Planted(DemoCustomer c)
    {
        var by = _teamUser.GetValueOrDefault(Circulation) ?? Owner(c);
        Add(System(c.Id, "account.created", c.Name, by, c.CreatedAt));
        var contact = c.Contacts.FirstOrDefault();
        var call = Work(c, by.TeamId ?? Circulation, ActivityKind.SubscriptionCall, "征订电话：推荐《糖酒快讯》", Weekday(DateOnly.FromDateTime(c.CreatedAt.LocalDateTime.AddDays(1))), contact);
        call.Outcome = "考虑中，下周回复";
    }

    /// <summary>Most people keep up: at most <see cref="MaxOverdue"/> follow-ups per person slipped (the latest ones), the rest were done on the day.</summary>
    private void FewOverdue()
    {
        foreach (var late in _out.Where(a => a.FollowUpOn < _today && a.FollowUpDoneAt is null && a.FollowUpAssigneeId is not null).GroupBy(a => a.FollowUpAssigneeId))
            foreach (var a in late.OrderByDescending(a => a.FollowUpOn).Skip(MaxOverdue))
            {
                var at = Time(a.FollowUpOn!.Value);
                a.FollowUpDoneAt = at < a.OccurredAt ? a.OccurredAt.AddHours(1) : at;
                if (a.FollowUpDoneAt > _now) a.FollowUpDoneAt = _now.AddMinutes(-1);
            }
    }

    /// <summary>Every demo user starts the day with follow-ups due today, more this week and one that slipped.</summary>
    private void EnsureEveryoneHasWork()
    {
        // Within a team, in the demo staff list's order (user ids are random per database: the same seed must write the same rows).
        foreach (var person in world.Staff.Select((s, i) => (s, i)).OrderBy(x => x.s.TeamId ?? 0).ThenBy(x => x.i).Select(x => x.s))
        {
            var open = _out.Where(a => a.FollowUpAssigneeId == person.Id && a.FollowUpDoneAt is null && a.FollowUpOn is not null).ToList();
            var today = open.Count(a => a.FollowUpOn == _today);
            var week = open.Count(a => a.FollowUpOn > _today && a.FollowUpOn <= _today.AddDays(6));
            var overdue = open.Count(a => a.FollowUpOn < _today);
            var mine = world.Customers.Where(c => !c.Planted && c.OwnerId == person.Id).ToList();
            if (mine.Count == 0) mine = world.Customers.Where(c => !c.Planted).ToList();
            if (mine.Count == 0) return;
            for (; today < MinDueToday; today++) Chore(person, mine, _today);
            for (; week < MinThisWeek; week++) Chore(person, mine, Due(_today.AddDays(_rng.Next(1, 5))));
            for (; overdue < MinOverdue; overdue++) Chore(person, mine, _today.AddDays(-_rng.Next(1, 5)));
            if (person.TeamId is { } team) ColleaguesWorked(person, team);
        }
    }

    /// <summary>Someone from another team worked at least <see cref="MinColleagueWork"/> of this person's customers lately.</summary>
    private void ColleaguesWorked(DemoPerson person, int team)
    {
        var mine = world.Customers.Where(c => !c.Planted && c.OwnerId == person.Id).ToList();
        var since = _now.AddDays(-10);
        var worked = _out.Where(a => a.Kind != ActivityKind.System && a.AuthorId != person.Id && a.OccurredAt >= since)
            .Select(a => a.AccountId).ToHashSet();
        var missing = MinColleagueWork - mine.Count(c => worked.Contains(c.Id));
        var others = _teamUser.Where(t => t.Key != team).OrderBy(t => t.Key).Select(t => t.Value).ToList();
        foreach (var c in mine.Where(c => !worked.Contains(c.Id)).Take(Math.Max(0, missing)))
        {
            if (others.Count == 0) return;
            var colleague = others[_rng.Next(others.Count)];
            var contact = Contact(c);
            var (kind, subject, outcome) = colleague.TeamId switch
            {
                Circulation => (ActivityKind.SubscriptionCall, Fill(Pick(SubscriptionPitchSubjects), c, contact), Pick(SubscriptionPitchOutcomes)),
                Fair when Exhibits(c) => (ActivityKind.FairTalk, Fill(Pick(FairTalkSubjects), c, contact), Pick(FairProspectOutcomes)),
                Fair => (ActivityKind.Call, FairPitch, "客户要参展资料"),
                News => (ActivityKind.Interview, $"采访：{contact?.Title}{contact?.Name}谈{Pick(InterviewTopics)}", "稿件待审"),
                Service => (ActivityKind.Call, Pick(InquirySubjects), "已答复"),
                _ => (ActivityKind.Visit, Fill(Pick(VisitSubjects), c, contact), Pick(MarketingOutcomes)),
            };
            var a = Work(c, colleague.TeamId!.Value, kind, subject, Weekday(_today.AddDays(-_rng.Next(0, 5))), contact, colleague);
            a.Outcome = outcome;
        }
    }

    private void Chore(DemoPerson person, List<DemoCustomer> customers, DateOnly due)
    {
        var planted = world.Customers.Where(c => c.Planted).ToList();
        if (person.TeamId is null)
        {
            // The administrator gets the duplicate-review work, handed over by the marketing manager.
            var manager = world.Staff.FirstOrDefault(s => s.IsManager && s.TeamId is not null) ?? _teamUser.Values.FirstOrDefault();
            if (manager is null) return;
            var target = planted.Count > 0 ? planted[_rng.Next(planted.Count)] : customers[_rng.Next(customers.Count)];
            var note = Work(target, manager.TeamId!.Value, ActivityKind.Note, "备注：疑似重复录入，请核对", Weekday(_today.AddDays(-_rng.Next(1, 4))), null);
            note.Body = "这家客户可能已经在库里（同一电话、相近名称）。请在**查重**页运行扫描并决定是否合并。";
            note.FollowUpOn = due;
            note.FollowUpAssigneeId = person.Id;
            return;
        }
        var team = person.TeamId.Value;
        var pool = team == Fair && customers.Any(Exhibits) ? customers.Where(Exhibits).ToList() : customers;
        var c = pool[_rng.Next(pool.Count)];
        var (kind, subject, task) = team switch
        {
            Marketing => (ActivityKind.Call, Pick(CallSubjects), Pick(MarketingFollowUps)),
            Circulation => (ActivityKind.SubscriptionCall, Pick(SubscriptionPitchSubjects), "回电确认订数"),
            Fair when Exhibits(c) => (ActivityKind.FairTalk, Pick(FairTalkSubjects), Pick(FairFollowUps)),
            Fair => (ActivityKind.Call, FairPitch, "发送参展资料"),
            News => (ActivityKind.Interview, "采访预约：" + Pick(InterviewTopics), Pick(InterviewFollowUps)),
            _ => (ActivityKind.Complaint, Pick(GeneralComplaints), "答复客户处理结果"),
        };
        var contact = Contact(c);
        var day = Weekday(_today.AddDays(-_rng.Next(1, 8)));
        if (day >= due && due < _today) day = Weekday(due.AddDays(-_rng.Next(2, 6)));
        var a = Work(c, team, kind, Fill(subject, c, contact, "春季糖酒会"), day, contact, person);
        a.Outcome = task == "回电确认订数" ? Pick(SubscriptionPitchOutcomes) : null;
        a.FollowUpOn = due;
        a.FollowUpAssigneeId = person.Id;
    }

    private const string FairPitch = "电话：介绍糖酒会参展代理服务";

    /// <summary>Fair talks are held with customers that exhibit or mean to.</summary>
    private bool Exhibits(DemoCustomer c) => c.Exhibit || world.Bookings.Any(b => b.AccountId == c.Id);

    // ---------- building blocks ----------

    private Activity Work(DemoCustomer c, int team, ActivityKind kind, string subject, DateOnly day, DemoContact? contact, DemoPerson? author = null)
    {
        author ??= _teamUser.GetValueOrDefault(team) ?? world.Staff.First(s => s.TeamId is not null);
        var at = Time(day);
        var a = new Activity
        {
            AccountId = c.Id, ContactId = contact?.Id, TeamId = team, AuthorId = author.Id, Kind = kind, Subject = subject, OccurredAt = at,
            CreatedAt = at, CreatedBy = author.Id, UpdatedAt = at, UpdatedBy = author.Id, Version = Guid(),
        };
        Add(a);
        return a;
    }

    private Activity System(int accountId, string ev, string subject, DemoPerson by, DateTimeOffset at, string? data = null, int? contactId = null)
    {
        var a = Activity.SystemEntry(accountId, ev, subject, by.Id, by.TeamId, data, contactId);
        a.OccurredAt = a.CreatedAt = a.UpdatedAt = at > _now ? _now.AddMinutes(-5) : at;
        a.CreatedBy = a.UpdatedBy = by.Id;
        a.Version = Guid();
        return a;
    }

    private void Add(Activity a) => _out.Add(a);

    /// <summary>A follow-up a few days out: past ones are nearly all done (a few slipped), coming ones still open.</summary>
    private void FollowUp(Activity a, DateOnly from, string task, bool open = false, bool forceDone = false, DateOnly? due = null)
    {
        var on = due ?? Due(from.AddDays(_rng.Next(2, 10)));
        if (on <= from) on = from.AddDays(1);
        a.FollowUpOn = on;
        a.FollowUpAssigneeId = a.AuthorId;
        a.Body = a.Body is null ? $"下一步：{task}" : a.Body + $"\n\n下一步：{task}";
        var done = on < _today && (forceDone || _rng.NextDouble() < (open ? 0.9 : 0.99));
        if (done)
        {
            var at = Time(on);
            a.FollowUpDoneAt = at < a.OccurredAt ? a.OccurredAt.AddHours(1) : at;
            if (a.FollowUpDoneAt > _now) a.FollowUpDoneAt = _now.AddMinutes(-1);
        }
    }

    /// <summary>A weekday in the customer's year (since it was created), spread evenly.</summary>
    private DateOnly Day(DemoCustomer c)
    {
        var first = DateOnly.FromDateTime(c.CreatedAt.LocalDateTime);
        if (first < _yearAgo) first = _yearAgo;
        var span = Math.Max(1, _today.DayNumber - first.DayNumber);
        return Weekday(first.AddDays(_rng.Next(0, span + 1)));
    }

    private DateOnly Recent(DemoCustomer c, int days)
    {
        var d = Weekday(_today.AddDays(-_rng.Next(0, days)));
        var first = DateOnly.FromDateTime(c.CreatedAt.LocalDateTime);
        return d < first ? first : d;
    }

    /// <summary>Moves weekend days to the Friday before (people rarely log on Sundays).</summary>
    private static DateOnly Weekday(DateOnly d) => d.DayOfWeek switch
    {
        DayOfWeek.Saturday => d.AddDays(-1), DayOfWeek.Sunday => d.AddDays(-2), _ => d,
    };

    /// <summary>Office hours on that day (server time), never later than now; stored in UTC like every stamp.</summary>
    private DateTimeOffset Time(DateOnly day)
    {
        var nowLocal = _now.ToLocalTime();
        // Work logged "today" before the office opens belongs to the last working day.
        if (day >= _today) day = nowLocal.TimeOfDay < new TimeSpan(8, 45, 0) ? Weekday(_today.AddDays(-1)) : _today;
        var local = day.ToDateTime(new TimeOnly(8, 30)).AddMinutes(_rng.Next(0, 9 * 60));
        var at = new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
        if (at > _now.AddMinutes(-5))
        {
            var open = nowLocal.Date.AddHours(8.5);
            var minutes = Math.Max(1, (int)(nowLocal.DateTime - open).TotalMinutes - 5);
            at = new DateTimeOffset(open.AddMinutes(_rng.Next(0, minutes)), nowLocal.Offset);
        }
        return at.ToUniversalTime();
    }

    /// <summary>A due date on a weekend moves to the Monday after.</summary>
    private static DateOnly Due(DateOnly d) => d.DayOfWeek switch
    {
        DayOfWeek.Saturday => d.AddDays(2), DayOfWeek.Sunday => d.AddDays(1), _ => d,
    };

    private int Scaled(DemoCustomer c, int n)
    {
        var f = c.Status switch { AccountStatus.Dormant => 0.4, AccountStatus.Prospect => 0.7, _ => 1.0 } * (c.ParentId is null ? 1.0 : 0.6);
        var x = n * f * (0.6 + _rng.NextDouble() * 0.8);
        return (int)Math.Round(x);
    }

    private DemoContact? Contact(DemoCustomer c) => c.Contacts.Count == 0 ? null : _rng.NextDouble() < 0.6 ? c.Contacts[0] : c.Contacts[_rng.Next(c.Contacts.Count)];

    private static DemoContact? Known(DemoCustomer c, int? id) => id is null ? c.Contacts.FirstOrDefault() : c.Contacts.FirstOrDefault(x => x.Id == id);

    private DemoPerson Owner(DemoCustomer c) => world.Staff.FirstOrDefault(s => s.Id == c.OwnerId && s.TeamId is not null) ?? _teamUser.Values.First();

    private int? TeamOf(string? userId) => world.Staff.FirstOrDefault(s => s.Id == userId)?.TeamId;

    private string Fill(string text, DemoCustomer c, DemoContact? contact, string fair = "春季糖酒会") => text
        .Replace("{year}", (_today.Year + (_today.Month >= 10 ? 1 : 0)).ToString())
        .Replace("{title}", contact?.Title ?? "").Replace("{contact}", contact?.Name ?? "负责人")
        .Replace("{amount}", _rng.Next(2, 30).ToString()).Replace("{n}", _rng.Next(3, 48).ToString())
        .Replace("{fair}", fair).Replace("{periodical}", DemoSubscriptionSeeder.Titles[_rng.Next(DemoSubscriptionSeeder.Titles.Length)].Title);

    private static string Trade(ProductLines lines) => lines switch
    {
        var l when l.HasFlag(ProductLines.Baijiu) => "白酒", var l when l.HasFlag(ProductLines.Wine) => "葡萄酒", var l when l.HasFlag(ProductLines.Beer) => "啤酒",
        var l when l.HasFlag(ProductLines.Sugar) => "食糖", var l when l.HasFlag(ProductLines.Beverages) => "饮料", var l when l.HasFlag(ProductLines.Packaging) => "包装材料",
        var l when l.HasFlag(ProductLines.Equipment) => "酿造设备", var l when l.HasFlag(ProductLines.Food) => "休闲食品", _ => "行业服务",
    };

    private T Pick<T>(IReadOnlyList<T> list) => list[_rng.Next(list.Count)];

    private Guid Guid()
    {
        var bytes = new byte[16];
        _rng.NextBytes(bytes);
        return new Guid(bytes);
    }
}
