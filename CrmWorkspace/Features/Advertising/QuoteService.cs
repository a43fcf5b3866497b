using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using CrmWorkspace.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Advertising;

/// <summary>
/// Quotes from the rate card: prices are copied onto the lines when quoted (a later rate card never changes them), an extra discount
/// above the configured limit waits for a manager, and a revision is a new version that keeps the old one.
/// </summary>
public class QuoteService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, TimelineService timeline, StaffDirectory staff,
    IOptions<AdvertisingOptions> options, IStringLocalizer<AdvertisingText> L, CrmWorkspace.Features.Security.AuditTrail audit,
    CrmWorkspace.Features.KeyCustomers.RestrictedCustomers restricted)
{
    public const int MaxLines = 50;
    public const int MaxTerms = 4000;
    public const string Scope = "quotes";
    private AdvertisingOptions Options => options.Value;

    public Dictionary<string, string> Validate(QuoteInput q)
    {
        var e = new Dictionary<string, string>();
        if (q.AccountId <= 0) e[nameof(q.AccountId)] = L["Choose the customer."];
        if (q.Lines.Count == 0) e[nameof(q.Lines)] = L["Add at least one line from the rate card."];
        else if (q.Lines.Count > MaxLines) e[nameof(q.Lines)] = L["A quote has at most {0} lines.", MaxLines];
        else if (q.Lines.Any(l => l.ProductId <= 0)) e[nameof(q.Lines)] = L["Choose a product on every line."];
        else if (q.Lines.Any(l => l.Quantity is < 1 or > 520)) e[nameof(q.Lines)] = L["Quantity is between 1 and 520."];
        else if (q.Lines.Any(l => l.ExtraDiscount is < 0 or > 90)) e[nameof(q.Lines)] = L["A discount is between 0 and 90 percent."];
        else if (q.Lines.Any(l => l.Schedule?.Length > 200)) e[nameof(q.Lines)] = L["The text is too long ({0} characters at most).", 200];
        if (q.ValidDays is < 1 or > 365) e[nameof(q.ValidDays)] = L["A quote is valid for 1 to 365 days."];
        if (q.Terms?.Length > MaxTerms) e[nameof(q.Terms)] = L["The text is too long ({0} characters at most).", MaxTerms];
        return e;
    }

    /// <summary>Prices the input against today's rate card without saving: what the builder shows as you type.</summary>
    public async Task<(IReadOnlyList<QuoteLine> Lines, decimal Gross, decimal Net, bool NeedsApproval)> PriceAsync(QuoteInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var lines = await PriceAsync(db, input, ct);
        return (lines, lines.Sum(l => l.UnitPrice * l.Quantity), lines.Sum(l => l.Net), lines.Any(l => l.ExtraDiscount > Options.ApprovalDiscountPercent));
    }

    private async Task<List<QuoteLine>> PriceAsync(CrmDbContext db, QuoteInput input, CancellationToken ct)
    {
        var ids = input.Lines.Select(l => l.ProductId).Distinct().ToList();
        var products = await db.AdProducts.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var periodicals = await db.Periodicals.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Title, ct);
        var years = products.Values.Select(p => p.Year).Distinct().ToList();
        var tiers = await db.AdDiscountTiers.AsNoTracking().Where(t => years.Contains(t.Year)).ToListAsync(ct);
        var gross = input.Lines.Where(l => products.ContainsKey(l.ProductId)).Sum(l => products[l.ProductId].ListPrice * l.Quantity);
        var lines = new List<QuoteLine>();
        foreach (var l in input.Lines)
        {
            if (!products.TryGetValue(l.ProductId, out var p)) continue;
            var card = Pricing.CardDiscount(tiers.Where(t => t.Year == p.Year), l.Quantity, gross);
            var title = p.PeriodicalId is { } pid ? periodicals.GetValueOrDefault(pid) : null;
            lines.Add(new QuoteLine
            {
                ProductId = p.Id, Description = title is null ? p.Name : $"{title} · {p.Name}", Unit = p.Unit, UnitPrice = p.ListPrice, Quantity = l.Quantity,
                Schedule = Ads.Clean(l.Schedule), CardDiscount = card, ExtraDiscount = l.ExtraDiscount, Net = Pricing.Net(p.ListPrice, l.Quantity, card, l.ExtraDiscount),
            });
        }
        return lines;
    }

    public Task<AdResult> CreateAsync(QuoteInput input, StaffIdentity actor, CancellationToken ct = default) => SaveAsync(input, null, null, actor, ct);

    /// <summary>A new version of a quote: the old one is kept (superseded) and the new one priced on today's rate card.</summary>
    public Task<AdResult> ReviseAsync(int quoteId, QuoteInput input, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default) =>
        SaveAsync(input, quoteId, expectedVersion, actor, ct);

    private async Task<AdResult> SaveAsync(QuoteInput input, int? previousId, Guid? expectedVersion, StaffIdentity actor, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0) return new AdResult(false, Errors: errors);
        var restriction = await restricted.CheckAsync(input.AccountId, CrmWorkspace.Features.KeyCustomers.RestrictedService.Quote, input.OverrideReason, actor, ct);
        if (!restriction.Ok) return new AdResult(false, Error: restriction.Error, Errors: restriction.Errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var lines = await PriceAsync(db, input, ct);
        if (lines.Count != input.Lines.Count) return new AdResult(false, Error: L["A product on this quote is no longer on the rate card."]);
        Quote? previous = null;
        if (previousId is { } pid)
        {
            previous = await db.Quotes.FirstOrDefaultAsync(q => q.Id == pid, ct);
            if (previous is null) return new AdResult(false, Error: L["This quote no longer exists."]);
            if (previous.Version != expectedVersion) return new AdResult(false, Error: L["Someone else changed this quote meanwhile; reload it first."], Conflict: true);
            if (previous.Status is QuoteStatus.Accepted or QuoteStatus.Superseded) return new AdResult(false, Error: L["An accepted or superseded quote cannot be revised."]);
            previous.Status = QuoteStatus.Superseded;
        }
        var quote = new Quote
        {
            Number = previous?.Number ?? await NextNumberAsync(db, ct), Revision = (previous?.Revision ?? 0) + 1, PreviousId = previous?.Id,
            AccountId = input.AccountId, OpportunityId = input.OpportunityId ?? previous?.OpportunityId, ValidUntil = Ads.Today.AddDays(input.ValidDays),
            Terms = Ads.Clean(input.Terms), SalespersonId = previous?.SalespersonId ?? actor.Id, Lines = lines,
            Gross = lines.Sum(l => l.UnitPrice * l.Quantity), Net = lines.Sum(l => l.Net), DiscountPercent = lines.Max(l => l.ExtraDiscount),
        };
        quote.Status = quote.DiscountPercent > Options.ApprovalDiscountPercent ? QuoteStatus.AwaitingApproval : QuoteStatus.Draft;
        db.Quotes.Add(quote);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return new AdResult(false, Error: L["Someone else changed this quote meanwhile; reload it first."], Conflict: true); }
        var line = LocalLine.Of<AdvertisingText>("Quote {0} v{1}: {2:N2} (list {3:N2})", quote.Number, quote.Revision, quote.Net, quote.Gross);
        var (entry, error) = await timeline.AddAsync(db, quote.AccountId, new ActivityInput { Kind = ActivityKind.Note, Subject = LineText.Format(L, line) }, actor, ct, line);
        if (entry is null) return new AdResult(false, Error: error);
        restricted.RecordOverride(db, restriction, quote.AccountId, CrmWorkspace.Features.KeyCustomers.RestrictedService.Quote, input.OverrideReason, actor);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.QuoteSaved, quote, actor, ct);
        return new AdResult(true, quote.Id, Version: quote.Version);
    }

    private static async Task<string> NextNumberAsync(CrmDbContext db, CancellationToken ct)
    {
        var prefix = $"BJ{Ads.Today.Year}-";
        var last = await db.Quotes.IgnoreQueryFilters().Where(q => q.Number.StartsWith(prefix)).OrderByDescending(q => q.Number).Select(q => q.Number).FirstOrDefaultAsync(ct);
        var n = last is null ? 0 : int.Parse(last[prefix.Length..]);
        return $"{prefix}{n + 1:0000}";
    }

    /// <summary>A manager approves a discount above the limit. Members are refused.</summary>
    public async Task<AdResult> ApproveAsync(int id, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.ApproveQuotes, $"quote #{id}")) return new AdResult(false, Error: L["Only a manager can approve a discount above {0}%.", Options.ApprovalDiscountPercent]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var q = await db.Quotes.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (q is null) return new AdResult(false, Error: L["This quote no longer exists."]);
        if (q.Version != expectedVersion) return new AdResult(false, Error: L["Someone else changed this quote meanwhile; reload it first."], Conflict: true);
        if (q.Status != QuoteStatus.AwaitingApproval) return new AdResult(false, Error: L["This quote is not waiting for approval."]);
        q.Status = QuoteStatus.Approved;
        q.ApprovedBy = actor.Id;
        q.ApprovedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await PublishAsync(db, EventKind.QuoteApproved, q, actor, ct);
        return new AdResult(true, q.Id, Version: q.Version);
    }

    /// <summary>The customer accepted: the quote becomes a contract with its payment plan in equal monthly instalments.</summary>
    public async Task<AdResult> AcceptAsync(int id, Guid expectedVersion, DateOnly signedOn, int instalments, StaffIdentity actor, CancellationToken ct = default)
    {
        if (instalments is < 1 or > 24) return new AdResult(false, Error: L["Pay in 1 to 24 instalments."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var q = await db.Quotes.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (q is null) return new AdResult(false, Error: L["This quote no longer exists."]);
        if (q.Version != expectedVersion) return new AdResult(false, Error: L["Someone else changed this quote meanwhile; reload it first."], Conflict: true);
        if (q.Status == QuoteStatus.AwaitingApproval) return new AdResult(false, Error: L["A manager must approve the discount before the quote can be accepted."]);
        if (q.Status is not (QuoteStatus.Draft or QuoteStatus.Approved)) return new AdResult(false, Error: L["Only a current quote can be accepted."]);
        if (q.ValidUntil < Ads.Today) return new AdResult(false, Error: L["This quote expired on {0:d}; revise it first.", q.ValidUntil.ToDateTime(TimeOnly.MinValue)]);
        q.Status = QuoteStatus.Accepted;
        var contract = new AdContract
        {
            Number = q.Number.Replace("BJ", "HT") + (q.Revision > 1 ? $"-{q.Revision}" : ""), QuoteId = q.Id, AccountId = q.AccountId,
            SalespersonId = q.SalespersonId, SignedOn = signedOn, Total = q.Net,
        };
        var each = Math.Round(q.Net / instalments, 2);
        for (var i = 0; i < instalments; i++)
            contract.Instalments.Add(new AdInstalment
            {
                Sequence = i + 1, DueOn = signedOn.AddMonths(i), Amount = i == instalments - 1 ? q.Net - each * (instalments - 1) : each,
            });
        db.AdContracts.Add(contract);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return new AdResult(false, Error: L["This quote already became a contract."], Conflict: true); }
        var line = LocalLine.Of<AdvertisingText>("Contract {0} signed: {1:N2} in {2} instalments", contract.Number, contract.Total, instalments);
        var (entry, error) = await timeline.AddAsync(db, q.AccountId, new ActivityInput { Kind = ActivityKind.Note, Subject = LineText.Format(L, line) }, actor, ct, line);
        if (entry is null) return new AdResult(false, Error: error);
        await tx.CommitAsync(ct);
        await PublishAsync(db, EventKind.ContractSigned, q, actor, ct);
        return new AdResult(true, contract.Id);
    }

    public async Task<QuoteView?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = await db.Quotes.AsNoTracking().Include(x => x.Lines.OrderBy(l => l.Id)).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (q is null) return null;
        var account = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == q.AccountId).Select(a => new { a.Name, a.Address, a.City }).FirstAsync(ct);
        var contractId = await db.AdContracts.Where(c => c.QuoteId == id).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
        return new QuoteView(q.Id, q.Number, q.Revision, q.PreviousId, q.AccountId, account.Name, string.Join(" ", new[] { account.City, account.Address }.Where(s => s is not null)),
            q.OpportunityId, q.Status, q.ValidUntil, q.Terms, q.SalespersonId, (await staff.FindAsync(q.SalespersonId))?.Name ?? "—", q.Gross, q.Net, q.DiscountPercent,
            q.DiscountPercent > Options.ApprovalDiscountPercent, q.ApprovedBy is null ? null : (await staff.FindAsync(q.ApprovedBy))?.Name, q.CreatedAt, q.Lines, contractId, q.Version);
    }

    /// <summary>A contract with its lines and instalments, as the contract PDF prints it.</summary>
    public async Task<ContractView?> ContractAsync(int contractId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var c = await db.AdContracts.AsNoTracking().Include(x => x.Instalments.OrderBy(i => i.Sequence)).FirstOrDefaultAsync(x => x.Id == contractId, ct);
        if (c is null) return null;
        var q = await db.Quotes.AsNoTracking().Include(x => x.Lines.OrderBy(l => l.Id)).FirstAsync(x => x.Id == c.QuoteId, ct);
        var account = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == c.AccountId).Select(a => new { a.Name, a.Address, a.City }).FirstAsync(ct);
        return new ContractView(c.Id, c.Number, c.SignedOn, c.AccountId, account.Name, string.Join(" ", new[] { account.City, account.Address }.Where(s => s is not null)),
            (await staff.FindAsync(c.SalespersonId))?.Name ?? "—", q.Number, q.Revision, c.Total, q.Lines, c.Instalments);
    }

    /// <summary>Every version of a quote number, newest first.</summary>
    public async Task<IReadOnlyList<(int Id, int Revision, QuoteStatus Status, decimal Net, DateTimeOffset CreatedAt)>> VersionsAsync(string number, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Quotes.AsNoTracking().Where(q => q.Number == number).OrderByDescending(q => q.Revision)
            .Select(q => new { q.Id, q.Revision, q.Status, q.Net, q.CreatedAt }).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.Revision, r.Status, r.Net, r.CreatedAt)).ToList();
    }

    public async Task<IReadOnlyList<QuoteView>> ListAsync(int? accountId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = await db.Quotes.Where(q => accountId == null || q.AccountId == accountId).OrderByDescending(q => q.Id).Select(q => q.Id).Take(200).ToListAsync(ct);
        var list = new List<QuoteView>();
        foreach (var id in ids) if (await GetAsync(id, ct) is { } v) list.Add(v);
        return list;
    }

    private async Task PublishAsync(CrmDbContext db, EventKind kind, Quote q, StaffIdentity actor, CancellationToken ct)
    {
        var account = await db.Accounts.IgnoreQueryFilters().Where(a => a.Id == q.AccountId).Select(a => new { a.Name, a.ParentId }).FirstAsync(ct);
        events.Publish(new WorkspaceEvent(kind, q.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{q.Number} v{q.Revision}", q.Id,
            await AccountService.AncestorsAsync(db, account.ParentId, ct), Scope, account.Name));
    }
}
