using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams;

/// <summary>
/// The work log (日报/周报): every activity across customers by person or team for a day or a week, with counts by kind and
/// customers touched, and each person's daily summary with the manager's comment. Members read their own log; managers
/// read anyone's and comment.
/// </summary>
public class WorkLogService(IDbContextFactory<CrmDbContext> dbs, IWorkspaceEvents events, StaffDirectory staff, IStringLocalizer<TeamsText> L,
    CrmWorkspace.Features.Security.AuditTrail audit)
{
    public const int MaxSummary = 2000;
    public const int MaxComment = 1000;
    /// <summary>Entries listed on the page and in the PDF; counts always cover the whole window.</summary>
    public const int MaxEntries = 5000;
    /// <summary>The scope events of this feature are published on.</summary>
    public const string Scope = "worklog";

    /// <summary>The local midnight starting this day, as the UTC instant activities are compared with.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    /// <summary>Who may read this log: a person their own, managers anyone's and any team's.</summary>
    public string? Refusal(WorkLogQuery q, StaffIdentity viewer) =>
        viewer.May(Permission.ReadTeamWorkLog) || (q.PersonId == viewer.Id && q.TeamId is null) ? null
            : L["Only managers read other people's or a whole team's work log; you can read your own."].Value;

    /// <summary>As <see cref="Refusal"/>, and a refusal is written to the audit trail.</summary>
    public async Task<string?> RefusedAsync(WorkLogQuery q, StaffIdentity viewer)
    {
        if (Refusal(q, viewer) is not { } refused) return null;
        await audit.AllowedAsync(viewer, Permission.ReadTeamWorkLog, q.TeamId is { } t ? $"team #{t} work log" : $"work log of {q.PersonId ?? "everyone"}");
        return refused;
    }

    public async Task<WorkLogRead> ReadAsync(WorkLogQuery q, StaffIdentity viewer, CancellationToken ct = default)
    {
        if (await RefusedAsync(q, viewer) is { } refused) return new WorkLogRead(null, refused);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var (from, to) = (StartOf(q.Start), StartOf(q.End));
        // Deleted entries are left out explicitly: the listing's account-name lookup ignores query filters, which EF applies to the whole query.
        var rows = db.Activities.AsNoTracking().Where(a => !a.IsDeleted && a.Kind != ActivityKind.System && a.OccurredAt >= from && a.OccurredAt < to);
        if (q.PersonId is { } pid) rows = rows.Where(a => a.AuthorId == pid);
        if (q.TeamId is { } tid) rows = rows.Where(a => a.TeamId == tid);

        // The listing stops at MaxEntries; the figures count every row of the window: from the listing when it holds them all (one
        // read of the window), else in a second read of three small columns.
        var entries = await rows.OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Take(MaxEntries + 1)
            .Select(a => new WorkLogEntry(a.Id, a.AccountId, db.Accounts.IgnoreQueryFilters().Where(x => x.Id == a.AccountId).Select(x => x.Name).First(),
                a.AuthorId, a.TeamId, a.Kind, a.Subject, a.Outcome, a.OccurredAt, a.FollowUpOn, a.Data))
            .ToListAsync(ct);
        var truncated = entries.Count > MaxEntries;
        if (truncated) entries.RemoveAt(MaxEntries);
        var facts = truncated
            ? await rows.Select(a => new Fact(a.AuthorId, a.Kind, a.AccountId)).ToListAsync(ct)
            : entries.Select(e => new Fact(e.AuthorId, e.Kind, e.AccountId)).ToList();

        var everyone = await staff.StaffAsync();
        // Everyone the log is about is listed, also those who logged nothing: a manager sees who has not started.
        var shown = everyone.Where(s => q.PersonId is { } p ? s.Id == p : q.TeamId is { } t ? s.TeamId == t : s.TeamId != null).Select(s => s.Id)
            .Union(facts.Where(f => f.AuthorId != null).Select(f => f.AuthorId!)).ToList();
        var people = shown.Select(id =>
        {
            var mine = facts.Where(f => f.AuthorId == id).ToList();
            var who = everyone.FirstOrDefault(s => s.Id == id);
            return new WorkLogPerson(id, who?.Name ?? id, who?.TeamId, mine.Count, mine.Select(f => f.AccountId).Distinct().Count(),
                mine.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count()));
        }).OrderByDescending(p => p.Activities).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();

        var sums = db.DailySummaries.AsNoTracking().Where(s => s.Day >= q.Start && s.Day < q.End);
        if (q.PersonId is { } sp) sums = sums.Where(s => s.AuthorId == sp);
        if (q.TeamId is { } st) sums = sums.Where(s => s.TeamId == st);
        var summaries = (await sums.OrderBy(s => s.Day).ThenBy(s => s.AuthorId).ToListAsync(ct)).Select(s => View(s, everyone)).ToList();

        return new WorkLogRead(new WorkLog(q with { From = q.Start }, facts.Count, facts.Select(f => f.AccountId).Distinct().Count(),
            facts.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count()), people, entries, truncated, summaries), null);
    }

    /// <summary>What the figures count of one entry.</summary>
    private readonly record struct Fact(string? AuthorId, ActivityKind Kind, int AccountId);

    public Dictionary<string, string> ValidateSummary(DateOnly day, string? text)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(text)) errors["Text"] = L["Write a line or two about your day."];
        else if (text.Trim().Length > MaxSummary) errors["Text"] = L["The summary is too long ({0} characters at most).", MaxSummary];
        if (day > Today) errors["Day"] = L["A day that has not come yet cannot be summed up."];
        return errors;
    }

    /// <summary>Writes (or rewrites) the actor's own summary of a day; a version from another window is never overwritten.</summary>
    public async Task<SummaryResult> WriteSummaryAsync(DateOnly day, string? text, Guid? expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        var errors = ValidateSummary(day, text);
        if (errors.Count > 0) return new SummaryResult(false, Errors: errors);
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var summary = await db.DailySummaries.FirstOrDefaultAsync(s => s.AuthorId == actor.Id && s.Day == day, ct);
        if (summary is null)
        {
            summary = new DailySummary { AuthorId = actor.Id, TeamId = actor.TeamId, Day = day };
            db.DailySummaries.Add(summary);
        }
        else if (summary.Version != expectedVersion)
            return new SummaryResult(false, Error: L["Your summary of this day was changed in another window; it is reloaded, nothing was overwritten."], Conflict: true);
        summary.Text = text!.Trim();
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            return new SummaryResult(false, Error: L["Your summary of this day was changed in another window; it is reloaded, nothing was overwritten."], Conflict: true);
        }
        Publish(EventKind.SummaryWritten, summary, actor);
        return new SummaryResult(true, Summary: View(summary, await staff.StaffAsync()));
    }

    /// <summary>A manager's comment on someone's summary (replaces the previous comment, if the version still matches).</summary>
    public async Task<SummaryResult> CommentAsync(long summaryId, string? comment, Guid expectedVersion, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.CommentWorkLog, $"daily summary #{summaryId}")) return new SummaryResult(false, Error: L["Only managers comment on daily summaries."]);
        if (string.IsNullOrWhiteSpace(comment)) return new SummaryResult(false, Errors: new Dictionary<string, string> { ["Comment"] = L["Write a comment first."] });
        if (comment.Trim().Length > MaxComment)
            return new SummaryResult(false, Errors: new Dictionary<string, string> { ["Comment"] = L["The comment is too long ({0} characters at most).", MaxComment] });
        await using var db = await dbs.BeginAsync(actor.Id, ct);
        var summary = await db.DailySummaries.FirstOrDefaultAsync(s => s.Id == summaryId, ct);
        if (summary is null) return new SummaryResult(false, Error: L["This summary no longer exists."]);
        if (summary.Version != expectedVersion)
            return new SummaryResult(false, Error: L["The summary changed since you opened it; read it again before commenting."], Conflict: true, Summary: View(summary, await staff.StaffAsync()));
        summary.Comment = comment.Trim();
        summary.CommentedBy = actor.Id;
        summary.CommentedAt = DateTimeOffset.UtcNow;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            return new SummaryResult(false, Error: L["The summary changed since you opened it; read it again before commenting."], Conflict: true);
        }
        Publish(EventKind.SummaryCommented, summary, actor);
        return new SummaryResult(true, Summary: View(summary, await staff.StaffAsync()));
    }

    // On the author's team and to the author, so the team's log and the author's own page both hear it.
    private void Publish(EventKind kind, DailySummary s, StaffIdentity actor) =>
        events.Publish(new WorkspaceEvent(kind, 0, actor.Id, actor.Name, s.TeamId, DateTimeOffset.UtcNow, s.Text.Length > 80 ? s.Text[..80] : s.Text,
            s.Id, Scope: Scope, AssigneeId: s.AuthorId));

    private static SummaryView View(DailySummary s, IReadOnlyList<StaffMember> people) =>
        new(s.Id, s.AuthorId, people.FirstOrDefault(p => p.Id == s.AuthorId)?.Name ?? s.AuthorId, s.Day, s.Text, s.Comment, s.CommentedBy,
            s.CommentedBy is null ? null : people.FirstOrDefault(p => p.Id == s.CommentedBy)?.Name, s.CommentedAt, s.UpdatedAt, s.Version);
}
