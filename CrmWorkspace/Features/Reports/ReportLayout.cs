using System.Text;

namespace CrmWorkspace.Features.Reports;

/// <summary>A report laid out on A4 sheets: each sheet's blocks, so page numbers and header rows are known before printing.</summary>
public sealed record LaidOutReport(TabularReport Source, IReadOnlyList<IReadOnlyList<SheetBlock>> Sheets);

/// <summary>A piece of one sheet with the height it takes there (px at 96 dpi).</summary>
public abstract record SheetBlock(double Height);

/// <summary>Company, title, and the parameter line(s) of the first sheet.</summary>
public sealed record TitleBlock(double Height, IReadOnlyList<IReadOnlyList<(string Name, string Value)>> MetaLines) : SheetBlock(Height);

public sealed record HeadingBlock(double Height, string Text) : SheetBlock(Height);

/// <summary>The part of a table on one sheet: header row, rows as one text per column (lines broken), maybe the subtotal.</summary>
public sealed record TableSegment(double Height, IReadOnlyList<double> Widths, IReadOnlyList<bool> Numeric, IReadOnlyList<string> Header,
    IReadOnlyList<string> Columns, IReadOnlyList<int> RowLines, SubtotalRow? Subtotal) : SheetBlock(Height);

/// <summary>A subtotal row as cells (the label spanning its columns), each with its broken lines.</summary>
public sealed record SubtotalRow(IReadOnlyList<double> Widths, IReadOnlyList<bool> Numeric, IReadOnlyList<string> Cells, int Lines);

public sealed record NoteBlock(double Height, string Text, ReportNoteKind Kind, IReadOnlyDictionary<string, string>? Data) : SheetBlock(Height);

/// <summary>
/// Lays a <see cref="TabularReport"/> out on sheets. Lines are broken here (<see cref="TextMeasure"/>) and every block has a fixed
/// height, so Chromium only paints: a table's rows print as one text block per column instead of one element per cell,
/// which is what makes a 10,000-row report print in seconds.
/// </summary>
public static class ReportLayout
{
    public const double Px = 96 / 25.4;                   // px per mm
    public const double MarginTopMm = 16, MarginBottomMm = 14, MarginSideMm = 12;
    public const double FontPx = 10, LinePx = 15, CellPadPx = 4;
    public const double CompanyPx = 11, CompanyLinePx = 15, TitlePx = 16, TitleLinePx = 22, MetaLinePx = 14, MetaGapPx = 14, TitleGapPx = 8;
    public const double HeadingPx = 12, HeadingLinePx = 17, HeadingGapPx = 6;
    public const double TotalPx = 12, TotalLinePx = 17, TotalGapPx = 6;
    public const double EmptyPx = 13, EmptyLinePx = 18, EmptyPadPx = 20;
    public const double TableGapPx = 10;
    // Room left unused at the foot of every sheet, so rounding inside the browser never pushes a block onto an extra page.
    private const double SlackPx = 3;
    private const int MaxCellLines = 8;

    /// <summary>A length as CSS writes it (invariant culture, two decimals at most).</summary>
    public static string Num(double v) => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static (double WidthMm, double HeightMm) Sheet(bool landscape) => landscape ? (297, 210) : (210, 297);

    public static double ContentWidth(bool landscape) => (Sheet(landscape).WidthMm - 2 * MarginSideMm) * Px;

    public static double ContentHeight(bool landscape) => (Sheet(landscape).HeightMm - MarginTopMm - MarginBottomMm) * Px;

    public static LaidOutReport Lay(TabularReport report)
    {
        var width = ContentWidth(report.Landscape);
        var flow = new Flow(ContentHeight(report.Landscape) - SlackPx);
        flow.Put(Title(report, width));
        for (var b = 0; b < report.Body.Count; b++)
        {
            switch (report.Body[b])
            {
                case ReportNote note:
                    var n = Note(note, width);
                    if (!flow.Empty && !flow.Fits(n.Height)) flow.NewSheet();
                    flow.Put(n);
                    break;
                case ReportTable table:
                    // The grand total stays on the sheet of the last table's last rows.
                    var total = b + 1 < report.Body.Count && report.Body[b + 1] is ReportNote { Kind: ReportNoteKind.Total } t ? Note(t, width) : null;
                    LayTable(table, report.ContinuedFormat, width, flow, total?.Height ?? 0);
                    if (total is not null) { flow.Put(total); b++; }
                    break;
            }
        }
        return new LaidOutReport(report, flow.Finish());
    }

    /// <summary>Sheets filled top to bottom.</summary>
    private sealed class Flow(double height)
    {
        private readonly List<IReadOnlyList<SheetBlock>> _sheets = [];
        private List<SheetBlock> _sheet = [];
        public double Y { get; private set; }
        public bool Fits(double h) => Y + h <= height;
        public bool Empty => _sheet.Count == 0;
        public void Put(SheetBlock b) { _sheet.Add(b); Y += b.Height; }
        public void NewSheet() { _sheets.Add(_sheet); _sheet = []; Y = 0; }
        public List<IReadOnlyList<SheetBlock>> Finish() { _sheets.Add(_sheet); return _sheets; }
    }

    private static void LayTable(ReportTable t, string continuedFormat, double width, Flow flow, double keepWithLast)
    {
        var shareSum = t.Columns.Sum(c => c.Share);
        var widths = t.Columns.Select(c => Math.Floor(width * c.Share / shareSum * 100) / 100).ToArray();
        var numeric = t.Columns.Select(c => c.Numeric).ToArray();
        var inner = widths.Select(w => w - 2 * CellPadPx).ToArray();
        var header = t.Columns.Select((c, j) => TextMeasure.Wrap(c.Header, inner[j], FontPx, bold: true, maxLines: 3)).ToArray();
        var headerLines = header.Max(h => h.Count);
        var headerHeight = headerLines * LinePx + 1;
        var cells = t.Rows.Select(r => t.Columns.Select((_, j) => TextMeasure.Wrap(j < r.Length ? r[j] : null, inner[j], FontPx, maxLines: MaxCellLines)).ToArray()).ToArray();
        var rowLines = cells.Select(r => r.Max(c => c.Count)).ToArray();
        var subtotal = t.Subtotal is { } s ? Subtotal(s, widths, numeric) : null;
        var subtotalHeight = subtotal is null ? 0 : subtotal.Lines * LinePx + 1;
        var tail = subtotalHeight + TableGapPx + keepWithLast;

        var i = 0;
        var first = true;
        while (true)
        {
            var heading = t.Heading is null ? null : first ? t.Heading : string.Format(continuedFormat, t.Heading);
            var headingBlock = heading is null ? null : Heading(heading, width);
            var start = (headingBlock?.Height ?? 0) + headerHeight;
            var firstRow = i < cells.Length ? rowLines[i] * LinePx + (i == cells.Length - 1 ? tail : 0) : tail;
            if (!flow.Empty && !flow.Fits(start + firstRow)) flow.NewSheet();
            if (headingBlock is not null) flow.Put(headingBlock);
            var segmentHeight = headerHeight;
            var from = i;
            while (i < cells.Length)
            {
                var add = rowLines[i] * LinePx + (i == cells.Length - 1 ? tail : 0);
                if (i > from && !flow.Fits(segmentHeight + add)) break;
                segmentHeight += rowLines[i] * LinePx;
                i++;
            }
            var ends = i == cells.Length;
            if (ends) segmentHeight += tail - keepWithLast;
            flow.Put(Segment(widths, numeric, header, cells[from..i], rowLines[from..i], ends ? subtotal : null, segmentHeight));
            if (ends) return;
            flow.NewSheet();
            first = false;
        }
    }

    private static TableSegment Segment(double[] widths, bool[] numeric, List<string>[] header, List<string>[][] rows, int[] rowLines,
        SubtotalRow? subtotal, double height)
    {
        var columns = new string[widths.Length];
        var sb = new StringBuilder();
        for (var j = 0; j < widths.Length; j++)
        {
            sb.Clear();
            for (var r = 0; r < rows.Length; r++)
            {
                var lines = rows[r][j];
                for (var k = 0; k < rowLines[r]; k++)
                {
                    if (r > 0 || k > 0) sb.Append('\n');
                    if (k < lines.Count) sb.Append(lines[k]);
                }
            }
            columns[j] = sb.ToString();
        }
        return new TableSegment(height, widths, numeric, header.Select(h => string.Join('\n', h)).ToArray(), columns, rowLines, subtotal);
    }

    private static SubtotalRow Subtotal(ReportSubtotal s, double[] widths, bool[] numeric)
    {
        var span = Math.Clamp(s.Span, 1, widths.Length);
        var w = new List<double> { widths[..span].Sum() };
        var num = new List<bool> { false };
        var text = new List<List<string>> { TextMeasure.Wrap(s.Label, w[0] - 2 * CellPadPx, FontPx, bold: true, maxLines: 3) };
        for (var j = span; j < widths.Length; j++)
        {
            w.Add(widths[j]);
            num.Add(numeric[j]);
            var v = j - span < s.Values.Count ? s.Values[j - span] : null;
            text.Add(TextMeasure.Wrap(v, widths[j] - 2 * CellPadPx, FontPx, bold: true, maxLines: 3));
        }
        return new SubtotalRow(w, num, text.Select(t => string.Join('\n', t)).ToArray(), text.Max(t => t.Count));
    }

    private static HeadingBlock Heading(string text, double width)
    {
        var lines = TextMeasure.Wrap(text, width, HeadingPx, bold: true, maxLines: 3);
        return new HeadingBlock(HeadingGapPx + lines.Count * HeadingLinePx, string.Join('\n', lines));
    }

    private static NoteBlock Note(ReportNote note, double width)
    {
        if (note.Kind == ReportNoteKind.Empty)
        {
            var lines = TextMeasure.Wrap(note.Text, width - 2 * EmptyPadPx - 2, EmptyPx, maxLines: 4);
            return new NoteBlock(2 * EmptyPadPx + 2 + lines.Count * EmptyLinePx, string.Join('\n', lines), note.Kind, note.Data);
        }
        var total = TextMeasure.Wrap(note.Text, width, TotalPx, bold: true, maxLines: 4);
        return new NoteBlock(TotalGapPx + total.Count * TotalLinePx, string.Join('\n', total), note.Kind, note.Data);
    }

    /// <summary>The first sheet's head; parameters flow onto as many lines as they need, each kept whole.</summary>
    private static TitleBlock Title(TabularReport r, double width)
    {
        var items = r.Parameters.Select(p => (Name: p.Name + ": ", p.Value)).Append(("", r.GeneratedLine)).ToList();
        var lines = new List<IReadOnlyList<(string, string)>>();
        var line = new List<(string, string)>();
        double x = 0;
        foreach (var (name, value) in items)
        {
            var nameWidth = TextMeasure.Width(name, FontPx);
            var fitted = TextMeasure.Wrap(value, width - nameWidth - MetaGapPx, FontPx, bold: name.Length > 0, maxLines: 1)[0];
            var w = nameWidth + TextMeasure.Width(fitted, FontPx, bold: name.Length > 0) + MetaGapPx;
            if (line.Count > 0 && x + w > width) { lines.Add(line); line = []; x = 0; }
            line.Add((name, fitted));
            x += w;
        }
        if (line.Count > 0) lines.Add(line);
        return new TitleBlock(CompanyLinePx + TitleLinePx + lines.Count * MetaLinePx + TitleGapPx, lines);
    }
}
