using System.Globalization;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Advertising;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>Settings of the "Duplicates" section.</summary>
public class DuplicateOptions
{
    /// <summary>Score (0..1) from which two records count as likely duplicates: the while-typing panel, the scan and imports.</summary>
    public double Threshold { get; set; } = MatchScorer.DefaultThreshold;
    /// <summary>How many likely duplicates the while-typing panel lists.</summary>
    public int PanelSize { get; set; } = 5;
}

/// <summary>What the user has typed so far into a company form.</summary>
public record AccountProbe(string? Name, string? Phone = null, string? Address = null, string? City = null, int? ParentId = null, int? ExcludeId = null);

/// <summary>What the user has typed so far into a contact form.</summary>
public record ContactProbe(string? Name, IReadOnlyList<string>? Phones = null, IReadOnlyList<string>? Emails = null, string? Address = null,
    string? PostalCode = null, DateOnly? Birthday = null, int? AccountId = null, int? ExcludeId = null);

/// <summary>A likely duplicate as the panel shows it: who it is, why, and who already works it.</summary>
public record DuplicateCandidate(RecordKind Kind, int Id, int AccountId, string Name, string? Detail, double Score, IReadOnlyList<MatchReason> Reasons,
    bool Exact, string? OwnerName, IReadOnlyList<TeamWork> Work, CrmWorkspace.Features.Advertising.OpenDeal? Deal = null);

/// <summary>
/// Finds likely duplicates while someone types: candidates come from indexed match keys only (E.164 phone, e-mail,
/// name bigrams and trigrams), never a table scan; they are then scored with the same rules as the batch scan.
/// </summary>
public class DuplicateFinder(IDbContextFactory<CrmDbContext> dbs, MatchScorer scorer, TimelineService timeline, StaffDirectory staff, IOptions<DuplicateOptions> options,
    CrmWorkspace.Features.Advertising.CustomerAdvertising ads)
{
    private const int GramLimit = 200, CandidateLimit = 25;

    public MatchScorer Scorer => scorer;

    public async Task<IReadOnlyList<DuplicateCandidate>> AccountsAsync(AccountProbe probe, bool withWork = true, CancellationToken ct = default)
    {
        var e164 = PhoneNormalizer.ToE164(probe.Phone);
        var typed = CompanyNameNormalizer.Normalize(probe.Name);
        var core = typed.Core;
        if (e164 is null && core.Length < 2) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = new Dictionary<int, int>();
        if (e164 is not null)
        {
            // The customer's own number and its people's, in one statement.
            var byPhone = db.Accounts.Where(a => a.PhoneE164 == e164).Select(a => a.Id).Take(20)
                .Concat((from p in db.Set<ContactPhone>() where p.E164 == e164 join c in db.Contacts on p.ContactId equals c.Id select c.AccountId).Take(20));
            foreach (var id in await byPhone.ToListAsync(ct)) ids[id] = 100;
        }
        if (core.Length >= 2) await GramHitsAsync(db, SearchIndex.AccountKind, core, ids, ct);
        // A full name also finds records kept only under its known short name (中国粮油食品（集团）有限公司 finds 中粮); a typed short name
        // is already read as its full name above, so its grams find the full name's records.
        if (typed.Alias is null && core.Length >= 2)
            foreach (var alias in CompanyAliases.AliasesOf(core).Take(3))
            {
                // Ranked with the phone hits: the short name's few grams must not drown among the full name's common ones (食品).
                var byAlias = new Dictionary<int, int>();
                if (alias.Length >= 2) await GramHitsAsync(db, SearchIndex.AccountKind, alias, byAlias, ct);
                var needed = Math.Max(1, Math.Min(10, alias.Length - 1));
                foreach (var (id, n) in byAlias) if (n >= needed) ids[id] = Math.Max(ids.GetValueOrDefault(id), 50 + n);
            }
        var top = ids.OrderByDescending(x => x.Value).Take(CandidateLimit).Select(x => x.Key).Where(id => id != probe.ExcludeId).ToList();
        if (top.Count == 0) return [];
        var rows = await db.Accounts.AsNoTracking().Where(a => top.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.PhoneE164, a.Address, a.City, a.Province, a.ParentId, a.OwnerId }).ToListAsync(ct);
        var me = new PreparedAccount(new AccountRecord { Id = 0, Name = probe.Name, PhoneE164 = e164, Address = probe.Address, City = probe.City, ParentId = probe.ParentId });
        // A head office or branch of the typed name is shown too, with its "branch" reason, so it can be linked rather than entered twice.
        var hits = rows.Select(r => (r, m: scorer.Score(me, new PreparedAccount(new AccountRecord { Id = r.Id, Name = r.Name, PhoneE164 = r.PhoneE164, Address = r.Address, City = r.City, ParentId = r.ParentId }))))
            .Where(x => scorer.IsLikelyDuplicate(x.m) || x.m.Reasons.Any(IsExact) || x.m.Reasons.Any(IsBranch))
            .OrderByDescending(x => x.m.Score).Take(options.Value.PanelSize).ToList();
        var (work, deals) = await WorkAsync(withWork ? hits.Select(h => h.r.Id).ToList() : [], ct);
        var people = hits.Count > 0 ? await staff.StaffAsync() : [];
        return hits.Select(h => new DuplicateCandidate(RecordKind.Account, h.r.Id, h.r.Id, h.r.Name, $"{h.r.Province} {h.r.City}".Trim(), h.m.Score, h.m.Reasons,
            h.m.Reasons.Any(IsExact) && !h.m.Reasons.Any(IsBranch), people.FirstOrDefault(p => p.Id == h.r.OwnerId)?.Name, work?.GetValueOrDefault(h.r.Id) ?? [],
            deals?.GetValueOrDefault(h.r.Id))).ToList();
    }

    public async Task<IReadOnlyList<DuplicateCandidate>> ContactsAsync(ContactProbe probe, bool withWork = true, CancellationToken ct = default)
    {
        var phones = (probe.Phones ?? []).Select(p => PhoneNormalizer.ToE164(p)).OfType<string>().Distinct().ToList();
        var emails = (probe.Emails ?? []).Where(EmailNormalizer.IsValid).Select(EmailNormalizer.Normalize).Distinct().ToList();
        var key = PersonNameNormalizer.Key(probe.Name);
        if (phones.Count == 0 && emails.Count == 0 && key.Replace(" ", "").Length < 2) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = new Dictionary<int, int>();
        if (phones.Count > 0)
            foreach (var id in await db.Set<ContactPhone>().Where(p => phones.Contains(p.E164)).Select(p => p.ContactId).Take(20).ToListAsync(ct)) ids[id] = 100;
        if (emails.Count > 0)
            foreach (var id in await db.Set<ContactEmail>().Where(e => emails.Contains(e.Address)).Select(e => e.ContactId).Take(20).ToListAsync(ct)) ids[id] = 100;
        var name = probe.Name?.Trim() ?? "";
        if (name.Length >= 2)
        {
            if (name.Any(c => c > 0x2E80)) await GramHitsAsync(db, SearchIndex.ContactKind, new string(name.Where(c => !char.IsWhiteSpace(c)).ToArray()), ids, ct);
            else foreach (var token in PersonNameNormalizer.Tokens(name).Where(t => t.Length >= 3).Take(3))
                    foreach (var id in await SearchIndex.ContactIdsAsync(db, token, 100, ct)) ids[id] = ids.GetValueOrDefault(id) + 1;
        }
        var top = ids.OrderByDescending(x => x.Value).Take(CandidateLimit).Select(x => x.Key).Where(id => id != probe.ExcludeId).ToList();
        if (top.Count == 0) return [];
        // A join, not a subquery per row: a projected First() over Accounts becomes a window over the whole table.
        var rows = await (from c in db.Contacts.AsNoTracking().Where(c => top.Contains(c.Id))
                          join a in db.Accounts on c.AccountId equals a.Id
                          select new
                          {
                              c.Id, c.AccountId, c.Name, c.Address, c.PostalCode, c.Birthday, Account = new { a.Name, a.OwnerId },
                              Phones = c.Phones.Select(p => p.E164).ToList(), Emails = c.Emails.Select(e => e.Address).ToList(),
                          }).ToListAsync(ct);
        var me = new PreparedContact(new ContactRecord { Id = 0, Name = probe.Name, PhonesE164 = phones, Emails = emails, Address = probe.Address, Postcode = probe.PostalCode, Birthday = probe.Birthday, AccountId = probe.AccountId });
        var hits = rows.Select(r => (r, m: scorer.Score(me, new PreparedContact(new ContactRecord
            {
                Id = r.Id, Name = r.Name, PhonesE164 = r.Phones, Emails = r.Emails, Address = r.Address, Postcode = r.PostalCode, Birthday = r.Birthday, AccountId = r.AccountId,
            }))))
            .Where(x => scorer.IsLikelyDuplicate(x.m) || x.m.Reasons.Any(IsExact))
            .OrderByDescending(x => x.m.Score).Take(options.Value.PanelSize).ToList();
        var (work, deals) = await WorkAsync(withWork ? hits.Select(h => h.r.AccountId).Distinct().ToList() : [], ct);
        var people = hits.Count > 0 ? await staff.StaffAsync() : [];
        return hits.Select(h => new DuplicateCandidate(RecordKind.Contact, h.r.Id, h.r.AccountId, h.r.Name, h.r.Account.Name, h.m.Score, h.m.Reasons,
            h.m.Reasons.Any(IsExact), people.FirstOrDefault(p => p.Id == h.r.Account.OwnerId)?.Name, work?.GetValueOrDefault(h.r.AccountId) ?? [],
            deals?.GetValueOrDefault(h.r.AccountId))).ToList();
    }

    /// <summary>
    /// Who works the candidates' customers and their open deals: two reads, each in its own unit of work, sent together (on
    /// PostgreSQL each is a round trip, and the panel waits for the later one, not for both one after the other).
    /// </summary>
    private async Task<(IReadOnlyDictionary<int, IReadOnlyList<TeamWork>>? Work, IReadOnlyDictionary<int, OpenDeal>? Deals)> WorkAsync(List<int> accountIds, CancellationToken ct)
    {
        if (accountIds.Count == 0) return (null, null);
        var work = timeline.WhoWorksAsync(accountIds, ct);
        var deals = ads.OpenDealsAsync(accountIds, ct);
        return (await work, await deals);
    }

    /// <summary>One is a branch of the other: to be linked as a branch, never merged, so saving does not ask for a reason.</summary>
    public static bool IsBranch(MatchReason r) => r.Code == MatchReasonCodes.BranchOf;

    /// <summary>Same phone or e-mail: saving such a record asks for confirmation.</summary>
    public static bool IsExact(MatchReason r) => r.Code is MatchReasonCodes.SamePhone or MatchReasonCodes.SameEmail;

    /// <summary>
    /// Counts, per record, how many of the name's character bigrams it shares (each bigram capped, so a common one like 酒业 cannot flood);
    /// one prepared statement, all indexed.
    /// </summary>
    private static async Task GramHitsAsync(CrmDbContext db, int kind, string text, Dictionary<int, int> hits, CancellationToken ct)
    {
        var grams = new List<string>();
        var t = text.ToLower(CultureInfo.InvariantCulture);
        for (var i = 0; i + 1 < t.Length && grams.Count < 10; i++)
        {
            var g = t.Substring(i, 2);
            if (!char.IsWhiteSpace(g[0]) && !char.IsWhiteSpace(g[1]) && !grams.Contains(g)) grams.Add(g);
        }
        if (grams.Count == 0) return;
        // Grams are stored as typed: each one is looked up in its traditional/simplified spellings (泸州 finds 瀘州).
        await SearchIndex.GramHitsAsync(db, kind, grams.Select(g => (IReadOnlyList<string>)ChineseScript.Spellings(g, 6)).ToList(), GramLimit, hits, ct);
    }
}
