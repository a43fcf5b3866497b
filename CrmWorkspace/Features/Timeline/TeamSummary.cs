using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Timeline;

/// <summary>
/// The one rule for "who works this customer": per customer and team, the latest touch and the open follow-ups. Every writer
/// (timeline, merge and undo, import, demo data) keeps it through here, inside its own transaction.
/// </summary>
public static class TeamSummary
{
    /// <summary>A new entry usually is the team's latest touch: update the summary in place instead of recomputing it.</summary>
    public static async Task TouchNewAsync(CrmDbContext db, Activity a, CancellationToken ct)
    {
        if (a.TeamId is not { } team) return;
        var touch = await db.TeamTouches.FindAsync([a.AccountId, team], ct);
        if (touch is null || touch.LastAt is not { } lastAt || a.OccurredAt < lastAt)
        {
            await TouchAsync(db, a.AccountId, team, ct);
            return;
        }
        touch.LastActivityId = a.Id;
        touch.LastAt = a.OccurredAt;
        touch.LastAuthorId = a.AuthorId;
        touch.LastSubject = a.Subject;
        touch.LastKind = a.Kind;
        if (a.FollowUpOn is not null && a.FollowUpDoneAt is null) touch.OpenFollowUps++;
    }

    /// <summary>Recomputes one team's summary for a customer from its activities (inside the writer's transaction).</summary>
    public static async Task TouchAsync(CrmDbContext db, int accountId, int? teamId, CancellationToken ct)
    {
        if (teamId is not { } team) return;
        var last = await db.Activities.Where(a => a.AccountId == accountId && a.TeamId == team && a.Kind != ActivityKind.System)
            .OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Select(a => new { a.Id, a.OccurredAt, a.AuthorId, a.Subject, a.Kind }).FirstOrDefaultAsync(ct);
        var open = await db.Activities.CountAsync(a => a.AccountId == accountId && a.TeamId == team && a.FollowUpOn != null && a.FollowUpDoneAt == null, ct);
        var touch = await db.TeamTouches.FindAsync([accountId, team], ct);
        if (touch is null) db.TeamTouches.Add(touch = new TeamTouch { AccountId = accountId, TeamId = team });
        touch.LastActivityId = last?.Id;
        touch.LastAt = last?.OccurredAt;
        touch.LastAuthorId = last?.AuthorId;
        touch.LastSubject = last?.Subject;
        touch.LastKind = last?.Kind;
        touch.OpenFollowUps = open;
    }


    /// <summary>Rebuilds every team's summary of a customer from its activities (after a merge or an undo moved them).</summary>
    public static async Task RebuildAsync(CrmDbContext db, int accountId, CancellationToken ct)
    {
        await db.TeamTouches.Where(t => t.AccountId == accountId).ExecuteDeleteAsync(ct);
        foreach (var e in db.ChangeTracker.Entries<TeamTouch>().Where(e => e.Entity.AccountId == accountId).ToList()) e.State = EntityState.Detached;
        var teams = await db.Activities.Where(a => a.AccountId == accountId && a.TeamId != null).Select(a => a.TeamId).Distinct().ToListAsync(ct);
        foreach (var team in teams) await TouchAsync(db, accountId, team, ct);
    }
}
