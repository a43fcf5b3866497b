using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Advertising;

/// <summary>
/// Contracts placed into issues: each issue's flatplan, premium positions the database never lets two contracts hold, run-of-book
/// space counted against the issue's ad pages; and the receivables of the contracts.
/// </summary>
public class FlatplanService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff, IOptions<AdvertisingOptions> options,
    IStringLocalizer<AdvertisingText> L, CrmWorkspace.Features.Security.AuditTrail audit, IStringLocalizer<CrmWorkspace.Features.Security.SecurityText> S)
{
    public static string Scope(int issueId) => $"flatplan:{issueId}";
    public const string ReceivablesScope = "receivables";

    public static readonly AdPosition[] PremiumPositions =
        [AdPosition.FrontCover, AdPosition.InsideFrontCover, AdPosition.CentreSpread, AdPosition.InsideBackCover, AdPosition.BackCover];

    public async Task<Flatplan?> FlatplanAsync(int issueId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var issue = await db.PeriodicalIssues.AsNoTracking().Where(i => i.Id == issueId)
            .Select(i => new { i.Id, i.PeriodicalId, Title = db.Periodicals.Where(p => p.Id == i.PeriodicalId).Select(p => p.Title).First(), i.Number, i.PublishedOn })
            .FirstOrDefaultAsync(ct);
        if (issue is null) return null;
        var plan = await db.AdIssuePlans.AsNoTracking().FirstOrDefaultAsync(p => p.IssueId == issueId, ct);
        var rows = await (from x in db.AdInsertions.Where(x => x.IssueId == issueId && x.Live)
                          join c in db.AdContracts on x.ContractId equals c.Id
                          select new { x.Id, x.Position, x.Size, x.Status, x.Version, c.AccountId, c.Number, c.SalespersonId,
                              Advertiser = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First() })
            .AsNoTracking().ToListAsync(ct);
        var slots = rows.Select(r => new FlatplanSlot(r.Id, r.Position, r.Size, AdInsertion.PagesOf(r.Size, r.Position), r.AccountId, r.Advertiser, r.Number, r.Status,
            r.SalespersonId, r.Version)).ToList();
        var premium = PremiumPositions.Select(p => slots.FirstOrDefault(s => s.Position == p) ?? new FlatplanSlot(null, p, AdSize.Full, AdInsertion.PagesOf(AdSize.Full, p),
            null, null, null, null, null, null)).ToList();
        var rob = slots.Where(s => s.Position == AdPosition.RunOfBook).OrderBy(s => s.InsertionId).ToList();
        return new Flatplan(issue.Id, issue.PeriodicalId, issue.Title, issue.Number, issue.PublishedOn, plan?.Pages ?? options.Value.DefaultPages,
            plan?.AdPages ?? options.Value.DefaultAdPages, rob.Sum(s => s.Pages), premium, rob);
    }

    /// <summary>
    /// Contract lines of print products of this issue's periodical with insertions still to place, of contracts signed in the two years
    /// before the issue on rate cards of those years (rate cards and contracts run a year): at any length of history the page reads
    /// only the recent contracts.
    /// </summary>
    public async Task<IReadOnlyList<PlaceableLine>> PlaceableAsync(int issueId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var issue = await db.PeriodicalIssues.Where(i => i.Id == issueId).Select(i => new { i.PeriodicalId, i.PublishedOn }).FirstOrDefaultAsync(ct);
        if (issue is null) return [];
        var since = issue.PublishedOn.AddYears(-2);
        var rows = await (from c in db.AdContracts
                          where c.SignedOn >= since
                          join l in db.QuoteLines on c.QuoteId equals l.QuoteId
                          join p in db.AdProducts.IgnoreQueryFilters() on l.ProductId equals p.Id
                          where p.Medium == AdMedium.Print && p.PeriodicalId == issue.PeriodicalId && p.Year >= since.Year
                          select new { c.Id, c.Number, c.AccountId, LineId = l.Id, l.Description, p.Position, p.Size, l.Quantity,
                              Placed = db.AdInsertions.Count(x => x.QuoteLineId == l.Id && x.Live) })
            // Only the lines still to place travel: thousands of recent lines are read, a few hundred kept.
            .Where(r => r.Placed < r.Quantity).AsNoTracking().ToListAsync(ct);
        var ids = rows.Select(r => r.AccountId).Distinct().ToList();
        var names = await db.Accounts.IgnoreQueryFilters().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return rows.Select(r => new PlaceableLine(r.Id, r.Number, r.LineId, names.GetValueOrDefault(r.AccountId, "—"), r.Description, r.Position, r.Size ?? AdSize.Full, r.Quantity, r.Placed))
            .OrderBy(r => r.ContractNumber, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// One insertion as an open flatplan shows it, with its contract line as "lines to place" shows it (its live count now): what a
    /// flatplan needs to apply a placement or a status change without reading the whole issue again. Null when it no longer exists.
    /// </summary>
    public async Task<InsertionChange?> InsertionAsync(int insertionId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var r = await (from x in db.AdInsertions.Where(x => x.Id == insertionId)
                       join c in db.AdContracts on x.ContractId equals c.Id
                       join l in db.QuoteLines on x.QuoteLineId equals l.Id
                       select new { x.Id, x.IssueId, x.Position, x.Size, x.Status, x.Version, x.Live, c.AccountId, ContractId = c.Id, c.Number, c.SalespersonId,
                           LineId = l.Id, l.Description, l.Quantity, Placed = db.AdInsertions.Count(y => y.QuoteLineId == l.Id && y.Live),
                           Advertiser = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First() })
            .AsNoTracking().FirstOrDefaultAsync(ct);
        if (r is null) return null;
        var slot = new FlatplanSlot(r.Id, r.Position, r.Size, AdInsertion.PagesOf(r.Size, r.Position), r.AccountId, r.Advertiser, r.Number, r.Status, r.SalespersonId, r.Version);
        return new InsertionChange(r.IssueId, r.Live, slot,
            new PlaceableLine(r.ContractId, r.Number, r.LineId, r.Advertiser, r.Description, r.Position, r.Size, r.Quantity, r.Placed));
    }

    /// <summary>
    /// The flatplan and its lines to place after one insertion changed (placed, moved along production, cancelled): the same result a
    /// fresh <see cref="FlatplanAsync"/> and <see cref="PlaceableAsync"/> would give for that insertion, and idempotent.
    /// </summary>
    public static (Flatplan Plan, IReadOnlyList<PlaceableLine> Placeable) Apply(Flatplan plan, IReadOnlyList<PlaceableLine> placeable, InsertionChange change)
    {
        var s = change.Slot;
        var premium = plan.Premium.Select(p => p.Position != s.Position ? p
            : change.Live ? s
            : p.InsertionId == s.InsertionId ? new FlatplanSlot(null, p.Position, AdSize.Full, AdInsertion.PagesOf(AdSize.Full, p.Position), null, null, null, null, null, null)
            : p).ToList();
        var rob = plan.RunOfBook.Where(x => x.InsertionId != s.InsertionId).ToList();
        if (change.Live && s.Position == AdPosition.RunOfBook) rob.Add(s);
        rob.Sort((a, b) => Nullable.Compare(a.InsertionId, b.InsertionId));
        var line = change.Line;
        var lines = placeable.Where(l => l.QuoteLineId != line.QuoteLineId).ToList();
        if (line.Placed < line.Quantity)
        {
            // Same order as PlaceableAsync: by contract number (a stable sort keeps the lines of one contract in their order).
            var at = lines.FindIndex(l => string.CompareOrdinal(l.ContractNumber, line.ContractNumber) > 0);
            var was = placeable.FirstOrDefault(l => l.QuoteLineId == line.QuoteLineId);
            lines.Insert(at < 0 ? lines.Count : at, was is null ? line : was with { Placed = line.Placed });
        }
        return (plan with { Premium = premium, RunOfBook = rob, RunOfBookUsed = rob.Sum(x => x.Pages) }, lines);
    }

    /// <summary>
    /// Places one insertion of a contract line into an issue. In one immediate transaction: a premium position already held is refused
    /// naming the holder, run-of-book space beyond the issue's ad pages is refused; the unique index has the final word on a race.
    /// </summary>
    public async Task<AdResult> PlaceAsync(int quoteLineId, int issueId, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var line = await (from l in db.QuoteLines where l.Id == quoteLineId
                          join c in db.AdContracts on l.QuoteId equals c.Id into cs from c in cs.DefaultIfEmpty()
                          join p in db.AdProducts.IgnoreQueryFilters() on l.ProductId equals p.Id
                          select new { l.Id, l.Quantity, l.QuoteId, p.Medium, p.PeriodicalId, p.Position, p.Size }).FirstOrDefaultAsync(ct);
        var contract = line is null ? null : await db.AdContracts.FirstOrDefaultAsync(c => c.QuoteId == line.QuoteId, ct);
        if (line is null || contract is null) return new AdResult(false, Error: L["This line is not part of a signed contract."]);
        var issue = await db.PeriodicalIssues.FirstOrDefaultAsync(i => i.Id == issueId, ct);
        if (issue is null) return new AdResult(false, Error: L["This issue no longer exists."]);
        if (line.Medium != AdMedium.Print || line.PeriodicalId != issue.PeriodicalId) return new AdResult(false, Error: L["This ad is not for this periodical."]);
        if (await db.AdInsertions.CountAsync(x => x.QuoteLineId == line.Id && x.Live, ct) >= line.Quantity)
            return new AdResult(false, Error: L["All {0} insertions of this line are already placed.", line.Quantity]);
        if (await db.AdInsertions.AnyAsync(x => x.QuoteLineId == line.Id && x.IssueId == issueId && x.Live, ct))
            return new AdResult(false, Error: L["This line already has an ad in this issue."]);
        var size = line.Size ?? AdSize.Full;
        if (line.Position != AdPosition.RunOfBook)
        {
            if (await HolderAsync(db, issueId, line.Position, ct) is { } taken) return new AdResult(false, Error: taken);
        }
        else
        {
            var plan = await db.AdIssuePlans.FirstOrDefaultAsync(p => p.IssueId == issueId, ct);
            var adPages = plan?.AdPages ?? options.Value.DefaultAdPages;
            var used = (await db.AdInsertions.Where(x => x.IssueId == issueId && x.Live && x.Position == AdPosition.RunOfBook).Select(x => x.Size).ToListAsync(ct))
                .Sum(s => AdInsertion.PagesOf(s, AdPosition.RunOfBook));
            var need = AdInsertion.PagesOf(size, AdPosition.RunOfBook);
            if (used + need > adPages)
                return new AdResult(false, Error: L["Issue {0} has {1} ad pages and {2} are taken; this ad needs {3} more.", issue.Number, adPages, used, need]);
        }
        var x = new AdInsertion { ContractId = contract.Id, QuoteLineId = line.Id, IssueId = issueId, Position = line.Position, Size = size };
        db.AdInsertions.Add(x);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            await using var fresh = await dbs.CreateDbContextAsync(ct);
            return new AdResult(false, Error: await HolderAsync(fresh, issueId, line.Position, ct) ?? L["Someone placed an ad in this position at the same moment."], Conflict: true);
        }
        Publish(EventKind.InsertionPlaced, contract.AccountId, issueId, x.Id, $"{contract.Number} · {L[$"AdPosition.{x.Position}"]}", actor);
        return new AdResult(true, x.Id, Version: x.Version);
    }

    /// <summary>Moves an insertion along production (reserved → … → published) or cancels it, which frees its space.</summary>
    public async Task<AdResult> SetStatusAsync(int insertionId, InsertionStatus status, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var x = await db.AdInsertions.FirstOrDefaultAsync(i => i.Id == insertionId, ct);
        if (x is null) return new AdResult(false, Error: L["This ad no longer exists."]);
        if (x.Version != expectedVersion) return new AdResult(false, Error: L["Someone else changed this ad meanwhile; look again."], Conflict: true);
        x.Status = status;
        if (status == InsertionStatus.Cancelled) x.Live = false;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return new AdResult(false, Error: L["Someone else changed this ad meanwhile; look again."], Conflict: true); }
        var accountId = await db.AdContracts.Where(c => c.Id == x.ContractId).Select(c => c.AccountId).FirstAsync(ct);
        Publish(EventKind.InsertionChanged, accountId, x.IssueId, x.Id, L[$"InsertionStatus.{status}"], actor);
        return new AdResult(true, x.Id, Version: x.Version);
    }

    /// <summary>Sets an issue's pages and ad pages. Managers only; fewer ad pages than already sold are refused.</summary>
    public async Task<AdResult> SetPagesAsync(int issueId, int pages, int adPages, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.EditRateCard, $"issue #{issueId} pages")) return new AdResult(false, Error: L["Only managers can change the rate card."]);
        if (pages is < 4 or > 1000 || adPages < 0 || adPages > pages) return new AdResult(false, Error: L["An issue has 4 to 1000 pages, and no more ad pages than pages."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var used = (await db.AdInsertions.Where(x => x.IssueId == issueId && x.Live && x.Position == AdPosition.RunOfBook).Select(x => x.Size).ToListAsync(ct))
            .Sum(s => AdInsertion.PagesOf(s, AdPosition.RunOfBook));
        if (used > adPages) return new AdResult(false, Error: L["{0} ad pages are already sold in this issue.", used]);
        var plan = await db.AdIssuePlans.FirstOrDefaultAsync(p => p.IssueId == issueId, ct);
        if (plan is null) db.AdIssuePlans.Add(plan = new AdIssuePlan { IssueId = issueId });
        plan.Pages = pages; plan.AdPages = adPages;
        await db.SaveChangesAsync(ct);
        Publish(EventKind.InsertionChanged, 0, issueId, null, $"{pages}/{adPages}", actor);
        return new AdResult(true);
    }

    /// <summary>A message naming who holds this premium position of the issue, or null when it is free.</summary>
    private async Task<string?> HolderAsync(CrmDbContext db, int issueId, AdPosition position, CancellationToken ct)
    {
        if (position == AdPosition.RunOfBook) return null;
        var holder = await (from x in db.AdInsertions.Where(x => x.IssueId == issueId && x.Position == position && x.Live)
                            join c in db.AdContracts on x.ContractId equals c.Id
                            select new { c.Number, c.SalespersonId, Advertiser = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First() })
            .FirstOrDefaultAsync(ct);
        if (holder is null) return null;
        var who = (await staff.FindAsync(holder.SalespersonId))?.Name ?? "—";
        return L["{0} of this issue is already sold to {1} (contract {2}, salesperson {3}).", L[$"AdPosition.{position}"], holder.Advertiser, holder.Number, who];
    }

    /// <summary>Open instalments (not fully paid), optionally of one salesperson, overdue ones first.</summary>
    public async Task<IReadOnlyList<ReceivableRow>> ReceivablesAsync(string? salespersonId = null, bool overdueOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = Ads.Today;
        // Conditions added only when asked for: an "or" on a parameter would keep the database from its due-date and salesperson indexes.
        var instalments = overdueOnly ? db.AdInstalments.Where(i => i.DueOn < today) : db.AdInstalments;
        var contracts = salespersonId is null ? db.AdContracts : db.AdContracts.Where(c => c.SalespersonId == salespersonId);
        var rows = await (from i in instalments
                          join c in contracts on i.ContractId equals c.Id
                          // As REAL, the expression of the open-instalments index (DatabaseSetup.ProviderModel): SQLite keeps decimals as
                          // text and would compare every past instalment through a function call; cents compare exactly as doubles.
                          where (double)i.Paid < (double)i.Amount
                          orderby i.DueOn, c.Number, i.Sequence
                          select new { i.Id, i.ContractId, c.Number, c.AccountId, c.SalespersonId, i.Sequence, i.DueOn, i.Amount, i.Paid,
                              Account = db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => a.Name).First() }).AsNoTracking().ToListAsync(ct);
        var people = (await staff.StaffAsync()).ToDictionary(s => s.Id, s => s.Name);
        return rows.Select(r => new ReceivableRow(r.Id, r.ContractId, r.Number, r.AccountId, r.Account, r.SalespersonId, people.GetValueOrDefault(r.SalespersonId, "—"),
            r.Sequence, r.DueOn, r.Amount, r.Paid, r.Amount - r.Paid, Math.Max(0, today.DayNumber - r.DueOn.DayNumber))).ToList();
    }

    /// <summary>Records a payment against an instalment (finance, managers); more than is outstanding is refused.</summary>
    public async Task<AdResult> RecordPaymentAsync(int instalmentId, decimal amount, DateOnly paidOn, StaffIdentity actor, CancellationToken ct = default)
    {
        // Finance records payments (and managers); checked before the transaction opens, so the refusal can be written at once.
        if (!await audit.AllowedAsync(actor, Permission.RecordPayments, $"instalment #{instalmentId}"))
            return new AdResult(false, Error: S["Only finance (or a manager) records payments."]);
        if (amount <= 0) return new AdResult(false, Error: L["The amount must be above 0."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var i = await db.AdInstalments.FirstOrDefaultAsync(x => x.Id == instalmentId, ct);
        if (i is null) return new AdResult(false, Error: L["This instalment no longer exists."]);
        if (amount > i.Amount - i.Paid) return new AdResult(false, Error: L["Only {0:N2} is outstanding on this instalment.", i.Amount - i.Paid]);
        i.Paid += amount;
        i.PaidOn = paidOn;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var c = await db.AdContracts.Where(x => x.Id == i.ContractId).Select(x => new { x.AccountId, x.Number }).FirstAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.PaymentRecorded, c.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{c.Number} {amount:N2}", i.Id,
            Scope: ReceivablesScope));
        return new AdResult(true, i.Id);
    }

    /// <summary>Issues of print periodicals that carry ads, nearest first: what the flatplan picker offers.</summary>
    public async Task<IReadOnlyList<(int Id, string Periodical, string Number, DateOnly PublishedOn)>> IssuesAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var from = Ads.Today.AddMonths(-2);
        var withProducts = db.AdProducts.Where(p => p.Medium == AdMedium.Print).Select(p => p.PeriodicalId);
        var rows = await db.PeriodicalIssues.AsNoTracking().Where(i => i.PublishedOn >= from && withProducts.Contains(i.PeriodicalId))
            .OrderBy(i => i.PublishedOn).Take(60)
            .Select(i => new { i.Id, Title = db.Periodicals.Where(p => p.Id == i.PeriodicalId).Select(p => p.Title).First(), i.Number, i.PublishedOn }).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.Title, r.Number, r.PublishedOn)).ToList();
    }

    private void Publish(EventKind kind, int accountId, int issueId, long? id, string summary, StaffIdentity actor) =>
        events.Publish(new WorkspaceEvent(kind, accountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, summary, id, Scope: Scope(issueId)));
}
