using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Teams;

/// <summary>
/// Targets per team and person for a month or quarter. Managers set them as a grid: every edited cell carries the version it was
/// read at, and a save is all or nothing, so one manager never overwrites another's figure without seeing it.
/// </summary>
public class TargetService(IDbContextFactory<CrmDbContext> dbs, StaffDirectory staff, IWorkspaceEvents events, IStringLocalizer<TargetsText> L,
    Security.AuditTrail audit)
{
    /// <summary>Cells one save may change: the whole grid of a large department, and no runaway paste.</summary>
    public const int MaxChanges = 1000;

    /// <summary>Teams, each followed by its people; people without a team last.</summary>
    public async Task<TargetGrid> GridAsync(PeriodKey period, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var stored = await db.SalesTargets.AsNoTracking().Where(t => t.Period == period.Period && t.Starts == period.Starts).ToListAsync(ct);
        var people = await staff.StaffAsync();
        var names = people.ToDictionary(s => s.Id, s => s.Name);
        var cells = stored.GroupBy(t => t.Holder).ToDictionary(g => g.Key, g => g.ToDictionary(t => t.Measure,
            t => new TargetCell(t.Amount, t.Version, t.UpdatedBy is { } u ? names.GetValueOrDefault(u, u) : null, t.UpdatedAt)));
        TargetRow Row(string holder, string name, int? team, bool isTeam) =>
            new(holder, name, team, isTeam, Measures.All.ToDictionary(m => m, m => cells.GetValueOrDefault(holder)?.GetValueOrDefault(m) ?? new TargetCell(null, null, null, null)));
        var rows = new List<TargetRow>();
        foreach (var t in await staff.TeamsAsync())
        {
            rows.Add(Row(SalesTarget.TeamKey(t.Id), Localization.LocalizationSetup.IsChinese ? t.NameZh : t.Name, t.Id, true));
            rows.AddRange(people.Where(p => p.TeamId == t.Id).Select(p => Row(SalesTarget.PersonKey(p.Id), p.Name, t.Id, false)));
        }
        return new TargetGrid(period, rows);
    }

    /// <summary>The rules of one cell, used live by the grid and as the final check here.</summary>
    public string? Validate(TargetMeasure m, decimal? amount)
    {
        if (amount is null) return null;
        if (amount < 0) return L["A target cannot be below zero."];
        if (amount > m.Max()) return L["At most {0} for this measure.", m.Format(m.Max())];
        if (!m.IsMoney() && amount != decimal.Truncate(amount.Value)) return L["A whole number: this measure counts things."];
        if (m.IsMoney() && amount != Math.Round(amount.Value, 2)) return L["At most two decimals."];
        return null;
    }

    /// <summary>Saves a manager's edits of one period, all or none; cells someone else changed since they were read are reported, not overwritten.</summary>
    public async Task<TargetSaveResult> SaveAsync(PeriodKey period, IReadOnlyList<TargetChange> changes, StaffIdentity actor, CancellationToken ct = default)
    {
        if (!await audit.AllowedAsync(actor, Permission.SetTargets, $"targets {period.Code}"))
            return new TargetSaveResult(false, Error: L["Only managers set targets."]);
        if (changes.Count == 0) return new TargetSaveResult(true);
        if (changes.Count > MaxChanges) return new TargetSaveResult(false, Error: L["At most {0:N0} cells in one save; save in parts.", MaxChanges]);
        var errors = new Dictionary<string, string>();
        var people = await staff.StaffAsync();
        var teams = await staff.TeamsAsync();
        foreach (var c in changes)
        {
            if (Validate(c.Measure, c.Amount) is { } bad) errors[TargetSaveResult.CellKey(c.Holder, c.Measure)] = bad;
            else if (Holder(c.Holder, people, teams) is null) errors[TargetSaveResult.CellKey(c.Holder, c.Measure)] = L["No such person or team."];
        }
        if (changes.GroupBy(c => (c.Holder, c.Measure)).Any(g => g.Count() > 1)) return new TargetSaveResult(false, Error: L["A cell was given twice in one save."]);
        if (errors.Count > 0) return new TargetSaveResult(false, Errors: errors);

        await using var db = await dbs.BeginAsync(actor.Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var holders = changes.Select(c => c.Holder).Distinct().ToList();
        var current = await db.SalesTargets.Where(t => t.Period == period.Period && t.Starts == period.Starts && holders.Contains(t.Holder)).ToListAsync(ct);
        var conflicts = new List<TargetConflict>();
        var saved = 0;
        foreach (var c in changes)
        {
            var row = current.FirstOrDefault(t => t.Holder == c.Holder && t.Measure == c.Measure);
            if (row?.Version != c.ExpectedVersion)
            {
                conflicts.Add(new TargetConflict(c.Holder, c.Measure, row?.Amount, row?.UpdatedBy is { } u ? people.FirstOrDefault(p => p.Id == u)?.Name ?? u : null));
                continue;
            }
            if (row is null && c.Amount is null) continue;
            if (row is not null && row.Amount == c.Amount) continue;
            saved++;
            if (c.Amount is null) db.SalesTargets.Remove(row!);
            else if (row is not null) row.Amount = c.Amount.Value;
            else
            {
                var (personId, teamId) = Holder(c.Holder, people, teams)!.Value;
                db.SalesTargets.Add(new SalesTarget
                {
                    Holder = c.Holder, PersonId = personId, TeamId = teamId, Measure = c.Measure, Period = period.Period, Starts = period.Starts, Amount = c.Amount.Value,
                });
            }
        }
        if (conflicts.Count > 0) return Conflicted(conflicts);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another manager saved the same new cell between our read and write (the unique index said so).
            return Conflicted([]);
        }
        if (saved > 0)
            events.Publish(new WorkspaceEvent(EventKind.TargetsSet, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow,
                L["{0} targets of {1} saved", saved, period.Code], Scope: Scope));
        return new TargetSaveResult(true, saved);
    }

    private TargetSaveResult Conflicted(IReadOnlyList<TargetConflict> conflicts) => new(false,
        Error: L["Someone else changed targets you edited since you opened them: nothing was saved. Their figures are shown; your other edits are kept."],
        Conflicts: conflicts);

    /// <summary>The scope target changes are published on.</summary>
    public const string Scope = ResultsService.Scope;

    private static (string? PersonId, int? TeamId)? Holder(string holder, IReadOnlyList<StaffMember> people, IReadOnlyList<Team> teams)
    {
        if (holder.StartsWith("person:", StringComparison.Ordinal) && people.Any(p => p.Id == holder[7..])) return (holder[7..], null);
        if (holder.StartsWith("team:", StringComparison.Ordinal) && int.TryParse(holder[5..], out var t) && teams.Any(x => x.Id == t)) return (null, t);
        return null;
    }
}
