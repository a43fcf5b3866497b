using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using CrmWorkspace.Data;
using CrmWorkspace.Domain;
using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Customers;
using CrmWorkspace.Features.Duplicates.Matching;
using CrmWorkspace.Features.Staff;
using CrmWorkspace.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmWorkspace.Features.Duplicates;

/// <summary>What a CSV file holds.</summary>
public enum ImportKind { Accounts = 0, Contacts = 1 }

/// <summary>A row that was not imported: its line in the file and why.</summary>
public record RejectedRow(int Line, string Reason);

/// <summary>
/// Outcome of an import: of the file's <paramref name="DataLines"/> records after the header, those created as new, those created
/// and linked to a likely duplicate (in the database or in the same file) for review, and those rejected by line with the reason;
/// Created + Linked + Rejected.Count = DataLines. Or why the whole file was refused.
/// </summary>
public record ImportResult(bool Ok, string? Error, int Created, int Linked, IReadOnlyList<RejectedRow> Rejected, string? Encoding, IReadOnlyList<(int Line, int Id)> Ids, int DataLines);

/// <summary>
/// Imports accounts or contacts from CSV (UTF-8 or GB18030). Every row is validated and matched with the same rules as the
/// while-typing check: it ends as new, new and linked to a likely duplicate for review, or rejected with its line and reason.
/// A file that cannot be read imports nothing.
/// </summary>
public class CsvImport(IDbContextFactory<CrmDbContext> dbs, DuplicateFinder finder, CustomerValidation validation, IWorkspaceEvents events, IStringLocalizer<DuplicatesText> L)
{
    public const int MaxRows = 100_000;

    static CsvImport() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly Dictionary<string, string> Headers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "name", ["名称"] = "name", ["公司名称"] = "name", ["姓名"] = "name", ["客户名称"] = "name",
        ["short name"] = "short", ["简称"] = "short",
        ["company"] = "company", ["account"] = "company", ["公司"] = "company", ["单位"] = "company",
        ["province"] = "province", ["省份"] = "province", ["省"] = "province",
        ["city"] = "city", ["城市"] = "city", ["市"] = "city",
        ["address"] = "address", ["地址"] = "address",
        ["phone"] = "phone", ["电话"] = "phone", ["mobile"] = "phone", ["手机"] = "phone",
        ["email"] = "email", ["e-mail"] = "email", ["邮箱"] = "email", ["电子邮件"] = "email",
        ["website"] = "website", ["网址"] = "website",
        ["title"] = "title", ["职务"] = "title", ["department"] = "department", ["部门"] = "department",
        ["postcode"] = "postcode", ["postal code"] = "postcode", ["邮编"] = "postcode",
        ["birthday"] = "birthday", ["生日"] = "birthday", ["date of birth"] = "birthday",
    };

    /// <summary>Decodes the file: strict UTF-8 (with or without BOM), else GB18030; null when it is neither (binary, other encodings).</summary>
    public static (string? Text, string? Encoding) Decode(byte[] bytes)
    {
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes, start, bytes.Length - start);
            return text.Contains('\0') ? (null, null) : (text, "UTF-8");
        }
        catch (DecoderFallbackException) { }
        try
        {
            var gb = System.Text.Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            var text = gb.GetString(bytes);
            return text.Contains('\0') ? (null, null) : (text, "GB18030");
        }
        catch (DecoderFallbackException) { return (null, null); }
    }

    /// <summary>A record of the file: the line it starts on, its fields, or why it cannot be read (then <c>Fields</c> is empty).</summary>
    public record CsvRecord(int Line, string[] Fields, string? Error = null);

    /// <summary>
    /// RFC 4180 records (split by Sep) with the line each starts on; blank lines are skipped. A quoted field may span lines,
    /// but a record that does so and comes out malformed (a quote in the wrong place, or not as many fields as the header) is a
    /// stray quote: only its first line is reported as unreadable and reading starts again on the next line, so one bad quote
    /// cannot swallow the rows after it. A one-line record with a quote in the wrong place is reported the same way.
    /// </summary>
    public static List<CsvRecord> Parse(string text)
    {
        var records = new List<CsvRecord>();
        // Where each line starts, to start reading again after a stray quote (line k, 1-based, starts at lineStarts[k - 1]).
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))) lineStarts.Add(i + 1);
        var linesBefore = 0;
        int? expected = null;
        while (linesBefore < lineStarts.Count && lineStarts[linesBefore] < text.Length)
        {
            var restartAt = -1;
            using (var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = false })
                       .From(new OffsetReader(text, lineStarts[linesBefore])))
            {
                // A row starts where the previous one ended (Sep's LineNumberFrom of a reader's first row is one too high here).
                var from = 1;
                foreach (var row in reader)
                {
                    var line = linesBefore + from;
                    var spans = row.LineNumberToExcl - from > 1;
                    from = row.LineNumberToExcl;
                    var raw = new string[row.ColCount];
                    for (var i = 0; i < raw.Length; i++) raw[i] = row[i].ToString();
                    var wellFormed = raw.All(WellFormed);
                    if (spans && (!wellFormed || (expected is { } n && raw.Length != n)))
                    {
                        restartAt = line; // read again from the line after this record's first
                        break;
                    }
                    if (raw.Length == 1 && raw[0].Trim().Length == 0) continue; // a blank line
                    if (!wellFormed) { records.Add(new CsvRecord(line, [], "quote")); continue; }
                    expected ??= raw.Length;
                    records.Add(new CsvRecord(line, raw.Select(Unquote).ToArray()));
                }
            }
            if (restartAt < 0) break;
            records.Add(new CsvRecord(restartAt, [], "quote"));
            linesBefore = restartAt;
        }
        return records;
    }

    /// <summary>Reads a string from an offset without copying it (a restart after a stray quote must not copy the rest of the file).</summary>
    private sealed class OffsetReader(string text, int start) : TextReader
    {
        private int _pos = start;

        public override int Peek() => _pos < text.Length ? text[_pos] : -1;

        public override int Read() => _pos < text.Length ? text[_pos++] : -1;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, text.Length - _pos);
            text.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
    }

    /// <summary>A raw field is well formed without quotes, or quoted whole with every inner quote doubled (spaces around are allowed).</summary>
    private static bool WellFormed(string raw)
    {
        if (!raw.Contains('"')) return true;
        var t = raw.Trim(' ');
        return t.Length >= 2 && t[0] == '"' && t[^1] == '"' && !t[1..^1].Replace("\"\"", "").Contains('"');
    }

    /// <summary>The field's value: outer quotes removed and doubled quotes made single.</summary>
    private static string Unquote(string raw)
    {
        if (!raw.Contains('"')) return raw;
        var t = raw.Trim(' ');
        return t[1..^1].Replace("\"\"", "\"");
    }

    public async Task<ImportResult> ImportAsync(byte[] file, ImportKind kind, StaffIdentity actor, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var (text, encoding) = Decode(file);
        if (text is null) return Fail(L["The file is not readable text in UTF-8 or GB18030; nothing was imported."]);
        var records = Parse(text);
        if (records.Count == 0) return Fail(L["The file is empty; nothing was imported."]);
        if (records[0].Error is not null) return Fail(L["The first line must name the columns and include a name column (name / 名称 / 姓名); nothing was imported."]);
        var header = records[0].Fields.Select(h => Headers.GetValueOrDefault(h.Trim().TrimStart('\uFEFF')) ?? "").ToList();
        if (!header.Contains("name")) return Fail(L["The first line must name the columns and include a name column (name / 名称 / 姓名); nothing was imported."]);
        if (kind == ImportKind.Contacts && !header.Contains("company")) return Fail(L["A contacts file needs a company column (company / 公司) naming each person's customer; nothing was imported."]);
        var rows = records.Skip(1).ToList();
        if (rows.Count > MaxRows) return Fail(L["The file has {0:N0} rows; import at most {1:N0} at a time. Nothing was imported.", rows.Count, MaxRows]);

        string Get(string[] f, string key) { var i = header.IndexOf(key); return i >= 0 && i < f.Length ? f[i].Trim() : ""; }
        var rejected = new List<RejectedRow>();
        var ids = new List<(int Line, int Id)>();
        var linkedIds = new HashSet<int>();
        var imported = new List<object>();
        var done = 0;
        progress?.Report((0, rows.Count));
        var accountCache = new Dictionary<string, int>();
        // New customers without an owner go to their territory's owner (read once for the whole file).
        Teams.TerritoryMap territories;
        await using (var read = await dbs.CreateDbContextAsync(ct)) territories = await Teams.TerritoryService.MapAsync(read, ct);
        foreach (var chunk in rows.Chunk(500))
        {
            await using var db = await dbs.BeginAsync(actor.Id, ct);
            var batch = new List<(int Line, object Entity)>();
            foreach (var (line, f, parseError) in chunk)
            {
                if (parseError is not null) { rejected.Add(new(line, L["A quotation mark is not closed or stands inside a field: this line was not read. Put quotation marks only around a whole field, and write one inside a field twice."])); continue; }
                if (f.Length != header.Count) { rejected.Add(new(line, L["Expected {0} columns, found {1}.", header.Count, f.Length])); continue; }
                if (kind == ImportKind.Accounts)
                {
                    var input = new AccountInput { Name = Get(f, "name"), ShortName = Null(Get(f, "short")), Province = Null(Get(f, "province")), City = Null(Get(f, "city")),
                        Address = Null(Get(f, "address")), Phone = Null(Get(f, "phone")), Website = Null(Get(f, "website")) };
                    var errors = validation.Validate(input);
                    if (errors.Count > 0) { rejected.Add(new(line, string.Join(" ", errors.Values))); continue; }
                    var a = AccountService.NewAccount(input, actor, territories);
                    db.Accounts.Add(a);
                    batch.Add((line, a));
                }
                else
                {
                    var company = Get(f, "company");
                    var phones = Get(f, "phone").Split([';', '；', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var emails = Get(f, "email").Split([';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var birthdayText = Get(f, "birthday");
                    DateTime? birthday = null;
                    if (birthdayText.Length > 0)
                    {
                        if (DateTime.TryParseExact(birthdayText, ["yyyy-MM-dd", "yyyyMMdd", "yyyy/M/d", "yyyy.M.d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var b)) birthday = b;
                        else { rejected.Add(new(line, L["“{0}” is not a date (use 2026-03-21).", birthdayText])); continue; }
                    }
                    var input = new ContactInput { Name = Get(f, "name"), Title = Null(Get(f, "title")), Department = Null(Get(f, "department")), Address = Null(Get(f, "address")),
                        PostalCode = Null(Get(f, "postcode")), Birthday = birthday,
                        Phones = phones.Distinct().Select(p => new PhoneInput { Number = p }).ToList(), Emails = emails.Select(e => new EmailInput { Address = e }).ToList() };
                    var errors = validation.Validate(input);
                    if (company.Length == 0) errors["company"] = L["The company is missing."];
                    if (errors.Count > 0) { rejected.Add(new(line, string.Join(" ", errors.Values))); continue; }
                    if (!accountCache.TryGetValue(company, out var accountId))
                    {
                        accountId = await db.Accounts.Where(a => a.Name == company).Select(a => a.Id).FirstOrDefaultAsync(ct);
                        if (accountId == 0)
                        {
                            var a = AccountService.NewAccount(new AccountInput { Name = company }, actor, territories);
                            db.Accounts.Add(a);
                            await db.SaveChangesAsync(ct);
                            accountId = a.Id;
                        }
                        accountCache[company] = accountId;
                    }
                    var c = ContactService.NewContact(accountId, input);
                    db.Contacts.Add(c);
                    batch.Add((line, c));
                }
            }
            await db.SaveChangesAsync(ct);
            territories.AddPoolEntries(db, DateTimeOffset.UtcNow);
            foreach (var (line, entity) in batch)
            {
                var (id, accountId) = entity switch { Account a => (a.Id, a.Id), Contact c => (c.Id, c.AccountId), _ => (0, 0) };
                ids.Add((line, id));
                db.Activities.Add(Activity.SystemEntry(accountId, kind == ImportKind.Accounts ? EventKind.AccountImported.Name() : EventKind.ContactImported.Name(),
                    entity is Contact cc ? cc.Name : "", actor.Id, actor.TeamId, contactId: entity is Contact ? id : null));
            }
            await db.SaveChangesAsync(ct);
            // Each imported record on its customer's topic, as a record saved from the form would be (open views hear of it).
            foreach (var (_, entity) in batch)
                events.Publish(entity switch
                {
                    Contact c => new WorkspaceEvent(EventKind.ContactImported, c.AccountId, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, c.Name, c.Id),
                    Account a => new WorkspaceEvent(EventKind.AccountImported, a.Id, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, a.Name, a.Id,
                        AccountName: a.Name),
                    _ => throw new InvalidOperationException("An import batch holds accounts or contacts."),
                });
            // Match each new row against everything stored, rows of this file included.
            var pairs = new List<(int, int, MatchResult)>();
            foreach (var (_, entity) in batch)
            {
                IReadOnlyList<DuplicateCandidate> found = entity switch
                {
                    Account a => await finder.AccountsAsync(new AccountProbe(a.Name, a.Phone, a.Address, a.City, a.ParentId, a.Id), withWork: false, ct: ct),
                    Contact c => await finder.ContactsAsync(new ContactProbe(c.Name, c.Phones.Select(p => p.E164).ToList(), c.Emails.Select(e => e.Address).ToList(), c.Address,
                        c.PostalCode, c.Birthday, c.AccountId, c.Id), withWork: false, ct: ct),
                    _ => [],
                };
                var id = entity is Account x ? x.Id : ((Contact)entity).Id;
                if (found.Count > 0) linkedIds.Add(id);
                pairs.AddRange(found.Select(f => (id, f.Id, new MatchResult(f.Score, f.Reasons))));
            }
            await DuplicateService.AddPairsAsync(db, kind == ImportKind.Accounts ? RecordKind.Account : RecordKind.Contact, pairs, "import", ct: ct);
            imported.AddRange(batch.Select(b => b.Entity));
            done += chunk.Length;
            progress?.Report((done, rows.Count));
        }
        // Rows of this file that match each other, whatever the index lookups above returned: the batch scan's blocking and scoring over the file's own rows.
        var withinFile = kind == ImportKind.Accounts
            ? BatchScan.Accounts(imported.OfType<Account>().Select(a => new AccountRecord { Id = a.Id, Name = a.Name, PhoneE164 = a.PhoneE164, Address = a.Address, City = a.City, ParentId = a.ParentId }).ToList(), finder.Scorer, ct: ct)
            : BatchScan.Contacts(imported.OfType<Contact>().Select(c => new ContactRecord
              {
                  Id = c.Id, Name = c.Name, Address = c.Address, Postcode = c.PostalCode, Birthday = c.Birthday, AccountId = c.AccountId,
                  PhonesE164 = c.Phones.Select(p => p.E164).ToList(), Emails = c.Emails.Select(e => e.Address).ToList(),
              }).ToList(), finder.Scorer, ct: ct);
        if (withinFile.Count > 0)
        {
            await using var db = await dbs.BeginAsync(actor.Id, ct);
            await DuplicateService.AddPairsAsync(db, kind == ImportKind.Accounts ? RecordKind.Account : RecordKind.Contact, withinFile.Select(p => (p.A, p.B, p.Result)), "import", ct: ct);
            foreach (var (a, b, _) in withinFile) { linkedIds.Add(a); linkedIds.Add(b); }
        }
        events.Publish(new WorkspaceEvent(EventKind.CustomersImported, 0, actor.Id, actor.Name, actor.TeamId, DateTimeOffset.UtcNow, ids.Count.ToString(), Scope: DuplicateService.Scope));
        return new ImportResult(true, null, ids.Count - linkedIds.Count, linkedIds.Count, rejected, encoding, ids, rows.Count);

        ImportResult Fail(string error) => new(false, error, 0, 0, [], encoding, [], 0);
        static string? Null(string s) => s.Length == 0 ? null : s;
    }
}
