using System.Text.Json;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Features.Timeline;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

using static CrmWorkspace.Features.Subscriptions.Circulation;

namespace CrmWorkspace.Features.Subscriptions;

/// <summary>Periodicals and their issues: the titles circulation sells and the issues it dispatches.</summary>
public class PeriodicalService(IDbContextFactory<CrmDbContext> dbs, SubscriptionEvents events, IStringLocalizer<SubscriptionsText> L)
{

    public async Task<IReadOnlyList<PeriodicalRow>> PeriodicalsAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var today = Today;
        return await db.Periodicals.AsNoTracking().OrderBy(p => p.Title).Select(p => new PeriodicalRow(p.Id, p.Title, p.Code, p.Frequency, p.IssuesPerYear,
            p.AnnualPrice, p.SpecialIssues,
            db.Subscriptions.Count(s => s.PeriodicalId == p.Id && s.CancelledAt == null && s.StartsOn <= today && s.EndsOn >= today),
            db.PeriodicalIssues.Count(i => i.PeriodicalId == p.Id))).ToListAsync(ct);
    }

    public async Task<string?> PeriodicalTitleAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Periodicals.Where(p => p.Id == id).Select(p => p.Title).FirstOrDefaultAsync(ct);
    }

    public async Task<SubscriptionResult> CreatePeriodicalAsync(Periodical p, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        p.Title = p.Title?.Trim() ?? "";
        p.Code = p.Code?.Trim().ToUpperInvariant() ?? "";
        if (p.Title.Length == 0) errors[nameof(p.Title)] = L["Title is required."];
        if (p.Code.Length is 0 or > 20) errors[nameof(p.Code)] = L["Give a short code of 1 to 20 characters."];
        if (p.IssuesPerYear is < 1 or > 60) errors[nameof(p.IssuesPerYear)] = L["Issues per year must be between 1 and 60."];
        if (p.AnnualPrice < 0) errors[nameof(p.AnnualPrice)] = L["The price cannot be negative."];
        if (errors.Count > 0) return new SubscriptionResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (await db.Periodicals.IgnoreQueryFilters().AnyAsync(x => x.Code == p.Code, ct))
            return new SubscriptionResult(false, Errors: new Dictionary<string, string> { [nameof(p.Code)] = L["Another periodical already uses the code {0}.", p.Code] });
        db.Periodicals.Add(p);
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.PeriodicalChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, p.Title, p.Id, Scope: SubscriptionService.Scope));
        return new SubscriptionResult(true, p.Id);
    }

    public async Task<IReadOnlyList<PeriodicalIssue>> IssuesAsync(int periodicalId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.PeriodicalIssues.AsNoTracking().Where(i => i.PeriodicalId == periodicalId).OrderByDescending(i => i.PublishedOn).ToListAsync(ct);
    }

    /// <summary>Plans a year's regular issues from the periodical's frequency; existing numbers are kept.</summary>
    public async Task<SubscriptionResult> PlanYearAsync(int periodicalId, int year, StaffIdentity actor, CancellationToken ct = default)
    {
        if (year is < 2000 or > 2100) return new SubscriptionResult(false, Error: L["Choose a year between 2000 and 2100."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var p = await db.Periodicals.FirstOrDefaultAsync(x => x.Id == periodicalId, ct);
        if (p is null) return new SubscriptionResult(false, Error: L["This periodical no longer exists."]);
        var existing = (await db.PeriodicalIssues.Where(i => i.PeriodicalId == periodicalId).Select(i => i.Number).ToListAsync(ct)).ToHashSet();
        var added = 0;
        foreach (var (number, date) in Schedule(p, year))
        {
            if (!existing.Add(number)) continue;
            db.PeriodicalIssues.Add(new PeriodicalIssue { PeriodicalId = periodicalId, Number = number, PublishedOn = date });
            added++;
        }
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.IssueChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, $"{p.Title} {year}", periodicalId, Scope: SubscriptionService.Scope));
        return new SubscriptionResult(true, Count: added);
    }

    public async Task<SubscriptionResult> AddIssueAsync(int periodicalId, string number, DateOnly publishedOn, bool special, StaffIdentity actor, CancellationToken ct = default)
    {
        number = number?.Trim() ?? "";
        if (number.Length is 0 or > 30) return new SubscriptionResult(false, Error: L["Give the issue number as printed (at most 30 characters)."]);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        if (await db.PeriodicalIssues.AnyAsync(i => i.PeriodicalId == periodicalId && i.Number == number, ct))
            return new SubscriptionResult(false, Error: L["Issue {0} already exists.", number]);
        var issue = new PeriodicalIssue { PeriodicalId = periodicalId, Number = number, PublishedOn = publishedOn, IsSpecial = special };
        db.PeriodicalIssues.Add(issue);
        await db.SaveChangesAsync(ct);
        events.Publish(new WorkspaceEvent(EventKind.IssueChanged, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, number, periodicalId, Scope: SubscriptionService.Scope));
        return new SubscriptionResult(true, issue.Id);
    }

    /// <summary>Issue numbers and dates of a year, spread evenly by frequency ("2026-01", "2026-02"...).</summary>
    public static IEnumerable<(string Number, DateOnly Date)> Schedule(Periodical p, int year)
    {
        var n = Math.Clamp(p.IssuesPerYear, 1, 60);
        var start = new DateOnly(year, 1, 1);
        var days = DateOnly.FromDateTime(new DateTime(year, 12, 31)).DayNumber - start.DayNumber + 1;
        for (var i = 0; i < n; i++)
            yield return ($"{year}-{i + 1:00}", start.AddDays(i * days / n + Math.Min(9, days / n / 2)));
    }
}
