using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Search;

/// <summary>A customer found by global search, with a line of context.</summary>
public record CustomerHit(int Id, string Name, string? ShortName, string? Province, string? City, AccountTier Tier, AccountStatus Status,
    string? OwnerId, bool IntendsToSubscribe, bool IntendsToExhibit, bool IntendsToAdvertise, string? MatchedOn);

/// <summary>A contact found by global search, with its company.</summary>
public record ContactHit(int Id, string Name, string? Title, int AccountId, string AccountName, string? Phone, string? MatchedOn);

/// <summary>Results grouped as the search box shows them.</summary>
public record SearchResults(IReadOnlyList<CustomerHit> Customers, IReadOnlyList<ContactHit> Contacts)
{
    /// <summary>How many customers match in all (the list shows the first few); null when only those were counted.</summary>
    public int? CustomerTotal { get; init; }
    /// <summary>The customers found by name: the full list can be opened on the customer list filtered by the same text.</summary>
    public bool ByName { get; init; }
    /// <summary>More customers may match than were counted: the total is shown as "200+".</summary>
    public bool TotalIsAtLeast { get; init; }

    public static readonly SearchResults Empty = new([], []);
    public bool IsEmpty => Customers.Count == 0 && Contacts.Count == 0;
}

/// <summary>Global search (Ctrl+K): customers and contacts by part of a name, a phone in any format, or an email.</summary>
public class SearchService(IDbContextFactory<CrmDbContext> dbs)
{
    public async Task<SearchResults> SearchAsync(string? text, int limit = 8, CancellationToken ct = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length == 0) return SearchResults.Empty;
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (PhoneNormalizer.LooksLikePhone(term)) return await ByPhoneAsync(db, term, limit, ct);
        if (term.Contains('@')) return await ByEmailAsync(db, term, limit, ct);
        return await ByNameAsync(db, term, limit, ct);
    }

    private static async Task<SearchResults> ByPhoneAsync(CrmDbContext db, string term, int limit, CancellationToken ct)
    {
        // A complete number matches exactly in E.164; a partial one matches as a prefix of the national number.
        var e164 = PhoneNormalizer.ToE164(term);
        string lo, hi;
        if (e164 is not null) { lo = e164; hi = e164 + "\u0001"; }
        else
        {
            var digits = PhoneNormalizer.Digits(term);
            if (digits.StartsWith("0086")) digits = digits[4..];
            else if (digits.StartsWith("86") && digits.Length > 11) digits = digits[2..];
            if (digits.StartsWith('0')) digits = digits[1..];
            lo = "+86" + digits; hi = lo + "\uffff";
        }
        var accounts = await db.Accounts.Where(a => a.PhoneE164 != null && a.PhoneE164.CompareTo(lo) >= 0 && a.PhoneE164.CompareTo(hi) < 0)
            .OrderBy(a => a.Name).Take(limit).Select(CustomerHitOf("phone")).ToListAsync(ct);
        var contacts = await db.Set<ContactPhone>().Where(p => p.E164.CompareTo(lo) >= 0 && p.E164.CompareTo(hi) < 0)
            .Join(db.Contacts, p => p.ContactId, c => c.Id, (p, c) => new { p, c })
            .Where(x => !x.c.Account!.IsDeleted)
            // In the number's order, as the index reads it: the first `limit` are the same on every run and the read stops there.
            .OrderBy(x => x.p.E164)
            .Take(limit)
            .Select(x => new ContactHit(x.c.Id, x.c.Name, x.c.Title, x.c.AccountId, x.c.Account!.Name, x.p.Number, "phone"))
            .ToListAsync(ct);
        return new SearchResults(accounts, contacts.DistinctBy(c => c.Id).ToList());
    }

    private static async Task<SearchResults> ByEmailAsync(CrmDbContext db, string term, int limit, CancellationToken ct)
    {
        var lo = EmailNormalizer.Normalize(term);
        var hi = lo + "\uffff";
        var contacts = await db.Set<ContactEmail>().Where(e => e.Address.CompareTo(lo) >= 0 && e.Address.CompareTo(hi) < 0)
            .Join(db.Contacts, e => e.ContactId, c => c.Id, (e, c) => new { e, c })
            .Where(x => !x.c.Account!.IsDeleted)
            .OrderBy(x => x.e.Address)
            .Take(limit)
            .Select(x => new ContactHit(x.c.Id, x.c.Name, x.c.Title, x.c.AccountId, x.c.Account!.Name,
                x.c.Phones.Select(p => p.Number).FirstOrDefault(), "email"))
            .ToListAsync(ct);
        return new SearchResults([], contacts.DistinctBy(c => c.Id).ToList());
    }

    /// <summary>How many candidates the name index gives per kind (and so the most the search box counts).</summary>
    private const int Candidates = 200;

    private static async Task<SearchResults> ByNameAsync(CrmDbContext db, string term, int limit, CancellationToken ct)
    {
        // Candidates come from the name index (no table scan); the shortest names are the likeliest hits.
        var accountIds = await SearchIndex.AccountIdsAsync(db, term, Candidates, ct);
        var contactIds = await SearchIndex.ContactIdsAsync(db, term, Candidates, ct);
        var accounts = await db.Accounts.Where(a => accountIds.Contains(a.Id))
            .OrderBy(a => a.Name.Length).ThenBy(a => a.Name).Take(limit).Select(CustomerHitOf("name")).ToListAsync(ct);
        // Counted among the candidates already read (the customer list filters by name the same way): exact up to the
        // candidate limit, "200+" beyond it. A second, unlimited read cost p95 ~90 ms for common words (酒业) on 200k customers.
        var total = accounts.Count;
        if (total == limit) total = await db.Accounts.CountAsync(a => accountIds.Contains(a.Id), ct);
        var contacts = await db.Contacts.Where(c => contactIds.Contains(c.Id) && !c.Account!.IsDeleted)
            .OrderBy(c => c.Name.Length).ThenBy(c => c.Name).Take(limit)
            .Select(c => new ContactHit(c.Id, c.Name, c.Title, c.AccountId, c.Account!.Name, c.Phones.Select(p => p.Number).FirstOrDefault(), "name"))
            .ToListAsync(ct);
        return new SearchResults(accounts, contacts) { CustomerTotal = total, TotalIsAtLeast = accountIds.Count >= Candidates, ByName = true };
    }

    private static System.Linq.Expressions.Expression<Func<Account, CustomerHit>> CustomerHitOf(string matchedOn) =>
        a => new CustomerHit(a.Id, a.Name, a.ShortName, a.Province, a.City, a.Tier, a.Status, a.OwnerId,
            a.IntendsToSubscribe, a.IntendsToExhibit, a.IntendsToAdvertise, matchedOn);
}

public static class SearchSetup
{
    public static IServiceCollection AddSearch(this IServiceCollection services) => services.AddScoped<SearchService>();
}
