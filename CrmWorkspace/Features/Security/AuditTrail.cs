using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace CrmWorkspace.Features.Security;

/// <summary>A line to write to the audit trail.</summary>
public record AuditNote(AuditKind Kind, string? Subject = null, string? Detail = null, int? Rows = null, string? Address = null);

/// <summary>Search of the audit trail (all optional).</summary>
public record AuditQuery(string? Person = null, AuditKind? Kind = null, DateOnly? From = null, DateOnly? To = null, int Page = 0, int PageSize = 50);

public record AuditPage(IReadOnlyList<AuditEntry> Rows, int Total);

/// <summary>
/// The one write path of the audit trail: in the caller's unit of work (<see cref="Add"/>) or a unit of its own
/// (<see cref="WriteAsync"/>). Nothing updates or deletes an entry; the search is for administrators only.
/// </summary>
public class AuditTrail(IDbContextFactory<CrmDbContext> dbs, IHttpContextAccessor http, ILogger<AuditTrail> log)
{
    /// <summary>Adds the entry to the caller's unit of work: saved (or rolled back) with the caller's change.</summary>
    public void Add(CrmDbContext db, StaffIdentity actor, AuditNote note) =>
        db.AuditEntries.Add(Entry(actor.IsSystem ? null : actor.Id, actor.Name, note));

    /// <summary>Writes the entry on its own.</summary>
    public Task WriteAsync(StaffIdentity actor, AuditNote note) => WriteAsync(actor.IsSystem ? null : actor.Id, actor.Name, note);

    /// <summary>Writes the entry on its own, for someone who may not be signed in (a failed sign-in).</summary>
    public async Task WriteAsync(string? actorId, string actorName, AuditNote note)
    {
        try
        {
            await using var db = await dbs.BeginAsync(actorId ?? Actors.SystemId);
            db.AuditEntries.Add(Entry(actorId, actorName, note));
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            // The trail must not hide the action's own result; a lost line is logged loudly.
            log.LogError(e, "Audit entry {Kind} by {Actor} could not be written", note.Kind, actorName);
        }
    }

    /// <summary>Records a refused action (and returns false, so a guard reads <c>if (!await audit.AllowedAsync(...))</c>).</summary>
    public async Task<bool> AllowedAsync(StaffIdentity actor, Permission what, string? subject = null)
    {
        if (actor.May(what)) return true;
        await WriteAsync(actor, new AuditNote(AuditKind.PermissionRefused, subject, $"{what} ({actor.Role})"));
        return false;
    }

    /// <summary>As <see cref="AllowedAsync"/> for callers that cannot wait (the refusal is written in the background).</summary>
    public bool Allowed(StaffIdentity actor, Permission what, string? subject = null)
    {
        if (actor.May(what)) return true;
        _ = WriteAsync(actor, new AuditNote(AuditKind.PermissionRefused, subject, $"{what} ({actor.Role})"));
        return false;
    }

    private AuditEntry Entry(string? actorId, string actorName, AuditNote note) => new()
    {
        At = DateTimeOffset.UtcNow, Kind = note.Kind, ActorId = actorId, ActorName = Clip(actorName, 256) ?? "",
        Subject = Clip(note.Subject, 512), Detail = Clip(note.Detail, 2000), Rows = note.Rows,
        Address = Clip(note.Address ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString(), 64),
    };

    private static string? Clip(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    /// <summary>Administrators' search: newest first, one page at a time.</summary>
    public async Task<AuditPage?> SearchAsync(AuditQuery q, StaffIdentity by)
    {
        if (!await AllowedAsync(by, Permission.ReadAudit, "audit trail")) return null;
        await using var db = await dbs.CreateDbContextAsync();
        IQueryable<AuditEntry> rows = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Person))
        {
            var p = q.Person.Trim();
            var ids = await db.Users.Where(u => u.DisplayName.Contains(p) || u.Email!.Contains(p)).Select(u => u.Id).ToListAsync();
            rows = rows.Where(e => (e.ActorId != null && ids.Contains(e.ActorId)) || e.ActorName.Contains(p) || (e.Subject != null && e.Subject.Contains(p)));
        }
        if (q.Kind is { } k) rows = rows.Where(e => e.Kind == k);
        if (q.From is { } from)
        {
            var f = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeZoneInfo.Local.GetUtcOffset(from.ToDateTime(TimeOnly.MinValue)));
            f = f.ToUniversalTime();
            rows = rows.Where(e => e.At >= f);
        }
        if (q.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue);
            var t = new DateTimeOffset(end, TimeZoneInfo.Local.GetUtcOffset(end));
            t = t.ToUniversalTime();
            rows = rows.Where(e => e.At < t);
        }
        var total = await rows.CountAsync();
        var size = Math.Clamp(q.PageSize, 1, 200);
        var page = await rows.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(Math.Max(0, q.Page) * size).Take(size).ToListAsync();
        return new AuditPage(page, total);
    }
}
