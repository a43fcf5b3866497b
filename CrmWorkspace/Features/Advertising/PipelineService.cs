using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Advertising;

/// <summary>
/// The advertising pipeline: opportunities through the seed's eight steps, each move and value change on the customer's timeline
/// in the same commit, boards that update live, and a weighted forecast.
/// </summary>
public class PipelineService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, TimelineService timeline, StaffDirectory staff,
    IStringLocalizer<AdvertisingText> L)
{
    public const string Scope = "pipeline";
    public const int MaxTitle = 200;
    public const int MaxFeedback = 2000;

    /// <summary>"3 建立信任关系 · Build trust" in English, "3 建立信任关系" in Chinese: the step by the seed's own name.</summary>
    public string StepLabel(PipelineStep s) => Ads.StepLabel(L, s);

    public Dictionary<string, string> Validate(OpportunityInput o)
    {
        var e = new Dictionary<string, string>();
        if (o.AccountId <= 0) e[nameof(o.AccountId)] = L["Choose the customer."];
        if (string.IsNullOrWhiteSpace(o.Title)) e[nameof(o.Title)] = L["Say what the customer might buy."];
        else if (o.Title.Trim().Length > MaxTitle) e[nameof(o.Title)] = L["The text is too long ({0} characters at most).", MaxTitle];
        if (o.ExpectedValue is < 0 or > 1_000_000_000) e[nameof(o.ExpectedValue)] = L["The expected value cannot be negative."];
        if (o.ExpectedClose.Year is < 2000 or > 2100) e[nameof(o.ExpectedClose)] = L["Choose the expected close date."];
        return e;
    }

    /// <summary>Open opportunities of one owner, or of a team (null: everybody's).</summary>
    public async Task<IReadOnlyList<OpportunityCard>> BoardAsync(string? ownerId, int? teamId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.Opportunities.AsNoTracking().Where(o => o.LostAt == null);
        if (ownerId is not null) q = q.Where(o => o.OwnerId == ownerId);
        else if (teamId is not null) q = q.Where(o => o.TeamId == teamId);
        var rows = await (from o in q
                          join a in db.Accounts.IgnoreQueryFilters() on o.AccountId equals a.Id
                          select new { o.Id, o.AccountId, Account = a.Name, o.Title, o.Medium, o.ExpectedValue, o.ExpectedClose, o.OwnerId, o.Step, o.Rank, o.Version })
            .ToListAsync(ct);
        rows = rows.OrderBy(o => o.Step).ThenBy(o => o.Rank).ThenBy(o => o.ExpectedClose).ThenBy(o => o.Id).ToList();
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        return rows.Select(r => new OpportunityCard(r.Id, r.AccountId, r.Account, r.Title, r.Medium, r.ExpectedValue, r.ExpectedClose, r.OwnerId,
            people.GetValueOrDefault(r.OwnerId, "—"), r.Step, r.Version)).ToList();
    }

    public async Task<OpportunityCard?> CardAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var o = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return null;
        var account = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == o.AccountId).Select(a => a.Name).FirstAsync(ct);
        return new OpportunityCard(o.Id, o.AccountId, account, o.Title, o.Medium, o.ExpectedValue, o.ExpectedClose, o.OwnerId,
            (await staff.FindAsync(o.OwnerId))?.Name ?? "—", o.Step, o.Version);
    }

    public async Task<IReadOnlyList<OpportunityCard>> OfCustomerAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = await db.Opportunities.Where(o => o.AccountId == accountId && o.LostAt == null).Select(o => o.Id).ToListAsync(ct);
        var cards = new List<OpportunityCard>();
        foreach (var id in ids) if (await CardAsync(id, ct) is { } c) cards.Add(c);
        return cards;
    }

    public async Task<AdResult> CreateAsync(OpportunityInput input, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new AdResult(false, Errors: errors);
        var ownerId = input.OwnerId ?? actor.Id;
        var owner = await staff.FindAsync(ownerId);
        if (owner is null) return new AdResult(false, Errors: new Dictionary<string, string> { [nameof(input.OwnerId)] = L["Choose the owner."] });
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var o = new Opportunity
        {
            AccountId = input.AccountId, Title = input.Title.Trim(), Medium = input.Medium, ExpectedValue = Math.Round(input.ExpectedValue, 2),
            ExpectedClose = input.ExpectedClose, OwnerId = ownerId, TeamId = owner.TeamId, Step = input.Step,
        };
        db.Opportunities.Add(o);
        await db.SaveChangesAsync(ct);
        var (entry, error) = await timeline.AddAsync(db, o.AccountId, Note(LocalLine.Of<AdvertisingText>("Advertising opportunity opened: {0} · {1:N0} · {2}", o.Title, o.ExpectedValue, Step(o.Step)), out var line), actor, ct, line);
        if (entry is null) return new AdResult(false, Error: error);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.OpportunityCreated, o, actor, ct);
        return new AdResult(true, o.Id, Version: o.Version);
    }

    /// <summary>
    /// Moves a card to another step. The card's version must be the one the mover saw: when a colleague moved or changed it first,
    /// the move is refused with who did what, never silently overwriting.
    /// </summary>
    public async Task<AdResult> MoveAsync(int id, PipelineStep to, Guid expectedVersion, StaffIdentity actor, string? feedback = null, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(to)) return new AdResult(false, Error: L["Unknown step."]);
        if (feedback?.Length > MaxFeedback) return new AdResult(false, Error: L["The text is too long ({0} characters at most).", MaxFeedback]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var o = await db.Opportunities.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return new AdResult(false, Error: L["This opportunity no longer exists."]);
        if (o.Version != expectedVersion) return await StaleAsync(o, ct);
        if (o.LostAt is not null) return new AdResult(false, Error: L["This opportunity was marked lost."]);
        if (o.Step == to) return new AdResult(true, o.Id, Version: o.Version);
        var from = o.Step;
        o.Step = to;
        o.Rank = 0;
        if (to == PipelineStep.Satisfied && Ads.Clean(feedback) is { } f) o.Feedback = f;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new AdResult(false, Error: L["Someone else changed this opportunity at the same moment; it was not moved."], Conflict: true); }
        var (entry, error) = await timeline.AddAsync(db, o.AccountId,
            Note(LocalLine.Of<AdvertisingText>("Opportunity {0} moved: {1} → {2}", o.Title, Step(from), Step(to)), out var line, to == PipelineStep.Satisfied ? o.Feedback : null), actor, ct, line);
        if (entry is null) return new AdResult(false, Error: error);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.OpportunityMoved, o, actor, ct);
        return new AdResult(true, o.Id, Version: o.Version);
    }

    /// <summary>Changes what, how much and when; the change of value goes on the timeline.</summary>
    public async Task<AdResult> ChangeAsync(int id, OpportunityInput input, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new AdResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var o = await db.Opportunities.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return new AdResult(false, Error: L["This opportunity no longer exists."]);
        if (o.Version != expectedVersion) return await StaleAsync(o, ct);
        var (oldValue, oldClose) = (o.ExpectedValue, o.ExpectedClose);
        o.Title = input.Title.Trim(); o.Medium = input.Medium; o.ExpectedValue = Math.Round(input.ExpectedValue, 2); o.ExpectedClose = input.ExpectedClose;
        if (input.OwnerId is { } owner && owner != o.OwnerId && await staff.FindAsync(owner) is { } person) { o.OwnerId = owner; o.TeamId = person.TeamId; }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new AdResult(false, Error: L["Someone else changed this opportunity at the same moment; reload it."], Conflict: true); }
        if (oldValue != o.ExpectedValue || oldClose != o.ExpectedClose)
        {
            var (entry, error) = await timeline.AddAsync(db, o.AccountId,
                Note(LocalLine.Of<AdvertisingText>("Opportunity {0}: value {1:N0} → {2:N0}, expected close {3:d} → {4:d}", o.Title, oldValue, o.ExpectedValue, oldClose, o.ExpectedClose),
                    out var line), actor, ct, line);
            if (entry is null) return new AdResult(false, Error: error);
        }
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.OpportunityChanged, o, actor, ct);
        return new AdResult(true, o.Id, Version: o.Version);
    }

    /// <summary>Marks a deal lost, with a reason from the fixed list.</summary>
    public async Task<AdResult> LoseAsync(int id, LostReason reason, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(reason)) return new AdResult(false, Error: L["Choose why it was lost."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var o = await db.Opportunities.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return new AdResult(false, Error: L["This opportunity no longer exists."]);
        if (o.Version != expectedVersion) return await StaleAsync(o, ct);
        o.LostReason = reason;
        o.LostAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        var (entry, error) = await timeline.AddAsync(db, o.AccountId, Note(LocalLine.Of<AdvertisingText>("Opportunity {0} lost at {1}: {2}", o.Title, Step(o.Step), LineArg.Translated($"LostReason.{reason}")), out var line), actor, ct, line);
        if (entry is null) return new AdResult(false, Error: error);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.OpportunityLost, o, actor, ct);
        return new AdResult(true, o.Id);
    }

    /// <summary>Weighted value (value × the step's probability) of open deals per owner and month of expected close (of one owner, when given).</summary>
    public async Task<IReadOnlyList<ForecastRow>> ForecastAsync(int? teamId, string? ownerId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.Opportunities.AsNoTracking().Where(o => o.LostAt == null && o.Step < PipelineStep.Satisfied);
        // One owner's board reads that owner's deals only (by the board's index), not everyone's.
        if (ownerId is not null) q = q.Where(o => o.OwnerId == ownerId);
        else if (teamId is not null) q = q.Where(o => o.TeamId == teamId);
        var rows = await q
            .Select(o => new { o.OwnerId, o.ExpectedClose, o.ExpectedValue, o.Step }).ToListAsync(ct);
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        return Forecast(rows.Select(r => (r.OwnerId, people.GetValueOrDefault(r.OwnerId, "—"), r.ExpectedClose, r.ExpectedValue, r.Step)));
    }

    /// <summary>The forecast of open deals already read (a board's cards): the same rows <see cref="ForecastAsync"/> gives for them.</summary>
    public static IReadOnlyList<ForecastRow> Forecast(IEnumerable<OpportunityCard> open) =>
        Forecast(open.Select(c => (c.OwnerId, c.OwnerName, c.ExpectedClose, c.ExpectedValue, c.Step)));

    private static IReadOnlyList<ForecastRow> Forecast(IEnumerable<(string OwnerId, string OwnerName, DateOnly ExpectedClose, decimal ExpectedValue, PipelineStep Step)> open) =>
        open.Where(r => r.Step < PipelineStep.Satisfied)
            .GroupBy(r => (r.OwnerId, r.ExpectedClose.Year, r.ExpectedClose.Month))
            .Select(g => new ForecastRow(g.Key.OwnerId, g.First().OwnerName, g.Key.Year, g.Key.Month, g.Count(),
                g.Sum(x => x.ExpectedValue), Math.Round(g.Sum(x => x.ExpectedValue * Opportunity.Probability(x.Step)), 2)))
            .OrderBy(r => r.Year).ThenBy(r => r.Month).ThenBy(r => r.OwnerName).ToList();

    private async Task<AdResult> StaleAsync(Opportunity o, CancellationToken ct)
    {
        var who = (await staff.FindAsync(o.UpdatedBy))?.Name ?? "—";
        return new AdResult(false, Error: o.LostAt is not null
            ? L["{0} marked this opportunity lost meanwhile.", who]
            : L["{0} changed this opportunity meanwhile (it is now at {1}); nothing was overwritten. Look again and repeat if still right.", who, StepLabel(o.Step)],
            Conflict: true);
    }

    private static LineArg Step(PipelineStep s) => new(Step: (int)s);

    /// <summary>The pipeline's note on the timeline: the line in the writer's words as its subject, and kept to be drawn per reader.</summary>
    private ActivityInput Note(LocalLine line, out LocalLine kept, string? body = null)
    {
        kept = line;
        var subject = LineText.Format(L, line);
        return new() { Kind = ActivityKind.Note, Subject = subject.Length > TimelineService.MaxSubject ? subject[..TimelineService.MaxSubject] : subject, Body = body };
    }

    private async Task PublishAsync(CrmDbContext db, EventKind kind, Opportunity o, StaffIdentity actor, CancellationToken ct)
    {
        var account = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == o.AccountId).Select(a => new { a.Name, a.ParentId }).FirstAsync(ct);
        events.Publish(new WorkspaceEvent(kind, o.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, o.Title, o.Id,
            await AccountService.AncestorsAsync(db, account.ParentId, ct), Scope, account.Name, OwnerId: o.OwnerId));
    }
}
