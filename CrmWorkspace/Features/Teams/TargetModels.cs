using System.Globalization;
using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.Teams;

/// <summary>Marker for the targets and results strings (their own resources, apart from the rest of the team features).</summary>
public class TargetsText;

/// <summary>A calendar month or quarter: the window a target runs over and results are counted in.</summary>
public readonly record struct PeriodKey(TargetPeriod Period, DateOnly Starts)
{
    /// <summary>The month or quarter that holds this day.</summary>
    public static PeriodKey Of(TargetPeriod period, DateOnly day) => period == TargetPeriod.Quarter
        ? new(period, new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1))
        : new(period, new DateOnly(day.Year, day.Month, 1));

    /// <summary>The first day after the period.</summary>
    public DateOnly Ends => Starts.AddMonths((int)Period);

    public PeriodKey Next => new(Period, Ends);
    public PeriodKey Previous => new(Period, Starts.AddMonths(-(int)Period));

    /// <summary>The window as instants: local midnights, as the work log counts days.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Instants => (WorkLogService.StartOf(Starts), WorkLogService.StartOf(Ends));

    /// <summary>"2026-12" or "2026-Q4": in links, file names and the report.</summary>
    public string Code => Period == TargetPeriod.Quarter ? $"{Starts.Year}-Q{(Starts.Month + 2) / 3}" : Starts.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static PeriodKey? Parse(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var parts = code.Trim().Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 2000 or > 2100) return null;
        if (parts[1].StartsWith('Q') && int.TryParse(parts[1][1..], NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q is >= 1 and <= 4)
            return new(TargetPeriod.Quarter, new DateOnly(y, (q - 1) * 3 + 1, 1));
        if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12)
            return new(TargetPeriod.Month, new DateOnly(y, m, 1));
        return null;
    }
}

/// <summary>What a measure is counted in, and its limits (told in the grid and enforced by the service alike).</summary>
public static class Measures
{
    public static readonly TargetMeasure[] All = Enum.GetValues<TargetMeasure>();

    /// <summary>Revenue is money (two decimals); the others count things (whole numbers).</summary>
    public static bool IsMoney(this TargetMeasure m) => m is TargetMeasure.SubscriptionRevenue or TargetMeasure.AdRevenue;

    /// <summary>The largest target a cell takes: a month's or quarter's plan, far above any real one, below any typing slip of a few digits more.</summary>
    public static decimal Max(this TargetMeasure m) => m.IsMoney() ? 100_000_000m : 100_000m;

    /// <summary>How a figure of this measure is written (in the reader's culture).</summary>
    public static string Format(this TargetMeasure m, decimal v, IFormatProvider? culture = null) =>
        v.ToString(m.IsMoney() ? "N2" : "N0", culture ?? CultureInfo.CurrentCulture);
}

/// <summary>One cell of the targets grid as stored: its amount (null: no target) and the version the manager's edit is based on.</summary>
public record TargetCell(decimal? Amount, Guid? Version, string? UpdatedBy, DateTimeOffset? UpdatedAt);

/// <summary>A row of the grid: a team or a person (a team's people follow their team).</summary>
public record TargetRow(string Holder, string Name, int? TeamId, bool IsTeam, IReadOnlyDictionary<TargetMeasure, TargetCell> Cells);

/// <summary>Every team's and person's targets of one period.</summary>
public record TargetGrid(PeriodKey Period, IReadOnlyList<TargetRow> Rows);

/// <summary>A manager's edit of one cell: the new amount (null clears it) and the version it was read at (null: there was none).</summary>
public record TargetChange(string Holder, TargetMeasure Measure, decimal? Amount, Guid? ExpectedVersion);

/// <summary>A cell someone else saved first: what is there now, and who put it there.</summary>
public record TargetConflict(string Holder, TargetMeasure Measure, decimal? Amount, string? ByName);

/// <summary>The outcome of saving the grid: all edits saved, or none (with the cells that changed meanwhile, or what is wrong).</summary>
public record TargetSaveResult(bool Ok, int Saved = 0, string? Error = null, IReadOnlyDictionary<string, string>? Errors = null,
    IReadOnlyList<TargetConflict>? Conflicts = null) : CommandResult(Ok, Error, Errors)
{
    /// <summary>The key of a cell in <see cref="CommandResult.Errors"/>.</summary>
    public static string CellKey(string holder, TargetMeasure m) => $"{holder}|{m}";
}

/// <summary>A target and what was achieved against it.</summary>
public record Figure(decimal? Target, decimal Actual)
{
    /// <summary>Share of the target reached, in percent (null without a target).</summary>
    public decimal? Percent => Target is > 0 ? Math.Round(Actual * 100m / Target.Value, 1) : null;
}

/// <summary>What was sold in the period and how much of it is paid.</summary>
public record Collection(decimal Sold, decimal Collected)
{
    public decimal Outstanding => Sold - Collected;
    public static readonly Collection None = new(0, 0);
    public static Collection operator +(Collection a, Collection b) => new(a.Sold + b.Sold, a.Collected + b.Collected);
}

/// <summary>A line of the board: a person, a team (the sum of its people), a region or the total.</summary>
public record ResultLine(string Key, string Name, int? TeamId, IReadOnlyDictionary<TargetMeasure, Figure> Figures, Collection Subscriptions, Collection Ads)
{
    public Figure this[TargetMeasure m] => Figures.TryGetValue(m, out var f) ? f : new Figure(null, 0);
}

/// <summary>Which lines the board shows.</summary>
public enum BoardView { People = 1, Teams = 2, Regions = 3 }

/// <summary>Target against actual for one period: people, teams, the total, and (for managers) regions; computed from the records when asked.</summary>
public record ResultsBoard(PeriodKey Period, BoardView View, IReadOnlyList<ResultLine> Lines, ResultLine Total, DateTimeOffset ComputedAt, bool OwnOnly);

/// <summary>A read of the board, or why the reader may not see it.</summary>
public record BoardRead(ResultsBoard? Board, string? Error);

/// <summary>What a drill-down opens: the records of one measure (or a collection) behind one line's figure.</summary>
public enum DrillMeasure { SubscriptionRevenue = 1, Renewals = 2, Booths = 3, AdRevenue = 4, NewCustomers = 5, Calls = 6, SubscriptionPayments = 7, AdPayments = 8 }

/// <summary>Whose records: a person, a team, a region (province), or everyone.</summary>
public record DrillQuery(PeriodKey Period, DrillMeasure Measure, string? PersonId = null, int? TeamId = null, string? Region = null);

/// <summary>One record behind a figure: which customer, when, who, what, and how much it counts.</summary>
public record ResultRecord(string Ref, int AccountId, string AccountName, string? Province, string? PersonId, string PersonName, DateTimeOffset When,
    string What, decimal Counts, decimal? Collected);

/// <summary>The records behind a figure (the first <see cref="ResultsService.MaxRecords"/>); Total is what the figure counts, over all of them.</summary>
public record DrillRead(IReadOnlyList<ResultRecord> Records, int Count, decimal Total, bool Truncated, string? Error = null);
