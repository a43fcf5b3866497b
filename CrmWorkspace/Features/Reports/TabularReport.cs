namespace CrmWorkspace.Features.Reports;

/// <summary>A column of a report table: its header, its share of the table's width, and whether it holds right-aligned figures.</summary>
public sealed record ReportColumn(string Header, double Share, bool Numeric = false);

/// <summary>A subtotal line under a table: a label over the first <see cref="Span"/> columns, then one value per remaining column.</summary>
public sealed record ReportSubtotal(string Label, int Span, IReadOnlyList<string?> Values);

/// <summary>One piece of a report's body, printed in order.</summary>
public abstract record ReportBlock;

/// <summary>A table under its heading; on a new page its heading (continued) and its header row repeat.</summary>
public sealed record ReportTable(string? Heading, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<string?[]> Rows, ReportSubtotal? Subtotal = null) : ReportBlock;

/// <summary>A line of text: the grand total, or the notice that there is nothing to list.</summary>
public sealed record ReportNote(string Text, ReportNoteKind Kind, IReadOnlyDictionary<string, string>? Data = null) : ReportBlock;

public enum ReportNoteKind { Total, Empty }

/// <summary>
/// A tabular report as a company sends it: company and report title, parameters, who generated it and when, then tables with
/// repeated header rows, subtotals and totals, and "Page X of Y" on every page.
/// </summary>
public sealed record TabularReport(
    string Company,
    string Title,
    IReadOnlyList<(string Name, string Value)> Parameters,
    string GeneratedLine,
    IReadOnlyList<ReportBlock> Body,
    string RunningHeader,
    string PageOfFormat,
    string ContinuedFormat,
    bool Landscape = true);
