using System.Text.Json;
using CrmWorkspace.Domain;
using CrmWorkspace.Features.Staff;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmWorkspace.Features.Security;

/// <summary>
/// The rule of every customer-list export: managers (and administrators) export in full, others at most
/// Security:ExportRowLimit rows; every file names who exported it and when, and every export goes on the audit trail.
/// </summary>
public class ExportGuard(AuditTrail audit, IOptions<SecurityOptions> options, IStringLocalizer<SecurityText> S)
{
    /// <summary>Most rows this person may export, or null for no limit.</summary>
    public int? Limit(StaffIdentity by) => by.May(Permission.ExportCustomers) ? null : Math.Max(0, options.Value.ExportRowLimit);

    /// <summary>Cuts the rows to the person's limit; says whether anything was cut.</summary>
    public (IReadOnlyList<T> Rows, bool Cut) Apply<T>(IReadOnlyList<T> rows, StaffIdentity by) =>
        Limit(by) is { } max && rows.Count > max ? (rows.Take(max).ToList(), true) : (rows, false);

    /// <summary>The line written into the file: who exported it, when, how many rows.</summary>
    public string Mark(StaffIdentity by, DateTimeOffset at, int rows, bool cut) => cut
        ? S["Exported by {0} at {1:yyyy-MM-dd HH:mm}: {2} rows (cut to the limit of your role)", by.Name, at.ToLocalTime(), rows]
        : S["Exported by {0} at {1:yyyy-MM-dd HH:mm}: {2} rows", by.Name, at.ToLocalTime(), rows];

    /// <summary>Records the export: who, when (now), which file and filter, how many rows.</summary>
    public Task RecordAsync(StaffIdentity by, string file, object filter, int rows, bool cut) =>
        audit.WriteAsync(by, new AuditNote(AuditKind.Export, file, JsonSerializer.Serialize(filter) + (cut ? " (cut to the role's limit)" : ""), rows));

    /// <summary>Told before exporting, beside the export buttons (null for those without a limit).</summary>
    public string? Notice(StaffIdentity by) => Limit(by) is { } max
        ? S["Your exports of customer lists hold at most {0} rows; managers export the whole list. Every export is recorded.", max]
        : S["Every export of a customer list is recorded with your name."];
}
